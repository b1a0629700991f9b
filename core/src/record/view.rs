//! The record as JSON: a lossless, readable view (SPEC.md §14.10).
//!
//! Every entry keeps its `previous` hash and its payload in hex, so the exact bytes can
//! be rebuilt from the JSON alone by any JSON reader; beside them, `view` shows what the
//! payload says (decoded here, never trusted: the view is not verification).

use alloc::string::String;

use super::{Entry, RecordReader, Section};
use crate::ballot::{Ballot, BallotLayout, SpoiledBallot};
use crate::credential::IssuanceReport;
use crate::encoding::MessageKind;
use crate::error::Error;
use crate::json::{Object, array, hex, number, numbers, string};
use crate::manifest::{Manifest, Question};
use crate::rules::{Base, ShortfallPolicy, Strictness, Threshold, TiePolicy};
use crate::tally::{Close, OfflineCount, Outcomes, Totals};
use crate::threshold::dkg::{Complaint, ComplaintAnswer, round1, round2};
use crate::threshold::{Aggregate, DecryptionShare};

impl Section {
    /// The section's name in the record view and in SPEC.md §14.2.
    pub fn name(self) -> &'static str {
        match self {
            Section::Manifest => "manifest",
            Section::CeremonyRound1 => "ceremony_round1",
            Section::CeremonyRound2 => "ceremony_round2",
            Section::CeremonyComplaints => "complaints",
            Section::CeremonyAnswers => "answers",
            Section::IssuanceReport => "issuance_report",
            Section::SpoiledBallots => "spoiled_ballots",
            Section::Ballots => "ballots",
            Section::OfflineCount => "paper_count",
            Section::Close => "close",
            Section::Aggregate => "aggregate",
            Section::DecryptionShares => "decryption_shares",
            Section::Totals => "totals",
            Section::Outcomes => "outcomes",
        }
    }
}

/// The record as one JSON object (SPEC.md §14.10):
/// `{"entries": [{"index", "section", "previous", "hash", "payload", "view"}…],
/// "head", "unreadable"}`, where `unreadable` holds, in hex, any bytes after the last
/// entry that could be framed (empty for a well-formed record).
///
/// Implements `Record.View`. Lossless: concatenating, for each entry,
/// `0x01 ‖ 0x40 ‖ previous ‖ LE32(len(payload)) ‖ payload`, then `unreadable`, gives back
/// the input, whatever it was.
pub fn to_json(record: &[u8]) -> String {
    let mut out = String::with_capacity(record.len() * 2 + 1024);
    let mut o = Object::new(&mut out);
    let mut head = super::GENESIS;
    let mut consumed = 0usize;
    let entries = o.key("entries");
    entries.push('[');
    // Ballots decode with the layout of the record's manifest (SPEC.md §12.2).
    let mut layout = None;
    for (i, entry) in RecordReader::new(record).enumerate() {
        let Ok(entry) = entry else { break };
        if i > 0 {
            entries.push(',');
        }
        consumed += super::ENTRY_HEADER_LEN + entry.payload().len();
        head = entry.hash();
        if entry.kind() == MessageKind::Manifest && layout.is_none() {
            layout = Manifest::from_bytes(entry.payload())
                .ok()
                .map(|m| BallotLayout::new(&m));
        }
        entry_json(entries, i, &entry, layout.as_ref());
    }
    entries.push(']');
    hex(o.key("head"), &head);
    hex(
        o.key("unreadable"),
        record.get(consumed..).unwrap_or_default(),
    );
    o.finish();
    out
}

fn entry_json(out: &mut String, index: usize, entry: &Entry<'_>, layout: Option<&BallotLayout>) {
    let mut o = Object::new(out);
    number(o.key("index"), index);
    string(o.key("section"), entry.section().name());
    hex(o.key("previous"), entry.previous());
    hex(o.key("hash"), &entry.hash());
    hex(o.key("payload"), entry.payload());
    let view = o.key("view");
    if let Err(e) = payload_view(view, entry.kind(), entry.payload(), layout) {
        let mut failed = Object::new(view);
        string(failed.key("error"), e.code());
        string(failed.key("message"), &alloc::format!("{e}"));
        failed.finish();
    }
    o.finish();
}

