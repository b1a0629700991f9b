//! The key ceremony for (7, 4) and threshold decryption of an aggregate: share
//! generation (which recomputes the aggregate from the ballots) and combination (which
//! verifies every share). Baseline for the ratios: `decrypt_share` of this run.

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::elgamal::Ciphertext;
use secret_ballot::threshold::{Aggregate, DecryptionShare, combine};
use secret_ballot_benches::{CONTEXT, run_ceremony};

const BALLOTS: usize = 200;
const WIDTH: usize = 4;

fn threshold(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::from_seed([5; 32]);
    let mut group = c.benchmark_group("threshold");
    group.sample_size(10);
    group.bench_function("ceremony_7_of_4", |b| {
        b.iter(|| run_ceremony(7, 4, &mut rng).expect("ceremony"))
    });

    let shares = run_ceremony(7, 4, &mut rng).expect("ceremony");
    let first = shares.first().expect("seven trustees");
    let public = first.public().clone();
    let ballots: Vec<Vec<Ciphertext>> = (0..BALLOTS)
        .map(|i| {
            (0..WIDTH)
                .map(|k| {
                    public
                        .election_key()
                        .encrypt(u64::from(k == i % WIDTH), &mut rng)
                        .0
                })
                .collect()
        })
        .collect();
    let aggregate = Aggregate::from_ballots(&ballots, WIDTH).expect("aggregate");
    group.bench_function("aggregate_200x4", |b| {
        b.iter(|| Aggregate::from_ballots(&ballots, WIDTH).expect("aggregate"))
    });
    group.bench_function("decrypt_share_200x4", |b| {
        b.iter(|| {
            first
                .decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
                .expect("share")
        })
    });
    let decryption: Vec<DecryptionShare> = shares
        .iter()
        .take(4)
        .map(|s| {
            s.decrypt_aggregate(&ballots, &aggregate, 1, &mut rng)
                .expect("share")
        })
        .collect();
    group.bench_function("combine_4_shares_x4", |b| {
        b.iter(|| combine(&public, &CONTEXT, &aggregate, &decryption).expect("tally"))
    });
    group.finish();
}

criterion_group!(benches, threshold);
criterion_main!(benches);
