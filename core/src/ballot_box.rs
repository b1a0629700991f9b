//! The ballot box: accepts only valid ballots, one per credential (SPEC.md §13).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::ballot::{Ballot, ElectionKeys, SpoiledBallot};
use crate::elgamal::{CIPHERTEXT_LEN, Ciphertext};
use crate::error::Error;
use crate::record::RecordWriter;
use crate::threshold::Aggregate;

/// What the voter gets back for an accepted ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The tracking code to find the ballot in the record.
    pub tracking_code: String,
    /// Whether this ballot replaced an earlier one of the same credential (revoting).
    pub replaced: bool,
}

/// The ballot box of one election.
///
/// Implements `BallotBox.Accept` (SPEC.md §13): a ballot is accepted only if its shape
/// matches the manifest and its credential, signature and every proof verify, and its
/// pseudonym is new — or, if the manifest allows revoting, it replaces the earlier
/// ballot of that pseudonym (the last one counts). Accepting the same bytes again is
/// idempotent. Every refusal has a typed reason.
#[derive(Debug)]
pub struct BallotBox {
    keys: ElectionKeys,
    revoting: bool,
    closed: bool,
    /// Pseudonym encoding → (ballot, its bytes).
    ballots: BTreeMap<[u8; 32], (Ballot, Vec<u8>)>,
    /// Ballot hash → spoiled ballot's bytes.
    spoiled: BTreeMap<[u8; 32], Vec<u8>>,
    /// Every ciphertext of a spoiled ballot: its opening is public, so it may never be
    /// counted, whatever ballot carries it (SPEC.md §14.3).
    spoiled_ciphertexts: BTreeSet<[u8; CIPHERTEXT_LEN]>,
    /// Every ciphertext of a counted ballot → its pseudonym: the trustees refuse to
    /// decrypt an aggregate with a repeated ciphertext (SPEC.md §8.1), so none may enter.
    counted_ciphertexts: BTreeMap<[u8; CIPHERTEXT_LEN], [u8; 32]>,
    width: usize,
}

impl BallotBox {
    /// An open, empty ballot box.
    pub fn new(keys: ElectionKeys, revoting: bool) -> Self {
        let width = keys.width();
        BallotBox {
            keys,
            revoting,
            closed: false,
            ballots: BTreeMap::new(),
            spoiled: BTreeMap::new(),
            spoiled_ciphertexts: BTreeSet::new(),
            counted_ciphertexts: BTreeMap::new(),
            width,
        }
    }

    /// Verifies and accepts a ballot.
    ///
    /// # Errors
    /// [`Error::BallotBoxClosed`]; [`Error::Encoding`] for malformed bytes; the errors of
    /// [`Ballot::verify`]; [`Error::DuplicatePseudonym`] for a second ballot of the same
    /// credential when revoting is off; [`Error::SpoiledBallotCounted`] for a spoiled
    /// ballot, or any ballot that carries a spoiled ballot's ciphertext (a device that
    /// knows the spoiled randomness can prove it afresh under a new hash; counting it
    /// would make the record invalid, SPEC.md §14.3); [`Error::AggregateMismatch`] for a
    /// ballot that repeats a ciphertext, its own or another counted ballot's (only a
    /// device that knows the randomness can prove one, and the trustees refuse to decrypt
    /// such a sum, SPEC.md §8.1: two colluding voters could stop the count).
    pub fn accept(&mut self, bytes: &[u8]) -> Result<Receipt, Error> {
        if self.closed {
            return Err(Error::BallotBoxClosed);
        }
        let ballot = Ballot::from_bytes(bytes, self.keys.layout())?;
        if self.spoiled.contains_key(&ballot.hash())
            || ballot
                .ciphertexts()
                .iter()
                .any(|c| self.spoiled_ciphertexts.contains(&c.to_bytes()))
        {
            return Err(Error::SpoiledBallotCounted);
        }
        let key = ballot.pseudonym().to_bytes();
        if let Some((existing, existing_bytes)) = self.ballots.get(&key) {
            if existing_bytes.as_slice() == bytes {
                return Ok(Receipt {
                    tracking_code: existing.tracking_code(),
                    replaced: false,
                });
            }
            if !self.revoting {
                return Err(Error::DuplicatePseudonym);
            }
        }
        ballot.verify(&self.keys)?;
        let ciphertexts: Vec<[u8; CIPHERTEXT_LEN]> = ballot
            .ciphertexts()
            .iter()
            .map(Ciphertext::to_bytes)
            .collect();
        let mut own = BTreeSet::new();
        if ciphertexts
            .iter()
            .any(|c| !own.insert(*c) || self.counted_ciphertexts.get(c).is_some_and(|p| *p != key))
        {
            return Err(Error::AggregateMismatch);
        }
        if let Some((replaced, _)) = self.ballots.get(&key) {
            for c in replaced.ciphertexts() {
                self.counted_ciphertexts.remove(&c.to_bytes());
            }
        }
        self.counted_ciphertexts
            .extend(ciphertexts.into_iter().map(|c| (c, key)));
        let receipt = Receipt {
            tracking_code: ballot.tracking_code(),
            replaced: self.ballots.contains_key(&key),
        };
        // Re-encoding is canonical, so the stored bytes equal the input.
        self.ballots.insert(key, (ballot, bytes.to_vec()));
        Ok(receipt)
    }

