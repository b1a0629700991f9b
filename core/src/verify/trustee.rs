//! A trustee's side of the count: decrypt only a record that verifies (SPEC.md §14.5).

use rand_core::{CryptoRng, RngCore};

use super::{Stage, Verdict, Verifier};
use crate::error::Error;
use crate::record::RecordReader;
use crate::threshold::{DecryptionShare, KeyShare};
use crate::transcript::labels;

/// Verifies a closed record, recomputes its aggregate, and only then produces this
/// trustee's decryption share of it.
///
/// Implements `Tally.DecryptRecord` (SPEC.md §14.5). The record is verified in full
/// (§14.7) with the trustees' duplicate-ciphertext check (§8.1) on; the trustee refuses
/// unless the verdict is valid (so also on VOID_REDO: more ballots than credentials),
/// the record is closed, it is this trustee's election and its key ceremony gives this
/// trustee's keys, and at least the privacy floor of ballots were cast. The share is of
/// the aggregate the trustee computed itself, never of one the record claims.
///
/// # Errors
/// [`Error::RecordRefused`] naming the reason; [`Error::BelowPrivacyFloor`].
pub fn decrypt_record<R: RngCore + CryptoRng>(
    share: &KeyShare,
    record: &[u8],
    rng: &mut R,
) -> Result<DecryptionShare, Error> {
    // The batch weights come from 32 bytes of `rng` whatever the verification does, so
    // the caller's generator advances the same with or without the `parallel` feature.
    let weights = merlin::Transcript::new(labels::BATCH_WEIGHTS)
        .build_rng()
        .finalize(rng);
    let mut verifier = Verifier::new(weights).with_duplicate_check();
    for entry in RecordReader::new(record) {
        match entry {
            Ok(entry) => verifier.push(&entry),
            Err(e) => verifier.unreadable(e),
        }
    }
    let done = verifier.conclude();
    let report = &done.report;
    if report.verdict() != Verdict::Valid {
        return Err(Error::RecordRefused("the record does not verify"));
    }
    if report.stage < Stage::Closed {
        return Err(Error::RecordRefused("the record is not closed"));
    }
    if report.context != Some(*share.context()) {
        return Err(Error::RecordRefused("the record is of another election"));
    }
    if done.public.as_ref() != Some(share.public()) {
        return Err(Error::RecordRefused(
            "the record's key ceremony gives other keys than this trustee's",
        ));
    }
    let floor = report
        .manifest
        .as_ref()
        .map_or(1, |m| u64::from(m.privacy_floor).max(1));
    if report.ballots < floor {
        return Err(Error::BelowPrivacyFloor {
            ballots: report.ballots,
            floor,
        });
    }
    let aggregate = done
        .aggregate
        .ok_or(Error::Internal("a valid closed record has an aggregate"))?;
    share.share_of(&aggregate, rng)
}
