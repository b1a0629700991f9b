//! `verify(record) -> Report`: checks an election record from its bytes alone, trusting
//! nobody (SPEC.md §14.7).
//!
//! The [`Verifier`] reads the record once, entry by entry. Its memory does not grow with
//! the number of ballots: it keeps the running sum of the ballots (one ciphertext per
//! position), the last pseudonym (ballots are sorted by pseudonym, so uniqueness is a
//! comparison with the previous one), a bounded batch of ballots awaiting verification,
//! and what is small by nature (manifest, ceremony, shares, the spoiled ballots'
//! ciphertexts). A host that reads a record from disk or the network feeds entries to
//! [`Verifier::push_bytes`] as they arrive ([`crate::record::Entry::encoded_len`] says how
//! long each is).
//!
//! Ballots are verified in batches of [`DEFAULT_BATCH`] with one multiscalar
//! multiplication each; a batch that fails is verified ballot by ballot to name the
//! culprits. With the `parallel` feature, one batch per core is decoded and verified at
//! once (rayon), and the results merged in record order: the report is the same.
//! Everything here is variable-time: a record is public.

mod ballots;
pub mod chunk;
pub(crate) mod json;
mod report;
mod trustee;

pub use report::{Check, CheckId, Report, Stage, Status, Verdict};
pub use trustee::decrypt_record;

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::Identity;
use rand_core::{CryptoRng, RngCore};

use crate::ballot::{BallotLayout, ElectionKeys, SpoiledBallot};
use crate::credential::IssuanceReport;
use crate::elgamal::{CIPHERTEXT_LEN, Ciphertext};
use crate::encoding::MessageKind;
use crate::error::{EncodingError, Error};
use crate::manifest::Manifest;
#[cfg(feature = "std")]
use crate::record::ENTRY_HEADER_LEN;
use crate::record::{Entry, GENESIS, RecordReader, Section};
use crate::tally::{Close, OfflineCount, Outcomes, Totals};
use crate::threshold::dkg::{self, Complaint, ComplaintAnswer, round1, round2};
use crate::threshold::{Aggregate, DecryptionShare, PublicKeyPackage, combine};
use crate::transcript::CONTEXT_LEN;

/// Ballots per batch: large enough that the multiscalar multiplication is efficient,
/// small enough that the batch's memory is a few megabytes.
pub const DEFAULT_BATCH: usize = 64;

/// How many rounds of batches (one batch per thread each) may be on rayon's pool at once
/// while the record is read on: two, so a thread that finishes its chunk early starts on
/// the next round instead of waiting for the slowest chunk of its own.
#[cfg(feature = "parallel")]
const IN_FLIGHT: usize = 2;

/// Where one round of batches on rayon's pool sends its results.
#[cfg(feature = "parallel")]
type InFlight = std::sync::Mutex<std::sync::mpsc::Receiver<Vec<ballots::ChunkResult>>>;

/// Verifies a whole record held in memory. `rng` draws the batch weights.
///
/// Implements `Record.Verify` (SPEC.md §14.7). Never panics and never fails: every
/// problem is a failed check in the [`Report`].
pub fn verify<R: RngCore + CryptoRng>(record: &[u8], rng: R) -> Report {
    let mut verifier = Verifier::new(rng);
    for entry in RecordReader::new(record) {
        match entry {
            Ok(entry) => verifier.push(&entry),
            Err(e) => verifier.unreadable(e),
        }
    }
    verifier.finish()
}

/// What a check has found so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Progress {
    ran: bool,
    items: u64,
    failure: Option<(Error, Option<usize>)>,
}

/// The public election data that the ceremony yields.
#[derive(Clone, Debug)]
struct Election {
    manifest: Manifest,
    context: [u8; CONTEXT_LEN],
    /// Which of a ballot's ciphertexts are sent (decoding needs it, SPEC.md §12.2).
    layout: BallotLayout,
}

/// A streaming record verifier (SPEC.md §14.7).
#[derive(Debug)]
pub struct Verifier<R> {
    rng: R,
    batch_size: usize,
    progress: [Progress; CheckId::ALL.len()],
    entries: usize,
    head: [u8; 32],
    section: Option<Section>,
    /// Sort key of the last entry of the current section.
    last_key: Option<Vec<u8>>,
    /// No entry after this one can be read meaningfully.
    stopped: bool,
    /// Reads the setup only for what checking ballots needs (a chunk's worker, §14.11):
    /// spoiled ballots are collected, not verified, and the issuance report is skipped.
    context_only: bool,
    election: Option<Election>,
    round1: Vec<round1::Package>,
    /// The (dealer, recipient) of every round-2 package read.
    round2: BTreeSet<(u16, u16)>,
    complaints: Vec<Complaint>,
    answers: Vec<ComplaintAnswer>,
    ceremony_resolved: bool,
    public: Option<PublicKeyPackage>,
    keys: Option<ElectionKeys>,
    disqualified: Vec<u16>,
    credentials: Option<u64>,
    spoiled: u64,
    spoiled_ciphertexts: BTreeSet<[u8; CIPHERTEXT_LEN]>,
    /// Every cast ciphertext, when the trustees' duplicate check is on (§8.1).
    seen: Option<BTreeSet<[u8; CIPHERTEXT_LEN]>>,
    ballots: u64,
    sums: Vec<(RistrettoPoint, RistrettoPoint)>,
    /// Cast ballots awaiting their batch: entry position and payload.
    pending: Vec<(usize, Vec<u8>)>,
    /// The batches being verified on rayon's pool while the next ones are read, oldest
    /// first (at most [`IN_FLIGHT`]).
    #[cfg(feature = "parallel")]
    /// (A receiver is not `Sync`; behind a mutex the verifier stays `Sync`.)
    in_flight: alloc::collections::VecDeque<InFlight>,
    culprits: Vec<usize>,
    offline: Option<OfflineCount>,
    close: Option<Close>,
    aggregate: Option<Aggregate>,
    shares: Vec<DecryptionShare>,
    totals: Option<Totals>,
    outcomes: Option<Outcomes>,
}

