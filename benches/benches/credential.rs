//! Credential issuance and verification: issuer cost per session (commit, respond),
//! voter cost (challenge + finalize), and verification single and batched. Baseline
//! for the ratios: `verify/single` of this run.

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, VoterAwaitingCommit,
    VoterId, credential_generator,
};
use secret_ballot::proofs::BatchVerifier;
use secret_ballot_benches::CONTEXT;

fn credential(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::from_seed([11; 32]);
    let issuer = Issuer::new(
        IssuerKeypair::generate(&mut rng),
        InMemorySessionStore::new(),
        u64::MAX,
    );
    let x = *issuer.key().public();
    let counter = std::cell::Cell::new(0u64);
    let next_voter = || {
        counter.set(counter.get() + 1);
        VoterId::new(&counter.get().to_le_bytes()).expect("non-empty")
    };
    let mut group = c.benchmark_group("credential");

    group.bench_function("issuer/respond", |b| {
        b.iter_batched(
            || {
                let voter = next_voter();
                let commit = issuer
                    .commit(&CONTEXT, &voter, 0, &mut rng)
                    .expect("commit");
                let request =
                    VoterAwaitingCommit::new(x, CONTEXT, PseudonymSecret::generate(&mut rng));
                let (_, challenge) = request.challenge(&commit, &mut rng).expect("challenge");
                (voter, challenge)
            },
            |(voter, challenge)| issuer.respond(&challenge, &voter, 0).expect("respond"),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("issuer/commit", |b| {
        b.iter_batched(
            next_voter,
            |voter| {
                issuer
                    .commit(&CONTEXT, &voter, 0, &mut rng)
                    .expect("commit")
            },
            criterion::BatchSize::SmallInput,
        )
    });

    let issue = |rng: &mut ChaCha20Rng, voter: VoterId| -> Credential {
        let commit = issuer.commit(&CONTEXT, &voter, 0, rng).expect("commit");
        let request = VoterAwaitingCommit::new(x, CONTEXT, PseudonymSecret::generate(rng));
        let (pending, challenge) = request.challenge(&commit, rng).expect("challenge");
        pending
            .finalize(&issuer.respond(&challenge, &voter, 0).expect("respond"))
            .expect("finalize")
    };
    let mut voter_rng = ChaCha20Rng::from_seed([12; 32]);
    group.bench_function("voter/challenge+finalize", |b| {
        b.iter_batched(
            || {
                let voter = next_voter();
                let commit = issuer
                    .commit(&CONTEXT, &voter, 0, &mut rng)
                    .expect("commit");
                (voter, commit)
            },
            |(voter, commit)| {
                let request =
                    VoterAwaitingCommit::new(x, CONTEXT, PseudonymSecret::generate(&mut voter_rng));
                let (pending, challenge) = request
                    .challenge(&commit, &mut voter_rng)
                    .expect("challenge");
                let response = issuer.respond(&challenge, &voter, 0).expect("respond");
                pending.finalize(&response).expect("finalize")
            },
            criterion::BatchSize::SmallInput,
        )
    });

    let credentials: Vec<Credential> = (0..256u32)
        .map(|i| {
            issue(
                &mut rng,
                VoterId::new(format!("b{i}").as_bytes()).expect("id"),
            )
        })
        .collect();
    let one = credentials.first().expect("256 credentials");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify/single", |b| {
        b.iter(|| {
            one.signature()
                .verify(&x, &CONTEXT, one.pseudonym())
                .expect("valid")
        })
    });
    for n in [16usize, 256] {
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("verify/batched", n),
            credentials.get(..n).expect("256 credentials"),
            |b, creds| {
                b.iter(|| {
                    let z = credential_generator(&CONTEXT);
                    let mut batch = BatchVerifier::new(&mut ChaCha20Rng::from_seed([13; 32]));
                    for cred in creds {
                        cred.signature()
                            .queue(&x, &CONTEXT, &z, cred.pseudonym(), &mut batch)
                            .expect("queue");
                    }
                    batch.vartime_verify().expect("valid")
                })
            },
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = credential
}
criterion_main!(benches);
