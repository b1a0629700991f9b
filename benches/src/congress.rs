//! A real congress for the benches: the 46-position manifest (3 motions, 5 of 7 seats,
//! 4 managers on 3 levels), its votes, and a complete election record of any size, built
//! through the library's real protocol steps.

#![allow(clippy::indexing_slicing)] // fixed-size bench fixtures

use std::path::PathBuf;
use std::thread;

use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, RngCore, SeedableRng};
use secret_ballot::Error;
use secret_ballot::ballot::{Ballot, ElectionKeys, MotionVote, Vote};
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, ReportKeypair,
    VoterAwaitingCommit, VoterId,
};
use secret_ballot::elgamal::{PublicKey, SecretKey};
use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::record::RecordWriter;
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};
use secret_ballot::tally::{Close, Outcomes, Totals};
use secret_ballot::threshold::{Aggregate, combine};

/// The congress manifest of every congress bench.
pub fn manifest(
    roster: u32,
    trustee_threshold: u16,
    trustee_keys: Vec<PublicKey>,
    issuer: &IssuerKeypair,
    report: &ReportKeypair,
) -> Manifest {
    Manifest {
        election_id: b"bench".to_vec(),
        title: "bench congress".into(),
        roster,
        questions: vec![
            Question::Motion { title: "a".into() },
            Question::Motion { title: "b".into() },
            Question::Motion { title: "c".into() },
            Question::Election {
                title: "directors".into(),
                candidates: (0..7).map(|i| format!("c{i}")).collect(),
                seats: 5,
            },
            Question::Evaluation {
                title: "evaluation".into(),
                subjects: (0..4).map(|i| format!("m{i}")).collect(),
                levels: vec!["good".into(), "fair".into(), "poor".into()],
                allow_blank: true,
                indicators: vec![("satisfaction".into(), vec![0, 1])],
            },
        ],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold,
        trustee_keys,
        issuer_key: *issuer.public(),
        report_key: report.public(),
        privacy_floor: 1,
        revoting: false,
    }
}

/// The votes of representative `v`: every question answered, deterministically.
pub fn votes(v: usize) -> Vec<Vote> {
    let m = [MotionVote::For, MotionVote::Against, MotionVote::Abstain];
    vec![
        Vote::Motion(m[v % 3]),
        Vote::Motion(m[(v + 1) % 3]),
        Vote::Motion(m[(v + 2) % 3]),
        Vote::Election(
            (0..7)
                .map(|c| {
                    if (v + c) % 7 < 5 {
                        MotionVote::For
                    } else {
                        MotionVote::Against
                    }
                })
                .collect(),
        ),
        Vote::Evaluation(
            (0..4)
                .map(|s| {
                    if (v + s).is_multiple_of(5) {
                        None
                    } else {
                        Some((v + s) % 3)
                    }
                })
                .collect(),
        ),
    ]
}

/// Check-in: a blind credential for representative `i`.
pub fn credential<R: RngCore + CryptoRng>(
    issuer: &Issuer<InMemorySessionStore>,
    manifest: &Manifest,
    context: &[u8; 32],
    i: usize,
    rng: &mut R,
) -> Result<Credential, Error> {
    let id = VoterId::new(format!("r{i:06}").as_bytes())?;
    let commit = issuer.commit(context, &id, 0, rng)?;
    let request = VoterAwaitingCommit::new(
        manifest.issuer_key,
        *context,
        PseudonymSecret::generate(rng),
    );
    let (pending, challenge) = request.challenge(&commit, rng)?;
    pending.finalize(&issuer.respond(&challenge, &id, 0)?)
}

