//! The election manifest: everything fixed before any ballot exists (SPEC.md §11).
//!
//! Its canonical encoding hashes to the **election context**, the first thing in every
//! transcript of the election, so no proof, credential, share or ballot can be moved to
//! another election or to a changed manifest.

use alloc::string::String;
use alloc::vec::Vec;

use crate::credential::IssuerPublicKey;
use crate::elgamal::PublicKey;
use crate::encoding::{MessageKind, POINT_LEN, Reader, header};
use crate::error::{EncodingError, Error};
use crate::rules::{Base, ShortfallPolicy, Strictness, Threshold, TiePolicy};
use crate::threshold::{CeremonyParameters, MAX_AGGREGATE_WIDTH};
use crate::transcript::{CONTEXT_LEN, hash_to_bytes, tags};

/// Longest title, option, candidate, subject, level or indicator name, in bytes.
pub const MAX_TEXT_LEN: usize = 1024;
/// Most options, candidates, subjects, levels or indicators in one question.
pub const MAX_ITEMS: usize = 256;
/// Most questions in one manifest.
pub const MAX_QUESTIONS: usize = 255;

/// One question of the ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// A resolution (议题表决): for / against / abstain, exactly one.
    Motion {
        /// The motion's text.
        title: String,
    },
    /// Choose between `min` and `max` of `options`.
    Choice {
        /// The question's text.
        title: String,
        /// The options.
        options: Vec<String>,
        /// Fewest options a ballot marks.
        min: u16,
        /// Most options a ballot marks.
        max: u16,
    },
    /// An election of `seats` among `candidates`: for each candidate exactly one of
    /// for / against / abstain, and at most `seats` "for".
    Election {
        /// The contest's text.
        title: String,
        /// The candidates.
        candidates: Vec<String>,
        /// Seats to fill.
        seats: u16,
    },
    /// A democratic evaluation (民主测评): for each subject exactly one level of an
    /// ordered scale (best first), or blank if allowed.
    Evaluation {
        /// The evaluation's text.
        title: String,
        /// The people or units evaluated.
        subjects: Vec<String>,
        /// The scale, best first (at least two levels).
        levels: Vec<String>,
        /// Whether "blank / don't know" is an answer (counted, not valid).
        allow_blank: bool,
        /// Named indicators: a name and the levels it sums over valid answers.
        indicators: Vec<(String, Vec<u8>)>,
    },
}

/// A group of ballot positions whose sum is constrained (SPEC.md §11.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Positions within the question (0-based).
    pub positions: Vec<usize>,
    /// Smallest allowed sum.
    pub min: u64,
    /// Largest allowed sum.
    pub max: u64,
}

impl Question {
    /// The number of 0/1 ciphertexts this question's answer has.
    pub fn width(&self) -> usize {
        match self {
            Question::Motion { .. } => 3,
            Question::Choice { options, .. } => options.len(),
            Question::Election { candidates, .. } => 3 * candidates.len(),
            Question::Evaluation {
                subjects,
                levels,
                allow_blank,
                ..
            } => subjects.len() * (levels.len() + usize::from(*allow_blank)),
        }
    }

    /// The sum constraints a valid answer satisfies, besides every position being a bit.
    pub fn groups(&self) -> Vec<Group> {
        let exactly_one = |positions: Vec<usize>| Group {
            positions,
            min: 1,
            max: 1,
        };
        match self {
            Question::Motion { .. } => alloc::vec![exactly_one(alloc::vec![0, 1, 2])],
            Question::Choice {
                options, min, max, ..
            } => {
                alloc::vec![Group {
                    positions: (0..options.len()).collect(),
                    min: u64::from(*min),
                    max: u64::from(*max)
                }]
            }
            Question::Election {
                candidates, seats, ..
            } => {
                let mut groups: Vec<Group> = (0..candidates.len())
                    .map(|c| exactly_one(alloc::vec![3 * c, 3 * c + 1, 3 * c + 2]))
                    .collect();
                groups.push(Group {
                    positions: (0..candidates.len()).map(|c| 3 * c).collect(),
                    min: 0,
                    max: u64::from(*seats),
                });
                groups
            }
            Question::Evaluation {
                subjects,
                levels,
                allow_blank,
                ..
            } => {
                let per = levels.len() + usize::from(*allow_blank);
                (0..subjects.len())
                    .map(|s| exactly_one((s * per..(s + 1) * per).collect()))
                    .collect()
            }
        }
    }

