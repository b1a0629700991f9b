//! Verifying a record in chunks on many machines, and combining what they found into the
//! report that [`super::verify`] gives for the whole record (SPEC.md §14.11).
//!
//! Only the cast ballots are numerous, so only they are split:
//!
//! 1. [`Plan::new`] (or [`Plan::read`] on a file) frames the record once, reading each
//!    entry's 38-byte header and its payload's first 34 bytes, and splits the run of cast
//!    ballots into [`ChunkSpec`]s of consecutive entries. The entries before the ballots
//!    are the **prefix** and those after them the **suffix**: both are small by nature.
//! 2. [`verify_chunk`] (on any machine that can read the record) reads the prefix for the
//!    election's keys and the spoiled ciphertexts, then decodes, verifies and sums one
//!    chunk's ballots, exactly as the whole-record verifier would there, and returns a
//!    [`ChunkResult`]: the chunk's hashes, its partial aggregate, the pseudonyms it read,
//!    and its checks' outcomes. Results have a byte encoding, to travel between machines.
//! 3. [`combine`] verifies the prefix and the suffix itself, and between them takes the
//!    chunks' results in record order in place of their entries. It checks that the
//!    results cover the plan's chunks exactly once, that every chunk was verified against
//!    the same prefix, and the two things that join chunks: each chunk's first entry
//!    chains to the previous chunk's last, and each chunk's pseudonyms were compared with
//!    the highest pseudonym before it (the plan's `floor`, which the combiner recomputes
//!    from the results). A pseudonym used in two chunks is therefore found by the later
//!    chunk's worker, as in one pass.
//!
//! A chunk result is as trustworthy as the machine that computed it: the combiner checks
//! that the results fit the record and each other, not that each was computed honestly.
//! Run the workers yourself.

use alloc::vec::Vec;

use rand_core::{CryptoRng, RngCore};

use super::{Progress, Verifier};
use crate::encoding::{MessageKind, Reader, header};
use crate::error::{EncodingError, Error};
use crate::record::{ENTRY_HEADER_LEN, Entry, RecordReader, Section, payload_kind};
use crate::transcript::{CONTEXT_LEN, hash_to_bytes, tags};

use super::report::{CheckId, Report};

/// How many bytes of a ballot's payload the plan reads: its header and its pseudonym.
const PSEUDONYM_END: usize = 34;

/// Where a pseudonym sits in a ballot's payload (SPEC.md §12.3).
const PSEUDONYM: core::ops::Range<usize> = 2..PSEUDONYM_END;

/// The most entries one chunk may hold, and the most chunks one plan may have: bounds
/// for decoding, far above any useful split.
const MAX_CHUNK_ENTRIES: u64 = 1 << 32;

/// One chunk of a plan: a run of consecutive cast-ballot entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkSpec {
    /// The chunk's place in the plan, from 0.
    pub index: u32,
    /// The 0-based position of the chunk's first entry in the record.
    pub first_entry: u64,
    /// How many entries it holds (at least one).
    pub entries: u64,
    /// Where its first entry starts, in bytes from the start of the record.
    pub start: u64,
    /// Where it ends (exclusive): the next chunk's, or the suffix's, start.
    pub end: u64,
    /// The highest pseudonym of the ballots before the chunk (none for the first): the
    /// one its first ballot must be above.
    pub floor: Option<[u8; 32]>,
}

/// A record split for chunked verification (SPEC.md §14.11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The prefix: bytes `0..prefix_len`, the entries before the first cast ballot.
    pub prefix_len: u64,
    /// How many entries the prefix holds.
    pub prefix_entries: u64,
    /// The chunks, in record order; empty when the record has no cast ballot (or its
    /// framing breaks before one).
    pub chunks: Vec<ChunkSpec>,
    /// The record's length: the suffix is `suffix_start()..record_len`.
    pub record_len: u64,
}