    /// Verifies and keeps a spoiled ballot (a Benaloh challenge) for the record: the
    /// ballot must verify and every opening match its ciphertext. Returns the plaintext
    /// of every position, per question, for the voter's device to show.
    ///
    /// A ballot that was cast cannot be spoiled (its vote would be revealed), and a
    /// spoiled ballot can never be cast: [`BallotBox::accept`] refuses it.
    ///
    /// # Errors
    /// [`Error::BallotBoxClosed`]; [`Error::Encoding`]; the errors of [`Ballot::verify`]
    /// and [`SpoiledBallot::verify`]; [`Error::SpoiledBallotCounted`] if a ciphertext of
    /// the ballot is among the counted ballots' (it was cast, or a counted ciphertext was
    /// proved afresh under a new hash).
    pub fn spoil(&mut self, bytes: &[u8]) -> Result<Vec<Vec<u64>>, Error> {
        if self.closed {
            return Err(Error::BallotBoxClosed);
        }
        let spoiled = SpoiledBallot::from_bytes(bytes, self.keys.layout())?;
        spoiled.ballot().verify(&self.keys)?;
        let plaintexts = spoiled.verify(&self.keys)?;
        let opened: BTreeSet<[u8; CIPHERTEXT_LEN]> = spoiled
            .ballot()
            .ciphertexts()
            .iter()
            .map(Ciphertext::to_bytes)
            .collect();
        if opened
            .iter()
            .any(|c| self.counted_ciphertexts.contains_key(c))
        {
            return Err(Error::SpoiledBallotCounted);
        }
        self.spoiled_ciphertexts.extend(opened);
        self.spoiled
            .insert(spoiled.ballot().hash(), spoiled.to_bytes());
        Ok(plaintexts)
    }

    /// Closes the box: every later ballot is refused.
    pub fn close(&mut self) {
        self.closed = true;
    }

    /// Whether the box is closed.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// The number of ballots that count.
    pub fn len(&self) -> usize {
        self.ballots.len()
    }

    /// Whether no ballot was accepted.
    pub fn is_empty(&self) -> bool {
        self.ballots.is_empty()
    }

    /// The counted ballots, ordered by pseudonym (which reveals nothing about arrival).
    pub fn ballots(&self) -> impl Iterator<Item = &Ballot> {
        self.ballots.values().map(|(b, _)| b)
    }

    /// The homomorphic sum of the counted ballots, position by position.
    ///
    /// # Errors
    /// [`Error::AggregateMismatch`] if there is nothing to sum.
    pub fn aggregate(&self) -> Result<Aggregate, Error> {
        let rows: Vec<Vec<Ciphertext>> = self.ballots().map(Ballot::ciphertexts).collect();
        Aggregate::from_ballots(&rows, self.width)
    }

    /// Appends the spoiled ballots (by ballot hash) and the counted ballots (by
    /// pseudonym) to the record, in the order SPEC.md §14.2 requires: an order that
    /// reveals nothing about arrival.
    ///
    /// # Errors
    /// As [`RecordWriter::append`]: the record must be at its issuance report.
    pub fn publish(&self, record: &mut RecordWriter) -> Result<(), Error> {
        for bytes in self.spoiled.values() {
            record.append(bytes)?;
        }
        for (_, bytes) in self.ballots.values() {
            record.append(bytes)?;
        }
        Ok(())
    }

    /// The number of spoiled ballots kept for the record.
    pub fn spoiled(&self) -> usize {
        self.spoiled.len()
    }

    /// The rows of the aggregate (each ballot's ciphertexts), for a trustee to recompute
    /// it before decrypting.
    pub fn rows(&self) -> Vec<Vec<Ciphertext>> {
        self.ballots().map(Ballot::ciphertexts).collect()
    }
}
