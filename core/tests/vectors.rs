//! Known-answer tests: `test-vectors/v1/*.json`, the contract between Rust, Python and
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]
//! WASM. Every vector is regenerated here from fixed seeds and compared byte for byte
//! with the committed files; then every file is replayed (decode, verify, reject).
//!
//! To regenerate after an intentional format change (which also needs a new
//! `PROTOCOL_LABEL` or `FORMAT_VERSION`): `SECRET_BALLOT_WRITE_VECTORS=1 cargo test -p
//! secret-ballot --test vectors`.

#[path = "support/ceremony.rs"]
mod ceremony;
#[path = "support/common.rs"]
mod common;
#[path = "support/congress.rs"]
mod congress;
#[path = "support/sitting.rs"]
mod sitting;
#[path = "support/tamper.rs"]
mod tamper;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use secret_ballot::curve25519_dalek::ristretto::RistrettoPoint;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{Ciphertext, Keypair, PublicKey, Randomness, SecretKey};
use secret_ballot::encoding::{GroupElement, decode_point, decode_scalar};
use secret_ballot::proofs::{
    DleqProof, DleqStatement, RangeProof, RangeStatement, SchnorrProof, SchnorrStatement,
    ValueRange, Verifiable,
};
use secret_ballot::transcript::{election_transcript, hash_to_group, tags};
use serde_json::{Value, json};

