//! The public results of a count: the paper (offline) count, the close of voting, the
//! merged totals and the congress rules' outcomes (SPEC.md §14.4–§14.6).
//!
//! These are record payloads (SPEC.md §14): structured messages with a header, each
//! with a canonical encoding. Nothing here is secret.

use alloc::vec::Vec;
use core::fmt;

use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::elgamal::{CIPHERTEXT_LEN, Ciphertext, PublicKey, Randomness, SecretKey};
use crate::encoding::{MessageKind, Reader, header};
use crate::error::{EncodingError, Error};
use crate::manifest::{Manifest, Question};
use crate::proofs::{
    MAX_RANGE_BRANCHES, RangeProof, RangeStatement, SCHNORR_PROOF_LEN, SchnorrProof,
    SchnorrStatement, ValueRange, Verifiable,
};
use crate::record::MAX_PAYLOAD_LEN;
use crate::rules::{self, CandidateCounts, EvaluationCounts, Pending, Ratio};
use crate::threshold::{Aggregate, MAX_AGGREGATE_WIDTH};
use crate::transcript::{CONTEXT_LEN, TranscriptProtocol, election_transcript, labels};
use zeroize::{Zeroize, ZeroizeOnDrop};

fn read_width(r: &mut Reader<'_>) -> Result<usize, EncodingError> {
    let width = usize::from(r.u16_le()?);
    if width == 0 || width > MAX_AGGREGATE_WIDTH {
        return Err(EncodingError::CountOutOfBounds {
            count: width,
            limit: MAX_AGGREGATE_WIDTH,
        });
    }
    Ok(width)
}

fn push_u16(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_le_bytes());
}

/// The most paper voters one paper count can have: each position's range proof has
/// `voters + 1` branches (SPEC.md §6.4).
pub const MAX_PAPER_VOTERS: u32 = (MAX_RANGE_BRANCHES - 1) as u32;

/// The scrutineers' tally sheet of the paper ballots, in plain numbers. It never enters
/// the record: [`PaperTally::encrypt`] turns it into the [`OfflineCount`] that does.
///
/// `voters` representatives voted on paper (none of them took an online credential);
/// `counts[k]` is the number of valid paper answers marking position `k` of the ballot
/// (SPEC.md §11.2). Every count is at most `voters`, and each group's sum at most
/// `max · voters`; an invalid paper answer marks nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperTally {
    voters: u32,
    counts: Vec<u64>,
}

/// The randomness that opens an [`OfflineCount`]: the encrypting scrutineer hands it to
/// the others (privately) so each can check the ciphertexts before signing. Secret (it
/// reveals the paper sub-totals): zeroized on drop, never published.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PaperOpening(Vec<Randomness>);

impl fmt::Debug for PaperOpening {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PaperOpening(<redacted>)")
    }
}

impl PaperTally {
    /// A tally sheet, checked against the manifest's questions.
    ///
    /// # Errors
    /// [`Error::InvalidOfflineCount`] if `voters` is 0 or above [`MAX_PAPER_VOTERS`], the
    /// width differs from the ballot's, a position counts more marks than `voters`, or a
    /// group more than `max · voters`.
    pub fn new(manifest: &Manifest, voters: u32, counts: Vec<u64>) -> Result<Self, Error> {
        let bad = Error::InvalidOfflineCount;
        if voters == 0 || voters > MAX_PAPER_VOTERS {
            return Err(bad("paper voters must be between 1 and 1023"));
        }
        if counts.len() != manifest.width() {
            return Err(bad("its width differs from the ballot's"));
        }
        let v = u64::from(voters);
        if counts.iter().any(|&c| c > v) {
            return Err(bad("a position counts more marks than paper voters"));
        }
        let mut offset = 0;
        for question in &manifest.questions {
            let width = question.width();
            let answer = counts
                .get(offset..offset + width)
                .ok_or(Error::Internal("manifest width"))?;
            for group in question.groups() {
                let sum: u64 = group.positions.iter().filter_map(|&p| answer.get(p)).sum();
                if sum > group.max.saturating_mul(v) {
                    return Err(bad("a group counts more marks than its maximum allows"));
                }
            }
            offset += width;
        }
        Ok(PaperTally { voters, counts })
    }

    /// The number of paper voters.
    pub fn voters(&self) -> u32 {
        self.voters
    }

