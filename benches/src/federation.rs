//! A federation-wide ballot for the scale benches: one 1-of-4 single-choice question
//! (issue 9's "one 1-of-4 question, credentials and signatures included"), and a complete
//! election record of any size, built through the library's real protocol steps and
//! written to a file.
//!
//! Each representative checks in (a blind credential from the issuer) and casts one
//! ballot; ballots are cast on every core. What memory holds while the record is made is
//! the ballots' encodings and their ciphertexts (about 1.7 KiB per ballot), so a million
//! ballots need about 2 GiB: generating is not what the benches measure.

#![allow(clippy::indexing_slicing)] // fixed-size bench fixtures

use std::path::{Path, PathBuf};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::Error;
use secret_ballot::ballot::{Ballot, ElectionKeys, Vote};
use secret_ballot::credential::{InMemorySessionStore, Issuer, IssuerKeypair, ReportKeypair};
use secret_ballot::elgamal::{Ciphertext, SecretKey};
use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::record::RecordWriter;
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};
use secret_ballot::tally::{Close, Outcomes, Totals};
use secret_ballot::threshold::{Aggregate, combine};

/// The options of the federation's question.
pub const OPTIONS: usize = 4;

/// The federation's manifest: one question, choose exactly one of four.
pub fn manifest(
    roster: u32,
    trustee_keys: Vec<secret_ballot::elgamal::PublicKey>,
    issuer: &IssuerKeypair,
    report: &ReportKeypair,
) -> Manifest {
    Manifest {
        election_id: b"federation-ballot".to_vec(),
        title: "federation-wide ballot".into(),
        roster,
        questions: vec![Question::Choice {
            title: "the federation's position".into(),
            options: (0..OPTIONS).map(|i| format!("option {i}")).collect(),
            min: 1,
            max: 1,
        }],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 3,
        trustee_keys,
        issuer_key: *issuer.public(),
        report_key: report.public(),
        privacy_floor: 1,
        revoting: false,
    }
}

/// One cast ballot, kept compactly until the record is written.
struct Cast {
    pseudonym: [u8; 32],
    encoding: Vec<u8>,
    ciphertexts: Vec<Ciphertext>,
}

/// Writes a complete, tallied record of `ballots` ballots to `path`: a 3-of-5 key
/// ceremony, check-in and casting on every core, the issuance report, the ballots in
/// pseudonym order, the close, the aggregate, three trustees' decryption shares (each
/// recomputing the aggregate from the ballots), totals and outcomes. `progress` is
/// called with the number of ballots cast so far, now and then.
///
/// # Errors
/// Any protocol step's error (none for these honest parties), file errors as
/// [`Error::Internal`].
pub fn write_record(
    path: &Path,
    ballots: usize,
    seed: u8,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<(), Error> {
    let mut rng = ChaCha20Rng::from_seed([seed; 32]);
    let trustees: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let issuer_key = IssuerKeypair::generate(&mut rng);
    let report_key = ReportKeypair::generate(&mut rng);
    let roster = u32::try_from(ballots + ballots / 8 + 1).unwrap_or(u32::MAX);
    let manifest = manifest(
        roster,
        trustees.iter().map(SecretKey::public_key).collect(),
        &issuer_key,
        &report_key,
    );
    let context = manifest.context()?;
    let params = manifest.ceremony_parameters()?;
    let ceremony = crate::ceremony_with(&params, &trustees, &mut rng)?;
    let keys = ElectionKeys::new(&manifest, *ceremony.shares[0].public().election_key())?;
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), u64::MAX);

    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut cast: Vec<Cast> = crate::congress::on_every_core(ballots, seed ^ 0xa5, |v, rng| {
        let c = crate::congress::credential(&issuer, &manifest, &context, v, rng)?;
        let vote = [Vote::Choice(vec![v % OPTIONS])];
        let (ballot, _) = Ballot::cast(&manifest, &keys, &c, &vote, rng)?;
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if n.is_multiple_of(10_000) {
            progress(n);
        }
        Ok(Cast {
            pseudonym: ballot.pseudonym().to_bytes(),
            encoding: ballot.to_bytes(),
            ciphertexts: ballot.ciphertexts(),
        })
    })?;
    cast.sort_by_key(|c| c.pseudonym);

    let mut w = RecordWriter::new();
    w.append(&manifest.to_bytes()?)?;
    for p in &ceremony.round1 {
        w.append(&p.to_bytes())?;
    }
    for p in &ceremony.round2 {
        w.append(&p.to_bytes())?;
    }
    w.append(&issuer.report(&context, &report_key, &mut rng)?.to_bytes())?;
    for c in &mut cast {
        w.append(&core::mem::take(&mut c.encoding))?;
    }
    let present = u32::try_from(ballots).unwrap_or(u32::MAX);
    // 2026-06-18T17:30:00+08:00.
    let closed_at = 1_781_775_000;
    w.append(&Close { present, closed_at }.to_bytes())?;
    let rows: Vec<&[Ciphertext]> = cast.iter().map(|c| c.ciphertexts.as_slice()).collect();
    let aggregate = Aggregate::from_ballots(&rows, keys.width())?;
    w.append(&aggregate.to_bytes())?;
    let shares = ceremony.shares[..3]
        .iter()
        .map(|s| s.decrypt_aggregate(&rows, &aggregate, 1, &mut rng))
        .collect::<Result<Vec<_>, _>>()?;
    for s in &shares {
        w.append(&s.to_bytes())?;
    }
    let tally = combine(ceremony.shares[0].public(), &context, &aggregate, &shares)?;
    w.append(&Totals(tally.totals.clone()).to_bytes())?;
    w.append(&Outcomes::compute(&manifest, &tally.totals, present)?.to_bytes())?;
    std::fs::write(path, w.as_bytes()).map_err(|_| Error::Internal("cannot write the record"))
}

/// The ballot encoding the cached records have: changed whenever SPEC.md §12.3 changes
/// (`f2`: derived positions are not sent, §12.2).
pub const RECORD_FORMAT: &str = "f2";

/// The record of [`write_record`]`(ballots, seed)`, cached under
/// `target/bench-records/`. The cache is trusted if its size is plausible: verifying a
/// large record to check it would cost what the benches measure (they verify it anyway).
/// Its name carries [`RECORD_FORMAT`], so a format change never reuses an old file.
///
/// # Errors
/// As [`write_record`].
pub fn cached_record(ballots: usize, seed: u8) -> Result<PathBuf, Error> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-records");
    std::fs::create_dir_all(&dir).map_err(|_| Error::Internal("cannot create the cache"))?;
    let path = dir.join(format!(
        "federation-{ballots}-{seed}-{RECORD_FORMAT}.record"
    ));
    let plausible = std::fs::metadata(&path).is_ok_and(|m| m.len() > ballots as u64 * 1_000);
    if !plausible {
        let partial = path.with_extension("partial");
        write_record(&partial, ballots, seed, &|_| {})?;
        std::fs::rename(&partial, &path).map_err(|_| Error::Internal("cannot write the cache"))?;
    }
    Ok(path)
}