/// RFC 9496 Appendix A.2: encodings every decoder must refuse, by reason.
const RFC9496_INVALID: &[(&str, &str)] = &[
    (
        "non-canonical field encoding",
        "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ),
    (
        "non-canonical field encoding",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "non-canonical field encoding",
        "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "non-canonical field encoding",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "negative field element",
        "0100000000000000000000000000000000000000000000000000000000000000",
    ),
    (
        "negative field element",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
    (
        "negative field element",
        "ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
    ),
    (
        "negative field element",
        "c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
    ),
    (
        "negative field element",
        "c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78",
    ),
    (
        "negative field element",
        "47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24",
    ),
    (
        "negative field element",
        "f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72",
    ),
    (
        "negative field element",
        "87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309",
    ),
    (
        "non-square x^2",
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
    ),
    (
        "non-square x^2",
        "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
    ),
    (
        "non-square x^2",
        "de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
    ),
    (
        "non-square x^2",
        "bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042",
    ),
    (
        "non-square x^2",
        "2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08",
    ),
    (
        "non-square x^2",
        "f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
    ),
    (
        "non-square x^2",
        "8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731",
    ),
    (
        "non-square x^2",
        "2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b",
    ),
    (
        "negative x*y",
        "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
    ),
    (
        "negative x*y",
        "a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
    ),
    (
        "negative x*y",
        "d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e",
    ),
    (
        "negative x*y",
        "8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32",
    ),
    (
        "negative x*y",
        "32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
    ),
    (
        "negative x*y",
        "227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
    ),
    (
        "negative x*y",
        "5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
    ),
    (
        "negative x*y",
        "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
    ),
    (
        "s = -1",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ),
];

/// RFC 9496 Appendix A.1: the encodings of 0·G … 15·G (checked against dalek below).
const RFC9496_MULTIPLES: &[&str] = &[
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
];

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/v1")
}

fn h(bytes: impl AsRef<[u8]>) -> String {
    hex::encode(bytes)
}

fn unhex(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex string")).expect("valid hex")
}

fn seed(tag: &str, i: usize) -> [u8; 32] {
    // Seeds are printed in the vectors; deriving them from a tag only keeps them distinct.
    let mut out = [0u8; 32];
    for (j, b) in tag.bytes().chain((i as u32).to_le_bytes()).enumerate() {
        out[j % 32] ^= b.wrapping_add(j as u8);
    }
    out
}

fn context(i: usize) -> [u8; 32] {
    let mut c = [0u8; 32];
    c[0] = 0xc0;
    c[1] = i as u8;
    c
}

fn encodings() -> Value {
    let mut valid_points = Vec::new();
    let mut point = RistrettoPoint::default();
    for k in 0..16u64 {
        valid_points.push(json!({"hex": h(point.compress().as_bytes()), "multiple_of_G": k}));
        point += RISTRETTO_BASEPOINT_POINT;
    }
    let mut invalid_points: Vec<Value> = RFC9496_INVALID
        .iter()
        .map(|(reason, hex)| json!({"hex": hex, "reason": reason}))
        .collect();
    // 2p − s for canonical s: same point, second (non-canonical) encoding.
    for k in 1..4u64 {
        let s = (RISTRETTO_BASEPOINT_POINT * Scalar::from(k))
            .compress()
            .to_bytes();
        let mut two_p = [0xffu8; 32];
        two_p[0] = 0xda;
        let mut enc = [0u8; 32];
        let mut borrow = 0i16;
        for i in 0..32 {
            let d = i16::from(two_p[i]) - i16::from(s[i]) - borrow;
            enc[i] = (d & 0xff) as u8;
            borrow = i16::from(d < 0);
        }
        invalid_points
            .push(json!({"hex": h(enc), "reason": format!("non-canonical alias 2p - s of {k}*G")}));
    }
    invalid_points.push(json!({"hex": h([0u8; 31]), "reason": "31 bytes"}));
    invalid_points.push(json!({"hex": h([0u8; 33]), "reason": "33 bytes"}));

    let ell_minus_one = (-Scalar::ONE).to_bytes();
    let mut ell = ell_minus_one;
    ell[0] += 1;
    let mut ell_plus_one = ell;
    ell_plus_one[0] += 1;
    let valid_scalars = vec![
        json!({"hex": h(Scalar::ZERO.to_bytes())}),
        json!({"hex": h(Scalar::ONE.to_bytes())}),
        json!({"hex": h(ell_minus_one)}),
    ];
    let invalid_scalars = vec![
        json!({"hex": h(ell), "reason": "equal to the group order"}),
        json!({"hex": h(ell_plus_one), "reason": "group order + 1"}),
        json!({"hex": h([0xffu8; 32]), "reason": "2^256 - 1"}),
        json!({"hex": h([0u8; 31]), "reason": "31 bytes"}),
        json!({"hex": h([0u8; 33]), "reason": "33 bytes"}),
    ];
    json!({
        "description": "Canonical encodings (SPEC.md §3). valid_points decode and re-encode to the same bytes (identity included); invalid_points and invalid_scalars must be rejected. RFC 9496 Appendix A.2 provides the first 29 invalid points.",
        "valid_points": valid_points,
        "invalid_points": invalid_points,
        "valid_scalars": valid_scalars,
        "invalid_scalars": invalid_scalars,
    })
}

fn elgamal() -> Value {
    let mut rng = ChaCha20Rng::from_seed(seed("elgamal", 0));
    let key = Keypair::generate(&mut rng);
    let mut cases = Vec::new();
    let mut cts = Vec::new();
    for value in [0u64, 1, 2, 7, 1000, u64::from(u32::MAX)] {
        let r = Randomness::generate(&mut rng);
        let ct = key.public().encrypt_with(value, &r);
        cts.push(ct);
        cases.push(json!({
            "secret_key": h(key.secret().expose_bytes().as_slice()),
            "public_key": h(key.public().to_bytes()),
            "value": value,
            "randomness": h(r.expose_bytes().as_slice()),
            "ciphertext": h(ct.to_bytes()),
        }));
    }
    let sums = vec![
        json!({"ciphertexts": [h(cts[0].to_bytes()), h(cts[1].to_bytes())], "sum": h((cts[0] + cts[1]).to_bytes()), "value": 1}),
        json!({"ciphertexts": cts[..5].iter().map(|c| h(c.to_bytes())).collect::<Vec<_>>(), "sum": h(Ciphertext::sum(&cts[..5]).to_bytes()), "value": 1010}),
        json!({"ciphertexts": [], "sum": h(Ciphertext::zero().to_bytes()), "value": 0}),
    ];
    json!({
        "description": "Exponential ElGamal (SPEC.md §5): ciphertext = encrypt_with(public_key, value, randomness) = (r·G, value·G + r·Y); sums are component-wise; decrypting `sum` with the cases' secret key gives `value`.",
        "cases": cases,
        "sums": sums,
    })
}

fn generators() -> Value {
    json!({
        "description": "Generators (SPEC.md §4.4): G is the Ristretto255 base point; hash_to_group(tag, message) = FromUniformBytes(SHA-512(HASH_CONTEXT || u8(len(tag)) || tag || message)).",
        "G": h(GroupElement::GENERATOR.to_bytes()),
        "hash_to_group": [
            {"tag": "Z", "message_hex": h(b"example-election"), "point": h(hash_to_group(tags::Z, b"example-election").compress().as_bytes())},
            {"tag": "Z", "message_hex": "", "point": h(hash_to_group(tags::Z, b"").compress().as_bytes())},
        ],
    })
}

fn proofs() -> Value {
    let mut schnorr = Vec::new();
    let mut dleq = Vec::new();
    let mut range = Vec::new();
    let mut invalid = Vec::new();
    let mut keys_rng = ChaCha20Rng::from_seed(seed("proof-inputs", 0));

    for i in 0..3 {
        let (ctx, s) = (context(i), seed("schnorr", i));
        let x = SecretKey::generate(&mut keys_rng);
        let statement = SchnorrStatement {
            X: *x.public_key().element(),
        };
        let proof = SchnorrProof::prove(
            &mut election_transcript(&ctx),
            &statement,
            x.expose_scalar(),
            &mut ChaCha20Rng::from_seed(s),
        )
        .unwrap();
        schnorr.push(json!({"seed": h(s), "context": h(ctx), "secret": h(x.expose_bytes().as_slice()), "X": h(statement.X.to_bytes()), "proof": h(proof.to_bytes())}));
        if i == 0 {
            let base =
                json!({"kind": "schnorr", "context": h(ctx), "X": h(statement.X.to_bytes())});
            let bytes = proof.to_bytes();
            invalid.push(with(
                &base,
                "wrong election context",
                json!({"context": h(context(99)), "proof": h(&bytes)}),
                "invalid_proof",
            ));
            let mut z1 = bytes.clone();
            let z =
                Scalar::from_canonical_bytes(z1[34..66].try_into().unwrap()).unwrap() + Scalar::ONE;
            z1[34..66].copy_from_slice(z.as_bytes());
            invalid.push(with(
                &base,
                "response z + 1",
                json!({"proof": h(&z1)}),
                "invalid_proof",
            ));
            let mut r_other = bytes.clone();
            r_other[2..34].copy_from_slice(&RISTRETTO_BASEPOINT_POINT.compress().to_bytes());
            invalid.push(with(
                &base,
                "commitment replaced by G",
                json!({"proof": h(&r_other)}),
                "invalid_proof",
            ));
            invalid.push(with(&base, "other public key", json!({"X": h(RISTRETTO_BASEPOINT_POINT.compress().as_bytes()), "proof": h(&bytes)}), "invalid_proof"));
            let mut nc = bytes.clone();
            common::add_ell(&mut nc[34..66]);
            invalid.push(with(
                &base,
                "non-canonical response (z + l)",
                json!({"proof": h(&nc)}),
                "encoding",
            ));
            let mut id = bytes.clone();
            id[2..34].fill(0);
            invalid.push(with(
                &base,
                "identity commitment",
                json!({"proof": h(&id)}),
                "encoding",
            ));
            invalid.push(with(
                &base,
                "truncated",
                json!({"proof": h(&bytes[..65])}),
                "encoding",
            ));
            let mut trailing = bytes.clone();
            trailing.push(0);
            invalid.push(with(
                &base,
                "trailing byte",
                json!({"proof": h(&trailing)}),
                "encoding",
            ));
            let mut version = bytes.clone();
            version[0] = 2;
            invalid.push(with(
                &base,
                "unknown format version",
                json!({"proof": h(&version)}),
                "encoding",
            ));
            let mut kind = bytes.clone();
            kind[1] = 2;
            invalid.push(with(
                &base,
                "wrong message kind",
                json!({"proof": h(&kind)}),
                "encoding",
            ));
        }
    }

    for i in 0..3 {
        let (ctx, s) = (context(i), seed("dleq", i));
        let x = SecretKey::generate(&mut keys_rng);
        let g = if i == 0 {
            RISTRETTO_BASEPOINT_POINT
        } else {
            RISTRETTO_BASEPOINT_POINT * Scalar::random(&mut keys_rng)
        };
        let hh = RISTRETTO_BASEPOINT_POINT * Scalar::random(&mut keys_rng);
        let statement = DleqStatement {
            G: GroupElement::from_point(g),
            H: GroupElement::from_point(hh),
            P: GroupElement::from_point(g * x.expose_scalar()),
            Q: GroupElement::from_point(hh * x.expose_scalar()),
        };
        let proof = DleqProof::prove(
            &mut election_transcript(&ctx),
            &statement,
            x.expose_scalar(),
            &mut ChaCha20Rng::from_seed(s),
        )
        .unwrap();
        let entry = json!({"seed": h(s), "context": h(ctx), "secret": h(x.expose_bytes().as_slice()),
            "G": h(statement.G.to_bytes()), "H": h(statement.H.to_bytes()), "P": h(statement.P.to_bytes()), "Q": h(statement.Q.to_bytes()), "proof": h(proof.to_bytes())});
        if i == 0 {
            let bytes = proof.to_bytes();
            let mut base = entry.clone();
            base.as_object_mut().unwrap().remove("seed");
            base.as_object_mut().unwrap().remove("secret");
            base["kind"] = json!("dleq");
            invalid.push(with(
                &base,
                "P and Q swapped",
                json!({"P": entry["Q"].clone(), "Q": entry["P"].clone()}),
                "invalid_proof",
            ));
            invalid.push(with(
                &base,
                "other second base",
                json!({"H": h(RISTRETTO_BASEPOINT_POINT.compress().as_bytes())}),
                "invalid_proof",
            ));
            invalid.push(with(
                &base,
                "identity base",
                json!({"H": h([0u8; 32])}),
                "invalid_proof",
            ));
            let mut s_other = bytes.clone();
            s_other[34..66].copy_from_slice(&RISTRETTO_BASEPOINT_POINT.compress().to_bytes());
            invalid.push(with(
                &base,
                "second commitment replaced by G",
                json!({"proof": h(&s_other)}),
                "invalid_proof",
            ));
            let unequal = GroupElement::from_point(hh * (x.expose_scalar() + Scalar::ONE));
            let st = DleqStatement {
                Q: unequal,
                ..statement
            };
            let cheat = DleqProof::prove(
                &mut election_transcript(&ctx),
                &st,
                x.expose_scalar(),
                &mut ChaCha20Rng::from_seed(s),
            )
            .unwrap();
            invalid.push(with(
                &base,
                "unequal logarithms (Q = (x+1)·H)",
                json!({"Q": h(unequal.to_bytes()), "proof": h(cheat.to_bytes())}),
                "invalid_proof",
            ));
        }
        dleq.push(entry);
    }

    let key = Keypair::generate(&mut keys_rng);
    let other_key = Keypair::generate(&mut keys_rng);
    let cases: &[(u64, u64, u64)] = &[
        (0, 0, 1),
        (1, 0, 1),
        (0, 0, 0),
        (2, 0, 3),
        (5, 1, 5),
        (1, 1, 1),
        (1000, 998, 1003),
    ];
    for (i, &(value, min, max)) in cases.iter().enumerate() {
        let (ctx, s) = (context(i), seed("range", i));
        let r = Randomness::generate(&mut keys_rng);
        let ciphertext = key.public().encrypt_with(value, &r);
        let statement = RangeStatement {
            public_key: *key.public(),
            ciphertext,
            range: ValueRange::new(min, max).unwrap(),
        };
        let proof = RangeProof::prove(
            &mut election_transcript(&ctx),
            &statement,
            value,
            &r,
            &mut ChaCha20Rng::from_seed(s),
        )
        .unwrap();
        let entry = json!({"seed": h(s), "context": h(ctx), "public_key": h(key.public().to_bytes()), "ciphertext": h(ciphertext.to_bytes()),
            "randomness": h(r.expose_bytes().as_slice()), "value": value, "min": min, "max": max, "proof": h(proof.to_bytes())});
        if i == 1 {
            let bytes = proof.to_bytes();
            let mut base = entry.clone();
            for k in ["seed", "randomness", "value"] {
                base.as_object_mut().unwrap().remove(k);
            }
            base["kind"] = json!("range");
            invalid.push(with(
                &base,
                "wrong election context",
                json!({"context": h(context(99))}),
                "invalid_proof",
            ));
            invalid.push(with(
                &base,
                "other public key",
                json!({"public_key": h(other_key.public().to_bytes())}),
                "invalid_proof",
            ));
            let other_ct = key
                .public()
                .encrypt_with(1, &Randomness::generate(&mut keys_rng));
            invalid.push(with(
                &base,
                "another ballot's ciphertext (swapped)",
                json!({"ciphertext": h(other_ct.to_bytes())}),
                "invalid_proof",
            ));
            let swapped_ab =
                Ciphertext::from_points(*ciphertext.b().point(), *ciphertext.a().point());
            invalid.push(with(
                &base,
                "ciphertext components swapped",
                json!({"ciphertext": h(swapped_ab.to_bytes())}),
                "invalid_proof",
            ));
            invalid.push(with(
                &base,
                "shifted range [1, 2]",
                json!({"min": 1, "max": 2}),
                "invalid_proof",
            ));
            invalid.push(with(
                &base,
                "wider range [0, 2]",
                json!({"min": 0, "max": 2}),
                "invalid_proof",
            ));
            let mut c0 = bytes.clone();
            c0[132..164].copy_from_slice(Scalar::from(3u8).as_bytes());
            invalid.push(with(
                &base,
                "branch challenge replaced",
                json!({"proof": h(&c0)}),
                "invalid_proof",
            ));
            let mut count = bytes.clone();
            count[2] = 3;
            invalid.push(with(
                &base,
                "branch count does not match length",
                json!({"proof": h(&count)}),
                "encoding",
            ));
            // A cheating prover: encryption of 2 (and of −1) claimed to be a bit.
            for (label, ct, claimed) in [
                (
                    "encrypts 2, claimed 1",
                    key.public().encrypt_with(2, &r),
                    1u64,
                ),
                (
                    "encrypts -1, claimed 0",
                    Ciphertext::from_points(
                        *ciphertext.a().point(),
                        key.public().encrypt_with(0, &r).b().point() - RISTRETTO_BASEPOINT_POINT,
                    ),
                    0,
                ),
            ] {
                let st = RangeStatement {
                    ciphertext: ct,
                    ..statement
                };
                let cheat = RangeProof::prove_unchecked(
                    &mut election_transcript(&ctx),
                    &st,
                    claimed,
                    &r,
                    &mut ChaCha20Rng::from_seed(s),
                );
                invalid.push(with(
                    &base,
                    &format!("out-of-range plaintext: {label}"),
                    json!({"ciphertext": h(ct.to_bytes()), "proof": h(cheat.to_bytes())}),
                    "invalid_proof",
                ));
            }
        }
        range.push(entry);
    }
    json!({
        "description": "Proofs (SPEC.md §6). Each valid case: proof == prove(election_transcript(context), statement, witness, rng = ChaCha20Rng::from_seed(seed)) byte for byte (rand_chacha 0.3), and it verifies. Each invalid case must fail with `error`: 'encoding' (decoding the proof fails) or 'invalid_proof'.",
        "rng": "ChaCha20Rng (rand_chacha 0.3.1) seeded with `seed`, passed as the prover's RNG",
        "schnorr": schnorr,
        "dleq": dleq,
        "range": range,
        "invalid": invalid,
    })
}

fn threshold() -> Value {
    use secret_ballot::threshold::{Aggregate, CeremonyParameters, DecryptionShare};
    let s = seed("threshold", 0);
    let mut rng = ChaCha20Rng::from_seed(s);
    let ctx = context(35);
    let long_term: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let params = CeremonyParameters::new(
        ctx,
        3,
        long_term.iter().map(SecretKey::public_key).collect(),
    )
    .unwrap();
    let ceremony::Honest {
        round1,
        round2,
        shares,
        public,
    } = ceremony::honest(&params, &long_term, &mut rng);
    let choices = [0usize, 2, 1, 2, 2, 0];
    let ballots: Vec<Vec<Ciphertext>> = choices
        .iter()
        .map(|&c| {
            (0..3)
                .map(|k| public.election_key().encrypt(u64::from(k == c), &mut rng).0)
                .collect()
        })
        .collect();
    let aggregate = Aggregate::from_ballots(&ballots, 3).unwrap();
    let mut decryption_shares: Vec<DecryptionShare> = shares
        .iter()
        .map(|k| {
            k.decrypt_aggregate(&ballots, &aggregate, 3, &mut rng)
                .unwrap()
        })
        .collect();
    // Trustee 2's share opens another aggregate (the first ballot left out): invalid here.
    let other = Aggregate::from_ballots(&ballots[1..], 3).unwrap();
    decryption_shares[1] = shares[1]
        .decrypt_aggregate(&ballots[1..], &other, 3, &mut rng)
        .unwrap();
    let tally =
        secret_ballot::threshold::combine(&public, &ctx, &aggregate, &decryption_shares).unwrap();
    json!({
        "description": "A seeded 3-of-5 key ceremony (SPEC.md §7) and the decryption of an aggregate of 6 ballots of width 3 (SPEC.md §8). Replay: every round-1 package verifies; with no complaints, the election key and verification keys follow from the round-1 packages; the aggregate of `ballots` has `aggregate_hash`; combining `decryption_shares` rejects trustee 2 (its share opens another aggregate) and yields `totals`.",
        "seed": h(s),
        "context": h(ctx),
        "threshold": 3,
        "trustee_long_term_secret_keys": long_term.iter().map(|k| h(k.expose_bytes().as_slice())).collect::<Vec<_>>(),
        "trustee_keys": long_term.iter().map(|k| h(k.public_key().to_bytes())).collect::<Vec<_>>(),
        "round1": round1.iter().map(|p| h(p.to_bytes())).collect::<Vec<_>>(),
        "round2": round2.iter().map(|p| h(p.to_bytes())).collect::<Vec<_>>(),
        "election_key": h(public.election_key().to_bytes()),
        "verification_keys": (1..=5).map(|j| h(public.verification_key(j).unwrap().to_bytes())).collect::<Vec<_>>(),
        "ballots": ballots.iter().map(|b| b.iter().map(|c| h(c.to_bytes())).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "aggregate_hash": h(aggregate.hash(&ctx)),
        "decryption_shares": decryption_shares.iter().map(|d| h(d.to_bytes())).collect::<Vec<_>>(),
        "rejected": tally.rejected,
        "totals": tally.totals,
    })
}

/// The key shares of `threshold.json`'s ceremony (same seed) in their stored form
/// (SPEC.md §7.7), and stored shares every decoder must refuse.
fn key_share() -> Value {
    use secret_ballot::threshold::CeremonyParameters;
    let s = seed("threshold", 0);
    let mut rng = ChaCha20Rng::from_seed(s);
    let ctx = context(35);
    let long_term: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let params = CeremonyParameters::new(
        ctx,
        3,
        long_term.iter().map(SecretKey::public_key).collect(),
    )
    .unwrap();
    let done = ceremony::honest(&params, &long_term, &mut rng);
    let stored: Vec<Vec<u8>> = done
        .shares
        .iter()
        .map(|k| k.to_secret_bytes().to_vec())
        .collect();
    let first = &stored[0];
    let with = |at: usize, bytes: &[u8]| {
        let mut v = first.clone();
        v[at..at + bytes.len()].copy_from_slice(bytes);
        v
    };
    let mut non_canonical = first[40..72].to_vec();
    common::add_ell(&mut non_canonical);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated by one byte",
            first[..first.len() - 1].to_vec(),
            "Truncated",
        ),
        (
            "a trailing byte",
            [first.as_slice(), &[0]].concat(),
            "TrailingBytes",
        ),
        ("version 2", with(0, &[2]), "UnsupportedVersion"),
        (
            "the kind of a decryption share",
            with(1, &[0x14]),
            "WrongKind",
        ),
        ("threshold 0", with(36, &[0, 0]), "CountOutOfBounds"),
        ("index 6 of 5", with(34, &[6, 0]), "CountOutOfBounds"),
        ("a zero share", with(40, &[0; 32]), "ZeroScalar"),
        (
            "the share plus the group order",
            with(40, &non_canonical),
            "NonCanonicalScalar",
        ),
        (
            "qualified dealers repeated",
            with(76, &[1, 0]),
            "NotStrictlyIncreasing",
        ),
        (
            "the identity as the election key",
            with(84, &[0; 32]),
            "IdentityPoint",
        ),
        (
            "trustee 2's share under index 1",
            with(40, &stored[1][40..72]),
            "InvalidKeyShare",
        ),
        (
            "index 2 with trustee 1's share",
            with(34, &[2, 0]),
            "InvalidKeyShare",
        ),
        (
            "VK1 replaced by VK2",
            with(116, &stored[0][148..180]),
            "InvalidKeyShare",
        ),
    ];
    json!({
        "description": "The five key shares of threshold.json's 3-of-5 ceremony (same seed and context) in their stored form (SPEC.md §7.7; secret in real use, published here as test data): 0x01 0x15, context, LE16 index, LE16 t, LE16 n, the share, LE16 q and the qualified dealers, the election key and every verification key. Replay: each decodes, re-encodes to the same bytes, has index i + 1, and its share times G is verification_keys[i]; each invalid case is refused with `error` (an encoding error of SPEC.md §3.4, or InvalidKeyShare).",
        "seed": h(s),
        "context": h(ctx),
        "threshold": 3,
        "trustee_keys": long_term.iter().map(|k| h(k.public_key().to_bytes())).collect::<Vec<_>>(),
        "election_key": h(done.public.election_key().to_bytes()),
        "verification_keys": (1..=5).map(|j| h(done.public.verification_key(j).unwrap().to_bytes())).collect::<Vec<_>>(),
        "key_shares": stored.iter().map(h).collect::<Vec<_>>(),
        "invalid": cases.iter().map(|(reason, bytes, error)| json!({"reason": reason, "key_share": h(bytes), "error": error})).collect::<Vec<_>>(),
    })
}

