//! The byte-level API the bindings adapt (`secret_ballot::wire`): every function that
//! takes bytes (`record_verify` and `record_json` are `verify_record`'s and
//! `decode_record`'s), with arguments the fuzzer builds from arbitrary bytes, the vectors'
//! messages (manifest, keys, ballots, ceremony packages, issuance report) and mutations
//! of them. Never panics; provers are complete (what `*_prove` makes, `*_verify`
//! accepts; what is encrypted decrypts); nothing but the vectors' ballots and spoiled
//! ballots verifies against the vectors' manifest.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use secret_ballot::curve25519_dalek::ristretto::CompressedRistretto;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::encoding::MessageKind;
use secret_ballot::transcript::CONTEXT_LEN;
use secret_ballot::wire;
use secret_ballot_fuzz::{Counter, Fixture, fixture};

/// The vectors' messages an argument may start from.
struct Inputs {
    manifest: Vec<u8>,
    election_key: Vec<u8>,
    context: Vec<u8>,
    issuer_key: Vec<u8>,
    report_key: Vec<u8>,
    trustee_keys: Vec<Vec<u8>>,
    ballots: Vec<Vec<u8>>,
    spoiled: Vec<Vec<u8>>,
    round1: Vec<Vec<u8>>,
    round2: Vec<Vec<u8>>,
    report: Vec<u8>,
    shares: Vec<Vec<u8>>,
    ciphertexts: Vec<Vec<u8>>,
}

fn inputs(f: &Fixture) -> Inputs {
    let all = |kind| f.of_kind(kind).into_iter().cloned().collect::<Vec<_>>();
    let ballots = all(MessageKind::Ballot);
    // The first ballot's first ciphertext: 2 header, 32 pseudonym, 162 signature,
    // 1 question kind, 2 count (as in core/tests/support/tamper.rs).
    let ciphertexts = ballots
        .iter()
        .filter_map(|b| b.get(199..263).map(<[u8]>::to_vec))
        .collect();
    Inputs {
        manifest: f.payloads[0].clone(),
        election_key: f.report.election_key.expect("key").to_bytes().to_vec(),
        context: f.report.context.expect("context").to_vec(),
        issuer_key: f.manifest.issuer_key.to_bytes().to_vec(),
        report_key: f.manifest.report_key.to_bytes().to_vec(),
        trustee_keys: f
            .manifest
            .trustee_keys
            .iter()
            .map(|k| k.to_bytes().to_vec())
            .collect(),
        ballots,
        spoiled: all(MessageKind::SpoiledBallot),
        round1: all(MessageKind::DkgRound1),
        round2: all(MessageKind::DkgRound2),
        report: all(MessageKind::IssuanceReport).remove(0),
        shares: all(MessageKind::DecryptionShare),
        ciphertexts,
    }
}

/// An argument: arbitrary bytes, one of `choices` as it is, or one of them mutated.
fn arg(u: &mut Unstructured<'_>, choices: &[&[u8]]) -> Result<Vec<u8>> {
    if choices.is_empty() {
        return u.arbitrary();
    }
    Ok(match u.int_in_range(0u8..=3)? {
        0 => u.arbitrary()?,
        1 => {
            let mut bytes = u.choose(choices)?.to_vec();
            if !bytes.is_empty() {
                let at = u.choose_index(bytes.len())?;
                bytes[at] ^= u.int_in_range(1u8..=255)?;
            }
            bytes
        }
        _ => u.choose(choices)?.to_vec(),
    })
}

fn list(u: &mut Unstructured<'_>, choices: &[Vec<u8>]) -> Result<Vec<Vec<u8>>> {
    let refs: Vec<&[u8]> = choices.iter().map(Vec::as_slice).collect();
    if u.arbitrary()? {
        return Ok(choices.to_vec());
    }
    let n = u.int_in_range(0u8..=6)?;
    (0..n).map(|_| arg(u, &refs)).collect()
}

fn refs(items: &[Vec<u8>]) -> Vec<&[u8]> {
    items.iter().map(Vec::as_slice).collect()
}

fn small(u: &mut Unstructured<'_>) -> Result<u64> {
    Ok(u64::from(u.int_in_range(0u8..=40)?))
}

