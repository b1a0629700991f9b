//! Verifying a whole election record (SPEC.md §14.7): a tallied 46-position congress of
//! 1,000 ballots, ballot by ballot (`verify/single`, the baseline), batched (64 ballots
//! per multiscalar multiplication) on one thread, and batched on every core (the
//! `parallel` feature). Throughput is in ballots.
//!
//! `cargo bench -p secret-ballot-benches --bench record && benches/report.py record_1000 verify/single`

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::verify::{Verifier, verify};
use secret_ballot_benches::congress;

const BALLOTS: usize = 1_000;

fn record(c: &mut Criterion) {
    let path = congress::cached_record(BALLOTS, 1).expect("record");
    let bytes = std::fs::read(path).expect("read the record");
    let mut group = c.benchmark_group("record_1000");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BALLOTS as u64));
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    group.bench_function("verify/batched_1_thread", |b| {
        b.iter(|| {
            one_thread.install(|| {
                let report = verify(&bytes, ChaCha20Rng::from_seed([1; 32]));
                assert!(report.is_valid_and_tallied());
            })
        })
    });
    group.bench_function(
        format!("verify/batched_{}_threads", rayon::current_num_threads()),
        |b| {
            b.iter(|| {
                let report = verify(&bytes, ChaCha20Rng::from_seed([1; 32]));
                assert!(report.is_valid_and_tallied());
            })
        },
    );
    group.bench_function("verify/single", |b| {
        b.iter(|| {
            let mut v = Verifier::new(ChaCha20Rng::from_seed([1; 32])).with_batch_size(1);
            v.read_from(bytes.as_slice()).expect("in memory");
            assert!(v.finish().is_valid_and_tallied());
        })
    });
    group.finish();
}

criterion_group!(benches, record);
criterion_main!(benches);