fn key_share_error(error: &secret_ballot::Error) -> &'static str {
    use secret_ballot::{EncodingError as E, Error};
    match error {
        Error::Encoding(E::Truncated { .. }) => "Truncated",
        Error::Encoding(E::TrailingBytes(_)) => "TrailingBytes",
        Error::Encoding(E::UnsupportedVersion(_)) => "UnsupportedVersion",
        Error::Encoding(E::WrongKind { .. }) => "WrongKind",
        Error::Encoding(E::CountOutOfBounds { .. }) => "CountOutOfBounds",
        Error::Encoding(E::ZeroScalar) => "ZeroScalar",
        Error::Encoding(E::NonCanonicalScalar) => "NonCanonicalScalar",
        Error::Encoding(E::NotStrictlyIncreasing) => "NotStrictlyIncreasing",
        Error::Encoding(E::IdentityPoint) => "IdentityPoint",
        Error::InvalidKeyShare(_) => "InvalidKeyShare",
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn replay_key_share() {
    use secret_ballot::threshold::KeyShare;
    let v = load("key_share.json");
    let th = load("threshold.json");
    for field in [
        "context",
        "election_key",
        "verification_keys",
        "trustee_keys",
    ] {
        assert_eq!(
            v[field], th[field],
            "the ceremony of threshold.json: {field}"
        );
    }
    for (i, hex) in v["key_shares"].as_array().unwrap().iter().enumerate() {
        let bytes = unhex(hex);
        let share = KeyShare::from_bytes(&bytes).unwrap();
        assert_eq!(share.to_secret_bytes().as_slice(), bytes.as_slice());
        assert_eq!(usize::from(share.index()), i + 1);
        assert_eq!(share.context().as_slice(), unhex(&v["context"]).as_slice());
        assert_eq!(share.public().threshold(), 3);
        assert_eq!(
            share.public().election_key().to_bytes().as_slice(),
            unhex(&v["election_key"]).as_slice()
        );
        let vk = unhex(&v["verification_keys"][i]);
        assert_eq!(
            share
                .public()
                .verification_key(share.index())
                .unwrap()
                .to_bytes()
                .as_slice(),
            vk.as_slice()
        );
    }
    for case in v["invalid"].as_array().unwrap() {
        let error = KeyShare::from_bytes(&unhex(&case["key_share"])).unwrap_err();
        assert_eq!(
            key_share_error(&error),
            case["error"].as_str().unwrap(),
            "{}",
            case["reason"]
        );
    }
}

#[test]
fn replay_threshold() {
    use secret_ballot::threshold::dkg::{self, round1, round2};
    use secret_ballot::threshold::{Aggregate, CeremonyParameters, DecryptionShare, combine};
    let v = load("threshold.json");
    let keys: Vec<PublicKey> = v["trustee_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| PublicKey::from_bytes(&unhex(k)).unwrap())
        .collect();
    let context = ctx(&v["context"]);
    let params =
        CeremonyParameters::new(context, v["threshold"].as_u64().unwrap() as u16, keys).unwrap();
    let packages: Vec<round1::Package> = v["round1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| round1::Package::from_bytes(&unhex(p)).unwrap())
        .collect();
    for p in &packages {
        p.verify(&params).unwrap();
        assert_eq!(
            h(p.to_bytes()),
            h(unhex(&v["round1"][usize::from(p.sender()) - 1]))
        );
    }
    for p in v["round2"].as_array().unwrap() {
        let bytes = unhex(p);
        assert_eq!(
            round2::Package::from_bytes(&bytes).unwrap().to_bytes(),
            bytes
        );
    }
    let resolution = dkg::resolve(&params, &packages, &[], &[]).unwrap();
    let public = dkg::public_key_package(&params, &packages, &resolution).unwrap();
    assert_eq!(
        h(public.election_key().to_bytes()),
        v["election_key"].as_str().unwrap()
    );
    for (j, vk) in v["verification_keys"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            h(public.verification_key(j as u16 + 1).unwrap().to_bytes()),
            vk.as_str().unwrap()
        );
    }
    let ballots: Vec<Vec<Ciphertext>> = v["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b.as_array()
                .unwrap()
                .iter()
                .map(|c| Ciphertext::from_bytes(&unhex(c)).unwrap())
                .collect()
        })
        .collect();
    let aggregate = Aggregate::from_ballots(&ballots, 3).unwrap();
    assert_eq!(
        h(aggregate.hash(&context)),
        v["aggregate_hash"].as_str().unwrap()
    );
    let shares: Vec<DecryptionShare> = v["decryption_shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| DecryptionShare::from_bytes(&unhex(d)).unwrap())
        .collect();
    let tally = combine(&public, &context, &aggregate, &shares).unwrap();
    assert_eq!(json!(tally.totals), v["totals"]);
    assert_eq!(json!(tally.rejected), v["rejected"]);
    // Each trustee's long-term secret matches its public key.
    for (sk, pk) in v["trustee_long_term_secret_keys"]
        .as_array()
        .unwrap()
        .iter()
        .zip(v["trustee_keys"].as_array().unwrap())
    {
        assert_eq!(
            h(SecretKey::from_bytes(&unhex(sk))
                .unwrap()
                .public_key()
                .to_bytes()),
            pk.as_str().unwrap()
        );
    }
}

fn credential() -> Value {
    use secret_ballot::credential::*;
    let s = seed("credential", 0);
    let mut rng = ChaCha20Rng::from_seed(s);
    let ctx = context(44);
    let key = IssuerKeypair::generate(&mut rng);
    let issuer = Issuer::new(key.clone(), InMemorySessionStore::new(), 600);
    let voter = VoterId::new(b"rep-0001").unwrap();
    let pseudonym = PseudonymSecret::generate(&mut rng);
    let commit = issuer.commit(&ctx, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(*key.public(), ctx, pseudonym.clone());
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let response = issuer.respond(&challenge, &voter, 1).unwrap();
    let credential = pending.finalize(&response).unwrap();
    let report_key = ReportKeypair::generate(&mut rng);
    for v in [b"rep-0002".as_slice(), b"rep-0003"] {
        let id = VoterId::new(v).unwrap();
        let commit = issuer.commit(&ctx, &id, 0, &mut rng).unwrap();
        let request =
            VoterAwaitingCommit::new(*key.public(), ctx, PseudonymSecret::generate(&mut rng));
        let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
        pending
            .finalize(&issuer.respond(&challenge, &id, 1).unwrap())
            .unwrap();
    }
    let report = issuer.report(&ctx, &report_key, &mut rng).unwrap();
    let sig = credential.signature().to_bytes();
    let mut zero_y = sig.clone();
    zero_y[98..130].fill(0);
    let mut s_plus = sig.clone();
    s_plus[66] ^= 1;
    json!({
        "description": "One issuance (SPEC.md §9): the three messages, the resulting credential (commitment form) for `pseudonym`, and a signed issuance report. Replay: `signature` verifies for (issuer_key, context, pseudonym); each invalid case must fail with its `error`.",
        "seed": h(s),
        "context": h(ctx),
        "issuer_key": h(key.public().to_bytes()),
        "pseudonym": h(pseudonym.pseudonym().to_bytes()),
        "commit": h(commit.to_bytes()),
        "challenge": h(challenge.to_bytes()),
        "response": h(response.to_bytes()),
        "signature": h(&sig),
        "report_key": h(report_key.public().to_bytes()),
        "report": h(report.to_bytes()),
        "invalid": [
            {"reason": "another election context", "context": h(context(45)), "signature": h(&sig), "error": "invalid_credential"},
            {"reason": "another pseudonym", "pseudonym": h(RISTRETTO_BASEPOINT_POINT.compress().as_bytes()), "signature": h(&sig), "error": "invalid_credential"},
            {"reason": "another issuer key", "issuer_key": h(RISTRETTO_BASEPOINT_POINT.compress().as_bytes()), "signature": h(&sig), "error": "invalid_credential"},
            {"reason": "s' changed", "signature": h(&s_plus), "error": "invalid_credential"},
            {"reason": "y' = 0", "signature": h(&zero_y), "error": "encoding"},
            {"reason": "truncated", "signature": h(&sig[..161]), "error": "encoding"},
        ],
    })
}

#[test]
fn replay_credential() {
    use secret_ballot::credential::*;
    let v = load("credential.json");
    let field = |case: &Value, name: &str| {
        if case.get(name).is_some() {
            case[name].clone()
        } else {
            v[name].clone()
        }
    };
    let check = |case: &Value| -> Result<(), &'static str> {
        let sig = BlindSignature::from_bytes(&unhex(&field(case, "signature")))
            .map_err(|_| "encoding")?;
        let x = IssuerPublicKey::from_bytes(&unhex(&field(case, "issuer_key"))).unwrap();
        let p = Pseudonym::from_bytes(&unhex(&field(case, "pseudonym"))).unwrap();
        sig.verify(&x, &ctx(&field(case, "context")), &p)
            .map_err(|_| "invalid_credential")
    };
    assert_eq!(check(&json!({})), Ok(()));
    for case in v["invalid"].as_array().unwrap() {
        assert_eq!(
            check(case),
            Err(case["error"].as_str().unwrap()),
            "{}",
            case["reason"]
        );
    }
    for (name, decode) in [
        (
            "commit",
            (|b: &[u8]| CommitMessage::from_bytes(b).map(|m| m.to_bytes()))
                as fn(&[u8]) -> Result<Vec<u8>, secret_ballot::EncodingError>,
        ),
        ("challenge", |b| {
            ChallengeMessage::from_bytes(b).map(|m| m.to_bytes())
        }),
        ("response", |b| {
            ResponseMessage::from_bytes(b).map(|m| m.to_bytes())
        }),
        ("report", |b| {
            IssuanceReport::from_bytes(b).map(|m| m.to_bytes())
        }),
    ] {
        let bytes = unhex(&v[name]);
        assert_eq!(decode(&bytes).unwrap(), bytes, "{name}");
    }
    let report = IssuanceReport::from_bytes(&unhex(&v["report"])).unwrap();
    report
        .verify(
            &PublicKey::from_bytes(&unhex(&v["report_key"])).unwrap(),
            &ctx(&v["context"]),
        )
        .unwrap();
    assert_eq!(report.count(), 3);
}

fn ballot() -> Value {
    use secret_ballot::ballot::{Ballot, ElectionKeys, MotionVote, SpoiledBallot, Vote};
    use secret_ballot::credential::*;
    use secret_ballot::manifest::{Manifest, Question};
    use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};
    let s = seed("ballot", 0);
    let mut rng = ChaCha20Rng::from_seed(s);
    let issuer_key = IssuerKeypair::generate(&mut rng);
    let election_secret = SecretKey::generate(&mut rng);
    let manifest = Manifest {
        election_id: b"vector-election".to_vec(),
        title: "Test-vector congress".into(),
        roster: 12,
        questions: vec![
            Question::Motion {
                title: "motion".into(),
            },
            Question::Choice {
                title: "choose 1 or 2 of 3".into(),
                options: vec!["a".into(), "b".into(), "c".into()],
                min: 1,
                max: 2,
            },
            Question::Election {
                title: "1 seat of 2".into(),
                candidates: vec!["x".into(), "y".into()],
                seats: 1,
            },
            Question::Evaluation {
                title: "evaluation".into(),
                subjects: vec!["m".into()],
                levels: vec!["good".into(), "fair".into(), "poor".into()],
                allow_blank: true,
                indicators: vec![("satisfaction".into(), vec![0, 1])],
            },
        ],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 1,
        trustee_keys: vec![SecretKey::generate(&mut rng).public_key()],
        issuer_key: *issuer_key.public(),
        report_key: ReportKeypair::generate(&mut rng).public(),
        privacy_floor: 1,
        revoting: false,
    };
    let ctx = manifest.context().unwrap();
    let keys = ElectionKeys::new(&manifest, election_secret.public_key()).unwrap();
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), 600);
    let credential = |name: &[u8], rng: &mut ChaCha20Rng| {
        let id = VoterId::new(name).unwrap();
        let commit = issuer.commit(&ctx, &id, 0, rng).unwrap();
        let request =
            VoterAwaitingCommit::new(manifest.issuer_key, ctx, PseudonymSecret::generate(rng));
        let (pending, challenge) = request.challenge(&commit, rng).unwrap();
        pending
            .finalize(&issuer.respond(&challenge, &id, 1).unwrap())
            .unwrap()
    };
    let votes = vec![
        Vote::Motion(MotionVote::For),
        Vote::Choice(vec![0, 2]),
        Vote::Election(vec![MotionVote::For, MotionVote::Against]),
        Vote::Evaluation(vec![Some(1)]),
    ];
    let alice = credential(b"alice", &mut rng);
    let (ballot, _) = Ballot::cast(&manifest, &keys, &alice, &votes, &mut rng).unwrap();
    let bob = credential(b"bob", &mut rng);
    let (spoiled_ballot, secrets) = Ballot::cast(&manifest, &keys, &bob, &votes, &mut rng).unwrap();
    let spoiled = SpoiledBallot::new(spoiled_ballot, secrets);
    let (bobs, _) = Ballot::cast(
        &manifest,
        &keys,
        &bob,
        &[
            Vote::Motion(MotionVote::Against),
            Vote::Choice(vec![1]),
            Vote::Election(vec![MotionVote::Abstain, MotionVote::For]),
            Vote::Evaluation(vec![None]),
        ],
        &mut rng,
    )
    .unwrap();
    let bytes = ballot.to_bytes();
    // Alice's answers under Bob's pseudonym, credential and (valid) signature position.
    let mut copied = bobs.to_bytes();
    let at = 2 + 32 + 162;
    copied[at..bytes.len() - 66].copy_from_slice(&bytes[at..bytes.len() - 66]);
    let mut flipped_signature = bytes.clone();
    let last = flipped_signature.len() - 1;
    flipped_signature[last] ^= 1;
    let mut other = manifest.clone();
    other.election_id = b"another-election".to_vec();
    let mut plaintexts = Vec::new();
    for (q, v) in votes.iter().enumerate() {
        plaintexts.extend(v.bits(&manifest.questions[q], q).unwrap());
    }
    json!({
        "description": "A manifest (SPEC.md §11), its context, a ballot (SPEC.md §12) with its tracking code, and a spoiled ballot with its plaintexts. Replay: the manifest hashes to `context`; `ballot` verifies against (manifest, election_key) with `tracking_code`; `spoiled` opens to `plaintexts`; each invalid case fails with its `error`.",
        "seed": h(s),
        "manifest": h(manifest.to_bytes().unwrap()),
        "context": h(ctx),
        "election_key": h(keys.election_key.to_bytes()),
        "ballot": h(&bytes),
        "tracking_code": ballot.tracking_code(),
        "spoiled": h(spoiled.to_bytes()),
        "plaintexts": plaintexts,
        "invalid": [
            {"reason": "another election's manifest", "manifest": h(other.to_bytes().unwrap()), "ballot": h(&bytes), "error": "invalid_credential"},
            {"reason": "signature bit flipped", "ballot": h(&flipped_signature), "error": "invalid_ballot"},
            {"reason": "another voter's answers under this credential", "ballot": h(&copied), "error": "invalid_ballot"},
            {"reason": "truncated", "ballot": h(&bytes[..bytes.len() - 1]), "error": "encoding"},
            {"reason": "other election key", "election_key": h(RISTRETTO_BASEPOINT_POINT.compress().as_bytes()), "ballot": h(&bytes), "error": "invalid_ballot"},
        ],
    })
}