/// Writes the view of one payload, or returns why it does not decode (nothing written).
/// Ballots need the manifest's `layout`; without one they do not decode (`BallotShape`).
fn payload_view(
    out: &mut String,
    kind: MessageKind,
    payload: &[u8],
    layout: Option<&BallotLayout>,
) -> Result<(), Error> {
    let layout_or_shape = || layout.ok_or(Error::BallotShape);
    let mut buf = String::new();
    let mut o = Object::new(&mut buf);
    match kind {
        MessageKind::Manifest => manifest(&mut o, &Manifest::from_bytes(payload)?)?,
        MessageKind::DkgRound1 => {
            let p = round1::Package::from_bytes(payload)?;
            number(o.key("dealer"), p.sender());
            array(o.key("commitments"), p.commitments(), |out, c| {
                hex(out, &c.to_bytes())
            });
        }
        MessageKind::DkgRound2 => {
            let p = round2::Package::from_bytes(payload)?;
            number(o.key("dealer"), p.sender());
            number(o.key("recipient"), p.recipient());
        }
        MessageKind::DkgComplaint => {
            let c = Complaint::from_bytes(payload)?;
            number(o.key("accuser"), c.accuser);
            number(o.key("accused"), c.accused);
        }
        MessageKind::DkgComplaintAnswer => {
            let a = ComplaintAnswer::from_bytes(payload)?;
            number(o.key("accused"), a.accused);
            number(o.key("accuser"), a.accuser);
        }
        MessageKind::IssuanceReport => {
            let r = IssuanceReport::from_bytes(payload)?;
            number(o.key("credentials"), r.count());
            array(o.key("representatives"), r.voters(), |out, v| {
                text_or_hex(out, v.as_bytes())
            });
        }
        MessageKind::SpoiledBallot => {
            let s = SpoiledBallot::from_bytes(payload, layout_or_shape()?)?;
            ballot(&mut o, s.ballot());
            numbers(o.key("plaintexts"), s.plaintexts());
        }
        MessageKind::Ballot => match layout {
            Some(layout) => ballot(&mut o, &Ballot::from_bytes(payload, layout)?),
            None => unread_ballot(&mut o, payload)?,
        },
        MessageKind::OfflineCount => {
            let c = OfflineCount::from_bytes(payload)?;
            number(o.key("voters"), c.voters());
            number(o.key("width"), c.ciphertexts().len());
            numbers(o.key("signers"), c.signers());
        }
        MessageKind::Close => {
            let close = Close::from_bytes(payload)?;
            number(o.key("present"), close.present);
            number(o.key("closed_at"), close.closed_at);
        }
        MessageKind::Aggregate => {
            let a = Aggregate::from_bytes(payload)?;
            number(o.key("ballots"), a.ballots());
            number(o.key("width"), a.ciphertexts().len());
        }
        MessageKind::DecryptionShare => {
            let s = DecryptionShare::from_bytes(payload)?;
            number(o.key("trustee"), s.trustee());
            hex(o.key("aggregate_hash"), s.aggregate_hash());
        }
        MessageKind::Totals => numbers(o.key("totals"), &Totals::from_bytes(payload)?.0),
        MessageKind::Outcomes => {
            crate::verify::json::outcomes(o.key("outcomes"), &Outcomes::from_bytes(payload)?);
        }
        _ => return Err(Error::Internal("entry of no section")),
    }
    o.finish();
    out.push_str(&buf);
    Ok(())
}

fn ballot(o: &mut Object<'_>, b: &Ballot) {
    string(o.key("tracking_code"), &b.tracking_code());
    hex(o.key("pseudonym"), &b.pseudonym().to_bytes());
    numbers(
        o.key("widths"),
        b.answers().iter().map(|a| a.ciphertexts().len()),
    );
}