impl Plan {
    /// Splits `record` into chunks of at most `ballots_per_chunk` cast ballots (at least
    /// one). Never fails: a record whose framing breaks is split up to the break, and the
    /// rest is suffix, which [`combine`] reads and reports as [`verify`](super::verify)
    /// does.
    pub fn new(record: &[u8], ballots_per_chunk: u64) -> Plan {
        let mut planner = Planner::new(ballots_per_chunk);
        let mut offset = 0usize;
        while let Some(rest) = record.get(offset..) {
            let Ok(len) = Entry::encoded_len(rest) else {
                break;
            };
            let Some(entry) = rest.get(..len) else { break };
            let head = entry.get(ENTRY_HEADER_LEN..).unwrap_or_default();
            if !planner.entry(offset as u64, len as u64, head) {
                break;
            }
            offset += len;
        }
        planner.finish(record.len() as u64)
    }

    /// [`Plan::new`] on a record read from `input` (a file), reading only each entry's
    /// first 72 bytes and seeking over the rest. Pass the file unbuffered: a
    /// `BufReader` discards its buffer at every seek.
    ///
    /// # Errors
    /// Only the reader's own I/O errors.
    #[cfg(feature = "std")]
    pub fn read<T: std::io::Read + std::io::Seek>(
        mut input: T,
        ballots_per_chunk: u64,
    ) -> std::io::Result<Plan> {
        use std::io::SeekFrom;
        let record_len = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(0))?;
        let mut planner = Planner::new(ballots_per_chunk);
        let mut offset = 0u64;
        let mut buf = [0u8; ENTRY_HEADER_LEN + PSEUDONYM_END];
        while offset < record_len {
            let got = super::read_full(&mut input, &mut buf)?;
            let framed = buf.get(..got).unwrap_or_default();
            let Ok(len) = Entry::encoded_len(framed) else {
                break;
            };
            let len = len as u64;
            if offset + len > record_len {
                break;
            }
            let shown = (got as u64).min(len) as usize;
            let head = buf.get(ENTRY_HEADER_LEN..shown).unwrap_or_default();
            if !planner.entry(offset, len, head) {
                break;
            }
            offset += len;
            input.seek(SeekFrom::Start(offset))?;
        }
        Ok(planner.finish(record_len))
    }

    /// Where the suffix starts: the end of the last chunk, or of the prefix.
    pub fn suffix_start(&self) -> u64 {
        self.chunks.last().map_or(self.prefix_len, |c| c.end)
    }

    /// Checks that the chunks follow each other from the prefix's end, and lie within
    /// the record.
    ///
    /// # Errors
    /// [`Error::ChunkMismatch`].
    pub fn validate(&self) -> Result<(), Error> {
        let mut start = self.prefix_len;
        let mut entry = self.prefix_entries;
        for (i, chunk) in self.chunks.iter().enumerate() {
            if u64::from(chunk.index) != i as u64 {
                return Err(Error::ChunkMismatch("chunk indices are not 0, 1, 2 …"));
            }
            if chunk.start != start || chunk.first_entry != entry {
                return Err(Error::ChunkMismatch(
                    "a chunk does not start where the one before it ends",
                ));
            }
            if chunk.entries == 0 || chunk.end <= chunk.start {
                return Err(Error::ChunkMismatch("an empty chunk"));
            }
            if (i == 0) != chunk.floor.is_none() {
                return Err(Error::ChunkMismatch(
                    "only the first chunk has no pseudonym before it",
                ));
            }
            start = chunk.end;
            entry = chunk.first_entry.saturating_add(chunk.entries);
        }
        if start > self.record_len {
            return Err(Error::ChunkMismatch("a chunk ends after the record"));
        }
        Ok(())
    }
}

/// Builds a [`Plan`] from the entries' framing, one entry at a time.
struct Planner {
    per_chunk: u64,
    prefix_len: u64,
    prefix_entries: u64,
    chunks: Vec<ChunkSpec>,
    /// Whether the run of ballots has ended (or the prefix cannot be read further).
    done: bool,
    /// The highest pseudonym read in the run so far (what a verifier compares with).
    highest: Option<[u8; 32]>,
}