#[test]
fn replay_ballot() {
    use secret_ballot::wire;
    let v = load("ballot.json");
    let get = |case: &Value, k: &str| {
        unhex(if case.get(k).is_some() {
            &case[k]
        } else {
            &v[k]
        })
    };
    assert_eq!(
        wire::manifest_context(&unhex(&v["manifest"])).unwrap(),
        unhex(&v["context"])
    );
    let code = wire::ballot_verify(
        &unhex(&v["manifest"]),
        &unhex(&v["election_key"]),
        &unhex(&v["ballot"]),
    )
    .unwrap();
    assert_eq!(code, v["tracking_code"].as_str().unwrap());
    let plaintexts = wire::spoiled_ballot_open(
        &unhex(&v["manifest"]),
        &unhex(&v["election_key"]),
        &unhex(&v["spoiled"]),
    )
    .unwrap();
    assert_eq!(json!(plaintexts), v["plaintexts"]);
    for case in v["invalid"].as_array().unwrap() {
        let err = wire::ballot_verify(
            &get(case, "manifest"),
            &get(case, "election_key"),
            &get(case, "ballot"),
        )
        .unwrap_err();
        assert_eq!(
            wire::error_code(&err),
            case["error"].as_str().unwrap(),
            "{}",
            case["reason"]
        );
    }
}

