//! The election record: an append-only, hash-chained sequence of entries (SPEC.md §14).
//!
//! Each entry carries the hash of the one before it and one structured message (its
//! payload: a manifest, a ballot, a decryption share …) whose kind byte says what it
//! is. Entries come in a fixed order of [`Section`]s, so a record is read, and verified,
//! in one pass (see [`crate::verify`]).
//!
//! The record is published in three stages, each extending the last: the manifest and
//! the key ceremony before check-in; the issuance report, the ballots, the paper count
//! and the close when voting ends (voters then find their tracking codes, and trustees
//! verify it before decrypting); the aggregate, the decryption shares, the totals and
//! the outcomes after the count.

mod view;

pub use view::to_json;

use alloc::vec::Vec;

use crate::encoding::{FORMAT_VERSION, HEADER_LEN, MessageKind, Reader};
use crate::error::{EncodingError, Error};
use crate::transcript::{hash_to_bytes, tags};

/// The length of an entry's framing before its payload:
/// `0x01 ‖ 0x40 ‖ previous (32) ‖ LE32(len)`.
pub const ENTRY_HEADER_LEN: usize = HEADER_LEN + 32 + 4;

/// The largest payload of one entry (16 MiB).
pub const MAX_PAYLOAD_LEN: usize = 1 << 24;

/// The hash the first entry carries as its predecessor: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0; 32];

/// The sections of a record, in the order they must appear (SPEC.md §14.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Section {
    /// The manifest: exactly one, first.
    Manifest,
    /// Key-ceremony round-1 packages, by increasing dealer.
    CeremonyRound1,
    /// Key-ceremony round-2 packages (encrypted shares), by increasing (dealer, recipient).
    CeremonyRound2,
    /// Complaints, by increasing (accuser, accused).
    CeremonyComplaints,
    /// Complaint answers, by increasing (accused, accuser).
    CeremonyAnswers,
    /// The issuance report: exactly one.
    IssuanceReport,
    /// Spoiled ballots, by increasing ballot hash.
    SpoiledBallots,
    /// Cast ballots, by increasing pseudonym encoding.
    Ballots,
    /// The paper count: at most one.
    OfflineCount,
    /// The close of voting: exactly one.
    Close,
    /// The aggregate of the cast ballots: at most one.
    Aggregate,
    /// Decryption shares, by increasing trustee.
    DecryptionShares,
    /// The totals: at most one.
    Totals,
    /// The rules' outcomes: at most one, last.
    Outcomes,
}

impl Section {
    /// The section a payload of this kind belongs to, if it may appear in a record.
    pub fn of(kind: MessageKind) -> Option<Section> {
        Some(match kind {
            MessageKind::Manifest => Section::Manifest,
            MessageKind::DkgRound1 => Section::CeremonyRound1,
            MessageKind::DkgRound2 => Section::CeremonyRound2,
            MessageKind::DkgComplaint => Section::CeremonyComplaints,
            MessageKind::DkgComplaintAnswer => Section::CeremonyAnswers,
            MessageKind::IssuanceReport => Section::IssuanceReport,
            MessageKind::SpoiledBallot => Section::SpoiledBallots,
            MessageKind::Ballot => Section::Ballots,
            MessageKind::OfflineCount => Section::OfflineCount,
            MessageKind::Close => Section::Close,
            MessageKind::Aggregate => Section::Aggregate,
            MessageKind::DecryptionShare => Section::DecryptionShares,
            MessageKind::Totals => Section::Totals,
            MessageKind::Outcomes => Section::Outcomes,
            _ => return None,
        })
    }

    /// Whether the section holds at most one entry.
    pub fn is_single(self) -> bool {
        matches!(
            self,
            Section::Manifest
                | Section::IssuanceReport
                | Section::OfflineCount
                | Section::Close
                | Section::Aggregate
                | Section::Totals
                | Section::Outcomes
        )
    }
}

