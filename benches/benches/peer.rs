//! secret-ballot side by side with elastic-elgamal 0.3.1 on identical work, in one run
//! (issue 9): both on curve25519-dalek 4.1.3 with the same backend, so only ratios
//! within this run are compared. `benches/report.py peer` prints them.
//!
//! One criterion group per workload; in each, `elastic/…` and `ours/…` do the same job:
//!
//! * `peer_1of4_encrypt`, `peer_16_encrypt`: encrypt and prove a single-choice ballot
//!   (`EncryptedChoice::single` against the core's `Ballot::cast`, which also hashes and
//!   signs, and against the same proofs without hash and signature; each of ours cold,
//!   as a voter's device casting one ballot, and `_precomputed`, with the election
//!   key's table built beforehand, whose one-time cost is `ours/precompute_key`);
//! * `peer_1of4_verify`, `peer_16_verify`: the ballot from wire bytes, decoded and
//!   verified, per ballot. elastic-elgamal checks the ciphertexts' ring proof and the
//!   sum proof; `ours/proofs/…` checks the same statements (a bit proof per ciphertext
//!   and the "exactly one" range proof, every transcript bound to the election context,
//!   the pseudonym, every ciphertext and its position) and skips the credential and the
//!   signature; `ours/whole/…` checks the whole ballot as the ballot box does: also the
//!   issuer's blind signature on the pseudonym and the pseudonym's signature on the
//!   ballot hash. `single` verifies ballot by ballot, `batched/64` one multiscalar
//!   multiplication per 64 ballots (the verifier's default batch; also 1,024 for 1-of-4);
//! * `peer_1of4_parallel`, `peer_16_parallel`: in wall-clock time, elastic-elgamal,
//!   ours batched on one thread, and `batched_64x2_threads`, one batch of 64 per thread
//!   on a 2-thread pool (the core's `parallel` layout);
//! * `peer_sum_10000`: the homomorphic sum of 10,000 ciphertexts;
//! * `peer_decrypt_sum`: decrypting a sum of 10,000 ballots, with one key and with 3 of
//!   5 trustees;
//! * `peer_floor`: one decompression and the per-point cost of a large multiscalar
//!   multiplication, the units of the floor `BENCHMARKS.md` compares against.
//!
//! Every group but the parallel ones measures the bench thread's **CPU time**
//! ([`ThreadCpu`]), not wall-clock time: on a shared machine the latter also counts the
//! time other processes held the core.
//!
//! The run also writes `target/criterion/peer-context.json`: the decompressions and
//! multiscalar terms per ballot, the CPU, and the load average before and after.
//!
//! `cargo bench -p secret-ballot-benches --bench peer && benches/report.py peer`

#![allow(
    clippy::expect_used,
    reason = "a benchmark fixture that fails is a bug in the bench: stop with its reason"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use elastic_elgamal::app::{ChoiceParams, EncryptedChoice, SingleChoice};
use elastic_elgamal::group::{ElementOps, Ristretto};
use elastic_elgamal::sharing::{ActiveParticipant, Dealer, Params, PublicKeySet};
use elastic_elgamal::{
    CandidateDecryption, DiscreteLogTable, Keypair, LogEqualityProof, RingProof,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rayon::prelude::*;
use secret_ballot::ballot::Ballot;
use secret_ballot::curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::curve25519_dalek::traits::VartimeMultiscalarMul;
use secret_ballot::elgamal::{Ciphertext, DlogTable, EncryptionKey};
use secret_ballot::threshold::{Aggregate, DecryptionShare, combine};
use secret_ballot_benches::peer::{
    BallotProofs, ChoiceElection, Counts, counts, verify_ballots_batched, verify_proofs_batched,
};
use secret_ballot_benches::{CONTEXT, run_ceremony};

/// Ballots per batch: the record verifier's default.
const BATCH: usize = secret_ballot::verify::DEFAULT_BATCH;
/// A large batch (1-of-4 ballots only), to show where batching levels off.
const LARGE_BATCH: usize = 1024;
/// Threads of the parallel runs (the machine has two cores).
const THREADS: usize = 2;
/// Ciphertexts summed and ballots decrypted.
const SUMMED: usize = 10_000;

/// The calling thread's CPU time, from `/proc/thread-self/schedstat` (Linux; the time
/// the scheduler ran the thread, in nanoseconds), else wall-clock time. On a machine
/// shared with other work, wall-clock time also counts the time other processes held
/// the core; CPU time does not, so the ratios of one run stay comparable.
struct ThreadCpu;

static WALL: WallTime = WallTime;

fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Measurement for ThreadCpu {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        (thread_cpu_ns(), std::time::Instant::now())
    }

    fn end(&self, (cpu, wall): Self::Intermediate) -> Duration {
        match (cpu, thread_cpu_ns()) {
            (Some(start), Some(end)) => Duration::from_nanos(end.saturating_sub(start)),
            _ => wall.elapsed(),
        }
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

fn configure<'a, M: Measurement>(
    c: &'a mut Criterion<M>,
    name: &str,
) -> criterion::BenchmarkGroup<'a, M> {
    let mut group = c.benchmark_group(name);
    // Flat sampling: every sample runs as many iterations, so the fastest sample is a
    // fair estimate on a shared machine (`report.py` prints both).
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    group
}