/// The vote of voter `v` in the record vector's sitting.
fn sitting_votes(v: u32) -> Vec<secret_ballot::ballot::Vote> {
    use secret_ballot::ballot::{MotionVote, Vote};
    let m = [MotionVote::For, MotionVote::Against, MotionVote::Abstain];
    vec![
        Vote::Motion(m[(v % 3) as usize]),
        // One seat: at most one "for".
        Vote::Election(if v.is_multiple_of(2) {
            vec![m[0], m[1 + (v % 4 / 2) as usize]]
        } else {
            vec![m[2], m[0]]
        }),
    ]
}

fn record_sitting() -> (
    sitting::Election,
    sitting::Sitting,
    sitting::Published,
    ChaCha20Rng,
) {
    use secret_ballot::credential::{IssuerKeypair, ReportKeypair};
    use secret_ballot::manifest::{Manifest, Question};
    use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};
    let mut rng = ChaCha20Rng::from_seed(seed("record", 0));
    let trustees: Vec<SecretKey> = (0..3).map(|_| SecretKey::generate(&mut rng)).collect();
    let issuer = IssuerKeypair::generate(&mut rng);
    let report = ReportKeypair::generate(&mut rng);
    let manifest = Manifest {
        election_id: b"vector-record".to_vec(),
        title: "Test-vector sitting".into(),
        roster: 6,
        questions: vec![
            Question::Motion {
                title: "adopt the agenda".into(),
            },
            Question::Election {
                title: "1 seat of 2".into(),
                candidates: vec!["x".into(), "y".into()],
                seats: 1,
            },
        ],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 2,
        trustee_keys: trustees.iter().map(SecretKey::public_key).collect(),
        issuer_key: *issuer.public(),
        report_key: report.public(),
        privacy_floor: 2,
        revoting: false,
    };
    let authorities = congress::Authorities {
        trustees,
        issuer,
        report,
    };
    let e = sitting::setup_with(&mut rng, manifest, authorities);
    let s = sitting::Sitting {
        online: 4,
        spoil: 1,
        paper: 1,
        trustees: vec![0, 2],
        votes: sitting_votes,
    };
    let p = sitting::run(&e, &s, &mut rng);
    (e, s, p, rng)
}