/// Runs `make(v, rng)` for every representative `v` in `0..count`, split into one
/// contiguous range per core, each core with its own stream of a generator seeded from
/// `seed`; returns the results in order of `v`.
///
/// # Errors
/// The first error of `make`, or [`Error::Internal`] if a thread panicked.
pub fn on_every_core<T: Send>(
    count: usize,
    seed: u8,
    make: impl Fn(usize, &mut ChaCha20Rng) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let per_core = count.div_ceil(cores).max(1);
    let make = &make;
    thread::scope(|scope| {
        let handles: Vec<_> = (0..cores)
            .map(|core| {
                scope.spawn(move || -> Result<Vec<T>, Error> {
                    let mut rng = ChaCha20Rng::from_seed([seed; 32]);
                    rng.set_stream(core as u64 + 1);
                    let start = core * per_core;
                    (start..count.min(start + per_core))
                        .map(|v| make(v, &mut rng))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or(Err(Error::Internal("a casting thread panicked")))
            })
            .collect::<Result<Vec<Vec<T>>, Error>>()
    })
    .map(|parts| parts.into_iter().flatten().collect())
}

/// A complete, tallied election record with `ballots` ballots: a 3-of-5 key ceremony,
/// check-in, ballots cast on every core, the issuance report, the close, the aggregate,
/// three trustees' decryption shares, totals and outcomes.
///
/// # Errors
/// Any protocol step's error (none for these honest parties).
pub fn record(ballots: usize, seed: u8) -> Result<Vec<u8>, Error> {
    let mut rng = ChaCha20Rng::from_seed([seed; 32]);
    let trustees: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let issuer_key = IssuerKeypair::generate(&mut rng);
    let report_key = ReportKeypair::generate(&mut rng);
    let roster = u32::try_from(ballots + ballots / 4 + 1).unwrap_or(u32::MAX);
    let manifest = manifest(
        roster,
        3,
        trustees.iter().map(SecretKey::public_key).collect(),
        &issuer_key,
        &report_key,
    );
    let context = manifest.context()?;
    let params = manifest.ceremony_parameters()?;
    let ceremony = crate::ceremony_with(&params, &trustees, &mut rng)?;
    let keys = ElectionKeys::new(&manifest, *ceremony.shares[0].public().election_key())?;
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), u64::MAX);

    let mut cast: Vec<Ballot> = on_every_core(ballots, seed ^ 0x5a, |v, rng| {
        let c = credential(&issuer, &manifest, &context, v, rng)?;
        Ok(Ballot::cast(&manifest, &keys, &c, &votes(v), rng)?.0)
    })?;
    cast.sort_by_key(|b| b.pseudonym().to_bytes());

    let mut w = RecordWriter::new();
    w.append(&manifest.to_bytes()?)?;
    for p in &ceremony.round1 {
        w.append(&p.to_bytes())?;
    }
    for p in &ceremony.round2 {
        w.append(&p.to_bytes())?;
    }
    w.append(&issuer.report(&context, &report_key, &mut rng)?.to_bytes())?;
    for b in &cast {
        w.append(&b.to_bytes())?;
    }
    let present = u32::try_from(ballots).unwrap_or(u32::MAX);
    // 2026-06-18T17:30:00+08:00.
    let closed_at = 1_781_775_000;
    w.append(&Close { present, closed_at }.to_bytes())?;
    let rows: Vec<_> = cast.iter().map(Ballot::ciphertexts).collect();
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
    Ok(w.into_bytes())
}

/// The record of [`record`]`(ballots, seed)`, cached under `target/bench-records/` (it
/// takes a while to cast ten thousand ballots). A cached file that no longer verifies
/// (after a format change) is made again.
///
/// # Errors
/// As [`record`], and file errors as [`Error::Internal`].
pub fn cached_record(ballots: usize, seed: u8) -> Result<PathBuf, Error> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-records");
    let path = dir.join(format!("congress-{ballots}-{seed}.record"));
    if let Ok(bytes) = std::fs::read(&path) {
        let report = secret_ballot::verify::verify(&bytes, ChaCha20Rng::from_seed([0; 32]));
        if report.is_valid_and_tallied() && report.ballots == ballots as u64 {
            return Ok(path);
        }
    }
    let bytes = record(ballots, seed)?;
    std::fs::create_dir_all(&dir).map_err(|_| Error::Internal("cannot create the cache"))?;
    std::fs::write(&path, bytes).map_err(|_| Error::Internal("cannot write the cache"))?;
    Ok(path)
}