    /// The count of every position.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Encrypts every count under the election key and proves each in `[0, voters]`.
    ///
    /// Implements `Record.EncryptPaperCount` (SPEC.md §14.4). The result carries no
    /// signature yet: each signing scrutineer first checks it with
    /// [`OfflineCount::check_opening`].
    ///
    /// # Errors
    /// [`Error::InvalidOfflineCount`] if the proofs would not fit in one record entry.
    pub fn encrypt<R: RngCore + CryptoRng>(
        &self,
        context: &[u8; CONTEXT_LEN],
        election_key: &PublicKey,
        rng: &mut R,
    ) -> Result<(OfflineCount, PaperOpening), Error> {
        let proof_len = range_proof_len(self.voters);
        if self.counts.len().saturating_mul(CIPHERTEXT_LEN + proof_len) > MAX_PAYLOAD_LEN / 2 {
            return Err(Error::InvalidOfflineCount(
                "too many paper voters for one record entry at this ballot width",
            ));
        }
        let (ciphertexts, randomness): (Vec<Ciphertext>, Vec<Randomness>) = self
            .counts
            .iter()
            .map(|&c| election_key.encrypt(c, rng))
            .unzip();
        let range = ValueRange::new(0, u64::from(self.voters))?;
        let base = offline_transcript(context, self.voters, &ciphertexts);
        let mut proofs = Vec::with_capacity(ciphertexts.len());
        for (k, ((&count, ciphertext), r)) in self
            .counts
            .iter()
            .zip(&ciphertexts)
            .zip(&randomness)
            .enumerate()
        {
            let (statement, mut t) = position_proof(&base, election_key, ciphertext, range, k);
            proofs.push(RangeProof::prove(&mut t, &statement, count, r, rng)?);
        }
        Ok((
            OfflineCount {
                voters: self.voters,
                ciphertexts,
                proofs,
                signatures: Vec::new(),
            },
            PaperOpening(randomness),
        ))
    }
}

fn range_proof_len(voters: u32) -> usize {
    // SPEC.md §6.4: 128·n − 28 bytes for n = voters + 1 branches.
    128 * (voters as usize + 1) - 28
}

/// The paper ballots of a hybrid sitting, as the record holds them: every position's
/// count encrypted under the election key with a proof that it lies in `[0, voters]`,
/// signed off by at least `t` scrutineers (trustees) with their long-term keys. The
/// verifier adds the ciphertexts to the aggregate, so only the merged totals are ever
/// decrypted: the online and paper sub-totals are never published.
///
/// # Construction
/// With the base transcript
///
/// ```text
/// T₀ = Transcript.Start(context) ‖ dom-sep "offline-count v1" ‖ "voters" LE64(voters)
///      ‖ "count" LE64(w) ‖ "ciphertext" Encode(A, B) for every position
/// ```
///
/// position `k`'s range proof (§6.4, `[0, voters]`) is made on `T₀ ‖ "position" LE64(k)`
/// and trustee `i`'s signature, a Schnorr proof (§6.2) of its long-term key `PKᵢ`, on
/// `T₀ ‖ "trustee" LE64(i)`.
///
/// # Security
/// The proofs stop a paper count from subtracting online votes or adding more than one
/// mark per paper voter and position; that the counts are the room's is trusted to the
/// `t` scrutineers who sign (each checks the opening first), as paper counting is.
///
/// # Implementation details
/// Encoding: `0x01 ‖ 0x41 ‖ LE32(voters) ‖ LE16(w) ‖ Encode(A, B) × w ‖ range proof
/// (128·(voters + 1) − 28 bytes) × w ‖ u8(k) ‖ (LE16(trustee) ‖ Schnorr proof (66)) × k`,
/// trustees strictly increasing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfflineCount {
    voters: u32,
    ciphertexts: Vec<Ciphertext>,
    proofs: Vec<RangeProof>,
    signatures: Vec<(u16, SchnorrProof)>,
}

/// Position `k`'s range statement `[0, voters]` and its transcript `T₀ ‖ "position" k`.
fn position_proof(
    base: &Transcript,
    election_key: &PublicKey,
    ciphertext: &Ciphertext,
    range: ValueRange,
    k: usize,
) -> (RangeStatement, Transcript) {
    let mut t = base.clone();
    t.append_u64(labels::POSITION, k as u64);
    let statement = RangeStatement {
        public_key: *election_key,
        ciphertext: *ciphertext,
        range,
    };
    (statement, t)
}