/// One entry of a record, borrowed from the record's bytes.
///
/// Encoding: `0x01 ‖ 0x40 ‖ previous entry's hash (32) ‖ LE32(len) ‖ payload (len)`; the
/// payload is a structured message (SPEC.md §3.3) of a kind that [`Section::of`] knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    previous: [u8; 32],
    kind: MessageKind,
    payload: &'a [u8],
}

impl<'a> Entry<'a> {
    /// The hash of the previous entry ([`GENESIS`] for the first).
    pub fn previous(&self) -> &[u8; 32] {
        &self.previous
    }

    /// The payload's kind.
    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    /// The section the entry belongs to.
    pub fn section(&self) -> Section {
        // `parse` admits only kinds that have a section.
        Section::of(self.kind).unwrap_or(Section::Outcomes)
    }

    /// The payload: the canonical encoding of the entry's message.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// `HashToBytes("record-entry", encoding)`: what the next entry carries.
    pub fn hash(&self) -> [u8; 32] {
        entry_hash(&self.previous, self.payload)
    }

    /// The total length of the entry whose framing starts `bytes` (at least
    /// [`ENTRY_HEADER_LEN`] bytes), so a streaming reader knows how much to read.
    ///
    /// # Errors
    /// [`EncodingError::Truncated`] if fewer than [`ENTRY_HEADER_LEN`] bytes are given;
    /// header errors; [`EncodingError::CountOutOfBounds`] for a payload longer than
    /// [`MAX_PAYLOAD_LEN`].
    pub fn encoded_len(bytes: &[u8]) -> Result<usize, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::RecordEntry)?;
        r.take(32)?;
        let len = r.u32_le()? as usize;
        if len > MAX_PAYLOAD_LEN {
            return Err(EncodingError::CountOutOfBounds {
                count: len,
                limit: MAX_PAYLOAD_LEN,
            });
        }
        Ok(ENTRY_HEADER_LEN + len)
    }

    /// Decodes one entry from the start of `bytes` and returns it with the bytes after it.
    ///
    /// The payload's own header is checked (version, a kind that may appear in a
    /// record); the payload itself is decoded by whoever reads the entry.
    ///
    /// # Errors
    /// Framing errors, [`EncodingError::UnsupportedVersion`] or
    /// [`EncodingError::InvalidTag`] for a payload that no section holds.
    pub fn parse(bytes: &'a [u8]) -> Result<(Self, &'a [u8]), EncodingError> {
        let len = Self::encoded_len(bytes)?;
        let mut r = Reader::new(bytes);
        r.take(HEADER_LEN)?;
        let previous = r.array::<32>()?;
        r.take(4)?;
        let payload = r.take(len - ENTRY_HEADER_LEN)?;
        let kind = payload_kind(payload)?;
        Ok((
            Entry {
                previous,
                kind,
                payload,
            },
            r.rest(),
        ))
    }

    /// The entry's encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ENTRY_HEADER_LEN + self.payload.len());
        out.extend_from_slice(&frame(&self.previous, self.payload.len()));
        out.extend_from_slice(self.payload);
        out
    }
}

fn frame(previous: &[u8; 32], len: usize) -> [u8; ENTRY_HEADER_LEN] {
    let mut out = [0u8; ENTRY_HEADER_LEN];
    let (head, rest) = out.split_at_mut(HEADER_LEN);
    head.copy_from_slice(&[FORMAT_VERSION, MessageKind::RecordEntry as u8]);
    let (prev, len_bytes) = rest.split_at_mut(32);
    prev.copy_from_slice(previous);
    len_bytes.copy_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
    out
}

fn entry_hash(previous: &[u8; 32], payload: &[u8]) -> [u8; 32] {
    hash_to_bytes(
        tags::RECORD_ENTRY,
        &[&frame(previous, payload.len()), payload],
    )
}