impl Planner {
    fn new(ballots_per_chunk: u64) -> Self {
        Planner {
            per_chunk: ballots_per_chunk.clamp(1, MAX_CHUNK_ENTRIES),
            prefix_len: 0,
            prefix_entries: 0,
            chunks: Vec::new(),
            done: false,
            highest: None,
        }
    }

    /// Takes the entry at `offset` (`len` bytes in all, `head` its payload's first bytes);
    /// returns whether to go on.
    fn entry(&mut self, offset: u64, len: u64, head: &[u8]) -> bool {
        if self.done {
            return false;
        }
        let Ok(kind) = payload_kind(head) else {
            // `Entry::parse` rejects it: the verifier stops reading here, and so does
            // the plan (the rest is suffix).
            self.done = true;
            return false;
        };
        if kind != MessageKind::Ballot {
            if self.chunks.is_empty() {
                self.prefix_len = offset + len;
                self.prefix_entries += 1;
                return true;
            }
            self.done = true;
            return false;
        }
        let floor = self.highest;
        let pseudonym = head
            .get(PSEUDONYM)
            .and_then(|p| <[u8; 32]>::try_from(p).ok());
        if let Some(p) = pseudonym.filter(|p| self.highest.is_none_or(|h| h < *p)) {
            self.highest = Some(p);
        }
        match self.chunks.last_mut() {
            Some(last) if last.entries < self.per_chunk => {
                last.entries += 1;
                last.end = offset + len;
            }
            last => {
                let (index, first_entry) = match last {
                    Some(l) => (l.index.saturating_add(1), l.first_entry + l.entries),
                    None => (0, self.prefix_entries),
                };
                self.chunks.push(ChunkSpec {
                    index,
                    first_entry,
                    entries: 1,
                    start: offset,
                    end: offset + len,
                    floor,
                });
            }
        }
        true
    }

    fn finish(self, record_len: u64) -> Plan {
        Plan {
            prefix_len: self.prefix_len,
            prefix_entries: self.prefix_entries,
            chunks: self.chunks,
            record_len,
        }
    }
}

/// What one chunk's verification found (SPEC.md §14.11): enough to merge it into the
/// report of the whole record, and nothing secret (a record is public).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkResult {
    /// The chunk verified.
    pub spec: ChunkSpec,
    /// `HashToBytes("chunk-prefix", prefix)`: the prefix the worker read.
    pub prefix_digest: [u8; 32],
    /// The election context the prefix gave, if its manifest was valid.
    pub context: Option<[u8; CONTEXT_LEN]>,
    /// The `previous` field of the chunk's first entry.
    pub first_previous: [u8; 32],
    /// The hash of its first entry (the record's head, if reading stops there).
    pub first_hash: [u8; 32],
    /// The hash of its last entry: with `first_previous`, the chunk's place in the chain.
    pub last_hash: [u8; 32],
    /// The highest pseudonym after the chunk (the next chunk's floor).
    pub highest: Option<[u8; 32]>,
    /// The ballots counted into the partial aggregate.
    pub ballots: u64,
    /// The partial aggregate: the sum of the counted ballots' ciphertexts, position by
    /// position (empty without a valid manifest).
    pub sums: Vec<crate::elgamal::Ciphertext>,
    /// Each check's outcome within the chunk, in report order.
    checks: [Progress; CheckId::ALL.len()],
    /// The entries whose ballot does not verify, in record order.
    pub culprits: Vec<u64>,
}

impl ChunkResult {
    /// The ballots read (each compared with the pseudonym before it): the chunk's
    /// `pseudonyms` items.
    pub fn pseudonyms(&self) -> u64 {
        self.checks
            .get(CheckId::Pseudonyms.index())
            .map_or(0, |p| p.items)
    }

