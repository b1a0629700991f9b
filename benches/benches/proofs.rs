//! Prove and verify a 4-option 0/1 ballot (four bit proofs and one "exactly one" proof),
//! single and batched. The baseline for the ratios is `verify/single` of this same run:
//! `benches/report.py` prints every figure relative to it.

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::elgamal::Keypair;
use secret_ballot::proofs::RangeProof;
use secret_ballot_benches::{OneOfBallot, verify_ballots_batched};

const OPTIONS: usize = 4;

fn ballot_4_options(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::from_seed([7; 32]);
    let key = Keypair::generate(&mut rng);
    let public = *key.public();
    let mut group = c.benchmark_group("ballot_4_options");

    group.throughput(Throughput::Elements(1));
    group.bench_function("prove", |b| {
        b.iter(|| OneOfBallot::prove(&public, OPTIONS, 2, &mut rng).expect("prove"))
    });

    let one = OneOfBallot::prove(&public, OPTIONS, 1, &mut rng).expect("prove");
    group.bench_function("verify/single", |b| {
        b.iter(|| one.verify(&public).expect("valid"))
    });

    let encoded: Vec<Vec<u8>> = one.bit_proofs.iter().map(RangeProof::to_bytes).collect();
    group.bench_function("decode_bit_proofs", |b| {
        b.iter(|| {
            for bytes in &encoded {
                RangeProof::from_bytes(bytes).expect("decodes");
            }
        })
    });

    for n in [1usize, 16, 128, 512] {
        let ballots: Vec<OneOfBallot> = (0..n)
            .map(|i| OneOfBallot::prove(&public, OPTIONS, i % OPTIONS, &mut rng).expect("prove"))
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("verify/batched", n),
            &ballots,
            |b, ballots| {
                b.iter_batched(
                    || ChaCha20Rng::from_seed([9; 32]),
                    |mut weights| {
                        verify_ballots_batched(&public, ballots, &mut weights).expect("valid")
                    },
                    BatchSize::SmallInput,
                )
            },
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = ballot_4_options
}
criterion_main!(benches);
