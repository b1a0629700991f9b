//! Manifests as JSON files: the template `manifest new` writes, and `manifest check`,
//! which reports every problem with the field it is in (`questions[3].seats: …`).
//!
//! The JSON spells out every rule of SPEC.md §11.1: thresholds as `num`/`den`/`base`/
//! `strict`, the tie and shortfall policies, the trustees' threshold and keys, the
//! issuer's and report keys (hex of their canonical encodings), the privacy floor and
//! revoting. The checks here repeat the library's `Manifest::validate` field by field so
//! that an error can point at its field, add the rules that can never be met, and then
//! run the library's validation as well.

use std::fmt::{Display, Write as _};
use std::path::{Path, PathBuf};

use rand_core::{CryptoRng, RngCore};
use secret_ballot::credential::{IssuerKeypair, IssuerPublicKey, ReportKeypair};
use secret_ballot::elgamal::{PublicKey, SecretKey};
use secret_ballot::manifest::{MAX_ITEMS, MAX_QUESTIONS, MAX_TEXT_LEN, Manifest, Question};
use secret_ballot::rules::{Base, ShortfallPolicy, Strictness, Threshold, TiePolicy};
use secret_ballot::threshold::MAX_AGGREGATE_WIDTH;
use serde::{Deserialize, Serialize};

use crate::failure::{Failure, read_file};
use crate::rng::Entropy;
use crate::sheet::inequality;
use crate::write_output;

/// The most trustees a manifest may have.
const MAX_TRUSTEES: usize = 255;
/// The encoding writes an evaluation's indicator count, and each indicator's number of
/// levels, in one byte.
const MAX_INDICATORS: usize = 255;