    /// Whether every check the chunk ran passed (its ballots are all valid and in order,
    /// as far as the chunk can tell; the combiner checks the joins).
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|p| p.failure.is_none()) && self.culprits.is_empty()
    }

    /// The canonical encoding (SPEC.md §14.11).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::ChunkResult, 256 + 64 * self.sums.len());
        out.extend_from_slice(&spec_bytes(&self.spec));
        out.extend_from_slice(&self.prefix_digest);
        put_option(&mut out, self.context.as_ref());
        out.extend_from_slice(&self.first_previous);
        out.extend_from_slice(&self.first_hash);
        out.extend_from_slice(&self.last_hash);
        put_option(&mut out, self.highest.as_ref());
        out.extend_from_slice(&self.ballots.to_le_bytes());
        out.extend_from_slice(&(self.sums.len() as u16).to_le_bytes());
        for c in &self.sums {
            out.extend_from_slice(&c.to_bytes());
        }
        for p in &self.checks {
            put_progress(&mut out, p);
        }
        out.extend_from_slice(&(self.culprits.len() as u64).to_le_bytes());
        for at in &self.culprits {
            out.extend_from_slice(&at.to_le_bytes());
        }
        out
    }

    /// Decodes a result.
    ///
    /// # Errors
    /// Any [`EncodingError`]: wrong header, truncation, trailing bytes, a non-canonical
    /// point, an unknown tag, a count above its bound (no length is trusted before it is
    /// checked against the bytes left).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::ChunkResult)?;
        let spec = read_spec(&mut r)?;
        let prefix_digest = r.array::<32>()?;
        let context = read_option(&mut r)?;
        let first_previous = r.array::<32>()?;
        let first_hash = r.array::<32>()?;
        let last_hash = r.array::<32>()?;
        let highest = read_option(&mut r)?;
        let ballots = r.u64_le()?;
        let width = usize::from(r.u16_le()?);
        let mut sums = Vec::with_capacity(width.min(r_len(&r) / 64));
        for _ in 0..width {
            let a = r.element()?;
            let b = r.element()?;
            sums.push(crate::elgamal::Ciphertext::from_points(
                *a.point(),
                *b.point(),
            ));
        }
        let mut checks: [Progress; CheckId::ALL.len()] = Default::default();
        for p in &mut checks {
            *p = read_progress(&mut r)?;
        }
        let count = r.u64_le()?;
        if count > spec.entries || count > (r_len(&r) / 8) as u64 {
            return Err(EncodingError::CountOutOfBounds {
                count: usize::try_from(count).unwrap_or(usize::MAX),
                limit: usize::try_from(spec.entries).unwrap_or(usize::MAX),
            });
        }
        let mut culprits = Vec::with_capacity(count as usize);
        let mut last = None;
        for _ in 0..count {
            let at = r.u64_le()?;
            if last.is_some_and(|l| l >= at) {
                return Err(EncodingError::NotStrictlyIncreasing);
            }
            last = Some(at);
            culprits.push(at);
        }
        r.finish()?;
        Ok(ChunkResult {
            spec,
            prefix_digest,
            context,
            first_previous,
            first_hash,
            last_hash,
            highest,
            ballots,
            sums,
            checks,
            culprits,
        })
    }
}

impl ChunkSpec {
    /// The canonical encoding (SPEC.md §14.11), so a plan's chunks can be sent to
    /// workers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::ChunkSpec, 69);
        out.extend_from_slice(&spec_bytes(self));
        out
    }

    /// Decodes a chunk's description.
    ///
    /// # Errors
    /// Any [`EncodingError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::ChunkSpec)?;
        let spec = read_spec(&mut r)?;
        r.finish()?;
        Ok(spec)
    }
}