    fn title(&self) -> &str {
        match self {
            Question::Motion { title }
            | Question::Choice { title, .. }
            | Question::Election { title, .. }
            | Question::Evaluation { title, .. } => title,
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let bad = Error::InvalidManifest;
        check_text(self.title())?;
        match self {
            Question::Motion { .. } => {}
            Question::Choice {
                options, min, max, ..
            } => {
                check_items(options)?;
                if min > max || usize::from(*max) > options.len() {
                    return Err(bad("choice needs min ≤ max ≤ number of options"));
                }
            }
            Question::Election {
                candidates, seats, ..
            } => {
                check_items(candidates)?;
                if *seats == 0 || usize::from(*seats) > candidates.len() {
                    return Err(bad("an election needs 1 ≤ seats ≤ candidates"));
                }
            }
            Question::Evaluation {
                subjects,
                levels,
                indicators,
                ..
            } => {
                check_items(subjects)?;
                check_items(levels)?;
                if levels.len() < 2 {
                    return Err(bad("an evaluation scale needs at least two levels"));
                }
                // Both counts are one byte in the encoding (SPEC.md §11.3).
                if indicators.len() > usize::from(u8::MAX) {
                    return Err(bad("an evaluation has at most 255 indicators"));
                }
                for (name, members) in indicators {
                    check_text(name)?;
                    if members.len() > usize::from(u8::MAX) {
                        return Err(bad("an indicator names at most 255 levels"));
                    }
                    if members.is_empty() || members.iter().any(|&l| usize::from(l) >= levels.len())
                    {
                        return Err(bad("an indicator names no level or an unknown level"));
                    }
                    if members.windows(2).any(|w| w.first() >= w.get(1)) {
                        return Err(bad("indicator levels must be strictly increasing"));
                    }
                }
            }
        }
        if self.width() == 0 || self.width() > MAX_AGGREGATE_WIDTH {
            return Err(bad("a question's width must be 1 to 4096 positions"));
        }
        Ok(())
    }
}

fn check_text(text: &str) -> Result<(), Error> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Error::InvalidManifest("text longer than 1024 bytes"));
    }
    Ok(())
}

fn check_items(items: &[String]) -> Result<(), Error> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(Error::InvalidManifest("a list must have 1 to 256 entries"));
    }
    items.iter().try_for_each(|i| check_text(i))
}

/// The election manifest.
///
/// Implements `Manifest.Validate` and `Manifest.Context` (SPEC.md §11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// A unique identifier of the election (1 to 64 bytes).
    pub election_id: Vec<u8>,
    /// The congress and election title.
    pub title: String,
    /// `N`: representatives holding a mandate.
    pub roster: u32,
    /// The questions, in ballot order.
    pub questions: Vec<Question>,
    /// The quorum rule (default `3·P ≥ 2·N`).
    pub quorum: Threshold,
    /// The pass rule for motions and candidates (default `2·Y > N`).
    pub pass: Threshold,
    /// Tie at the last seat.
    pub tie: TiePolicy,
    /// Too few candidates qualify.
    pub shortfall: ShortfallPolicy,
    /// The threshold `t` of the trustees.
    pub trustee_threshold: u16,
    /// The trustees' long-term keys (index `i` is `trustee_keys[i − 1]`).
    pub trustee_keys: Vec<PublicKey>,
    /// The credential issuer's blind-signing key.
    pub issuer_key: IssuerPublicKey,
    /// The key that signs the issuance report.
    pub report_key: PublicKey,
    /// Fewest ballots before any aggregate may be decrypted.
    pub privacy_floor: u32,
    /// Whether a later ballot under the same pseudonym replaces the earlier one.
    pub revoting: bool,
}

fn threshold_bytes(out: &mut Vec<u8>, t: &Threshold) {
    out.extend_from_slice(&t.numerator().to_le_bytes());
    out.extend_from_slice(&t.denominator().to_le_bytes());
    out.push(match t.base() {
        Base::Roster => 0,
        Base::Present => 1,
        Base::VotesCast => 2,
    });
    out.push(u8::from(t.strictness() == Strictness::Strict));
}

fn read_threshold(r: &mut Reader<'_>) -> Result<Threshold, EncodingError> {
    let num = r.u32_le()?;
    let den = r.u32_le()?;
    let base = match r.u8()? {
        0 => Base::Roster,
        1 => Base::Present,
        2 => Base::VotesCast,
        other => return Err(EncodingError::InvalidTag(other)),
    };
    let strictness = if read_bool(r)? {
        Strictness::Strict
    } else {
        Strictness::Inclusive
    };
    Threshold::new(num, den, base, strictness).map_err(|_| EncodingError::InvalidTag(0))
}

fn read_bool(r: &mut Reader<'_>) -> Result<bool, EncodingError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(EncodingError::InvalidTag(other)),
    }
}

