//! Real congress ballots (3 motions, 5 of 7 seats, 4 managers on 3 levels: 46 positions,
//! 61 range proofs, a credential and a signature each): cast, verify alone, verify in
//! batches, and accept into the ballot box. Baseline: `verify/single` of this run;
//! `cast_precomputed` is `cast` with the election key's table built beforehand.

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]
#![allow(clippy::indexing_slicing)] // fixed-size bench fixtures

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::ballot::{Ballot, ElectionKeys};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, ReportKeypair,
    VoterAwaitingCommit, VoterId,
};
use secret_ballot::elgamal::SecretKey;
use secret_ballot::manifest::Manifest;
use secret_ballot::proofs::BatchVerifier;
use secret_ballot_benches::congress::{self, votes};

fn congress(rng: &mut ChaCha20Rng) -> (Manifest, IssuerKeypair) {
    let issuer = IssuerKeypair::generate(rng);
    let trustee = SecretKey::generate(rng).public_key();
    let report = ReportKeypair::generate(rng);
    (
        congress::manifest(300, 1, vec![trustee], &issuer, &report),
        issuer,
    )
}

fn election(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::from_seed([21; 32]);
    let (manifest, issuer_key) = congress(&mut rng);
    let context = manifest.context().expect("valid manifest");
    let election_key = SecretKey::generate(&mut rng).public_key();
    let keys = ElectionKeys::new(&manifest, election_key).expect("keys");
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), u64::MAX);
    let credential = |i: usize, rng: &mut ChaCha20Rng| -> Credential {
        let id = VoterId::new(format!("r{i}").as_bytes()).expect("id");
        let commit = issuer.commit(&context, &id, 0, rng).expect("commit");
        let request =
            VoterAwaitingCommit::new(manifest.issuer_key, context, PseudonymSecret::generate(rng));
        let (pending, challenge) = request.challenge(&commit, rng).expect("challenge");
        pending
            .finalize(&issuer.respond(&challenge, &id, 0).expect("respond"))
            .expect("finalize")
    };
    let n = 128;
    let ballots: Vec<Ballot> = (0..n)
        .map(|i| {
            Ballot::cast(
                &manifest,
                &keys,
                &credential(i, &mut rng),
                &votes(i),
                &mut rng,
            )
            .expect("cast")
            .0
        })
        .collect();
    let first = ballots.first().expect("ballots");

    let mut group = c.benchmark_group("congress_ballot");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1));
    let alice = credential(10_000, &mut rng);
    group.bench_function("cast", |b| {
        b.iter(|| Ballot::cast(&manifest, &keys, &alice, &votes(1), &mut rng).expect("cast"))
    });
    // The same ballot with the election key's table built beforehand (once per device).
    let precomputed = keys.clone().precompute_encryption();
    group.bench_function("cast_precomputed", |b| {
        b.iter(|| Ballot::cast(&manifest, &precomputed, &alice, &votes(1), &mut rng).expect("cast"))
    });
    group.bench_function("verify/single", |b| {
        b.iter(|| first.verify(&keys).expect("valid"))
    });
    for size in [16usize, 128] {
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(
            BenchmarkId::new("verify/batched", size),
            &ballots[..size],
            |b, batch_ballots| {
                b.iter(|| {
                    let mut batch = BatchVerifier::new(&mut ChaCha20Rng::from_seed([1; 32]));
                    for ballot in batch_ballots {
                        ballot.queue(&keys, &mut batch).expect("queue");
                    }
                    batch.vartime_verify().expect("valid")
                })
            },
        );
    }
    let encoded: Vec<Vec<u8>> = ballots.iter().map(Ballot::to_bytes).collect();
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("ballot_box/accept_128", |b| {
        b.iter(|| {
            let mut ballot_box = BallotBox::new(keys.clone(), false);
            for bytes in &encoded {
                ballot_box.accept(bytes).expect("accepted");
            }
        })
    });
    group.finish();
}

criterion_group!(benches, election);
criterion_main!(benches);