fn run(u: &mut Unstructured<'_>, i: &Inputs, rng: &mut Counter) -> Result<()> {
    let ctx = arg(u, &[&i.context])?;
    match u.int_in_range(0u8..=15)? {
        0 => {
            // Encrypt, then decrypt with the same secret.
            let secret = arg(u, &[])?;
            let (value, r) = (small(u)?, arg(u, &[])?);
            if let Ok(public) = wire::elgamal_public_key(&secret)
                && let Ok(ct) = wire::elgamal_encrypt_with(&public, value, &r)
            {
                assert_eq!(wire::elgamal_decrypt(&secret, &ct, 40).ok(), Some(value));
                assert_eq!(wire::ciphertext_sum(&[&ct]).ok(), Some(ct));
            }
        }
        1 => {
            let cts = list(u, &i.ciphertexts)?;
            let _ = wire::ciphertext_sum(&refs(&cts));
        }
        2 => {
            let (secret, ct) = (arg(u, &[])?, arg(u, &refs(&i.ciphertexts))?);
            // A table up to 2^48 is legal but slow to build: keep it small, and try
            // the limit's error path.
            let max = if u.arbitrary()? {
                small(u)?
            } else {
                u64::MAX - small(u)?
            };
            let _ = wire::elgamal_decrypt(&secret, &ct, max);
        }
        3 => {
            let secret = arg(u, &[])?;
            if let Ok(proof) = wire::schnorr_prove(&ctx, &secret, rng) {
                let public = wire::elgamal_public_key(&secret).expect("a key that proves");
                wire::schnorr_verify(&ctx, &public, &proof).expect("Schnorr completeness");
                let _ = wire::schnorr_verify(&ctx, &public, &arg(u, &[&proof])?);
            }
        }
        4 => {
            let (g, h, secret) = (arg(u, &[])?, arg(u, &[])?, arg(u, &[])?);
            if let Ok(proof) = wire::dleq_prove(&ctx, &g, &h, &secret, rng) {
                let x = Scalar::from_canonical_bytes(secret.try_into().expect("32 bytes"))
                    .expect("a canonical scalar");
                let times = |p: &[u8]| {
                    let point = CompressedRistretto::from_slice(p)
                        .expect("32 bytes")
                        .decompress()
                        .expect("a point");
                    (point * x).compress().to_bytes()
                };
                let (p, q) = (times(&g), times(&h));
                wire::dleq_verify(&ctx, &g, &h, &p, &q, &proof).expect("DLEQ completeness");
            }
        }
        5 => {
            let pk = arg(u, &[&i.election_key])?;
            let (value, r) = (small(u)?, arg(u, &[])?);
            let (min, max) = (small(u)?, small(u)?);
            if let Ok(ct) = wire::elgamal_encrypt_with(&pk, value, &r) {
                match wire::range_prove(&ctx, &pk, &ct, value, &r, min, max, rng) {
                    Ok(proof) => {
                        assert!(min <= value && value <= max, "a range proof of a lie");
                        wire::range_verify(&ctx, &pk, &ct, min, max, &proof)
                            .expect("range completeness");
                    }
                    Err(_) => assert!(
                        ctx.len() != CONTEXT_LEN || !(min <= value && value <= max),
                        "no range proof of a true statement"
                    ),
                }
            }
        }
        6 => {
            let keys = list(u, &i.trustee_keys)?;
            let round1 = list(u, &i.round1)?;
            let threshold = u.int_in_range(0u16..=6)?;
            let _ = wire::threshold_public_keys(&ctx, threshold, &refs(&keys), &refs(&round1));
        }
        7 => {
            let keys = list(u, &i.trustee_keys)?;
            let round1 = list(u, &i.round1)?;
            let threshold = u.int_in_range(0u16..=6)?;
            let ballots: Vec<Vec<Vec<u8>>> = (0..u.int_in_range(0u8..=3)?)
                .map(|_| list(u, &i.ciphertexts))
                .collect::<Result<_>>()?;
            let ballots: Vec<Vec<&[u8]>> = ballots.iter().map(|b| refs(b)).collect();
            let shares = list(u, &i.shares)?;
            let _ = wire::threshold_tally(
                &ctx,
                threshold,
                &refs(&keys),
                &refs(&round1),
                &ballots,
                &refs(&shares),
            );
        }
        8 => {
            let manifest = arg(u, &[&i.manifest])?;
            if let Ok(context) = wire::manifest_context(&manifest)
                && manifest == i.manifest
            {
                assert_eq!(context, i.context);
            }
        }
        9 => {
            let manifest = arg(u, &[&i.manifest])?;
            let key = arg(u, &[&i.election_key])?;
            let ballot = arg(u, &refs(&i.ballots))?;
            if wire::ballot_verify(&manifest, &key, &ballot).is_ok() && manifest == i.manifest {
                assert!(i.ballots.contains(&ballot), "a forged ballot verifies");
            }
        }
        10 => {
            let manifest = arg(u, &[&i.manifest])?;
            let key = arg(u, &[&i.election_key])?;
            let spoiled = arg(u, &refs(&i.spoiled))?;
            // Only the openings are checked (the device compares them with its
            // choices); anyone can make ciphertexts with known randomness, so an opened
            // spoiled ballot need not be one of ours: it has one value per position.
            if let Ok(values) = wire::spoiled_ballot_open(&manifest, &key, &spoiled)
                && manifest == i.manifest
            {
                assert_eq!(values.len(), fixture().keys.width());
            }
        }
        11 => {
            let manifest = arg(u, &[&i.manifest])?;
            let commit = arg(u, &[])?;
            if let Ok((state, _challenge)) = wire::credential_challenge(&manifest, &commit, rng) {
                let _ = wire::credential_finalize(state, &arg(u, &[])?);
            }
        }
        12 => {
            let report = arg(u, &[&i.report])?;
            let key = arg(u, &[&i.report_key])?;
            let _ = wire::issuance_report_verify(&report, &key, &ctx);
            let (issuer, pseudonym, signature) =
                (arg(u, &[&i.issuer_key])?, arg(u, &[])?, arg(u, &[])?);
            let _ = wire::credential_verify(&issuer, &ctx, &pseudonym, &signature);
        }
        13 => {
            // A key ceremony on the vectors' manifest, with fuzzed long-term keys and
            // fuzzed packages from the other trustees.
            let manifest = arg(u, &[&i.manifest])?;
            let index = u.int_in_range(0u16..=6)?;
            let long_term = arg(u, &[])?;
            if let Ok((secret, _package)) = wire::ceremony_round1(&manifest, index, rng)
                && let Ok((secret2, _)) = wire::ceremony_round2(secret, &manifest, &long_term)
            {
                let round1 = list(u, &i.round1)?;
                let round2 = list(u, &i.round2)?;
                let _ = wire::ceremony_complaints(
                    &secret2,
                    &manifest,
                    &long_term,
                    &refs(&round1),
                    &refs(&round2),
                );
                let _ = wire::ceremony_answer(&secret2, &manifest, &arg(u, &[])?);
                let complaints = list(u, &[])?;
                let answers = list(u, &[])?;
                let public = wire::CeremonyMessages {
                    round1: &refs(&round1),
                    round2: &refs(&round2),
                    complaints: &refs(&complaints),
                    answers: &refs(&answers),
                };
                let _ = wire::ceremony_finish(&secret2, &manifest, &long_term, &public);
            }
        }
        14 => {
            // Completing the vectors' closed record. It has a 2-of-3 ceremony and the
            // vectors hold two valid shares, so whatever else the list holds (copies,
            // mutations), a tally that succeeds used both and completes the record to
            // exactly the vectors' tallied one.
            let f = fixture();
            let closed = arg(u, &[&f.closed])?;
            let shares = list(u, &i.shares)?;
            if let Ok((record, _)) = wire::record_tally(&closed, &refs(&shares), rng) {
                assert_eq!(record, f.record, "a tally that is not the vectors'");
            }
        }
        _ => {
            let header = arg(u, &[])?;
            let _ = wire::record_entry_len(&header);
            let _ = wire::record_close(u.arbitrary()?, u.arbitrary()?);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let i = {
        use std::sync::OnceLock;
        static INPUTS: OnceLock<Inputs> = OnceLock::new();
        INPUTS.get_or_init(|| inputs(fixture()))
    };
    let _ = run(&mut Unstructured::new(data), i, &mut Counter(3));
});