/// elastic-elgamal's choice on the wire: its ciphertexts (`to_bytes`), its ring proof
/// and its sum proof (`to_bytes`), concatenated.
fn elastic_wire(choice: &EncryptedChoice<Ristretto, SingleChoice>) -> Vec<u8> {
    let mut out = Vec::new();
    for ciphertext in choice.choices_unchecked() {
        out.extend_from_slice(&ciphertext.to_bytes());
    }
    out.extend_from_slice(&choice.range_proof().to_bytes());
    out.extend_from_slice(&choice.sum_proof().to_bytes());
    out
}

/// Decodes [`elastic_wire`]: every point decompressed, every scalar checked canonical.
///
/// elastic-elgamal 0.3.1 builds an `EncryptedChoice` from bytes only through serde; the
/// bench does the same decoding work on the same bytes and then verifies the equal value
/// built at setup (checked equal below).
type ElasticParts = (
    Vec<RistrettoPoint>,
    RingProof<Ristretto>,
    LogEqualityProof<Ristretto>,
);

fn elastic_decode(bytes: &[u8], options: usize) -> Option<ElasticParts> {
    let (ciphertexts, rest) = bytes.split_at_checked(2 * 32 * options)?;
    let points = ciphertexts
        .chunks(32)
        .map(Ristretto::deserialize_element)
        .collect::<Option<Vec<_>>>()?;
    let (ring, sum) = rest.split_at_checked(32 * (1 + 2 * options))?;
    Some((
        points,
        RingProof::from_bytes(ring)?,
        LogEqualityProof::from_bytes(sum)?,
    ))
}

struct Side {
    options: usize,
    election: ChoiceElection,
    /// At least `THREADS · BATCH` ballots on the wire.
    wire: Vec<Vec<u8>>,
    elastic_params: ChoiceParams<Ristretto, SingleChoice>,
    elastic_choice: EncryptedChoice<Ristretto, SingleChoice>,
    elastic_bytes: Vec<u8>,
    counts: (Counts, Counts),
}

fn side(options: usize, ballots: usize, rng: &mut ChaCha20Rng) -> Side {
    let election = ChoiceElection::new(options, rng).expect("an election");
    let wire = election
        .wire_ballots(ballots.max(THREADS * BATCH), rng)
        .expect("ballots");
    let counts = counts(&election, &wire).expect("counts");

    let (pk, _) = Keypair::<Ristretto>::generate(rng).into_tuple();
    let elastic_params = ChoiceParams::single(pk, options);
    let elastic_choice = EncryptedChoice::single(&elastic_params, 1, rng);
    let elastic_bytes = elastic_wire(&elastic_choice);
    let (points, ring, sum) = elastic_decode(&elastic_bytes, options).expect("decodes");
    let expected: Vec<RistrettoPoint> = elastic_choice
        .choices_unchecked()
        .iter()
        .flat_map(|c| [*c.random_element(), *c.blinded_element()])
        .collect();
    assert_eq!(points, expected);
    assert_eq!(ring.to_bytes(), elastic_choice.range_proof().to_bytes());
    assert_eq!(sum.to_bytes(), elastic_choice.sum_proof().to_bytes());
    elastic_choice.verify(&elastic_params).expect("valid");

    Side {
        options,
        election,
        wire,
        elastic_params,
        elastic_choice,
        elastic_bytes,
        counts,
    }
}

