//! What [`super::verify`] returns: every check with its outcome, and what the record says.

use alloc::vec::Vec;

use crate::elgamal::PublicKey;
use crate::error::Error;
use crate::manifest::Manifest;
use crate::tally::Outcomes;
use crate::transcript::CONTEXT_LEN;

/// One check of SPEC.md §14.7, in the order the report lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum CheckId {
    /// Every entry's framing and payload decode.
    Encoding,
    /// Every entry carries the hash of the one before it.
    HashChain,
    /// Sections come in order, single sections once, each section sorted.
    Order,
    /// The manifest is first and valid.
    Manifest,
    /// Round-1 proofs, complaints and answers; enough trustees qualified.
    KeyCeremony,
    /// The issuance report's signature under the manifest's report key.
    IssuanceReport,
    /// Every spoiled ballot verifies and its openings match its ciphertexts.
    SpoiledBallots,
    /// Every cast ballot's credential, signature and proofs (batched, per-ballot fallback).
    Ballots,
    /// No pseudonym cast two ballots.
    Pseudonyms,
    /// No ciphertext of a spoiled ballot is counted.
    SpoiledNotCounted,
    /// Ballots ≤ credentials issued (else VOID_REDO).
    Reconciliation,
    /// The paper count's bounds and the scrutineers' signatures.
    OfflineCount,
    /// Credentials issued + paper voters ≤ present ≤ roster.
    Attendance,
    /// At least the privacy floor of ballots before any decryption.
    PrivacyFloor,
    /// The published aggregate is the sum of the cast ballots.
    Aggregate,
    /// Every decryption share's proofs; at least `t` valid.
    DecryptionShares,
    /// Every total is the decrypted online total plus the paper count.
    Totals,
    /// The outcomes are the rules applied to the totals.
    Outcomes,
}

impl CheckId {
    /// Every check, in report order.
    pub const ALL: [CheckId; 18] = [
        CheckId::Encoding,
        CheckId::HashChain,
        CheckId::Order,
        CheckId::Manifest,
        CheckId::KeyCeremony,
        CheckId::IssuanceReport,
        CheckId::SpoiledBallots,
        CheckId::Ballots,
        CheckId::Pseudonyms,
        CheckId::SpoiledNotCounted,
        CheckId::Reconciliation,
        CheckId::OfflineCount,
        CheckId::Attendance,
        CheckId::PrivacyFloor,
        CheckId::Aggregate,
        CheckId::DecryptionShares,
        CheckId::Totals,
        CheckId::Outcomes,
    ];

    /// A stable machine-readable name (`snake_case`), as in SPEC.md §14.7.
    pub fn name(self) -> &'static str {
        match self {
            CheckId::Encoding => "encoding",
            CheckId::HashChain => "hash_chain",
            CheckId::Order => "order",
            CheckId::Manifest => "manifest",
            CheckId::KeyCeremony => "key_ceremony",
            CheckId::IssuanceReport => "issuance_report",
            CheckId::SpoiledBallots => "spoiled_ballots",
            CheckId::Ballots => "ballots",
            CheckId::Pseudonyms => "pseudonyms",
            CheckId::SpoiledNotCounted => "spoiled_not_counted",
            CheckId::Reconciliation => "reconciliation",
            CheckId::OfflineCount => "offline_count",
            CheckId::Attendance => "attendance",
            CheckId::PrivacyFloor => "privacy_floor",
            CheckId::Aggregate => "aggregate",
            CheckId::DecryptionShares => "decryption_shares",
            CheckId::Totals => "totals",
            CheckId::Outcomes => "outcomes",
        }
    }

    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Checked and holds; `items` is how many things were checked (ballots, shares …).
    Passed {
        /// Things checked.
        items: u64,
    },
    /// Checked and fails; the first failure found (for ballots: every culprit).
    Failed(Error),
    /// Not checked: the record has not reached it, it does not apply, or a check it
    /// depends on failed. The text says which.
    Skipped(&'static str),
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub id: CheckId,
    /// Its outcome.
    pub status: Status,
    /// The record entry (0-based) where it first failed, where one entry is to blame.
    pub entry: Option<usize>,
}

/// How far the record has got (SPEC.md §14.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Nothing readable (no manifest).
    Empty,
    /// Manifest and key ceremony: check-in and voting can start.
    Setup,
    /// Issuance report or ballots, but no close yet.
    Voting,
    /// Closed: voters check their tracking codes, trustees may decrypt.
    Closed,
    /// Aggregate or decryption shares, but no totals or outcomes yet.
    Counting,
    /// Totals and outcomes published: complete.
    Tallied,
}

/// The verdict on the whole record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every check that applies holds.
    Valid,
    /// Everything holds except that more ballots were cast than credentials issued:
    /// the vote is void and must be repeated (DOMAIN: VOID_REDO).
    VoidRedo,
    /// Some other check fails: the record must not be trusted.
    Invalid,
}

/// Everything `verify` found: each check with its outcome, and what the record says.
///
/// Nothing in it is per voter except counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// One entry per [`CheckId`], in [`CheckId::ALL`] order.
    pub checks: Vec<Check>,
    /// How far the record got.
    pub stage: Stage,
    /// Entries read.
    pub entries: usize,
    /// The hash of the last entry read: compare it with the published head.
    pub head: [u8; 32],
    /// The election context, if the manifest was read.
    pub context: Option<[u8; CONTEXT_LEN]>,
    /// The manifest, if it was read and is valid.
    pub manifest: Option<Manifest>,
    /// The election key from the key ceremony.
    pub election_key: Option<PublicKey>,
    /// Trustees disqualified in the key ceremony (increasing).
    pub disqualified: Vec<u16>,
    /// Credentials issued, from the issuance report.
    pub credentials: Option<u64>,
    /// Cast ballots counted.
    pub ballots: u64,
    /// Spoiled ballots published.
    pub spoiled: u64,
    /// Representatives who voted on paper.
    pub offline_voters: u32,
    /// `P`, from the close.
    pub present: Option<u32>,
    /// When voting closed (seconds since the Unix epoch), from the close.
    pub closed_at: Option<u64>,
    /// Trustees whose decryption shares were combined (increasing).
    pub decrypted_by: Vec<u16>,
    /// The published totals, if the record has them.
    pub totals: Option<Vec<u64>>,
    /// The published outcomes, if the record has them.
    pub outcomes: Option<Outcomes>,
}

impl Report {
    /// The outcome of one check.
    pub fn status(&self, id: CheckId) -> &Status {
        self.checks
            .get(id.index())
            .map_or(&Status::Skipped("not run"), |c| &c.status)
    }

    /// The record entry where a check first failed, if one entry is to blame.
    pub fn check_entry(&self, id: CheckId) -> Option<usize> {
        self.checks.get(id.index()).and_then(|c| c.entry)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| matches!(c.status, Status::Failed(_)))
    }

    /// [`Verdict::Invalid`] if any check but the reconciliation fails,
    /// [`Verdict::VoidRedo`] if only the reconciliation does, else [`Verdict::Valid`].
    /// A valid record may still be incomplete: see [`Report::stage`].
    pub fn verdict(&self) -> Verdict {
        let mut void = false;
        for check in self.failures() {
            if check.id == CheckId::Reconciliation {
                void = true;
            } else {
                return Verdict::Invalid;
            }
        }
        if void {
            Verdict::VoidRedo
        } else {
            Verdict::Valid
        }
    }

    /// Whether the record is valid and complete (totals and outcomes verified).
    pub fn is_valid_and_tallied(&self) -> bool {
        self.verdict() == Verdict::Valid && self.stage == Stage::Tallied
    }
}