impl<R: RngCore + CryptoRng> Verifier<R> {
    /// A verifier for one record. `rng` draws the batch weights.
    pub fn new(rng: R) -> Self {
        Verifier {
            rng,
            batch_size: DEFAULT_BATCH,
            progress: Default::default(),
            entries: 0,
            head: GENESIS,
            section: None,
            last_key: None,
            stopped: false,
            context_only: false,
            election: None,
            round1: Vec::new(),
            round2: BTreeSet::new(),
            complaints: Vec::new(),
            answers: Vec::new(),
            ceremony_resolved: false,
            public: None,
            keys: None,
            disqualified: Vec::new(),
            credentials: None,
            spoiled: 0,
            spoiled_ciphertexts: BTreeSet::new(),
            seen: None,
            ballots: 0,
            sums: Vec::new(),
            pending: Vec::new(),
            #[cfg(feature = "parallel")]
            in_flight: alloc::collections::VecDeque::new(),
            culprits: Vec::new(),
            offline: None,
            close: None,
            aggregate: None,
            shares: Vec::new(),
            totals: None,
            outcomes: None,
        }
    }

    /// Sets how many ballots share one multiscalar multiplication; `1` verifies every
    /// ballot alone (the slow path, for comparison).
    pub fn with_batch_size(mut self, ballots: usize) -> Self {
        self.batch_size = ballots.max(1);
        self
    }

    /// Also refuses a ciphertext that occurs in two cast ballots (under `aggregate`, as
    /// `AggregateMismatch`), as a trustee must before decrypting (SPEC.md §8.1). Memory
    /// then grows with the ballots: 64 bytes per ciphertext, plus the set's overhead.
    pub fn with_duplicate_check(mut self) -> Self {
        self.seen = Some(BTreeSet::new());
        self
    }

    /// Reads one entry's encoding (exactly one: trailing bytes are an encoding failure).
    pub fn push_bytes(&mut self, entry: &[u8]) {
        match Entry::parse(entry) {
            Ok((entry, [])) => self.push(&entry),
            Ok((_, rest)) => self.unreadable(EncodingError::TrailingBytes(rest.len())),
            Err(e) => self.unreadable(e),
        }
    }

    /// Reads entries from `input` until it ends, one entry in memory at a time (so a
    /// record far larger than memory verifies). The caller owns the reader; nothing here
    /// opens a file.
    ///
    /// # Errors
    /// Only the reader's own I/O errors; a malformed record is a failed check.
    #[cfg(feature = "std")]
    pub fn read_from<T: std::io::Read>(&mut self, input: T) -> std::io::Result<()> {
        self.read_from_with(input, |_| {})
    }

    /// [`Verifier::read_from`], telling `on_entry` about every entry before it is read
    /// (where it starts, and what it is), and where the input stops being readable: for
    /// progress bars, and to name failing entries by their place in a file.
    ///
    /// # Errors
    /// Only the reader's own I/O errors.
    #[cfg(feature = "std")]
    pub fn read_from_with<T: std::io::Read>(
        &mut self,
        mut input: T,
        mut on_entry: impl FnMut(ReadEvent<'_, '_>),
    ) -> std::io::Result<()> {
        let mut entry = Vec::new();
        let mut offset = 0u64;
        loop {
            let mut header = [0u8; ENTRY_HEADER_LEN];
            let got = read_full(&mut input, &mut header)?;
            if got == 0 {
                return Ok(());
            }
            // On a short header this fails as it would on the same bytes in memory.
            let len = match Entry::encoded_len(header.get(..got).unwrap_or_default()) {
                Ok(len) => len,
                Err(e) => {
                    on_entry(ReadEvent::Unreadable {
                        offset,
                        truncated: got < ENTRY_HEADER_LEN,
                    });
                    self.unreadable(e);
                    return Ok(());
                }
            };
            entry.clear();
            entry.extend_from_slice(&header);
            // Grows with what arrives, not with what the header claims: a 38-byte
            // header promising 16 MiB allocates only what the input then delivers.
            let body_len = len - ENTRY_HEADER_LEN;
            let got = read_body(&mut input, &mut entry, body_len)?;
            if got < body_len {
                on_entry(ReadEvent::Unreadable {
                    offset,
                    truncated: true,
                });
                self.unreadable(EncodingError::Truncated {
                    needed: len - ENTRY_HEADER_LEN - got,
                });
                return Ok(());
            }
            match Entry::parse(&entry) {
                Ok((parsed, _)) => {
                    on_entry(ReadEvent::Entry {
                        offset,
                        entry: &parsed,
                    });
                    self.push(&parsed);
                }
                Err(e) => {
                    on_entry(ReadEvent::Unreadable {
                        offset,
                        truncated: false,
                    });
                    self.unreadable(e);
                    return Ok(());
                }
            }
            offset += len as u64;
        }
    }