fn encrypt(c: &mut Criterion<ThreadCpu>, name: &str, side: &Side, rng: &mut ChaCha20Rng) {
    let mut group = configure(c, name);
    group.throughput(Throughput::Elements(1));
    group.bench_function("elastic/encrypt_prove", |b| {
        b.iter(|| EncryptedChoice::single(&side.elastic_params, 1, rng))
    });
    let credential = side
        .election
        .credential(1_000_000, rng)
        .expect("credential");
    group.bench_function("ours/cast", |b| {
        b.iter(|| side.election.cast(&credential, 1, rng).expect("cast"))
    });
    group.bench_function("ours/cast_precomputed", |b| {
        b.iter(|| {
            side.election
                .cast_precomputed(&credential, 1, rng)
                .expect("cast")
        })
    });
    let pseudonym = credential.pseudonym().to_bytes();
    let public = side.election.keys.election_key;
    let cold = EncryptionKey::new(public);
    group.bench_function("ours/encrypt_prove", |b| {
        b.iter(|| BallotProofs::prove(&side.election, &cold, &pseudonym, 1, rng).expect("prove"))
    });
    let precomputed = EncryptionKey::precomputed(public);
    group.bench_function("ours/encrypt_prove_precomputed", |b| {
        b.iter(|| {
            BallotProofs::prove(&side.election, &precomputed, &pseudonym, 1, rng).expect("prove")
        })
    });
    // The one-time cost of the table, paid once per election key and device.
    group.bench_function("ours/precompute_key", |b| {
        b.iter(|| EncryptionKey::precomputed(black_box(public)))
    });
    group.finish();
}

fn on_pool<T: Send>(pool: &rayon::ThreadPool, work: impl FnOnce() -> T + Send) -> T {
    pool.install(work)
}