/// The kind of a payload, from its header, if it may appear in a record.
pub(crate) fn payload_kind(payload: &[u8]) -> Result<MessageKind, EncodingError> {
    let mut r = Reader::new(payload);
    let [version, kind] = r.array::<HEADER_LEN>()?;
    if version != FORMAT_VERSION {
        return Err(EncodingError::UnsupportedVersion(version));
    }
    let kind = MessageKind::from_u8(kind)?;
    Section::of(kind).ok_or(EncodingError::InvalidTag(kind as u8))?;
    Ok(kind)
}

/// Appends entries, chaining each to the previous one's hash.
///
/// Implements `Record.Append` (SPEC.md §14.1). The writer refuses a payload of a kind no
/// section holds, and a section that comes before one already written or a second entry
/// of a single-entry section; ordering *within* a section (by pseudonym, by trustee …) is
/// the caller's, and [`crate::ballot_box::BallotBox::publish`] does it for ballots.
#[derive(Clone, Debug, Default)]
pub struct RecordWriter {
    bytes: Vec<u8>,
    head: [u8; 32],
    entries: usize,
    section: Option<Section>,
}

impl RecordWriter {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Continues a published record (for the next stage), after checking its framing and
    /// chain. The record is not otherwise verified: run [`crate::verify::verify`] first.
    ///
    /// # Errors
    /// As [`RecordReader`], and [`Error::RecordChain`] for a broken chain.
    pub fn resume(bytes: Vec<u8>) -> Result<Self, Error> {
        let mut head = GENESIS;
        let mut entries = 0;
        let mut section = None;
        for entry in RecordReader::new(&bytes) {
            let entry = entry?;
            if entry.previous() != &head {
                return Err(Error::RecordChain { entry: entries });
            }
            head = entry.hash();
            section = Some(entry.section());
            entries += 1;
        }
        Ok(RecordWriter {
            bytes,
            head,
            entries,
            section,
        })
    }

    /// Appends an entry with the given payload (a structured message's encoding) and
    /// returns the entry's hash.
    ///
    /// # Errors
    /// [`Error::Encoding`] if the payload's header names no record section or it is
    /// longer than [`MAX_PAYLOAD_LEN`]; [`Error::RecordOrder`] if its section comes
    /// before the last one written, or repeats a single-entry section.
    pub fn append(&mut self, payload: &[u8]) -> Result<[u8; 32], Error> {
        let kind = payload_kind(payload)?;
        if payload.len() > MAX_PAYLOAD_LEN {
            return Err(EncodingError::CountOutOfBounds {
                count: payload.len(),
                limit: MAX_PAYLOAD_LEN,
            }
            .into());
        }
        let section = Section::of(kind).ok_or(EncodingError::InvalidTag(kind as u8))?;
        let out_of_order = match self.section {
            None => section != Section::Manifest,
            Some(last) => section < last || (section == last && section.is_single()),
        };
        if out_of_order {
            return Err(Error::RecordOrder {
                entry: self.entries,
            });
        }
        self.bytes
            .extend_from_slice(&frame(&self.head, payload.len()));
        self.bytes.extend_from_slice(payload);
        self.head = entry_hash(&self.head, payload);
        self.entries += 1;
        self.section = Some(section);
        Ok(self.head)
    }

    /// The hash of the last entry: the record's head (publish it).
    pub fn head(&self) -> [u8; 32] {
        self.head
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether no entry was appended.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The record's bytes so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The record's bytes: the entries' encodings, concatenated.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads entries one at a time from a record's bytes, without copying them.
///
/// After the first framing error it yields that error and then nothing: the entries
/// after a broken frame cannot be found.
#[derive(Clone, Debug)]
pub struct RecordReader<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> RecordReader<'a> {
    /// Starts reading.
    pub fn new(bytes: &'a [u8]) -> Self {
        RecordReader {
            rest: bytes,
            failed: false,
        }
    }
}

impl<'a> Iterator for RecordReader<'a> {
    type Item = Result<Entry<'a>, EncodingError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() || self.failed {
            return None;
        }
        match Entry::parse(self.rest) {
            Ok((entry, rest)) => {
                self.rest = rest;
                Some(Ok(entry))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