fn record() -> Value {
    let (e, s, p, mut rng) = record_sitting();
    // Its own generator: how much of it verification draws depends on the features.
    let report = secret_ballot::verify::verify(&p.record, ChaCha20Rng::from_seed([0x77; 32]));
    assert!(report.is_valid_and_tallied());
    let report: Value = serde_json::from_str(&report.to_json()).unwrap();
    let invalid: Vec<Value> = tamper::all(&e, &s, &p, &mut rng)
        .into_iter()
        .map(|t| {
            json!({"reason": t.reason, "record": h(&t.record), "check": t.check, "error": t.error, "verdict": t.verdict})
        })
        .collect();
    json!({
        "description": "A complete election record (SPEC.md §14): a motion and a 1-of-2 election, 2-of-3 trustees (1 and 3 decrypt), 4 online voters (one spoils a ballot first) and 1 on paper, roster 6. Replay: verifying `record` gives `report` (SPEC.md §14.9) and its head is `head`; the closed stage `closed` is a prefix that verifies with stage `closed`; each invalid record gets `verdict`, and its check `check` fails with `error`.",
        "seed": h(seed("record", 0)),
        "record": h(&p.record),
        "head": report["head"].clone(),
        "closed": h(&p.closed),
        "report": report,
        "invalid": invalid,
    })
}