fn offline_transcript(
    context: &[u8; CONTEXT_LEN],
    voters: u32,
    ciphertexts: &[Ciphertext],
) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::OFFLINE_COUNT);
    t.append_u64(labels::VOTERS, u64::from(voters));
    t.append_u64(labels::COUNT, ciphertexts.len() as u64);
    for c in ciphertexts {
        t.append_message(labels::CIPHERTEXT, &c.to_bytes());
    }
    t
}

impl OfflineCount {
    fn signature_transcript(&self, context: &[u8; CONTEXT_LEN], trustee: u16) -> Transcript {
        let mut t = offline_transcript(context, self.voters, &self.ciphertexts);
        t.append_u64(labels::TRUSTEE, u64::from(trustee));
        t
    }

    /// A scrutineer's check before signing: the ciphertexts encrypt exactly `tally`'s
    /// counts under `election_key` with `opening`'s randomness.
    ///
    /// # Errors
    /// [`Error::InvalidOfflineCount`] if they do not.
    pub fn check_opening(
        &self,
        tally: &PaperTally,
        opening: &PaperOpening,
        election_key: &PublicKey,
    ) -> Result<(), Error> {
        let matches = self.voters == tally.voters
            && self.ciphertexts.len() == tally.counts.len()
            && opening.0.len() == tally.counts.len()
            && self
                .ciphertexts
                .iter()
                .zip(&tally.counts)
                .zip(&opening.0)
                .all(|((c, &count), r)| election_key.encrypt_with(count, r) == *c);
        if matches {
            Ok(())
        } else {
            Err(Error::InvalidOfflineCount(
                "the ciphertexts do not encrypt this tally sheet",
            ))
        }
    }

    /// Adds scrutineer `trustee`'s signature, made with its long-term key.
    ///
    /// # Errors
    /// [`Error::UnknownTrustee`] if `trustee` is not in the manifest, its key is not
    /// `key`'s, or it already signed.
    pub fn sign<R: RngCore + CryptoRng>(
        &mut self,
        manifest: &Manifest,
        trustee: u16,
        key: &SecretKey,
        rng: &mut R,
    ) -> Result<(), Error> {
        let expected = trustee_key(manifest, trustee)?;
        if key.public_key() != *expected || self.signatures.iter().any(|(i, _)| *i == trustee) {
            return Err(Error::UnknownTrustee(trustee));
        }
        let mut t = self.signature_transcript(&manifest.context()?, trustee);
        let statement = SchnorrStatement {
            X: *expected.element(),
        };
        let proof = SchnorrProof::prove(&mut t, &statement, key.expose_scalar(), rng)?;
        let at = self.signatures.partition_point(|(i, _)| *i < trustee);
        self.signatures.insert(at, (trustee, proof));
        Ok(())
    }

    /// Verifies the shape against the manifest, every range proof against the election
    /// key, and that at least `t` distinct trustees signed (every signature present must
    /// verify).
    ///
    /// Implements `Record.VerifyOfflineCount` (SPEC.md §14.4).
    ///
    /// # Errors
    /// [`Error::InvalidOfflineCount`] for a bad shape, a proof that fails or fewer than
    /// `t` signatures; [`Error::UnknownTrustee`] for a signer not in the manifest;
    /// [`Error::InvalidProof`] for a signature that does not verify.
    pub fn verify(
        &self,
        manifest: &Manifest,
        context: &[u8; CONTEXT_LEN],
        election_key: &PublicKey,
    ) -> Result<(), Error> {
        let bad = Error::InvalidOfflineCount;
        if self.voters == 0 || self.voters > MAX_PAPER_VOTERS {
            return Err(bad("paper voters must be between 1 and 1023"));
        }
        if self.ciphertexts.len() != manifest.width() || self.proofs.len() != manifest.width() {
            return Err(bad("its width differs from the ballot's"));
        }
        let range = ValueRange::new(0, u64::from(self.voters))?;
        let base = offline_transcript(context, self.voters, &self.ciphertexts);
        for (k, (ciphertext, proof)) in self.ciphertexts.iter().zip(&self.proofs).enumerate() {
            let (statement, mut t) = position_proof(&base, election_key, ciphertext, range, k);
            proof
                .verify(&mut t, &statement)
                .map_err(|_| bad("a count's range proof does not verify"))?;
        }
        if self.signatures.len() < usize::from(manifest.trustee_threshold) {
            return Err(bad("fewer scrutineers signed than the threshold"));
        }
        for (trustee, proof) in &self.signatures {
            let key = trustee_key(manifest, *trustee)?;
            let mut t = self.signature_transcript(context, *trustee);
            proof.verify(&mut t, &SchnorrStatement { X: *key.element() })?;
        }
        Ok(())
    }