/// Verifies one chunk of a record (`Record.VerifyChunk`, SPEC.md §14.11): `prefix` is the
/// record's bytes `0..plan.prefix_len`, `chunk` its bytes `spec.start..spec.end`. `rng`
/// draws the batch weights.
///
/// # Errors
/// [`Error::ChunkMismatch`] if the bytes do not fit `spec` (a prefix of another length
/// or with a cast ballot, a chunk that does not frame into `spec.entries` cast-ballot
/// entries). Everything wrong with the record itself is in the result's checks.
pub fn verify_chunk<R: RngCore + CryptoRng>(
    prefix: &[u8],
    chunk: &[u8],
    spec: &ChunkSpec,
    rng: R,
) -> Result<ChunkResult, Error> {
    if (chunk.len() as u64) != spec.end.saturating_sub(spec.start) || spec.entries == 0 {
        return Err(Error::ChunkMismatch("the chunk's bytes are not the spec's"));
    }
    let mut v = Verifier::new(rng);
    v.context_only = true;
    let entries = read_prefix(&mut v, prefix)?;
    if entries > spec.first_entry {
        return Err(Error::ChunkMismatch(
            "the prefix ends after the chunk starts",
        ));
    }
    if !v.ceremony_resolved && v.section.is_some() && !v.stopped {
        v.resolve_ceremony(v.entries);
    }
    // What the chunk finds is all the result holds: the prefix is the combiner's.
    v.progress = Default::default();
    v.section = Some(Section::Ballots);
    v.last_key = spec.floor.map(|f| f.to_vec());
    v.entries = usize::try_from(spec.first_entry)
        .map_err(|_| Error::ChunkMismatch("a chunk beyond this machine's address space"))?;
    let mut first = None;
    let mut read = 0u64;
    for entry in RecordReader::new(chunk) {
        let entry = entry.map_err(|_| Error::ChunkMismatch("the chunk does not frame"))?;
        if entry.kind() != MessageKind::Ballot {
            return Err(Error::ChunkMismatch("a chunk entry is not a cast ballot"));
        }
        if first.is_none() {
            // The link into the chunk is the combiner's to check.
            first = Some((*entry.previous(), entry.hash()));
            v.head = *entry.previous();
        }
        v.push(&entry);
        read += 1;
    }
    if read != spec.entries {
        return Err(Error::ChunkMismatch(
            "the chunk holds another number of entries",
        ));
    }
    v.flush();
    v.culprits.sort_unstable();
    let (first_previous, first_hash) = first.unwrap_or_default();
    Ok(ChunkResult {
        spec: spec.clone(),
        prefix_digest: prefix_digest(prefix),
        context: v.election.as_ref().map(|e| e.context),
        first_previous,
        first_hash,
        last_hash: v.head,
        highest: v
            .last_key
            .as_deref()
            .and_then(|k| <[u8; 32]>::try_from(k).ok()),
        ballots: v.ballots,
        sums: v
            .sums
            .iter()
            .map(|(a, b)| crate::elgamal::Ciphertext::from_points(*a, *b))
            .collect(),
        checks: v.progress,
        culprits: v.culprits.iter().map(|&at| at as u64).collect(),
    })
}

/// Combines the chunks' results into the report of the whole record
/// (`Record.CombineChunks`, SPEC.md §14.11): `prefix` is the record's bytes
/// `0..plan.prefix_len`, `suffix` its bytes `plan.suffix_start()..plan.record_len`, and
/// `results` one result per chunk of `plan`, in any order. The report is the one
/// [`verify`](super::verify) gives for the whole record.
///
/// # Errors
/// [`Error::ChunkMismatch`] if the results do not cover the plan's chunks exactly once
/// (a chunk missing or repeated), if a result is for another plan, prefix or election,
/// if a chunk's floor is not the highest pseudonym before it, or if the prefix or suffix
/// bytes do not fit the plan.
pub fn combine<R: RngCore + CryptoRng>(
    plan: &Plan,
    prefix: &[u8],
    results: impl IntoIterator<Item = ChunkResult>,
    suffix: &[u8],
    rng: R,
) -> Result<Report, Error> {
    plan.validate()?;
    if (suffix.len() as u64) != plan.record_len.saturating_sub(plan.suffix_start()) {
        return Err(Error::ChunkMismatch(
            "the suffix's bytes are not the plan's",
        ));
    }
    let mut results: Vec<ChunkResult> = results.into_iter().collect();
    results.sort_by_key(|r| r.spec.index);
    if results.len() != plan.chunks.len()
        || results
            .iter()
            .zip(&plan.chunks)
            .any(|(result, spec)| &result.spec != spec)
    {
        return Err(Error::ChunkMismatch(
            "the results do not cover the plan's chunks exactly once",
        ));
    }
    let mut v = Verifier::new(rng);
    let entries = read_prefix(&mut v, prefix)?;
    if entries != plan.prefix_entries {
        return Err(Error::ChunkMismatch(
            "the prefix holds another number of entries",
        ));
    }
    let digest = prefix_digest(prefix);
    for result in results {
        if result.prefix_digest != digest {
            return Err(Error::ChunkMismatch(
                "a chunk was verified with another prefix",
            ));
        }
        v.absorb(result)?;
    }
    for entry in RecordReader::new(suffix) {
        match entry {
            Ok(entry) => v.push(&entry),
            Err(e) => v.unreadable(e),
        }
    }
    Ok(v.finish())
}