#[test]
fn replay_record() {
    use secret_ballot::wire;
    let v = load("record.json");
    let mut rng = ChaCha20Rng::from_seed([7; 32]);
    let report: Value =
        serde_json::from_str(&wire::record_verify(&unhex(&v["record"]), &mut rng)).unwrap();
    assert_eq!(report, v["report"]);
    assert_eq!(report["head"], v["head"]);
    let closed: Value =
        serde_json::from_str(&wire::record_verify(&unhex(&v["closed"]), &mut rng)).unwrap();
    assert_eq!(closed["verdict"], "valid");
    assert_eq!(closed["stage"], "closed");
    let invalid = v["invalid"].as_array().unwrap();
    assert!(invalid.len() >= 12);
    for case in invalid {
        let report: Value =
            serde_json::from_str(&wire::record_verify(&unhex(&case["record"]), &mut rng)).unwrap();
        assert_eq!(report["verdict"], case["verdict"], "{}", case["reason"]);
        let check = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == case["check"])
            .unwrap();
        assert_eq!(check["status"], "failed", "{}", case["reason"]);
        assert_eq!(check["error"], case["error"], "{}", case["reason"]);
    }
}

fn with(base: &Value, reason: &str, overrides: Value, error: &str) -> Value {
    let mut v = base.clone();
    for (k, val) in overrides.as_object().unwrap() {
        v[k] = val.clone();
    }
    v["reason"] = json!(reason);
    v["error"] = json!(error);
    v
}

/// The record vector's record verified in chunks of two ballots (SPEC.md §14.11): each
/// chunk's description and result, byte for byte.
fn chunks() -> Value {
    use secret_ballot::verify::chunk::{Plan, verify_chunk};
    let (_, _, p, _) = record_sitting();
    let record = &p.record;
    let plan = Plan::new(record, 2);
    let prefix = &record[..plan.prefix_len as usize];
    let chunks: Vec<Value> = plan
        .chunks
        .iter()
        .map(|spec| {
            let bytes = &record[spec.start as usize..spec.end as usize];
            let result =
                verify_chunk(prefix, bytes, spec, ChaCha20Rng::from_seed([0x66; 32])).unwrap();
            json!({"spec": h(spec.to_bytes()), "result": h(result.to_bytes()), "ballots": result.ballots})
        })
        .collect();
    json!({
        "description": "The record of record.json verified in chunks (SPEC.md §14.11). Replay: Record.Plan(record, ballots_per_chunk) gives the prefix, the chunks' descriptions `spec` and the suffix start; Record.VerifyChunk(record[0..prefix_len], record[start..end], spec) gives `result` byte for byte; Record.CombineChunks of every result gives record.json's `report`.",
        "ballots_per_chunk": 2,
        "prefix_len": plan.prefix_len,
        "prefix_entries": plan.prefix_entries,
        "suffix_start": plan.suffix_start(),
        "record_len": plan.record_len,
        "chunks": chunks,
    })
}