    /// The aggregate of the cast ballots with the paper count added: what the trustees
    /// decrypt in a hybrid sitting (SPEC.md §14.5). Its number of votes is the ballots'
    /// plus the paper voters.
    ///
    /// # Errors
    /// [`Error::AggregateMismatch`] if the widths differ.
    pub fn add_to(&self, online: &Aggregate) -> Result<Aggregate, Error> {
        if online.ciphertexts().len() != self.ciphertexts.len() {
            return Err(Error::AggregateMismatch);
        }
        let sums = online
            .ciphertexts()
            .iter()
            .zip(&self.ciphertexts)
            .map(|(a, b)| *a + *b)
            .collect();
        Aggregate::from_parts(online.ballots() + u64::from(self.voters), sums)
    }

    /// The number of representatives who voted on paper.
    pub fn voters(&self) -> u32 {
        self.voters
    }

    /// The encrypted count of every ballot position.
    pub fn ciphertexts(&self) -> &[Ciphertext] {
        &self.ciphertexts
    }

    /// The trustees who signed (increasing).
    pub fn signers(&self) -> impl Iterator<Item = u16> + '_ {
        self.signatures.iter().map(|(i, _)| *i)
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let proof_len = range_proof_len(self.voters);
        let mut out = header(
            MessageKind::OfflineCount,
            7 + (CIPHERTEXT_LEN + proof_len) * self.ciphertexts.len()
                + self.signatures.len() * (2 + SCHNORR_PROOF_LEN),
        );
        out.extend_from_slice(&self.voters.to_le_bytes());
        push_u16(&mut out, self.ciphertexts.len());
        for c in &self.ciphertexts {
            out.extend_from_slice(&c.to_bytes());
        }
        for proof in &self.proofs {
            out.extend_from_slice(&proof.to_bytes());
        }
        out.push(u8::try_from(self.signatures.len()).unwrap_or(u8::MAX));
        for (trustee, proof) in &self.signatures {
            out.extend_from_slice(&trustee.to_le_bytes());
            out.extend_from_slice(&proof.to_bytes());
        }
        out
    }

    /// Decodes a paper count. Rejects 0 or more than [`MAX_PAPER_VOTERS`] voters, a width
    /// of 0 or above the aggregate limit, proofs of another size than `voters` implies,
    /// and signers that are not strictly increasing.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::OfflineCount)?;
        let voters = r.u32_le()?;
        if voters == 0 || voters > MAX_PAPER_VOTERS {
            return Err(EncodingError::CountOutOfBounds {
                count: voters as usize,
                limit: MAX_PAPER_VOTERS as usize,
            });
        }
        let width = read_width(&mut r)?;
        let ciphertexts = (0..width)
            .map(|_| Ciphertext::from_bytes(r.take(CIPHERTEXT_LEN)?))
            .collect::<Result<Vec<_>, _>>()?;
        let proof_len = range_proof_len(voters);
        let proofs = (0..width)
            .map(|_| RangeProof::from_bytes(r.take(proof_len)?))
            .collect::<Result<Vec<_>, _>>()?;
        let n = r.u8()?;
        let mut signatures: Vec<(u16, SchnorrProof)> = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            let trustee = r.u16_le()?;
            if signatures.last().is_some_and(|(last, _)| *last >= trustee) {
                return Err(EncodingError::NotStrictlyIncreasing);
            }
            signatures.push((
                trustee,
                SchnorrProof::from_bytes(r.take(SCHNORR_PROOF_LEN)?)?,
            ));
        }
        r.finish()?;
        Ok(OfflineCount {
            voters,
            ciphertexts,
            proofs,
            signatures,
        })
    }
}

fn trustee_key(manifest: &Manifest, trustee: u16) -> Result<&PublicKey, Error> {
    usize::from(trustee)
        .checked_sub(1)
        .and_then(|i| manifest.trustee_keys.get(i))
        .ok_or(Error::UnknownTrustee(trustee))
}