impl<R: RngCore + CryptoRng> Verifier<R> {
    /// Does what reading the chunk's entries would have done, from what its worker found.
    fn absorb(&mut self, result: ChunkResult) -> Result<(), Error> {
        if self.stopped {
            // Nothing after an unreadable frame or a bad manifest is read.
            return Ok(());
        }
        if result.context != self.election.as_ref().map(|e| e.context) {
            return Err(Error::ChunkMismatch(
                "a chunk was verified for another election",
            ));
        }
        let at = self.entries;
        if result.first_previous != self.head {
            self.fail(
                CheckId::HashChain,
                Error::RecordChain { entry: at },
                Some(at),
            );
        }
        let mut checks = result.checks;
        if self.section != Some(Section::Ballots) && !self.enter(Section::Ballots, at) {
            if self.stopped {
                // The record starts with a ballot: reading stopped at its first entry.
                self.pass(CheckId::HashChain, 1);
                self.entries = at.saturating_add(1);
                self.head = result.first_hash;
                return Ok(());
            }
            // The run of ballots is out of place: none of it is read past its link.
            let chain = CheckId::HashChain.index();
            for (i, check) in checks.iter_mut().enumerate() {
                if i != chain {
                    *check = Progress::default();
                }
            }
        } else {
            if self.last_key.as_deref() != result.spec.floor.as_ref().map(|f| f.as_slice()) {
                return Err(Error::ChunkMismatch(
                    "a chunk's floor is not the highest pseudonym before it",
                ));
            }
            self.ballots += result.ballots;
            if result.sums.len() == self.sums.len() {
                for (sum, part) in self.sums.iter_mut().zip(&result.sums) {
                    sum.0 += part.a().point();
                    sum.1 += part.b().point();
                }
            } else if result.ballots > 0 {
                return Err(Error::ChunkMismatch("a chunk's sums have another width"));
            }
            self.culprits.extend(
                result
                    .culprits
                    .iter()
                    .map(|&c| usize::try_from(c).unwrap_or(usize::MAX)),
            );
            self.last_key = result.highest.map(|h| h.to_vec());
        }
        for (mine, theirs) in self.progress.iter_mut().zip(checks) {
            mine.ran |= theirs.ran;
            mine.items += theirs.items;
            if mine.failure.is_none() {
                mine.failure = theirs.failure;
            }
        }
        self.entries =
            at.saturating_add(usize::try_from(result.spec.entries).unwrap_or(usize::MAX));
        self.head = result.last_hash;
        Ok(())
    }
}

/// Reads a prefix into `v` and returns how many entries it frames.
fn read_prefix<R: RngCore + CryptoRng>(v: &mut Verifier<R>, prefix: &[u8]) -> Result<u64, Error> {
    let mut framed = 0u64;
    for entry in RecordReader::new(prefix) {
        let entry = entry.map_err(|_| Error::ChunkMismatch("the prefix does not frame"))?;
        if entry.kind() == MessageKind::Ballot {
            return Err(Error::ChunkMismatch("the prefix holds a cast ballot"));
        }
        v.push(&entry);
        framed += 1;
    }
    Ok(framed)
}