/// A cast ballot without the manifest to decode it with (SPEC.md §14.10): the tracking
/// code and pseudonym its bytes give.
fn unread_ballot(o: &mut Object<'_>, payload: &[u8]) -> Result<(), Error> {
    let (pseudonym, hash) = crate::ballot::pseudonym_and_hash(payload)?;
    string(o.key("tracking_code"), &crate::ballot::tracking_code(&hash));
    hex(o.key("pseudonym"), &pseudonym.to_bytes());
    Ok(())
}

/// UTF-8 text as a string, anything else as `{"hex": …}`.
fn text_or_hex(out: &mut String, bytes: &[u8]) {
    match core::str::from_utf8(bytes) {
        Ok(text) => string(out, text),
        Err(_) => {
            let mut o = Object::new(out);
            hex(o.key("hex"), bytes);
            o.finish();
        }
    }
}

fn threshold(out: &mut String, t: &Threshold) {
    let mut o = Object::new(out);
    number(o.key("numerator"), t.numerator());
    number(o.key("denominator"), t.denominator());
    let base = match t.base() {
        Base::Roster => "roster",
        Base::Present => "present",
        Base::VotesCast => "votes_cast",
    };
    string(o.key("base"), base);
    let strict = t.strictness() == Strictness::Strict;
    number(o.key("strict"), strict);
    o.finish();
}

fn texts(out: &mut String, items: &[String]) {
    array(out, items, |out, s| string(out, s));
}

fn manifest(o: &mut Object<'_>, m: &Manifest) -> Result<(), Error> {
    text_or_hex(o.key("election_id"), &m.election_id);
    string(o.key("title"), &m.title);
    number(o.key("roster"), m.roster);
    threshold(o.key("quorum"), &m.quorum);
    threshold(o.key("pass"), &m.pass);
    let tie = match m.tie {
        TiePolicy::Runoff => "runoff",
        TiePolicy::FewestAgainst => "fewest_against",
        TiePolicy::Lot => "lot",
    };
    string(o.key("tie"), tie);
    let shortfall = match m.shortfall {
        ShortfallPolicy::Runoff => "runoff",
        ShortfallPolicy::LeaveVacant => "vacant",
    };
    string(o.key("shortfall"), shortfall);
    number(o.key("trustee_threshold"), m.trustee_threshold);
    array(o.key("trustee_keys"), &m.trustee_keys, |out, k| {
        hex(out, &k.to_bytes())
    });
    hex(o.key("issuer_key"), &m.issuer_key.to_bytes());
    hex(o.key("report_key"), &m.report_key.to_bytes());
    number(o.key("privacy_floor"), m.privacy_floor);
    number(o.key("revoting"), m.revoting);
    array(o.key("questions"), &m.questions, question);
    hex(o.key("context"), &m.context()?);
    Ok(())
}

fn question(out: &mut String, q: &Question) {
    let mut o = Object::new(out);
    match q {
        Question::Motion { title } => {
            string(o.key("kind"), "motion");
            string(o.key("title"), title);
        }
        Question::Choice {
            title,
            options,
            min,
            max,
        } => {
            string(o.key("kind"), "choice");
            string(o.key("title"), title);
            texts(o.key("options"), options);
            number(o.key("min"), min);
            number(o.key("max"), max);
        }
        Question::Election {
            title,
            candidates,
            seats,
        } => {
            string(o.key("kind"), "election");
            string(o.key("title"), title);
            texts(o.key("candidates"), candidates);
            number(o.key("seats"), seats);
        }
        Question::Evaluation {
            title,
            subjects,
            levels,
            allow_blank,
            indicators,
        } => {
            string(o.key("kind"), "evaluation");
            string(o.key("title"), title);
            texts(o.key("subjects"), subjects);
            texts(o.key("levels"), levels);
            number(o.key("allow_blank"), allow_blank);
            array(o.key("indicators"), indicators, |out, (name, levels)| {
                let mut i = Object::new(out);
                string(i.key("name"), name);
                numbers(i.key("levels"), levels);
                i.finish();
            });
        }
    }
    o.finish();
}