fn verify(c: &mut Criterion<ThreadCpu>, name: &str, side: &Side) {
    let election = &side.election;
    let keys = &election.keys;
    let batch = side.wire.get(..BATCH).expect("ballots");
    let one = side.wire.first().expect("ballots");
    let mut group = configure(c, name);

    group.throughput(Throughput::Elements(1));
    group.bench_function("elastic/verify_decoded", |b| {
        b.iter(|| {
            side.elastic_choice
                .verify(&side.elastic_params)
                .expect("valid")
                .len()
        })
    });
    group.bench_function("elastic/decode_verify", |b| {
        b.iter(|| {
            black_box(elastic_decode(black_box(&side.elastic_bytes), side.options))
                .expect("decodes");
            side.elastic_choice
                .verify(&side.elastic_params)
                .expect("valid")
                .len()
        })
    });
    group.bench_function("ours/proofs/single", |b| {
        b.iter(|| {
            BallotProofs::from_wire(black_box(one), keys)
                .expect("decodes")
                .verify(election)
                .expect("valid")
        })
    });
    group.bench_function("ours/whole/single", |b| {
        b.iter(|| {
            Ballot::from_bytes(black_box(one), keys.layout())
                .expect("decodes")
                .verify(keys)
                .expect("valid")
        })
    });

    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_with_input(
        BenchmarkId::new("ours/proofs/batched", BATCH),
        batch,
        |b, ballots| {
            b.iter(|| {
                verify_proofs_batched(election, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                    .expect("valid")
            })
        },
    );
    group.bench_with_input(
        BenchmarkId::new("ours/whole/batched", BATCH),
        batch,
        |b, ballots| {
            b.iter(|| {
                verify_ballots_batched(keys, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                    .expect("valid")
            })
        },
    );
    // A larger batch: the multiscalar multiplication's cost per point still falls.
    if side.wire.len() >= LARGE_BATCH {
        let large = side.wire.get(..LARGE_BATCH).expect("ballots");
        group.throughput(Throughput::Elements(LARGE_BATCH as u64));
        group.bench_with_input(
            BenchmarkId::new("ours/proofs/batched", LARGE_BATCH),
            large,
            |b, ballots| {
                b.iter(|| {
                    verify_proofs_batched(election, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                        .expect("valid")
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/whole/batched", LARGE_BATCH),
            large,
            |b, ballots| {
                b.iter(|| {
                    verify_ballots_batched(keys, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                        .expect("valid")
                })
            },
        );
    }

    group.finish();
}

/// The 2-thread runs, in wall-clock time (thread CPU time cannot show a speed-up), each
/// beside the same work on one thread and elastic-elgamal's, also in wall-clock time.
fn parallel(c: &mut Criterion<WallTime>, name: &str, side: &Side, pool: &rayon::ThreadPool) {
    let election = &side.election;
    let keys = &election.keys;
    let batch = side.wire.get(..BATCH).expect("ballots");
    let mut group = configure(c, name);
    group.throughput(Throughput::Elements(1));
    group.bench_function("elastic/decode_verify", |b| {
        b.iter(|| {
            black_box(elastic_decode(black_box(&side.elastic_bytes), side.options))
                .expect("decodes");
            side.elastic_choice
                .verify(&side.elastic_params)
                .expect("valid")
                .len()
        })
    });
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_with_input(
        BenchmarkId::new("ours/proofs/batched", BATCH),
        batch,
        |b, ballots| {
            b.iter(|| {
                verify_proofs_batched(election, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                    .expect("valid")
            })
        },
    );
    group.bench_with_input(
        BenchmarkId::new("ours/whole/batched", BATCH),
        batch,
        |b, ballots| {
            b.iter(|| {
                verify_ballots_batched(keys, ballots, &mut ChaCha20Rng::from_seed([1; 32]))
                    .expect("valid")
            })
        },
    );
    // One batch per thread, each with its own weights: what the core's `parallel`
    // feature does with a record's ballots.
    let all = side.wire.get(..THREADS * BATCH).expect("ballots");
    group.throughput(Throughput::Elements(all.len() as u64));
    group.bench_function(
        format!("ours/proofs/batched_{BATCH}x{THREADS}_threads"),
        |b| {
            b.iter(|| {
                on_pool(pool, || {
                    all.par_chunks(BATCH)
                        .enumerate()
                        .try_for_each(|(i, chunk)| {
                            verify_proofs_batched(
                                election,
                                chunk,
                                &mut ChaCha20Rng::from_seed([i as u8; 32]),
                            )
                        })
                })
                .expect("valid")
            })
        },
    );
    group.bench_function(
        format!("ours/whole/batched_{BATCH}x{THREADS}_threads"),
        |b| {
            b.iter(|| {
                on_pool(pool, || {
                    all.par_chunks(BATCH)
                        .enumerate()
                        .try_for_each(|(i, chunk)| {
                            verify_ballots_batched(
                                keys,
                                chunk,
                                &mut ChaCha20Rng::from_seed([i as u8; 32]),
                            )
                        })
                })
                .expect("valid")
            })
        },
    );
    group.finish();
}

fn sum(c: &mut Criterion<ThreadCpu>, rng: &mut ChaCha20Rng) {
    let election = ChoiceElection::new(4, rng).expect("an election");
    let key = election.keys.election_key;
    let ours: Vec<Ciphertext> = (0..SUMMED)
        .map(|i| key.encrypt(u64::from(i % 4 == 0), rng).0)
        .collect();
    let rows: Vec<[Ciphertext; 1]> = ours.iter().map(|c| [*c]).collect();
    let (pk, _) = Keypair::<Ristretto>::generate(rng).into_tuple();
    let elastic: Vec<elastic_elgamal::Ciphertext<Ristretto>> = (0..SUMMED)
        .map(|i| pk.encrypt(u64::from(i % 4 == 0), rng))
        .collect();

    let mut group = configure(c, "peer_sum_10000");
    group.throughput(Throughput::Elements(SUMMED as u64));
    group.bench_function("elastic/sum", |b| {
        b.iter(|| {
            elastic
                .iter()
                .copied()
                .fold(elastic_elgamal::Ciphertext::zero(), |acc, c| acc + c)
        })
    });
    group.bench_function("ours/sum", |b| b.iter(|| Ciphertext::sum(&ours)));
    group.bench_function("ours/aggregate_with_duplicate_check", |b| {
        b.iter(|| Aggregate::from_ballots(&rows, 1).expect("aggregate"))
    });
    group.finish();
}

fn decrypt(c: &mut Criterion<ThreadCpu>, rng: &mut ChaCha20Rng) {
    let max = SUMMED as u64;
    let mut group = configure(c, "peer_decrypt_sum");
    group.throughput(Throughput::Elements(1));

    // One key.
    let election = ChoiceElection::new(4, rng).expect("an election");
    let key = election.keys.election_key;
    let ours_sum = Ciphertext::sum(
        &(0..SUMMED)
            .map(|i| key.encrypt(u64::from(i % 4 == 0), rng).0)
            .collect::<Vec<_>>(),
    );
    let ours_table = DlogTable::new(max).expect("table");
    let (pk, sk) = Keypair::<Ristretto>::generate(rng).into_tuple();
    let elastic_sum = (0..SUMMED)
        .map(|i| pk.encrypt(u64::from(i % 4 == 0), rng))
        .fold(elastic_elgamal::Ciphertext::zero(), |acc, c| acc + c);
    let elastic_table = DiscreteLogTable::<Ristretto>::new(0..=max);
    let total = (SUMMED as u64).div_ceil(4);
    let expected = Some(total);
    assert_eq!(sk.decrypt(elastic_sum, &elastic_table), expected);
    assert_eq!(
        ours_table
            .vartime_lookup(&election.election_secret.decrypt_to_point(&ours_sum))
            .ok(),
        expected
    );
    group.bench_function("elastic/one_key", |b| {
        b.iter(|| sk.decrypt(elastic_sum, &elastic_table).expect("in table"))
    });
    group.bench_function("ours/one_key", |b| {
        b.iter(|| {
            ours_table
                .vartime_lookup(&election.election_secret.decrypt_to_point(&ours_sum))
                .expect("in table")
        })
    });
    group.bench_function("elastic/table_0..=10000", |b| {
        b.iter(|| DiscreteLogTable::<Ristretto>::new(0..=max))
    });
    group.bench_function("ours/table_0..=10000", |b| {
        b.iter(|| DlogTable::new(max).expect("table"))
    });

    // 3 of 5 trustees. Ours: a trustee's share recomputes the aggregate from the
    // 10,000 ballots first (the core decrypts nothing else), and `combine` verifies each
    // share's proof, interpolates and decodes with its own table. elastic-elgamal:
    // a share of the given ciphertext; verify 3 shares, combine, decode (table built).
    let shares = run_ceremony(5, 3, rng).expect("ceremony");
    let public = shares.first().expect("five").public().clone();
    let rows: Vec<[Ciphertext; 1]> = (0..SUMMED)
        .map(|i| [public.election_key().encrypt(u64::from(i % 4 == 0), rng).0])
        .collect();
    let aggregate = Aggregate::from_ballots(&rows, 1).expect("aggregate");
    let decryption: Vec<DecryptionShare> = shares
        .iter()
        .take(3)
        .map(|s| {
            s.decrypt_aggregate(&rows, &aggregate, 1, rng)
                .expect("share")
        })
        .collect();
    assert_eq!(
        combine(&public, &CONTEXT, &aggregate, &decryption)
            .expect("tally")
            .totals,
        vec![total]
    );
    let first = shares.first().expect("five");
    group.bench_function("ours/threshold_share", |b| {
        b.iter(|| {
            first
                .decrypt_aggregate(&rows, &aggregate, 1, rng)
                .expect("share")
        })
    });
    group.bench_function("ours/threshold_combine_3_of_5", |b| {
        b.iter(|| combine(&public, &CONTEXT, &aggregate, &decryption).expect("tally"))
    });

    let params = Params::new(5, 3);
    let dealer = Dealer::<Ristretto>::new(params, rng);
    let (poly, proof) = dealer.public_info();
    let key_set = PublicKeySet::new(params, poly, proof).expect("key set");
    let participants: Vec<ActiveParticipant<Ristretto>> = (0..5)
        .map(|i| {
            ActiveParticipant::new(key_set.clone(), i, dealer.secret_share_for_participant(i))
                .expect("participant")
        })
        .collect();
    let enc = (0..SUMMED)
        .map(|i| key_set.shared_key().encrypt(u64::from(i % 4 == 0), rng))
        .fold(elastic_elgamal::Ciphertext::zero(), |acc, c| acc + c);
    let elastic_shares: Vec<(Vec<u8>, LogEqualityProof<Ristretto>)> = participants
        .iter()
        .take(3)
        .map(|p| {
            let (share, proof) = p.decrypt_share(enc, rng);
            (share.to_bytes(), proof)
        })
        .collect();
    let elastic_combine = || {
        let verified = elastic_shares
            .iter()
            .enumerate()
            .map(|(i, (bytes, proof))| {
                let candidate = CandidateDecryption::from_bytes(bytes).expect("decodes");
                (
                    i,
                    key_set
                        .verify_share(candidate, enc, i, proof)
                        .expect("valid"),
                )
            });
        params
            .combine_shares(verified)
            .expect("enough shares")
            .decrypt(enc, &elastic_table)
            .expect("in table")
    };
    assert_eq!(Some(elastic_combine()), expected);
    let participant = participants.first().expect("five");
    group.bench_function("elastic/threshold_share", |b| {
        b.iter(|| participant.decrypt_share(enc, rng))
    });
    group.bench_function("elastic/threshold_combine_3_of_5", |b| {
        b.iter(elastic_combine)
    });
    group.finish();
}

fn floor(c: &mut Criterion<ThreadCpu>, msm_sizes: &[usize], rng: &mut ChaCha20Rng) {
    let mut group = configure(c, "peer_floor");
    let point = RistrettoPoint::mul_base(&Scalar::random(rng));
    let compressed: CompressedRistretto = point.compress();
    group.throughput(Throughput::Elements(1));
    group.bench_function("decompress", |b| {
        b.iter(|| black_box(&compressed).decompress().expect("valid"))
    });
    for &n in msm_sizes {
        let scalars: Vec<Scalar> = (0..n).map(|_| Scalar::random(rng)).collect();
        let points: Vec<RistrettoPoint> = (0..n)
            .map(|_| RistrettoPoint::mul_base(&Scalar::random(rng)))
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("msm_per_point", n), &n, |b, _| {
            b.iter(|| RistrettoPoint::vartime_multiscalar_mul(&scalars, &points))
        });
    }
    group.finish();
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_default()
}

fn counts_json(options: usize, (proofs, whole): (Counts, Counts)) -> String {
    format!(
        "\"{options}\": {{\"proofs\": {{\"decompressions\": {}, \"msm_points\": {}}}, \
         \"whole\": {{\"decompressions\": {}, \"msm_points\": {}}}}}",
        proofs.decompressions, proofs.msm_points, whole.decompressions, whole.msm_points
    )
}

fn main() {
    let load_before = load_average();
    let measurement = if thread_cpu_ns().is_some() {
        "thread CPU time (/proc/thread-self/schedstat); the 2-thread groups in wall-clock time"
    } else {
        "wall-clock time (no /proc/thread-self/schedstat)"
    };
    let mut c = Criterion::default()
        .with_measurement(ThreadCpu)
        .configure_from_args();
    let mut wall = Criterion::default().configure_from_args();
    let mut rng = ChaCha20Rng::from_seed([9; 32]);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("a thread pool");

    let four = side(4, LARGE_BATCH, &mut rng);
    let sixteen = side(16, 0, &mut rng);
    encrypt(&mut c, "peer_1of4_encrypt", &four, &mut rng);
    verify(&mut c, "peer_1of4_verify", &four);
    encrypt(&mut c, "peer_16_encrypt", &sixteen, &mut rng);
    verify(&mut c, "peer_16_verify", &sixteen);
    sum(&mut c, &mut rng);
    decrypt(&mut c, &mut rng);
    // The floor's unit: multiscalar multiplications as large as a 64-ballot batch of
    // 1-of-4 and of 16-option ballots' proofs, and a larger one.
    let batch_terms = BATCH * four.counts.0.msm_points;
    floor(
        &mut c,
        &[batch_terms, BATCH * sixteen.counts.0.msm_points, 16_384],
        &mut rng,
    );
    parallel(&mut wall, "peer_1of4_parallel", &four, &pool);
    parallel(&mut wall, "peer_16_parallel", &sixteen, &pool);
    c.final_summary();
    wall.final_summary();

    let load_after = load_average();
    let json = format!(
        "{{\"cpu\": \"{}\", \"measurement\": \"{measurement}\", \"threads\": {THREADS}, \"batch\": {BATCH}, \
         \"msm_batch_points\": {batch_terms}, \"load_before\": \"{load_before}\", \
         \"load_after\": \"{load_after}\", \"counts\": {{{}, {}}}}}\n",
        cpu_model(),
        counts_json(4, four.counts),
        counts_json(16, sixteen.counts),
    );
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion");
    if std::fs::create_dir_all(&dir).is_ok() {
        // A missing context file only leaves the report without the floor.
        let _ = std::fs::write(dir.join("peer-context.json"), json);
    }
}