fn prefix_digest(prefix: &[u8]) -> [u8; 32] {
    hash_to_bytes(tags::CHUNK_PREFIX, &[prefix])
}

fn r_len(r: &Reader<'_>) -> usize {
    r.remaining()
}

fn spec_bytes(spec: &ChunkSpec) -> Vec<u8> {
    let mut out = Vec::with_capacity(69);
    out.extend_from_slice(&spec.index.to_le_bytes());
    for n in [spec.first_entry, spec.entries, spec.start, spec.end] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    put_option(&mut out, spec.floor.as_ref());
    out
}

fn read_spec(r: &mut Reader<'_>) -> Result<ChunkSpec, EncodingError> {
    let index = r.u32_le()?;
    let first_entry = r.u64_le()?;
    let entries = r.u64_le()?;
    let start = r.u64_le()?;
    let end = r.u64_le()?;
    let floor = read_option(r)?;
    if entries == 0 || entries > MAX_CHUNK_ENTRIES {
        return Err(EncodingError::CountOutOfBounds {
            count: usize::try_from(entries).unwrap_or(usize::MAX),
            limit: MAX_CHUNK_ENTRIES as usize,
        });
    }
    if end <= start || end - start < entries.saturating_mul(ENTRY_HEADER_LEN as u64) {
        return Err(EncodingError::CountOutOfBounds {
            count: usize::try_from(entries).unwrap_or(usize::MAX),
            limit: usize::try_from(end.saturating_sub(start) / ENTRY_HEADER_LEN as u64)
                .unwrap_or(usize::MAX),
        });
    }
    Ok(ChunkSpec {
        index,
        first_entry,
        entries,
        start,
        end,
        floor,
    })
}

fn put_option(out: &mut Vec<u8>, value: Option<&[u8; 32]>) {
    match value {
        None => out.push(0),
        Some(bytes) => {
            out.push(1);
            out.extend_from_slice(bytes);
        }
    }
}

fn read_option(r: &mut Reader<'_>) -> Result<Option<[u8; 32]>, EncodingError> {
    match r.u8()? {
        0 => Ok(None),
        1 => Ok(Some(r.array::<32>()?)),
        tag => Err(EncodingError::InvalidTag(tag)),
    }
}

fn put_progress(out: &mut Vec<u8>, p: &Progress) {
    let flags = u8::from(p.ran) | (u8::from(p.failure.is_some()) << 1);
    out.push(flags);
    out.extend_from_slice(&p.items.to_le_bytes());
    if let Some((error, entry)) = &p.failure {
        put_error(out, error);
        match entry {
            None => out.push(0),
            Some(at) => {
                out.push(1);
                out.extend_from_slice(&(*at as u64).to_le_bytes());
            }
        }
    }
}

fn read_progress(r: &mut Reader<'_>) -> Result<Progress, EncodingError> {
    let flags = r.u8()?;
    if flags > 3 {
        return Err(EncodingError::InvalidTag(flags));
    }
    let items = r.u64_le()?;
    let failure = if flags & 2 != 0 {
        let error = read_error(r)?;
        let entry = match r.u8()? {
            0 => None,
            1 => Some(read_usize(r)?),
            tag => return Err(EncodingError::InvalidTag(tag)),
        };
        Some((error, entry))
    } else {
        None
    };
    Ok(Progress {
        ran: flags & 1 != 0,
        items,
        failure,
    })
}

fn read_usize(r: &mut Reader<'_>) -> Result<usize, EncodingError> {
    let n = r.u64_le()?;
    usize::try_from(n).map_err(|_| EncodingError::CountOutOfBounds {
        count: usize::MAX,
        limit: usize::MAX,
    })
}