/// A threshold: `den·count ≥ num·base` (inclusive) or `>` (strict).
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThresholdFile {
    num: u32,
    den: u32,
    base: BaseFile,
    strict: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum BaseFile {
    Roster,
    Present,
    VotesCast,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TieFile {
    Runoff,
    FewestAgainst,
    Lot,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ShortfallFile {
    Runoff,
    Vacant,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrusteesFile {
    threshold: u16,
    keys: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    name: String,
    levels: Vec<u8>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum QuestionFile {
    Motion {
        title: String,
    },
    Choice {
        title: String,
        options: Vec<String>,
        min: u16,
        max: u16,
    },
    Election {
        title: String,
        candidates: Vec<String>,
        seats: u16,
    },
    Evaluation {
        title: String,
        subjects: Vec<String>,
        levels: Vec<String>,
        allow_blank: bool,
        indicators: Vec<IndicatorFile>,
    },
}

/// A manifest as JSON.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManifestFile {
    /// Free text for people; ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    comment: Vec<String>,
    election_id: String,
    title: String,
    roster: u32,
    quorum: ThresholdFile,
    pass: ThresholdFile,
    tie: TieFile,
    shortfall: ShortfallFile,
    trustees: TrusteesFile,
    issuer_key: String,
    report_key: String,
    privacy_floor: u32,
    revoting: bool,
    questions: Vec<QuestionFile>,
}

const TEMPLATE_COMMENT: [&str; 12] = [
    "secret-ballot election manifest (SPEC.md §11). Everything here is fixed before voting opens and hashed into the election context.",
    "election_id: 1 to 64 bytes, unique per election. roster: N, the representatives holding a mandate (non-voting attendees are not counted).",
    "quorum, pass: a count meets {num, den, base, strict} iff den·count ≥ num·base (strict: >). base is roster (N), present (P) or votes_cast (Y + No + A of the item).",
    "Defaults: quorum {2, 3, roster, false} is 3·P ≥ 2·N (三分之二以上); pass {1, 2, roster, true} is 2·Y > N (过半数). The Shanghai literal reading 2·Y ≥ N is {1, 2, roster, false}.",
    "tie (at the last seat of an election): runoff | fewest_against | lot. shortfall (too few candidates meet the pass rule): runoff | vacant.",
    "trustees: the scrutineers (监票人); any threshold of them decrypt the count. keys: each one's long-term public key, 64 hex digits (a Ristretto255 point).",
    "issuer_key: the check-in desk's blind-signing public key; report_key: the key that signs the list of representatives who took a credential. Both 64 hex digits.",
    "The keys in a template are placeholders generated for it (their secrets were discarded): replace them with the real public keys before use.",
    "privacy_floor: the fewest online ballots before any aggregate may be decrypted. revoting: whether a later ballot of the same credential replaces the earlier one.",
    "questions, in ballot order: motion {title}; choice {title, options, min, max}; election {title, candidates, seats}; evaluation {title, subjects, levels (best first), allow_blank, indicators}.",
    "An indicator is a name and the levels (numbered from 0, strictly increasing) whose share of the valid answers it reports, e.g. satisfaction = (满意 + 基本满意) / valid.",
    "Check a manifest with: secret-ballot manifest check FILE",
];

fn threshold_file(t: &Threshold) -> ThresholdFile {
    ThresholdFile {
        num: t.numerator(),
        den: t.denominator(),
        base: match t.base() {
            Base::Present => BaseFile::Present,
            Base::VotesCast => BaseFile::VotesCast,
            _ => BaseFile::Roster,
        },
        strict: t.strictness() == Strictness::Strict,
    }
}

impl ManifestFile {
    /// The JSON form of a valid manifest, with the explanation of every field.
    pub(crate) fn from_manifest(m: &Manifest) -> Self {
        ManifestFile {
            comment: TEMPLATE_COMMENT.iter().map(|s| (*s).to_owned()).collect(),
            election_id: String::from_utf8_lossy(&m.election_id).into_owned(),
            title: m.title.clone(),
            roster: m.roster,
            quorum: threshold_file(&m.quorum),
            pass: threshold_file(&m.pass),
            tie: match m.tie {
                TiePolicy::FewestAgainst => TieFile::FewestAgainst,
                TiePolicy::Lot => TieFile::Lot,
                _ => TieFile::Runoff,
            },
            shortfall: match m.shortfall {
                ShortfallPolicy::LeaveVacant => ShortfallFile::Vacant,
                _ => ShortfallFile::Runoff,
            },
            trustees: TrusteesFile {
                threshold: m.trustee_threshold,
                keys: m
                    .trustee_keys
                    .iter()
                    .map(|k| hex::encode(k.to_bytes()))
                    .collect(),
            },
            issuer_key: hex::encode(m.issuer_key.to_bytes()),
            report_key: hex::encode(m.report_key.to_bytes()),
            privacy_floor: m.privacy_floor,
            revoting: m.revoting,
            questions: m
                .questions
                .iter()
                .map(|q| match q {
                    Question::Motion { title } => QuestionFile::Motion {
                        title: title.clone(),
                    },
                    Question::Choice {
                        title,
                        options,
                        min,
                        max,
                    } => QuestionFile::Choice {
                        title: title.clone(),
                        options: options.clone(),
                        min: *min,
                        max: *max,
                    },
                    Question::Election {
                        title,
                        candidates,
                        seats,
                    } => QuestionFile::Election {
                        title: title.clone(),
                        candidates: candidates.clone(),
                        seats: *seats,
                    },
                    Question::Evaluation {
                        title,
                        subjects,
                        levels,
                        allow_blank,
                        indicators,
                    } => QuestionFile::Evaluation {
                        title: title.clone(),
                        subjects: subjects.clone(),
                        levels: levels.clone(),
                        allow_blank: *allow_blank,
                        indicators: indicators
                            .iter()
                            .map(|(name, levels)| IndicatorFile {
                                name: name.clone(),
                                levels: levels.clone(),
                            })
                            .collect(),
                    },
                })
                .collect(),
        }
    }

    /// Pretty JSON with a final newline.
    pub(crate) fn to_json(&self) -> Result<String, Failure> {
        let mut text = serde_json::to_string_pretty(self)
            .map_err(|e| Failure::new(format!("internal error: {e}")))?;
        text.push('\n');
        Ok(text)
    }
}

/// Problems found, each with the field it is in.
#[derive(Debug, Default)]
struct Problems {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Problems {
    fn error(&mut self, path: impl Display, message: impl Display) {
        self.errors.push(format!("{path}: {message}"));
    }

    fn warn(&mut self, path: impl Display, message: impl Display) {
        self.warnings.push(format!("{path}: {message}"));
    }

    fn text(&mut self, path: impl Display, text: &str) {
        if text.len() > MAX_TEXT_LEN {
            self.error(
                path,
                format!(
                    "must be at most {MAX_TEXT_LEN} bytes of UTF-8 (is {})",
                    text.len()
                ),
            );
        }
    }

    /// A list of 1 to 256 texts, none too long, none repeated.
    fn items(&mut self, path: &str, items: &[String]) {
        if items.is_empty() || items.len() > MAX_ITEMS {
            self.error(
                path,
                format!("must have 1 to {MAX_ITEMS} entries (has {})", items.len()),
            );
        }
        for (i, item) in items.iter().enumerate() {
            self.text(format!("{path}[{i}]"), item);
            if let Some(first) = items.iter().take(i).position(|other| other == item) {
                self.error(
                    format!("{path}[{i}]"),
                    format!("repeats {path}[{first}] ({item:?})"),
                );
            }
        }
    }
}

fn decode_key<T>(
    problems: &mut Problems,
    path: &str,
    text: &str,
    decode: impl Fn(&[u8]) -> Result<T, secret_ballot::EncodingError>,
) -> Option<T> {
    let Ok(bytes) = hex::decode(text.trim()) else {
        problems.error(path, "must be 64 hex digits (a 32-byte point encoding)");
        return None;
    };
    if bytes.len() != 32 {
        problems.error(
            path,
            format!(
                "must be 64 hex digits (a 32-byte point encoding), has {} bytes",
                bytes.len()
            ),
        );
        return None;
    }
    match decode(&bytes) {
        Ok(key) => Some(key),
        Err(e) => {
            problems.error(path, format!("not a usable Ristretto255 public key: {e}"));
            None
        }
    }
}

fn threshold(
    problems: &mut Problems,
    path: &str,
    t: &ThresholdFile,
    symbol: &str,
) -> Option<Threshold> {
    let base = match t.base {
        BaseFile::Roster => Base::Roster,
        BaseFile::Present => Base::Present,
        BaseFile::VotesCast => Base::VotesCast,
    };
    let strictness = if t.strict {
        Strictness::Strict
    } else {
        Strictness::Inclusive
    };
    if t.num == 0 {
        problems.error(format!("{path}.num"), "must be at least 1 (0 < num ≤ den)");
    }
    if t.den < t.num {
        problems.error(
            format!("{path}.den"),
            format!("must be at least num ({}): 0 < num ≤ den", t.num),
        );
    }
    let rule = Threshold::new(t.num, t.den, base, strictness).ok()?;
    if t.strict && t.num == t.den {
        problems.error(
            path,
            format!(
                "{} can never be met (the count never exceeds its base): make it inclusive or use a smaller fraction",
                inequality(&rule, symbol)
            ),
        );
    }
    Some(rule)
}

fn check_question(problems: &mut Problems, i: usize, q: &QuestionFile) -> Question {
    let at = |field: &str| format!("questions[{i}].{field}");
    match q {
        QuestionFile::Motion { title } => {
            problems.text(at("title"), title);
            Question::Motion {
                title: title.clone(),
            }
        }
        QuestionFile::Choice {
            title,
            options,
            min,
            max,
        } => {
            problems.text(at("title"), title);
            problems.items(&at("options"), options);
            if min > max {
                problems.error(at("min"), format!("must be at most max ({max})"));
            }
            if usize::from(*max) > options.len() || *max == 0 {
                problems.error(
                    at("max"),
                    format!(
                        "must be between 1 and the number of options ({})",
                        options.len()
                    ),
                );
            }
            Question::Choice {
                title: title.clone(),
                options: options.clone(),
                min: *min,
                max: *max,
            }
        }
        QuestionFile::Election {
            title,
            candidates,
            seats,
        } => {
            problems.text(at("title"), title);
            problems.items(&at("candidates"), candidates);
            if *seats == 0 || usize::from(*seats) > candidates.len() {
                problems.error(
                    at("seats"),
                    format!(
                        "must be between 1 and the number of candidates ({})",
                        candidates.len()
                    ),
                );
            } else if usize::from(*seats) == candidates.len() {
                problems.warn(
                    at("seats"),
                    "as many candidates as seats: the election is not competitive (差额选举 has more candidates than seats)",
                );
            }
            Question::Election {
                title: title.clone(),
                candidates: candidates.clone(),
                seats: *seats,
            }
        }
        QuestionFile::Evaluation {
            title,
            subjects,
            levels,
            allow_blank,
            indicators,
        } => {
            problems.text(at("title"), title);
            problems.items(&at("subjects"), subjects);
            problems.items(&at("levels"), levels);
            if levels.len() < 2 {
                problems.error(
                    at("levels"),
                    format!("needs at least two levels (has {})", levels.len()),
                );
            }
            if indicators.len() > MAX_INDICATORS {
                problems.error(
                    at("indicators"),
                    format!(
                        "at most {MAX_INDICATORS} indicators (has {})",
                        indicators.len()
                    ),
                );
            }
            for (j, indicator) in indicators.iter().enumerate() {
                let path = format!("questions[{i}].indicators[{j}]");
                problems.text(format!("{path}.name"), &indicator.name);
                if indicator.levels.is_empty() {
                    problems.error(format!("{path}.levels"), "must name at least one level");
                }
                for (k, &level) in indicator.levels.iter().enumerate() {
                    if usize::from(level) >= levels.len() {
                        problems.error(
                            format!("{path}.levels[{k}]"),
                            format!(
                                "no level {level}: the scale has {} levels, numbered from 0",
                                levels.len()
                            ),
                        );
                    }
                    let previous = k.checked_sub(1).and_then(|p| indicator.levels.get(p));
                    if previous.is_some_and(|&p| p >= level) {
                        problems.error(
                            format!("{path}.levels[{k}]"),
                            "must be above the level before it (strictly increasing)",
                        );
                    }
                }
            }
            Question::Evaluation {
                title: title.clone(),
                subjects: subjects.clone(),
                levels: levels.clone(),
                allow_blank: *allow_blank,
                indicators: indicators
                    .iter()
                    .map(|ind| (ind.name.clone(), ind.levels.clone()))
                    .collect(),
            }
        }
    }
}

/// Every problem of a JSON manifest, with its field; the manifest if there is none.
fn check_file(file: &ManifestFile) -> (Result<Manifest, Vec<String>>, Vec<String>) {
    let mut p = Problems::default();
    let id_len = file.election_id.len();
    if id_len == 0 || id_len > 64 {
        p.error(
            "election_id",
            format!("must be 1 to 64 bytes (is {id_len})"),
        );
    }
    p.text("title", &file.title);
    if file.roster == 0 {
        p.error(
            "roster",
            "must be at least 1 (the representatives holding a mandate)",
        );
    }
    let quorum = threshold(&mut p, "quorum", &file.quorum, "P");
    let pass = threshold(&mut p, "pass", &file.pass, "Y");
    if file.quorum.base != BaseFile::Roster {
        p.error(
            "quorum.base",
            "must be roster: a quorum counts those present against all representatives N (with present or votes_cast it would always hold)",
        );
    }
    if file.privacy_floor == 0 {
        p.error("privacy_floor", "must be at least 1");
    } else if file.privacy_floor < 3 {
        p.warn(
            "privacy_floor",
            "below 3: the count of so few ballots can show how each one voted",
        );
    } else if file.privacy_floor > file.roster && file.roster > 0 {
        p.error(
            "privacy_floor",
            format!(
                "{} is more than the roster ({}): no count could ever be decrypted",
                file.privacy_floor, file.roster
            ),
        );
    }
    let keys = &file.trustees.keys;
    if keys.is_empty() || keys.len() > MAX_TRUSTEES {
        p.error(
            "trustees.keys",
            format!("must list 1 to {MAX_TRUSTEES} keys (has {})", keys.len()),
        );
    }
    let t = file.trustees.threshold;
    if t == 0 || usize::from(t) > keys.len() {
        p.error(
            "trustees.threshold",
            format!("must be between 1 and the number of keys ({})", keys.len()),
        );
    }
    let mut trustee_keys = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let path = format!("trustees.keys[{i}]");
        if let Some(first) = keys
            .iter()
            .take(i)
            .position(|k| k.trim().eq_ignore_ascii_case(key.trim()))
        {
            p.error(&path, format!("the same key as trustees.keys[{first}]"));
        }
        if let Some(k) = decode_key(&mut p, &path, key, PublicKey::from_bytes) {
            trustee_keys.push(k);
        }
    }
    let issuer_key = decode_key(
        &mut p,
        "issuer_key",
        &file.issuer_key,
        IssuerPublicKey::from_bytes,
    );
    let report_key = decode_key(
        &mut p,
        "report_key",
        &file.report_key,
        PublicKey::from_bytes,
    );
    if file.questions.is_empty() || file.questions.len() > MAX_QUESTIONS {
        p.error(
            "questions",
            format!(
                "must have 1 to {MAX_QUESTIONS} questions (has {})",
                file.questions.len()
            ),
        );
    }
    let questions: Vec<Question> = file
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| check_question(&mut p, i, q))
        .collect();
    let mut total = 0usize;
    for (i, q) in questions.iter().enumerate() {
        let width = q.width();
        total += width;
        if width > MAX_AGGREGATE_WIDTH {
            p.error(
                format!("questions[{i}]"),
                format!("has {width} ballot positions, at most {MAX_AGGREGATE_WIDTH}"),
            );
        }
    }
    if total > MAX_AGGREGATE_WIDTH {
        p.error(
            "questions",
            format!("the ballot has {total} positions, at most {MAX_AGGREGATE_WIDTH}"),
        );
    }
    let warnings = std::mem::take(&mut p.warnings);
    let (Some(quorum), Some(pass), Some(issuer_key), Some(report_key), true) =
        (quorum, pass, issuer_key, report_key, p.errors.is_empty())
    else {
        return (Err(p.errors), warnings);
    };
    let manifest = Manifest {
        election_id: file.election_id.as_bytes().to_vec(),
        title: file.title.clone(),
        roster: file.roster,
        questions,
        quorum,
        pass,
        tie: match file.tie {
            TieFile::Runoff => TiePolicy::Runoff,
            TieFile::FewestAgainst => TiePolicy::FewestAgainst,
            TieFile::Lot => TiePolicy::Lot,
        },
        shortfall: match file.shortfall {
            ShortfallFile::Runoff => ShortfallPolicy::Runoff,
            ShortfallFile::Vacant => ShortfallPolicy::LeaveVacant,
        },
        trustee_threshold: t,
        trustee_keys,
        issuer_key,
        report_key,
        privacy_floor: file.privacy_floor,
        revoting: file.revoting,
    };
    // The library's own validation, in case it knows a rule this file does not.
    match manifest.validate() {
        Ok(()) => (Ok(manifest), warnings),
        Err(e) => (Err(vec![format!("manifest: {e}")]), warnings),
    }
}

/// How a manifest file was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Json,
    Binary,
}

/// Reads and checks a manifest (JSON or the binary encoding).
fn load(path: &Path) -> Result<(Manifest, Encoding, Vec<String>), Failure> {
    let bytes = read_file(path)?;
    let name = path.display();
    if bytes.starts_with(&[0x01, 0x30]) {
        return Manifest::from_bytes(&bytes)
            .map(|m| (m, Encoding::Binary, Vec::new()))
            .map_err(|e| Failure::new(format!("{name}: binary manifest: {e}")));
    }
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let file: ManifestFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            Failure::new(format!("{name}: not a manifest: {inner}"))
        } else {
            Failure::new(format!("{name}: {path}: {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| Failure::new(format!("{name}: not a manifest: {e}")))?;
    let (manifest, warnings) = check_file(&file);
    match manifest {
        Ok(m) => Ok((m, Encoding::Json, warnings)),
        Err(errors) => {
            for w in &warnings {
                eprintln!("warning: {name}: {w}");
            }
            Err(Failure::many(
                errors.into_iter().map(|e| format!("{name}: {e}")).collect(),
            ))
        }
    }
}

/// Options of `secret-ballot manifest check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckOptions {
    /// The manifest: JSON, or the binary encoding (SPEC.md §11.3).
    manifest: PathBuf,
    /// Also write the binary encoding (the bytes the election context hashes) here.
    #[arg(long, value_name = "PATH")]
    encode: Option<PathBuf>,
}

fn describe(m: &Manifest) -> Result<String, Failure> {
    let context = m
        .context()
        .map_err(|e| crate::failure::library("manifest", &e))?;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let rule = |t: &Threshold, symbol: &str| {
        format!(
            "{}  (num {}, den {}, base {}, {})",
            inequality(t, symbol),
            t.numerator(),
            t.denominator(),
            match t.base() {
                Base::Present => "present",
                Base::VotesCast => "votes_cast",
                _ => "roster",
            },
            if t.strictness() == Strictness::Strict {
                "strict"
            } else {
                "inclusive"
            }
        )
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  election id     {}",
        String::from_utf8(m.election_id.clone()).unwrap_or_else(|_| hex::encode(&m.election_id))
    );
    let _ = writeln!(out, "  title           {}", m.title);
    let _ = writeln!(out, "  roster N        {}", m.roster);
    let _ = writeln!(out, "  quorum          {}", rule(&m.quorum, "P"));
    let _ = writeln!(out, "  pass            {}", rule(&m.pass, "Y"));
    let _ = writeln!(
        out,
        "  tie, shortfall  {}, {}",
        match m.tie {
            TiePolicy::FewestAgainst => "fewest against",
            TiePolicy::Lot => "lot",
            _ => "run-off",
        },
        match m.shortfall {
            ShortfallPolicy::LeaveVacant => "leave vacant",
            _ => "run-off",
        }
    );
    let _ = writeln!(
        out,
        "  trustees        {} of {}",
        m.trustee_threshold,
        m.trustee_keys.len()
    );
    let _ = writeln!(out, "  privacy floor   {} ballots", m.privacy_floor);
    let _ = writeln!(out, "  revoting        {}", yes_no(m.revoting));
    let _ = writeln!(
        out,
        "  questions       {} ({} ballot positions)",
        m.questions.len(),
        m.width()
    );
    for (i, q) in m.questions.iter().enumerate() {
        let line = match q {
            Question::Motion { title } => format!("motion      {title}"),
            Question::Choice {
                title,
                options,
                min,
                max,
            } => format!("choice      {title} ({min} to {max} of {})", options.len()),
            Question::Election {
                title,
                candidates,
                seats,
            } => format!("election    {title} ({seats} of {})", candidates.len()),
            Question::Evaluation {
                title,
                subjects,
                levels,
                ..
            } => format!(
                "evaluation  {title} ({} subjects, {} levels)",
                subjects.len(),
                levels.len()
            ),
        };
        let _ = writeln!(out, "    {}. {line}", i + 1);
    }
    let _ = writeln!(out, "  manifest hash   {}", hex::encode(context));
    Ok(out)
}

/// Runs `secret-ballot manifest check`.
pub(crate) fn check(options: &CheckOptions) -> Result<(), Failure> {
    let (manifest, encoding, warnings) = load(&options.manifest)?;
    let name = options.manifest.display();
    for w in &warnings {
        eprintln!("warning: {name}: {w}");
    }
    println!(
        "manifest {name} ({})",
        match encoding {
            Encoding::Json => "JSON",
            Encoding::Binary => "binary encoding",
        }
    );
    print!("{}", describe(&manifest)?);
    if let Some(path) = &options.encode {
        let bytes = manifest
            .to_bytes()
            .map_err(|e| crate::failure::library("manifest", &e))?;
        std::fs::write(path, bytes)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
        println!("binary encoding written to {}", path.display());
    }
    println!("ok: the manifest is valid");
    Ok(())
}

/// Options of `secret-ballot manifest new`.
#[derive(Debug, clap::Args)]
pub(crate) struct NewOptions {
    /// Where to write the template (default: standard output).
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
    /// N: the representatives holding a mandate.
    #[arg(long, default_value_t = 300, value_name = "N")]
    representatives: u32,
    /// Generate the placeholder keys from this seed (reproducible templates).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
}

/// A template manifest: every kind of question, the default rules, placeholder keys.
pub(crate) fn template<R: RngCore + CryptoRng>(roster: u32, rng: &mut R) -> Manifest {
    let s = |t: &str| t.to_owned();
    let trustees: Vec<PublicKey> = (0..5)
        .map(|_| SecretKey::generate(rng).public_key())
        .collect();
    Manifest {
        election_id: b"example-2026-congress-01".to_vec(),
        title: s("第一届职工代表大会第一次会议 (example)"),
        roster,
        questions: vec![
            Question::Motion {
                title: s("Approve the agenda 审议通过大会议程"),
            },
            Question::Motion {
                title: s("2026 pay scheme 2026年工资方案"),
            },
            Question::Choice {
                title: s("Canteen supplier (choose one or two)"),
                options: vec![s("supplier A"), s("supplier B"), s("supplier C")],
                min: 1,
                max: 2,
            },
            Question::Election {
                title: s("Employee directors 职工董事"),
                candidates: (1..=7).map(|i| format!("candidate {i}")).collect(),
                seats: 5,
            },
            Question::Evaluation {
                title: s("Democratic evaluation 民主测评"),
                subjects: (1..=4).map(|i| format!("manager {i}")).collect(),
                levels: vec![s("满意"), s("基本满意"), s("不满意")],
                allow_blank: true,
                indicators: vec![(s("satisfaction 满意率"), vec![0, 1])],
            },
        ],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 3,
        trustee_keys: trustees,
        issuer_key: *IssuerKeypair::generate(rng).public(),
        report_key: ReportKeypair::generate(rng).public(),
        privacy_floor: 10,
        revoting: false,
    }
}

/// Runs `secret-ballot manifest new`.
pub(crate) fn new(options: &NewOptions) -> Result<(), Failure> {
    if options.representatives < 10 {
        return Err(Failure::new(
            "--representatives: the template's privacy floor is 10, so it needs at least 10",
        ));
    }
    let mut rng = Entropy::new(options.seed).stream(0);
    let manifest = template(options.representatives, &mut rng);
    let text = ManifestFile::from_manifest(&manifest).to_json()?;
    write_output(options.output.as_ref(), &text)?;
    if let Some(path) = &options.output {
        eprintln!(
            "manifest template written to {}; replace its placeholder keys, then run: secret-ballot manifest check {}",
            path.display(),
            path.display()
        );
    }
    Ok(())
}