/// The close of voting: the number of representatives present by any channel, `P`, and
/// when voting closed.
///
/// Encoding: `0x01 ‖ 0x42 ‖ LE32(present) ‖ LE64(closed_at)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Close {
    /// `P`: representatives present (checked in online or on paper, each once).
    pub present: u32,
    /// When voting closed, in seconds since 1970-01-01T00:00:00Z (the organiser's clock,
    /// as announced in the room; nothing checks it).
    pub closed_at: u64,
}

impl Close {
    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::Close, 12);
        out.extend_from_slice(&self.present.to_le_bytes());
        out.extend_from_slice(&self.closed_at.to_le_bytes());
        out
    }

    /// Decodes a close entry.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Close)?;
        let present = r.u32_le()?;
        let closed_at = r.u64_le()?;
        r.finish()?;
        Ok(Close { present, closed_at })
    }
}

/// The totals of every ballot position: the decrypted online totals plus the paper
/// count.
///
/// Encoding: `0x01 ‖ 0x44 ‖ LE16(width) ‖ LE64 × width`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals(pub Vec<u64>);

impl Totals {
    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::Totals, 2 + 8 * self.0.len());
        push_u16(&mut out, self.0.len());
        for total in &self.0 {
            out.extend_from_slice(&total.to_le_bytes());
        }
        out
    }

    /// Decodes totals. Rejects a width of 0 or above the aggregate limit.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Totals)?;
        let width = read_width(&mut r)?;
        let totals = (0..width)
            .map(|_| r.u64_le())
            .collect::<Result<Vec<_>, _>>()?;
        r.finish()?;
        Ok(Totals(totals))
    }
}

/// What the rules decide for one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionOutcome {
    /// A motion: whether it passed, and the fewest votes for that pass.
    Motion {
        /// Passed (requires the quorum).
        passed: bool,
        /// The minimum number of votes for that meets the pass rule.
        minimum: u64,
    },
    /// A choice: the totals are the result; nothing is decided.
    Choice,
    /// An election (SPEC.md §10.3).
    Election {
        /// Candidates who met the pass rule (increasing).
        qualified: Vec<u16>,
        /// Candidates elected, by decreasing votes for (ties by index).
        elected: Vec<u16>,
        /// What the counts could not decide.
        pending: Option<Pending>,
        /// Seats left vacant.
        vacant: u16,
    },
    /// An evaluation: per subject, the value of every named indicator.
    Evaluation {
        /// `indicators[subject][indicator]`.
        indicators: Vec<Vec<Ratio>>,
    },
}

/// The congress rules applied to the totals (SPEC.md §10, §14.6).
///
/// Encoding: `0x01 ‖ 0x45 ‖ LE32(N) ‖ LE32(P) ‖ u8(quorum) ‖ u8(questions) ‖ outcome*`
/// where an outcome is
///
/// ```text
/// motion (0):     u8(passed) ‖ LE64(minimum)
/// choice (1):     nothing
/// election (2):   list(qualified) ‖ list(elected) ‖ pending ‖ LE16(vacant)
///                 list = LE16(count) ‖ LE16 × count
///                 pending = u8(0) | u8(1) ‖ list ‖ LE16(seats)  (run-off)
///                         | u8(2) ‖ list ‖ LE16(seats)  (lot) | u8(3) ‖ LE16(seats)  (shortfall run-off)
/// evaluation (3): LE16(subjects) ‖ LE16(indicators) ‖ (LE64(num) ‖ LE64(den)) × subjects × indicators
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcomes {
    /// `N`: representatives holding a mandate.
    pub roster: u32,
    /// `P`: representatives present.
    pub present: u32,
    /// Whether the quorum held.
    pub quorum: bool,
    /// One outcome per question, in ballot order.
    pub questions: Vec<QuestionOutcome>,
}