    /// Records that the next entry's framing cannot be read: nothing after it can be.
    pub fn unreadable(&mut self, error: EncodingError) {
        if !self.stopped {
            // The ballots before it are decoded first, so a check's first failure is
            // the first in record order (a ballot one byte short makes the next frame
            // unreadable: the ballot's own failure is the one to report).
            self.flush();
            let at = self.entries;
            self.fail(CheckId::Encoding, error.into(), Some(at));
            self.stopped = true;
        }
    }

    fn fail(&mut self, id: CheckId, error: Error, entry: Option<usize>) {
        if let Some(p) = self.progress.get_mut(id.index()) {
            p.ran = true;
            if p.failure.is_none() {
                p.failure = Some((error, entry));
            }
        }
    }

    fn pass(&mut self, id: CheckId, items: u64) {
        if let Some(p) = self.progress.get_mut(id.index()) {
            p.ran = true;
            p.items += items;
        }
    }

    fn failed(&self, id: CheckId) -> bool {
        self.progress
            .get(id.index())
            .is_some_and(|p| p.failure.is_some())
    }

    /// Reads one entry.
    pub fn push(&mut self, entry: &Entry<'_>) {
        if self.stopped {
            return;
        }
        let at = self.entries;
        self.entries += 1;
        if entry.previous() != &self.head {
            self.fail(
                CheckId::HashChain,
                Error::RecordChain { entry: at },
                Some(at),
            );
        } else {
            self.pass(CheckId::HashChain, 1);
        }
        self.head = entry.hash();
        let section = entry.section();
        if !self.enter(section, at) {
            return;
        }
        let payload = entry.payload();
        let result =
            match entry.kind() {
                MessageKind::Manifest => self.read_manifest(payload, at),
                MessageKind::DkgRound1 => round1::Package::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|p| {
                        self.sorted(at, &p.sender().to_be_bytes());
                        if self.trustees_known(&[p.sender()], at) {
                            self.round1.push(p);
                        }
                    }),
                MessageKind::DkgRound2 => round2::Package::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|p| self.read_round2(&p, at)),
                MessageKind::DkgComplaint => Complaint::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|c| {
                        self.sorted(at, &pair(c.accuser, c.accused));
                        if self.trustees_known(&[c.accuser, c.accused], at)
                            && self.two_trustees(c.accuser, c.accused, at)
                        {
                            self.complaints.push(c);
                        }
                    }),
                MessageKind::DkgComplaintAnswer => ComplaintAnswer::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|a| {
                        self.sorted(at, &pair(a.accused, a.accuser));
                        if self.trustees_known(&[a.accused, a.accuser], at)
                            && self.two_trustees(a.accused, a.accuser, at)
                        {
                            self.answers.push(a);
                        }
                    }),
                // A chunk's worker needs nothing from it (the combiner reads it), and it
                // is the prefix's largest entry: one voter id per credential.
                MessageKind::IssuanceReport if self.context_only => Ok(()),
                MessageKind::IssuanceReport => IssuanceReport::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|r| self.read_issuance_report(&r, at)),
                MessageKind::SpoiledBallot => self
                    .election
                    .as_ref()
                    .map(|e| e.layout.clone())
                    .ok_or(Error::BallotShape)
                    .and_then(|layout| SpoiledBallot::from_bytes(payload, &layout))
                    .map(|s| self.read_spoiled(&s, at)),
                MessageKind::Ballot => {
                    // Decoded, verified and counted when its batch is flushed.
                    self.read_ballot(payload, at);
                    return;
                }
                MessageKind::OfflineCount => OfflineCount::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|o| self.read_offline(o, at)),
                MessageKind::Close => Close::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|c| self.close = Some(c)),
                MessageKind::Aggregate => Aggregate::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|a| self.aggregate = Some(a)),
                MessageKind::DecryptionShare => DecryptionShare::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|s| {
                        self.sorted(at, &s.trustee().to_be_bytes());
                        self.shares.push(s);
                    }),
                MessageKind::Totals => Totals::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|t| self.totals = Some(t)),
                MessageKind::Outcomes => Outcomes::from_bytes(payload)
                    .map_err(Error::from)
                    .map(|o| self.outcomes = Some(o)),
                // `Entry::parse` admits only kinds that have a section.
                _ => Err(Error::Internal("entry of no section")),
            };
        match result {
            Ok(()) => self.pass(CheckId::Encoding, 1),
            Err(e) => {
                self.fail(CheckId::Encoding, e, Some(at));
                if section == Section::Manifest {
                    self.stopped = true;
                }
            }
        }
    }

    /// Moves to `section`, checking the order and running what a section boundary
    /// completes. Returns whether the entry should be read.
    fn enter(&mut self, section: Section, at: usize) -> bool {
        let order_error = Error::RecordOrder { entry: at };
        match self.section {
            None if section != Section::Manifest => {
                self.fail(
                    CheckId::Manifest,
                    Error::RecordIncomplete("the first entry is not the manifest"),
                    Some(at),
                );
                self.stopped = true;
                return false;
            }
            None => {}
            Some(last) if section < last || (section == last && section.is_single()) => {
                // An entry out of place is not read: it cannot be counted where it is.
                self.fail(CheckId::Order, order_error, Some(at));
                return false;
            }
            Some(last) if section == last => return true,
            Some(_) => {}
        }
        self.pass(CheckId::Order, 1);
        self.last_key = None;
        self.section = Some(section);
        if section > Section::CeremonyAnswers && !self.ceremony_resolved {
            self.resolve_ceremony(at);
        }
        if section > Section::Ballots {
            self.flush();
        }
        let missing = if section > Section::IssuanceReport && self.credentials.is_none() {
            Some("no issuance report before the ballots")
        } else if section > Section::Close && self.close.is_none() {
            Some("no close before the count")
        } else if section > Section::Aggregate && self.aggregate.is_none() {
            Some("no aggregate before the decryption shares and totals")
        } else if section > Section::Totals && self.totals.is_none() {
            Some("no totals before the outcomes")
        } else {
            None
        };
        if let Some(what) = missing {
            self.fail(CheckId::Order, Error::RecordIncomplete(what), Some(at));
        }
        true
    }

    /// Checks that an entry's key is above the previous one's in its section.
    fn sorted(&mut self, at: usize, key: &[u8]) {
        if self.last_key.as_deref().is_some_and(|last| last >= key) {
            self.fail(CheckId::Order, Error::RecordOrder { entry: at }, Some(at));
        } else {
            self.last_key = Some(key.to_vec());
        }
    }

    /// The encrypted paper count: checked, and added into the running sum, so that the
    /// trustees decrypt only the merged totals (SPEC.md §14.4).
    fn read_offline(&mut self, count: OfflineCount, at: usize) {
        let checked = match (&self.election, &self.keys) {
            (Some(e), Some(keys)) => {
                Some(count.verify(&e.manifest, &e.context, &keys.election_key))
            }
            _ => None,
        };
        match checked {
            Some(Ok(())) => self.pass(CheckId::OfflineCount, 1),
            Some(Err(err)) => self.fail(CheckId::OfflineCount, err, Some(at)),
            None => {}
        }
        if count.ciphertexts().len() == self.sums.len() {
            for (sum, c) in self.sums.iter_mut().zip(count.ciphertexts()) {
                sum.0 += c.a().point();
                sum.1 += c.b().point();
            }
        }
        self.offline = Some(count);
    }

    fn read_manifest(&mut self, payload: &[u8], at: usize) -> Result<(), Error> {
        let manifest = Manifest::from_bytes(payload);
        let checked = manifest.and_then(|m| {
            m.validate()?;
            let context = m.context()?;
            Ok(Election {
                layout: BallotLayout::new(&m),
                manifest: m,
                context,
            })
        });
        match checked {
            Ok(election) => {
                self.sums = alloc::vec![
                    (RistrettoPoint::identity(), RistrettoPoint::identity());
                    election.manifest.width()
                ];
                self.election = Some(election);
                self.pass(CheckId::Manifest, 1);
                Ok(())
            }
            Err(e) => {
                self.fail(CheckId::Manifest, e, Some(at));
                self.stopped = true;
                Ok(())
            }
        }
    }

    /// Whether every index names a trustee of the manifest; fails the ceremony (and the
    /// entry is not kept) otherwise, so that ceremony state stays within `n²` entries.
    fn trustees_known(&mut self, indices: &[u16], at: usize) -> bool {
        let n = self
            .election
            .as_ref()
            .map_or(0, |e| e.manifest.trustee_keys.len());
        for &index in indices {
            if index == 0 || usize::from(index) > n {
                self.fail(CheckId::KeyCeremony, Error::UnknownTrustee(index), Some(at));
                return false;
            }
        }
        true
    }

    fn read_round2(&mut self, package: &round2::Package, at: usize) {
        let (dealer, recipient) = (package.sender(), package.recipient());
        self.sorted(at, &pair(dealer, recipient));
        if self.trustees_known(&[dealer, recipient], at) && self.two_trustees(dealer, recipient, at)
        {
            self.round2.insert((dealer, recipient));
        }
    }

    /// Whether a ceremony message names two different trustees; fails the ceremony
    /// otherwise (a dealer's share for itself, a trustee complaining about itself).
    fn two_trustees(&mut self, first: u16, second: u16, at: usize) -> bool {
        if first == second {
            self.fail(CheckId::KeyCeremony, Error::UnknownTrustee(first), Some(at));
        }
        first != second
    }

    /// Every qualified dealer's round-2 package to every other trustee is in the record
    /// (SPEC.md §14.7): a ceremony transcript with a share missing cannot be audited.
    fn round2_complete(&self, qualified: &[u16], n: u16) -> Result<(), Error> {
        let complete = qualified.iter().all(|&dealer| {
            (1..=n)
                .all(|recipient| recipient == dealer || self.round2.contains(&(dealer, recipient)))
        });
        if complete {
            Ok(())
        } else {
            Err(Error::RecordIncomplete(
                "a qualified dealer's round-2 package is missing",
            ))
        }
    }

    /// Computes the qualified trustees, the election key and the verification keys
    /// from the ceremony's public messages (SPEC.md §7.5, §7.6).
    fn resolve_ceremony(&mut self, at: usize) {
        self.ceremony_resolved = true;
        let Some(e) = &self.election else { return };
        let n = u16::try_from(e.manifest.trustee_keys.len()).unwrap_or(u16::MAX);
        let result = e.manifest.ceremony_parameters().and_then(|params| {
            let resolution = dkg::resolve(&params, &self.round1, &self.complaints, &self.answers)?;
            let public = dkg::public_key_package(&params, &self.round1, &resolution)?;
            self.round2_complete(public.qualified(), n)?;
            let keys = ElectionKeys::new(&e.manifest, *public.election_key())?;
            Ok((resolution.disqualified().to_vec(), public, keys))
        });
        match result {
            Ok((disqualified, public, keys)) => {
                let qualified = public.qualified().len() as u64;
                self.disqualified = disqualified;
                self.public = Some(public);
                self.keys = Some(keys);
                self.pass(CheckId::KeyCeremony, qualified);
            }
            Err(err) => self.fail(CheckId::KeyCeremony, err, Some(at)),
        }
        // The packages are no longer needed.
        self.round1 = Vec::new();
        self.round2 = BTreeSet::new();
        self.complaints = Vec::new();
        self.answers = Vec::new();
    }

    fn read_issuance_report(&mut self, report: &IssuanceReport, at: usize) {
        self.credentials = Some(report.count() as u64);
        let checked = self
            .election
            .as_ref()
            .map(|e| report.verify(&e.manifest.report_key, &e.context));
        match checked {
            Some(Ok(())) => self.pass(CheckId::IssuanceReport, 1),
            Some(Err(err)) => self.fail(CheckId::IssuanceReport, err, Some(at)),
            None => {}
        }
    }

    fn read_spoiled(&mut self, spoiled: &SpoiledBallot, at: usize) {
        self.sorted(at, &spoiled.ballot().hash());
        self.spoiled += 1;
        for c in spoiled.ballot().ciphertexts() {
            self.spoiled_ciphertexts.insert(c.to_bytes());
        }
        let Some(keys) = self.keys.as_ref().filter(|_| !self.context_only) else {
            return;
        };
        let checked = spoiled
            .ballot()
            .verify(keys)
            .and_then(|()| spoiled.verify(keys).map(drop));
        match checked {
            Ok(()) => self.pass(CheckId::SpoiledBallots, 1),
            Err(err) => self.fail(CheckId::SpoiledBallots, err, Some(at)),
        }
    }

    /// Checks a cast ballot's place in the pseudonym order from its encoding (bytes 2..34
    /// of the payload, SPEC.md §12.3) and queues it; [`Verifier::flush`] decodes, counts
    /// and verifies it.
    fn read_ballot(&mut self, payload: &[u8], at: usize) {
        if let Some(pseudonym) = payload.get(2..34) {
            match self.last_key.as_deref() {
                Some(last) if last == pseudonym => {
                    self.fail(CheckId::Pseudonyms, Error::DuplicatePseudonym, Some(at));
                    return;
                }
                Some(last) if last > pseudonym => {
                    self.fail(CheckId::Order, Error::RecordOrder { entry: at }, Some(at));
                    return;
                }
                _ => self.last_key = Some(pseudonym.to_vec()),
            }
            self.pass(CheckId::Pseudonyms, 1);
        }
        self.pending.push((at, payload.to_vec()));
        if self.pending.len() >= self.batch_size.saturating_mul(ballots::lanes()) {
            self.dispatch();
        }
    }

    /// Decodes, counts and verifies every pending ballot and merges what was found, in
    /// record order, before returning.
    fn flush(&mut self) {
        self.dispatch();
        #[cfg(feature = "parallel")]
        while !self.in_flight.is_empty() {
            self.collect_oldest();
        }
    }

    /// Hands the pending ballots to verification. Without the `parallel` feature this
    /// is [`flush`](Self::flush). With it, the batches run on rayon's pool (one chunk per
    /// thread) while the caller reads on; this waits only for the batches handed over
    /// before once [`IN_FLIGHT`] are on their way, and merges them first, so results
    /// stay in record order. The pool's threads no longer wait while the next batches
    /// are read, nor for the slowest chunk of a batch. On one of the pool's own threads
    /// it checks in place instead.
    fn dispatch(&mut self) {
        #[cfg(feature = "parallel")]
        while self.in_flight.len() >= IN_FLIGHT {
            self.collect_oldest();
        }
        let pending = core::mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        #[cfg(feature = "parallel")]
        if rayon::current_thread_index().is_none() {
            let snapshot = ballots::Snapshot {
                keys: self.keys.clone(),
                spoiled: self.spoiled_ciphertexts.clone(),
                layout: self.election.as_ref().map(|e| e.layout.clone()),
                batched: self.batch_size > 1,
                collect: self.seen.is_some(),
            };
            let seeds = ballots::seeds(pending.len(), &mut self.rng);
            let (results, receiver) = std::sync::mpsc::sync_channel(1);
            rayon::spawn(move || {
                let checked = ballots::check_seeded(&pending, snapshot.shared(), seeds);
                // The receiver is gone only if the verifier was dropped: nothing to tell.
                let _ = results.send(checked);
            });
            self.in_flight.push_back(std::sync::Mutex::new(receiver));
            return;
        }
        // In place: without `parallel`, or on one of the pool's own threads (inside
        // `install`), where waiting for a job queued on the same pool could wait forever;
        // the pool's other threads still help.
        #[cfg(feature = "parallel")]
        while !self.in_flight.is_empty() {
            self.collect_oldest();
        }
        let shared = ballots::Shared {
            keys: self.keys.as_ref(),
            layout: self.election.as_ref().map(|e| &e.layout),
            spoiled: &self.spoiled_ciphertexts,
            batched: self.batch_size > 1,
            collect: self.seen.is_some(),
        };
        let results = ballots::check_all(&pending, shared, &mut self.rng);
        self.merge(results);
    }

    /// Waits for the oldest batch in flight, if any, and merges it.
    #[cfg(feature = "parallel")]
    fn collect_oldest(&mut self) {
        let Some(receiver) = self.in_flight.pop_front() else {
            return;
        };
        let results = match receiver.into_inner() {
            Ok(receiver) => receiver.recv().ok(),
            Err(_) => None,
        };
        match results {
            Some(results) => self.merge(results),
            // The job panicked (a bug): never let its ballots pass unverified.
            None => self.fail(
                CheckId::Ballots,
                Error::Internal("a verification job ended without a result"),
                None,
            ),
        }
    }

    /// Merges what the chunks of one batch found, in record order.
    fn merge(&mut self, results: Vec<ballots::ChunkResult>) {
        let verifying = self.keys.is_some();
        for r in results {
            self.pass(CheckId::Encoding, r.decoded);
            for (at, e) in r.encoding {
                self.fail(CheckId::Encoding, e.into(), Some(at));
            }
            for at in r.spoiled_hits {
                self.fail(
                    CheckId::SpoiledNotCounted,
                    Error::SpoiledBallotCounted,
                    Some(at),
                );
            }
            if let Some(seen) = &mut self.seen {
                let mut repeated = None;
                for (at, ciphertexts) in r.ciphertexts {
                    if ciphertexts.into_iter().any(|c| !seen.insert(c)) && repeated.is_none() {
                        repeated = Some(at);
                    }
                }
                if let Some(at) = repeated {
                    self.fail(CheckId::Aggregate, Error::AggregateMismatch, Some(at));
                }
            }
            self.ballots += r.counted;
            for (sum, part) in self.sums.iter_mut().zip(r.sums) {
                sum.0 += part.0;
                sum.1 += part.1;
            }
            if verifying {
                self.pass(CheckId::Ballots, r.verified);
            }
            self.culprits.extend(r.bad);
        }
    }

    /// Runs what needs the whole record and returns the report.
    pub fn finish(self) -> Report {
        self.conclude().report
    }

    /// [`Verifier::finish`], keeping what a trustee needs besides the report.
    pub(crate) fn conclude(mut self) -> Concluded {
        if !self.stopped && !self.ceremony_resolved && self.section.is_some() {
            self.resolve_ceremony(self.entries);
        }
        self.flush();
        if self.election.is_none() && !self.failed(CheckId::Manifest) {
            self.fail(
                CheckId::Manifest,
                Error::RecordIncomplete("the record has no manifest"),
                None,
            );
        }
        if !self.culprits.is_empty() {
            self.culprits.sort_unstable();
            let culprits = core::mem::take(&mut self.culprits);
            let first = culprits.first().copied();
            self.fail(CheckId::Ballots, Error::InvalidBallots { culprits }, first);
        }
        self.reconcile();
        let combined = self.count();
        let aggregate = self.recomputed();
        let public = self.public.clone();
        Concluded {
            report: self.report(combined),
            aggregate,
            public,
        }
    }

    /// The sum of the cast ballots read and the paper count: what the trustees decrypt.
    fn recomputed(&self) -> Option<Aggregate> {
        self.election.as_ref()?;
        let sums: Vec<Ciphertext> = self
            .sums
            .iter()
            .map(|(a, b)| Ciphertext::from_points(*a, *b))
            .collect();
        let paper = self.offline.as_ref().map_or(0, |o| u64::from(o.voters()));
        Aggregate::from_parts(self.ballots + paper, sums).ok()
    }

    /// Ballots ≤ credentials, attendance, the privacy floor.
    fn reconcile(&mut self) {
        let Some(e) = &self.election else { return };
        let roster = u64::from(e.manifest.roster);
        let floor = u64::from(e.manifest.privacy_floor).max(1);
        if let Some(credentials) = self.credentials {
            if self.ballots > credentials {
                self.fail(
                    CheckId::Reconciliation,
                    Error::MoreBallotsThanCredentials {
                        ballots: self.ballots,
                        credentials,
                    },
                    None,
                );
            } else {
                self.pass(CheckId::Reconciliation, self.ballots);
            }
        }
        if let Some(close) = self.close {
            let present = u64::from(close.present);
            let paper = self.offline.as_ref().map_or(0, |o| u64::from(o.voters()));
            let issued = self.credentials.unwrap_or(0);
            let problem = if present > roster {
                Some("more present than representatives on the roster")
            } else if issued.saturating_add(paper) > present {
                Some("more credentials issued and paper voters than representatives present")
            } else {
                None
            };
            match problem {
                Some(p) => self.fail(CheckId::Attendance, Error::Attendance(p), None),
                None => self.pass(CheckId::Attendance, present),
            }
        }
        if self.section.is_some_and(|s| s >= Section::Aggregate) {
            if self.ballots < floor {
                self.fail(
                    CheckId::PrivacyFloor,
                    Error::BelowPrivacyFloor {
                        ballots: self.ballots,
                        floor,
                    },
                    None,
                );
            } else {
                self.pass(CheckId::PrivacyFloor, self.ballots);
            }
        }
    }

    /// The aggregate, the decryption shares, the totals and the outcomes. Returns the
    /// trustees whose shares were combined.
    fn count(&mut self) -> Vec<u16> {
        let mut decrypted_by = Vec::new();
        let (Some(e), Some(published)) = (self.election.clone(), self.aggregate.clone()) else {
            return decrypted_by;
        };
        let Some(recomputed) = self.recomputed() else {
            self.fail(CheckId::Aggregate, Error::AggregateMismatch, None);
            return decrypted_by;
        };
        if recomputed == published {
            self.pass(CheckId::Aggregate, self.ballots);
        } else {
            self.fail(CheckId::Aggregate, Error::AggregateMismatch, None);
        }
        let Some(public) = self.public.clone() else {
            return decrypted_by;
        };
        let mut rejected = Vec::new();
        for share in &self.shares {
            if share.verify(&public, &e.context, &recomputed).is_err() {
                rejected.push(usize::from(share.trustee()));
            }
        }
        if !self.shares.is_empty() {
            if rejected.is_empty() {
                self.pass(CheckId::DecryptionShares, self.shares.len() as u64);
            } else {
                self.fail(
                    CheckId::DecryptionShares,
                    Error::InvalidDecryptionShares { culprits: rejected },
                    None,
                );
            }
        }
        let Some(totals) = self.totals.clone() else {
            return decrypted_by;
        };
        let merged = match combine(&public, &e.context, &recomputed, &self.shares) {
            Ok(tally) => tally,
            Err(err) => {
                self.fail(CheckId::DecryptionShares, err, None);
                return decrypted_by;
            }
        };
        decrypted_by.clone_from(&merged.trustees);
        let wrong = if totals.0.len() != merged.totals.len() {
            Some(0)
        } else {
            merged
                .totals
                .iter()
                .zip(&totals.0)
                .position(|(decrypted, published)| decrypted != published)
        };
        match wrong {
            Some(position) => {
                self.fail(CheckId::Totals, Error::WrongTotal { position }, None);
                return decrypted_by;
            }
            None => self.pass(CheckId::Totals, totals.0.len() as u64),
        }
        if let (Some(published), Some(close)) = (&self.outcomes, self.close) {
            match Outcomes::compute(&e.manifest, &totals.0, close.present) {
                Ok(expected) if &expected == published => {
                    self.pass(CheckId::Outcomes, published.questions.len() as u64);
                }
                Ok(_) => self.fail(CheckId::Outcomes, Error::WrongOutcomes, None),
                Err(err) => self.fail(CheckId::Outcomes, err, None),
            }
        }
        decrypted_by
    }

    fn skip_reason(&self, id: CheckId) -> &'static str {
        let reached = |s: Section| self.section.is_some_and(|last| last >= s);
        match id {
            CheckId::Encoding | CheckId::HashChain | CheckId::Order | CheckId::Manifest => {
                "the record is empty"
            }
            _ if self.election.is_none() => "no valid manifest",
            CheckId::KeyCeremony => "the record ends before the key ceremony",
            CheckId::IssuanceReport | CheckId::Reconciliation
                if !reached(Section::IssuanceReport) =>
            {
                "the record ends before the issuance report"
            }
            CheckId::SpoiledBallots => "no spoiled ballots",
            CheckId::Ballots | CheckId::Pseudonyms
                if self.keys.is_none() && reached(Section::SpoiledBallots) =>
            {
                "no election key: the key ceremony failed"
            }
            CheckId::Ballots | CheckId::Pseudonyms => "no ballots",
            CheckId::SpoiledNotCounted => "no spoiled ballots",
            CheckId::OfflineCount => "no paper count",
            CheckId::Attendance => "the record ends before the close",
            CheckId::PrivacyFloor | CheckId::Aggregate => "the record ends before the count",
            CheckId::DecryptionShares => "no decryption shares",
            CheckId::Totals => "no totals",
            CheckId::Outcomes => "no outcomes, or no totals to check them against",
            CheckId::IssuanceReport | CheckId::Reconciliation => {
                "the issuance report is unreadable"
            }
        }
    }

    fn report(mut self, decrypted_by: Vec<u16>) -> Report {
        if !self.failed(CheckId::SpoiledNotCounted) && self.spoiled > 0 && self.ballots > 0 {
            self.pass(CheckId::SpoiledNotCounted, self.ballots);
        }
        let checks = CheckId::ALL
            .iter()
            .map(|&id| {
                let p = self.progress.get(id.index()).cloned().unwrap_or_default();
                let (status, entry) = match p.failure {
                    Some((error, entry)) => (Status::Failed(error), entry),
                    None if p.ran => (Status::Passed { items: p.items }, None),
                    None => (Status::Skipped(self.skip_reason(id)), None),
                };
                Check { id, status, entry }
            })
            .collect();
        let stage = match self.section {
            None => Stage::Empty,
            Some(s) if s <= Section::CeremonyAnswers => Stage::Setup,
            Some(s) if s < Section::Close => Stage::Voting,
            Some(Section::Close) => Stage::Closed,
            Some(Section::Outcomes) => Stage::Tallied,
            Some(_) => Stage::Counting,
        };
        let (context, manifest) = match self.election {
            Some(e) => (Some(e.context), Some(e.manifest)),
            None => (None, None),
        };
        Report {
            checks,
            stage,
            entries: self.entries,
            head: self.head,
            context,
            manifest,
            election_key: self.public.as_ref().map(|p| *p.election_key()),
            disqualified: self.disqualified,
            credentials: self.credentials,
            ballots: self.ballots,
            spoiled: self.spoiled,
            offline_voters: self.offline.as_ref().map_or(0, OfflineCount::voters),
            present: self.close.map(|c| c.present),
            closed_at: self.close.map(|c| c.closed_at),
            decrypted_by,
            totals: self.totals.map(|t| t.0),
            outcomes: self.outcomes,
        }
    }
}