/// Error tags of a chunk's failures (SPEC.md §14.11): only what reading cast ballots can
/// find. Anything else is written as `Internal` (it cannot occur).
fn put_error(out: &mut Vec<u8>, error: &Error) {
    let n = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&(v as u64).to_le_bytes());
    match error {
        Error::Encoding(e) => {
            let mut encoded = alloc::vec![0x01];
            match *e {
                EncodingError::WrongLength { expected, actual } => {
                    encoded.push(0x01);
                    n(&mut encoded, expected);
                    n(&mut encoded, actual);
                }
                EncodingError::Truncated { needed } => {
                    encoded.push(0x02);
                    n(&mut encoded, needed);
                }
                EncodingError::TrailingBytes(len) => {
                    encoded.push(0x03);
                    n(&mut encoded, len);
                }
                EncodingError::NonCanonicalScalar => encoded.push(0x04),
                EncodingError::InvalidPoint => encoded.push(0x05),
                EncodingError::IdentityPoint => encoded.push(0x06),
                EncodingError::ZeroScalar => encoded.push(0x07),
                EncodingError::UnsupportedVersion(v) => encoded.extend_from_slice(&[0x08, v]),
                EncodingError::WrongKind { expected, actual } => {
                    encoded.extend_from_slice(&[0x09, expected, actual]);
                }
                EncodingError::InvalidTag(t) => encoded.extend_from_slice(&[0x0a, t]),
                EncodingError::InvalidUtf8 => encoded.push(0x0b),
                EncodingError::NotStrictlyIncreasing => encoded.push(0x0c),
                EncodingError::CountOutOfBounds { count, limit } => {
                    encoded.push(0x0d);
                    n(&mut encoded, count);
                    n(&mut encoded, limit);
                }
                // Decoding a cast ballot finds none of the others.
                #[allow(unreachable_patterns)]
                _ => encoded = alloc::vec![0xff],
            }
            out.extend_from_slice(&encoded);
        }
        Error::RecordChain { entry } => {
            out.push(0x02);
            n(out, *entry);
        }
        Error::RecordOrder { entry } => {
            out.push(0x03);
            n(out, *entry);
        }
        Error::DuplicatePseudonym => out.push(0x04),
        Error::SpoiledBallotCounted => out.push(0x05),
        Error::AggregateMismatch => out.push(0x06),
        _ => out.push(0xff),
    }
}

fn read_error(r: &mut Reader<'_>) -> Result<Error, EncodingError> {
    Ok(match r.u8()? {
        0x01 => Error::Encoding(match r.u8()? {
            0x01 => EncodingError::WrongLength {
                expected: read_usize(r)?,
                actual: read_usize(r)?,
            },
            0x02 => EncodingError::Truncated {
                needed: read_usize(r)?,
            },
            0x03 => EncodingError::TrailingBytes(read_usize(r)?),
            0x04 => EncodingError::NonCanonicalScalar,
            0x05 => EncodingError::InvalidPoint,
            0x06 => EncodingError::IdentityPoint,
            0x07 => EncodingError::ZeroScalar,
            0x08 => EncodingError::UnsupportedVersion(r.u8()?),
            0x09 => EncodingError::WrongKind {
                expected: r.u8()?,
                actual: r.u8()?,
            },
            0x0a => EncodingError::InvalidTag(r.u8()?),
            0x0b => EncodingError::InvalidUtf8,
            0x0c => EncodingError::NotStrictlyIncreasing,
            0x0d => EncodingError::CountOutOfBounds {
                count: read_usize(r)?,
                limit: read_usize(r)?,
            },
            tag => return Err(EncodingError::InvalidTag(tag)),
        }),
        0x02 => Error::RecordChain {
            entry: read_usize(r)?,
        },
        0x03 => Error::RecordOrder {
            entry: read_usize(r)?,
        },
        0x04 => Error::DuplicatePseudonym,
        0x05 => Error::SpoiledBallotCounted,
        0x06 => Error::AggregateMismatch,
        0xff => Error::Internal("a chunk failure of a kind chunks cannot find"),
        tag => return Err(EncodingError::InvalidTag(tag)),
    })
}