#[test]
fn replay_chunks() {
    use secret_ballot::verify::chunk::{ChunkResult, ChunkSpec, Plan, combine, verify_chunk};
    let v = load("chunks.json");
    let r = load("record.json");
    let record = unhex(&r["record"]);
    let m = v["ballots_per_chunk"].as_u64().unwrap();
    let plan = Plan::new(&record, m);
    assert_eq!(plan.prefix_len, v["prefix_len"].as_u64().unwrap());
    assert_eq!(plan.prefix_entries, v["prefix_entries"].as_u64().unwrap());
    assert_eq!(plan.suffix_start(), v["suffix_start"].as_u64().unwrap());
    let prefix = &record[..plan.prefix_len as usize];
    let cases = v["chunks"].as_array().unwrap();
    assert_eq!(cases.len(), plan.chunks.len());
    let mut results = Vec::new();
    for (spec, case) in plan.chunks.iter().zip(cases) {
        assert_eq!(spec.to_bytes(), unhex(&case["spec"]));
        assert_eq!(&ChunkSpec::from_bytes(&unhex(&case["spec"])).unwrap(), spec);
        let bytes = &record[spec.start as usize..spec.end as usize];
        let result = verify_chunk(prefix, bytes, spec, ChaCha20Rng::from_seed([1; 32])).unwrap();
        assert_eq!(result.to_bytes(), unhex(&case["result"]));
        results.push(ChunkResult::from_bytes(&unhex(&case["result"])).unwrap());
    }
    let suffix = &record[plan.suffix_start() as usize..];
    let report = combine(
        &plan,
        prefix,
        results,
        suffix,
        ChaCha20Rng::from_seed([2; 32]),
    )
    .unwrap();
    let report: Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(report, r["report"]);
}

fn all_vectors() -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("encodings.json", encodings()),
        ("elgamal.json", elgamal()),
        ("generators.json", generators()),
        ("proofs.json", proofs()),
        ("threshold.json", threshold()),
        ("key_share.json", key_share()),
        ("credential.json", credential()),
        ("ballot.json", ballot()),
        ("record.json", record()),
        ("chunks.json", chunks()),
    ])
}

fn load(name: &str) -> Value {
    let text =
        std::fs::read_to_string(vectors_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn committed_vectors_are_reproduced_byte_for_byte() {
    let write = std::env::var_os("SECRET_BALLOT_WRITE_VECTORS").is_some();
    for (name, value) in all_vectors() {
        let text = serde_json::to_string_pretty(&value).unwrap() + "\n";
        let path = vectors_dir().join(name);
        if write {
            std::fs::create_dir_all(vectors_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            committed == text,
            "{name} differs from what the code produces"
        );
    }
}

#[test]
fn rfc9496_multiples_match() {
    for (k, hex) in RFC9496_MULTIPLES.iter().enumerate() {
        let expected = (RISTRETTO_BASEPOINT_POINT * Scalar::from(k as u64)).compress();
        assert_eq!(h(expected.as_bytes()), *hex);
    }
}

#[test]
fn replay_encodings() {
    let v = load("encodings.json");
    for case in v["valid_points"].as_array().unwrap() {
        let bytes = unhex(&case["hex"]);
        let point = decode_point(&bytes).unwrap();
        assert_eq!(point.compress().as_bytes().as_slice(), bytes.as_slice());
    }
    for case in v["invalid_points"].as_array().unwrap() {
        assert!(
            decode_point(&unhex(&case["hex"])).is_err(),
            "{}",
            case["reason"]
        );
    }
    for case in v["valid_scalars"].as_array().unwrap() {
        assert!(decode_scalar(&unhex(&case["hex"])).is_ok());
    }
    for case in v["invalid_scalars"].as_array().unwrap() {
        assert!(
            decode_scalar(&unhex(&case["hex"])).is_err(),
            "{}",
            case["reason"]
        );
    }
}

#[test]
fn replay_elgamal() {
    let v = load("elgamal.json");
    let table = secret_ballot::elgamal::DlogTable::new(1 << 33).unwrap();
    let mut secret = None;
    for case in v["cases"].as_array().unwrap() {
        let sk = SecretKey::from_bytes(&unhex(&case["secret_key"])).unwrap();
        let pk = PublicKey::from_bytes(&unhex(&case["public_key"])).unwrap();
        assert_eq!(sk.public_key(), pk);
        let r = Randomness::from_bytes(&unhex(&case["randomness"])).unwrap();
        let value = case["value"].as_u64().unwrap();
        let ct = pk.encrypt_with(value, &r);
        assert_eq!(ct.to_bytes().to_vec(), unhex(&case["ciphertext"]));
        assert_eq!(table.vartime_lookup(&sk.decrypt_to_point(&ct)), Ok(value));
        secret = Some(sk);
    }
    let sk = secret.unwrap();
    for case in v["sums"].as_array().unwrap() {
        let cts: Vec<Ciphertext> = case["ciphertexts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Ciphertext::from_bytes(&unhex(c)).unwrap())
            .collect();
        let sum = Ciphertext::sum(&cts);
        assert_eq!(sum.to_bytes().to_vec(), unhex(&case["sum"]));
        assert_eq!(
            table.vartime_lookup(&sk.decrypt_to_point(&sum)),
            Ok(case["value"].as_u64().unwrap())
        );
    }
}

fn element(v: &Value) -> GroupElement {
    GroupElement::from_bytes(&unhex(v)).unwrap()
}

fn ctx(v: &Value) -> [u8; 32] {
    unhex(v).try_into().unwrap()
}

/// Decodes and verifies one proof case: Err("encoding") or Err("invalid_proof").
fn check(kind: &str, case: &Value) -> Result<(), &'static str> {
    let proof = unhex(&case["proof"]);
    let mut t = election_transcript(&ctx(&case["context"]));
    match kind {
        "schnorr" => {
            let p = SchnorrProof::from_bytes(&proof).map_err(|_| "encoding")?;
            p.verify(
                &mut t,
                &SchnorrStatement {
                    X: element(&case["X"]),
                },
            )
            .map_err(|_| "invalid_proof")
        }
        "dleq" => {
            let p = DleqProof::from_bytes(&proof).map_err(|_| "encoding")?;
            let st = DleqStatement {
                G: element(&case["G"]),
                H: element(&case["H"]),
                P: element(&case["P"]),
                Q: element(&case["Q"]),
            };
            p.verify(&mut t, &st).map_err(|_| "invalid_proof")
        }
        "range" => {
            let p = RangeProof::from_bytes(&proof).map_err(|_| "encoding")?;
            let st = RangeStatement {
                public_key: PublicKey::from_bytes(&unhex(&case["public_key"])).unwrap(),
                ciphertext: Ciphertext::from_bytes(&unhex(&case["ciphertext"])).unwrap(),
                range: ValueRange::new(
                    case["min"].as_u64().unwrap(),
                    case["max"].as_u64().unwrap(),
                )
                .unwrap(),
            };
            p.verify(&mut t, &st).map_err(|_| "invalid_proof")
        }
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn replay_proofs() {
    let v = load("proofs.json");
    for kind in ["schnorr", "dleq", "range"] {
        let cases = v[kind].as_array().unwrap();
        assert!(!cases.is_empty());
        for case in cases {
            assert_eq!(check(kind, case), Ok(()), "{kind} {case}");
        }
    }
    let invalid = v["invalid"].as_array().unwrap();
    assert!(invalid.len() >= 20);
    for case in invalid {
        let kind = case["kind"].as_str().unwrap();
        assert_eq!(
            check(kind, case),
            Err(case["error"].as_str().unwrap()),
            "{}",
            case["reason"]
        );
    }
}