/// What [`Verifier::read_from_with`] says about each entry of its input.
#[cfg(feature = "std")]
#[derive(Debug)]
pub enum ReadEvent<'e, 'b> {
    /// An entry that starts `offset` bytes into the input, about to be read.
    Entry {
        /// Where it starts.
        offset: u64,
        /// The entry.
        entry: &'e Entry<'b>,
    },
    /// The input cannot be framed from `offset` on: nothing after it is read.
    Unreadable {
        /// Where the unreadable bytes start.
        offset: u64,
        /// Whether the input ended inside an entry.
        truncated: bool,
    },
}

/// What a finished verification leaves: the report, and for a trustee the aggregate it
/// recomputed and the ceremony's public keys.
pub(crate) struct Concluded {
    pub(crate) report: Report,
    pub(crate) aggregate: Option<Aggregate>,
    pub(crate) public: Option<PublicKeyPackage>,
}

/// Appends up to `len` bytes of `input` to `out`, growing it as the bytes arrive;
/// returns how many were appended (fewer than `len` if the input ends first).
/// `read_to_end` retries on `Interrupted` itself.
#[cfg(feature = "std")]
fn read_body<T: std::io::Read>(
    input: &mut T,
    out: &mut Vec<u8>,
    len: usize,
) -> std::io::Result<usize> {
    use std::io::Read;
    let start = out.len();
    input.take(len as u64).read_to_end(out)?;
    Ok(out.len() - start)
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
#[cfg(feature = "std")]
fn read_full<T: std::io::Read>(input: &mut T, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match input.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A sort key of two indices: big-endian, so bytewise order is numeric order.
fn pair(first: u16, second: u16) -> [u8; 4] {
    let [a, b] = first.to_be_bytes();
    let [c, d] = second.to_be_bytes();
    [a, b, c, d]
}