impl Outcomes {
    /// Applies the manifest's rules to the totals with `present` representatives.
    ///
    /// Implements `Record.Outcomes` (SPEC.md §14.6).
    ///
    /// # Errors
    /// [`Error::BallotShape`] if the totals do not have the ballot's width;
    /// [`Error::InvalidRule`] for a malformed rule (a manifest that validated has none).
    pub fn compute(manifest: &Manifest, totals: &[u64], present: u32) -> Result<Self, Error> {
        if totals.len() != manifest.width() {
            return Err(Error::BallotShape);
        }
        let (n, p) = (u64::from(manifest.roster), u64::from(present));
        let bases = rules::Bases {
            roster: n,
            present: p,
            votes_cast: 0,
        };
        let quorum = manifest.quorum.is_met(p, &bases);
        let mut offset = 0;
        let mut questions = Vec::with_capacity(manifest.questions.len());
        for question in &manifest.questions {
            let t = totals
                .get(offset..offset + question.width())
                .ok_or(Error::BallotShape)?;
            let at = |i: usize| t.get(i).copied().unwrap_or(0);
            offset += question.width();
            questions.push(match question {
                Question::Motion { .. } => {
                    let r = rules::resolution(
                        at(0),
                        at(1),
                        at(2),
                        n,
                        p,
                        &manifest.quorum,
                        &manifest.pass,
                    );
                    let votes_cast = at(0).saturating_add(at(1)).saturating_add(at(2));
                    QuestionOutcome::Motion {
                        passed: r.passed,
                        minimum: manifest.pass.minimum(&rules::Bases {
                            votes_cast,
                            ..bases
                        }),
                    }
                }
                Question::Choice { .. } => QuestionOutcome::Choice,
                Question::Election {
                    candidates, seats, ..
                } => {
                    let counts: Vec<CandidateCounts> = (0..candidates.len())
                        .map(|c| CandidateCounts {
                            yes: at(3 * c),
                            no: at(3 * c + 1),
                            abstain: at(3 * c + 2),
                        })
                        .collect();
                    let o = rules::election(
                        &counts,
                        usize::from(*seats),
                        n,
                        p,
                        &manifest.quorum,
                        &manifest.pass,
                        manifest.tie,
                        manifest.shortfall,
                    )?;
                    let small = |v: Vec<usize>| -> Vec<u16> {
                        v.into_iter()
                            .map(|i| u16::try_from(i).unwrap_or(u16::MAX))
                            .collect()
                    };
                    QuestionOutcome::Election {
                        qualified: small(o.qualified),
                        elected: small(o.elected),
                        pending: o.pending,
                        vacant: u16::try_from(o.vacant).unwrap_or(u16::MAX),
                    }
                }
                Question::Evaluation {
                    subjects,
                    levels,
                    allow_blank,
                    indicators,
                    ..
                } => {
                    let stride = levels.len() + usize::from(*allow_blank);
                    let mut values = Vec::with_capacity(subjects.len());
                    for s in 0..subjects.len() {
                        let counts = EvaluationCounts {
                            levels: (0..levels.len()).map(|l| at(s * stride + l)).collect(),
                            blank: if *allow_blank {
                                at(s * stride + levels.len())
                            } else {
                                0
                            },
                        };
                        let row = indicators
                            .iter()
                            .map(|(_, lv)| {
                                let lv: Vec<usize> = lv.iter().map(|&l| usize::from(l)).collect();
                                counts.indicator(&lv)
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        values.push(row);
                    }
                    QuestionOutcome::Evaluation { indicators: values }
                }
            });
        }
        Ok(Outcomes {
            roster: manifest.roster,
            present,
            quorum,
            questions,
        })
    }

    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let list = |out: &mut Vec<u8>, v: &[u16]| {
            push_u16(out, v.len());
            v.iter()
                .for_each(|i| out.extend_from_slice(&i.to_le_bytes()));
        };
        let list_usize = |out: &mut Vec<u8>, v: &[usize]| {
            push_u16(out, v.len());
            v.iter().for_each(|&i| push_u16(out, i));
        };
        let mut out = header(MessageKind::Outcomes, 10 + 16 * self.questions.len());
        out.extend_from_slice(&self.roster.to_le_bytes());
        out.extend_from_slice(&self.present.to_le_bytes());
        out.push(u8::from(self.quorum));
        out.push(u8::try_from(self.questions.len()).unwrap_or(u8::MAX));
        for q in &self.questions {
            match q {
                QuestionOutcome::Motion { passed, minimum } => {
                    out.push(0);
                    out.push(u8::from(*passed));
                    out.extend_from_slice(&minimum.to_le_bytes());
                }
                QuestionOutcome::Choice => out.push(1),
                QuestionOutcome::Election {
                    qualified,
                    elected,
                    pending,
                    vacant,
                } => {
                    out.push(2);
                    list(&mut out, qualified);
                    list(&mut out, elected);
                    match pending {
                        None => out.push(0),
                        Some(Pending::Runoff { candidates, seats }) => {
                            out.push(1);
                            list_usize(&mut out, candidates);
                            push_u16(&mut out, *seats);
                        }
                        Some(Pending::Lot { candidates, seats }) => {
                            out.push(2);
                            list_usize(&mut out, candidates);
                            push_u16(&mut out, *seats);
                        }
                        Some(Pending::ShortfallRunoff { seats }) => {
                            out.push(3);
                            push_u16(&mut out, *seats);
                        }
                    }
                    out.extend_from_slice(&vacant.to_le_bytes());
                }
                QuestionOutcome::Evaluation { indicators } => {
                    out.push(3);
                    push_u16(&mut out, indicators.len());
                    push_u16(&mut out, indicators.first().map_or(0, Vec::len));
                    for ratio in indicators.iter().flatten() {
                        out.extend_from_slice(&ratio.numerator.to_le_bytes());
                        out.extend_from_slice(&ratio.denominator.to_le_bytes());
                    }
                }
            }
        }
        out
    }

    /// Decodes outcomes. Rejects unknown tags, booleans other than 0 and 1, and lists
    /// longer than a manifest allows.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        const LIMIT: usize = crate::manifest::MAX_ITEMS;
        fn count(r: &mut Reader<'_>) -> Result<usize, EncodingError> {
            let n = usize::from(r.u16_le()?);
            if n > LIMIT {
                return Err(EncodingError::CountOutOfBounds {
                    count: n,
                    limit: LIMIT,
                });
            }
            Ok(n)
        }
        fn list(r: &mut Reader<'_>) -> Result<Vec<u16>, EncodingError> {
            let n = count(r)?;
            (0..n).map(|_| r.u16_le()).collect()
        }
        fn boolean(r: &mut Reader<'_>) -> Result<bool, EncodingError> {
            match r.u8()? {
                0 => Ok(false),
                1 => Ok(true),
                other => Err(EncodingError::InvalidTag(other)),
            }
        }
        let widen = |v: Vec<u16>| v.into_iter().map(usize::from).collect::<Vec<_>>();
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Outcomes)?;
        let roster = r.u32_le()?;
        let present = r.u32_le()?;
        let quorum = boolean(&mut r)?;
        let n = r.u8()?;
        let mut questions = Vec::with_capacity(usize::from(n));
        for _ in 0..n {
            questions.push(match r.u8()? {
                0 => QuestionOutcome::Motion {
                    passed: boolean(&mut r)?,
                    minimum: r.u64_le()?,
                },
                1 => QuestionOutcome::Choice,
                2 => {
                    let qualified = list(&mut r)?;
                    let elected = list(&mut r)?;
                    let pending = match r.u8()? {
                        0 => None,
                        1 => Some(Pending::Runoff {
                            candidates: widen(list(&mut r)?),
                            seats: usize::from(r.u16_le()?),
                        }),
                        2 => Some(Pending::Lot {
                            candidates: widen(list(&mut r)?),
                            seats: usize::from(r.u16_le()?),
                        }),
                        3 => Some(Pending::ShortfallRunoff {
                            seats: usize::from(r.u16_le()?),
                        }),
                        other => return Err(EncodingError::InvalidTag(other)),
                    };
                    QuestionOutcome::Election {
                        qualified,
                        elected,
                        pending,
                        vacant: r.u16_le()?,
                    }
                }
                3 => {
                    // A manifest's evaluation has 1–256 subjects; with none, the
                    // indicator count would not be canonical.
                    let subjects = count(&mut r)?;
                    if subjects == 0 {
                        return Err(EncodingError::CountOutOfBounds {
                            count: 0,
                            limit: LIMIT,
                        });
                    }
                    let per = count(&mut r)?;
                    let mut indicators = Vec::with_capacity(subjects);
                    for _ in 0..subjects {
                        let row = (0..per)
                            .map(|_| {
                                Ok(Ratio {
                                    numerator: r.u64_le()?,
                                    denominator: r.u64_le()?,
                                })
                            })
                            .collect::<Result<Vec<_>, EncodingError>>()?;
                        indicators.push(row);
                    }
                    QuestionOutcome::Evaluation { indicators }
                }
                other => return Err(EncodingError::InvalidTag(other)),
            });
        }
        r.finish()?;
        Ok(Outcomes {
            roster,
            present,
            quorum,
            questions,
        })
    }
}