fn text_bytes(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&u16::try_from(text.len()).unwrap_or(u16::MAX).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

fn read_text(r: &mut Reader<'_>) -> Result<String, EncodingError> {
    let len = usize::from(r.u16_le()?);
    if len > MAX_TEXT_LEN {
        return Err(EncodingError::CountOutOfBounds {
            count: len,
            limit: MAX_TEXT_LEN,
        });
    }
    String::from_utf8(r.take(len)?.to_vec()).map_err(|_| EncodingError::InvalidUtf8)
}

fn list_bytes(out: &mut Vec<u8>, items: &[String]) {
    out.extend_from_slice(&u16::try_from(items.len()).unwrap_or(u16::MAX).to_le_bytes());
    items.iter().for_each(|i| text_bytes(out, i));
}

fn read_list(r: &mut Reader<'_>) -> Result<Vec<String>, EncodingError> {
    let n = usize::from(r.u16_le()?);
    if n > MAX_ITEMS {
        return Err(EncodingError::CountOutOfBounds {
            count: n,
            limit: MAX_ITEMS,
        });
    }
    (0..n).map(|_| read_text(r)).collect()
}

impl Manifest {
    /// Checks every rule of SPEC.md §11.1.
    ///
    /// # Errors
    /// [`Error::InvalidManifest`] naming the broken rule, or the trustee parameters'
    /// errors.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = Error::InvalidManifest;
        if self.election_id.is_empty() || self.election_id.len() > 64 {
            return Err(bad("the election id must be 1 to 64 bytes"));
        }
        check_text(&self.title)?;
        if self.roster == 0 {
            return Err(bad("the roster must not be empty"));
        }
        // A quorum counts attendance against the roster: with base P or "votes cast"
        // it would hold for any attendance.
        if self.quorum.base() != Base::Roster {
            return Err(bad("the quorum's base must be the roster N"));
        }
        if self.privacy_floor == 0 {
            return Err(bad("the privacy floor must be at least 1"));
        }
        if self.questions.is_empty() || self.questions.len() > MAX_QUESTIONS {
            return Err(bad("a manifest has 1 to 255 questions"));
        }
        self.questions.iter().try_for_each(Question::validate)?;
        if self.width() > MAX_AGGREGATE_WIDTH {
            return Err(bad("the ballot has more than 4096 positions"));
        }
        // Reuses the ceremony's checks: 1 ≤ t ≤ n ≤ 255, distinct keys.
        CeremonyParameters::new(
            [0; CONTEXT_LEN],
            self.trustee_threshold,
            self.trustee_keys.clone(),
        )?;
        Ok(())
    }

    /// The number of ciphertexts of a ballot (all questions).
    pub fn width(&self) -> usize {
        self.questions.iter().map(Question::width).sum()
    }

    /// The canonical encoding (SPEC.md §11.3).
    ///
    /// # Errors
    /// As [`Manifest::validate`]: only valid manifests are encoded.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        self.validate()?;
        let mut out = header(MessageKind::Manifest, 256);
        out.push(u8::try_from(self.election_id.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&self.election_id);
        text_bytes(&mut out, &self.title);
        out.extend_from_slice(&self.roster.to_le_bytes());
        threshold_bytes(&mut out, &self.quorum);
        threshold_bytes(&mut out, &self.pass);
        out.push(match self.tie {
            TiePolicy::Runoff => 0,
            TiePolicy::FewestAgainst => 1,
            TiePolicy::Lot => 2,
        });
        out.push(match self.shortfall {
            ShortfallPolicy::Runoff => 0,
            ShortfallPolicy::LeaveVacant => 1,
        });
        out.extend_from_slice(&self.trustee_threshold.to_le_bytes());
        out.extend_from_slice(
            &u16::try_from(self.trustee_keys.len())
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        for key in &self.trustee_keys {
            out.extend_from_slice(&key.to_bytes());
        }
        out.extend_from_slice(&self.issuer_key.to_bytes());
        out.extend_from_slice(&self.report_key.to_bytes());
        out.extend_from_slice(&self.privacy_floor.to_le_bytes());
        out.push(u8::from(self.revoting));
        out.push(u8::try_from(self.questions.len()).unwrap_or(u8::MAX));
        for q in &self.questions {
            match q {
                Question::Motion { title } => {
                    out.push(0);
                    text_bytes(&mut out, title);
                }
                Question::Choice {
                    title,
                    options,
                    min,
                    max,
                } => {
                    out.push(1);
                    text_bytes(&mut out, title);
                    list_bytes(&mut out, options);
                    out.extend_from_slice(&min.to_le_bytes());
                    out.extend_from_slice(&max.to_le_bytes());
                }
                Question::Election {
                    title,
                    candidates,
                    seats,
                } => {
                    out.push(2);
                    text_bytes(&mut out, title);
                    list_bytes(&mut out, candidates);
                    out.extend_from_slice(&seats.to_le_bytes());
                }
                Question::Evaluation {
                    title,
                    subjects,
                    levels,
                    allow_blank,
                    indicators,
                } => {
                    out.push(3);
                    text_bytes(&mut out, title);
                    list_bytes(&mut out, subjects);
                    list_bytes(&mut out, levels);
                    out.push(u8::from(*allow_blank));
                    out.push(u8::try_from(indicators.len()).unwrap_or(u8::MAX));
                    for (name, members) in indicators {
                        text_bytes(&mut out, name);
                        out.push(u8::try_from(members.len()).unwrap_or(u8::MAX));
                        out.extend_from_slice(members);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Decodes and validates a manifest.
    ///
    /// # Errors
    /// [`Error::Encoding`] for malformed bytes, [`Error::InvalidManifest`] for a
    /// well-formed but inconsistent manifest.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Manifest)?;
        let id_len = usize::from(r.u8()?);
        let election_id = r.take(id_len)?.to_vec();
        let title = read_text(&mut r)?;
        let roster = r.u32_le()?;
        let quorum = read_threshold(&mut r)?;
        let pass = read_threshold(&mut r)?;
        let tie = match r.u8()? {
            0 => TiePolicy::Runoff,
            1 => TiePolicy::FewestAgainst,
            2 => TiePolicy::Lot,
            other => return Err(EncodingError::InvalidTag(other).into()),
        };
        let shortfall = match r.u8()? {
            0 => ShortfallPolicy::Runoff,
            1 => ShortfallPolicy::LeaveVacant,
            other => return Err(EncodingError::InvalidTag(other).into()),
        };
        let trustee_threshold = r.u16_le()?;
        let n = usize::from(r.u16_le()?);
        if n > 255 {
            return Err(EncodingError::CountOutOfBounds {
                count: n,
                limit: 255,
            }
            .into());
        }
        let trustee_keys = (0..n)
            .map(|_| PublicKey::from_bytes(r.take(POINT_LEN)?))
            .collect::<Result<Vec<_>, _>>()?;
        let issuer_key = IssuerPublicKey::from_bytes(r.take(POINT_LEN)?)?;
        let report_key = PublicKey::from_bytes(r.take(POINT_LEN)?)?;
        let privacy_floor = r.u32_le()?;
        let revoting = read_bool(&mut r)?;
        let count = usize::from(r.u8()?);
        let mut questions = Vec::with_capacity(count);
        for _ in 0..count {
            let kind = r.u8()?;
            let title = read_text(&mut r)?;
            questions.push(match kind {
                0 => Question::Motion { title },
                1 => {
                    let options = read_list(&mut r)?;
                    Question::Choice {
                        title,
                        options,
                        min: r.u16_le()?,
                        max: r.u16_le()?,
                    }
                }
                2 => {
                    let candidates = read_list(&mut r)?;
                    Question::Election {
                        title,
                        candidates,
                        seats: r.u16_le()?,
                    }
                }
                3 => {
                    let subjects = read_list(&mut r)?;
                    let levels = read_list(&mut r)?;
                    let allow_blank = read_bool(&mut r)?;
                    let m = usize::from(r.u8()?);
                    let mut indicators = Vec::with_capacity(m);
                    for _ in 0..m {
                        let name = read_text(&mut r)?;
                        let k = usize::from(r.u8()?);
                        indicators.push((name, r.take(k)?.to_vec()));
                    }
                    Question::Evaluation {
                        title,
                        subjects,
                        levels,
                        allow_blank,
                        indicators,
                    }
                }
                other => return Err(EncodingError::InvalidTag(other).into()),
            });
        }
        r.finish()?;
        let manifest = Manifest {
            election_id,
            title,
            roster,
            questions,
            quorum,
            pass,
            tie,
            shortfall,
            trustee_threshold,
            trustee_keys,
            issuer_key,
            report_key,
            privacy_floor,
            revoting,
        };
        manifest.validate()?;
        Ok(manifest)
    }

    /// The election context: `HashToBytes("election-context", encoding)`.
    ///
    /// # Errors
    /// As [`Manifest::validate`].
    pub fn context(&self) -> Result<[u8; CONTEXT_LEN], Error> {
        Ok(hash_to_bytes(tags::ELECTION_CONTEXT, &[&self.to_bytes()?]))
    }

    /// The key-ceremony parameters this manifest fixes.
    ///
    /// # Errors
    /// As [`Manifest::validate`].
    pub fn ceremony_parameters(&self) -> Result<CeremonyParameters, Error> {
        CeremonyParameters::new(
            self.context()?,
            self.trustee_threshold,
            self.trustee_keys.clone(),
        )
    }
}
