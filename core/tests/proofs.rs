//! Completeness, soundness-style negative tests and batch behaviour of every proof.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/common.rs"]
mod common;

use common::{CONTEXT, OTHER_CONTEXT, add_ell, bit_flips, rng, transcript};
use proptest::prelude::*;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{Ciphertext, EncryptionKey, Keypair, Randomness};
use secret_ballot::encoding::GroupElement;
use secret_ballot::proofs::{
    BatchItem, BatchVerifier, DleqProof, DleqStatement, RangeProof, RangeStatement, RangeWitness,
    SchnorrProof, SchnorrStatement, ValueRange, Verifiable, verify_batch,
};
use secret_ballot::transcript::election_transcript;
use secret_ballot::{EncodingError, Error};

// ---------- fixtures ----------

fn schnorr_fixture(seed: u8) -> (Scalar, SchnorrStatement, SchnorrProof) {
    let mut rng = rng(seed);
    let key = Keypair::generate(&mut rng);
    let statement = SchnorrStatement {
        X: *key.public().element(),
    };
    let x = *key.secret().expose_scalar();
    let proof = SchnorrProof::prove(&mut transcript(), &statement, &x, &mut rng).unwrap();
    (x, statement, proof)
}

fn dleq_fixture(seed: u8) -> (Scalar, DleqStatement, DleqProof) {
    let mut rng = rng(seed);
    let x = Scalar::random(&mut rng);
    let h = RISTRETTO_BASEPOINT_POINT * Scalar::random(&mut rng);
    let statement = DleqStatement::with_generator(
        GroupElement::from_point(h),
        GroupElement::from_point(RISTRETTO_BASEPOINT_POINT * x),
        GroupElement::from_point(h * x),
    );
    let proof = DleqProof::prove(&mut transcript(), &statement, &x, &mut rng).unwrap();
    (x, statement, proof)
}

struct RangeFixture {
    key: Keypair,
    statement: RangeStatement,
    randomness: Randomness,
    value: u64,
    proof: RangeProof,
}

fn range_fixture(seed: u8, value: u64, range: ValueRange) -> RangeFixture {
    let mut rng = rng(seed);
    let key = Keypair::generate(&mut rng);
    let (ciphertext, randomness) = key.public().encrypt(value, &mut rng);
    let statement = RangeStatement {
        public_key: *key.public(),
        ciphertext,
        range,
    };
    let proof =
        RangeProof::prove(&mut transcript(), &statement, value, &randomness, &mut rng).unwrap();
    RangeFixture {
        key,
        statement,
        randomness,
        value,
        proof,
    }
}

fn other_point(seed: u8) -> GroupElement {
    GroupElement::from_point(RISTRETTO_BASEPOINT_POINT * Scalar::random(&mut rng(seed)))
}

// ---------- completeness (proptest) ----------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn schnorr_is_complete(seed in any::<[u8; 32]>()) {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let statement = SchnorrStatement { X: *key.public().element() };
        let proof = SchnorrProof::prove(&mut transcript(), &statement, key.secret().expose_scalar(), &mut rng).unwrap();
        let decoded = SchnorrProof::from_bytes(&proof.to_bytes()).unwrap();
        prop_assert_eq!(decoded, proof);
        prop_assert!(decoded.verify(&mut transcript(), &statement).is_ok());
    }

    #[test]
    fn dleq_is_complete(seed in any::<[u8; 32]>()) {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let x = Scalar::random(&mut rng);
        let h = GroupElement::from_point(RISTRETTO_BASEPOINT_POINT * Scalar::random(&mut rng));
        let statement = DleqStatement::with_generator(
            h,
            GroupElement::from_point(RISTRETTO_BASEPOINT_POINT * x),
            GroupElement::from_point(h.point() * x),
        );
        let proof = DleqProof::prove(&mut transcript(), &statement, &x, &mut rng).unwrap();
        let decoded = DleqProof::from_bytes(&proof.to_bytes()).unwrap();
        prop_assert_eq!(decoded, proof);
        prop_assert!(decoded.verify(&mut transcript(), &statement).is_ok());
    }

    #[test]
    fn range_is_complete(seed in any::<[u8; 32]>(), min in 0u64..1_000_000, width in 0u64..12, offset in 0u64..12) {
        let value = min + offset.min(width);
        let range = ValueRange::new(min, min + width).unwrap();
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let (ciphertext, randomness) = key.public().encrypt(value, &mut rng);
        let statement = RangeStatement { public_key: *key.public(), ciphertext, range };
        let proof = RangeProof::prove(&mut transcript(), &statement, value, &randomness, &mut rng).unwrap();
        let decoded = RangeProof::from_bytes(&proof.to_bytes()).unwrap();
        prop_assert_eq!(&decoded, &proof);
        prop_assert_eq!(decoded.to_bytes().len(), 128 * range.len() - 28);
        prop_assert!(decoded.verify(&mut transcript(), &statement).is_ok());
        let mut batch = BatchVerifier::new(&mut rng);
        decoded.queue(&mut transcript(), &statement, &mut batch).unwrap();
        prop_assert!(batch.vartime_verify().is_ok());
    }

    /// The fast prover (fixed bases, halved points, one batch encoding) gives exactly
    /// the textbook prover's proof, and the transcript ends in the same state, for every
    /// range width and every value in it, with and without the key's table.
    #[test]
    fn fast_prover_equals_the_textbook_prover(seed in any::<[u8; 32]>(), min in 0u64..1_000, width in 0u64..7, offset in 0u64..7, table in any::<bool>()) {
        let value = min + offset.min(width);
        let range = ValueRange::new(min, min + width).unwrap();
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
        let key = Keypair::generate(&mut rng);
        let (ciphertext, randomness) = key.public().encrypt(value, &mut rng);
        let statement = RangeStatement { public_key: *key.public(), ciphertext, range };
        let prepared = if table {
            EncryptionKey::precomputed(*key.public())
        } else {
            EncryptionKey::new(*key.public())
        };
        let mut fast_transcript = transcript();
        let mut fast_rng = rng.clone();
        let fast = RangeProof::prove_many(&prepared, &mut [RangeWitness {
            transcript: &mut fast_transcript,
            statement: &statement,
            value,
            randomness: &randomness,
        }], &mut fast_rng).unwrap();
        let mut textbook_transcript = transcript();
        let textbook = RangeProof::prove_unchecked(&mut textbook_transcript, &statement, value, &randomness, &mut rng);
        prop_assert_eq!(fast.len(), 1);
        prop_assert_eq!(fast[0].to_bytes(), textbook.to_bytes());
        let (mut after_fast, mut after_textbook) = ([0u8; 32], [0u8; 32]);
        fast_transcript.challenge_bytes(b"after", &mut after_fast);
        textbook_transcript.challenge_bytes(b"after", &mut after_textbook);
        prop_assert_eq!(after_fast, after_textbook);
    }

    /// Single and batch verification agree on arbitrary (mostly invalid) responses.
    #[test]
    fn batch_agrees_with_single(seed in any::<u8>(), tweak in any::<u64>()) {
        let (_, statement, proof) = schnorr_fixture(seed);
        let mut bytes = proof.to_bytes();
        // Replace z by an arbitrary small scalar: a valid encoding, almost surely a wrong proof.
        bytes[34..].copy_from_slice(Scalar::from(tweak).as_bytes());
        let mutated = SchnorrProof::from_bytes(&bytes).unwrap();
        let single = mutated.verify(&mut transcript(), &statement).is_ok();
        let mut batch = BatchVerifier::new(&mut rng(1));
        mutated.queue(&mut transcript(), &statement, &mut batch).unwrap();
        prop_assert_eq!(single, batch.vartime_verify().is_ok());
    }
}

use rand_core::SeedableRng;

// ---------- generic negative checks ----------

/// Every bit flip of the encoding is rejected: either decoding or verification fails.
fn assert_every_bit_flip_rejected<P, D, V>(bytes: &[u8], decode: D, verify: V)
where
    D: Fn(&[u8]) -> Result<P, EncodingError>,
    V: Fn(&P) -> Result<(), Error>,
{
    for (i, flipped) in bit_flips(bytes).enumerate() {
        if let Ok(proof) = decode(&flipped) {
            assert_eq!(
                verify(&proof),
                Err(Error::InvalidProof),
                "bit {i} flip accepted"
            );
        }
    }
}

fn assert_truncation_and_trailing_rejected<P: core::fmt::Debug>(
    bytes: &[u8],
    decode: impl Fn(&[u8]) -> Result<P, EncodingError>,
) {
    for len in 0..bytes.len() {
        assert!(
            decode(&bytes[..len]).is_err(),
            "truncated to {len} accepted"
        );
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(decode(&longer).is_err(), "trailing byte accepted");
    let mut wrong_version = bytes.to_vec();
    wrong_version[0] = 2;
    assert_eq!(
        decode(&wrong_version).unwrap_err(),
        EncodingError::UnsupportedVersion(2)
    );
    let mut wrong_kind = bytes.to_vec();
    wrong_kind[1] ^= 0x40;
    assert!(matches!(
        decode(&wrong_kind).unwrap_err(),
        EncodingError::WrongKind { .. }
    ));
}

// ---------- Schnorr ----------

#[test]
fn schnorr_rejects_mutations() {
    let (_, statement, proof) = schnorr_fixture(1);
    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), secret_ballot::proofs::SCHNORR_PROOF_LEN);
    assert_every_bit_flip_rejected(&bytes, SchnorrProof::from_bytes, |p| {
        p.verify(&mut transcript(), &statement)
    });
    assert_truncation_and_trailing_rejected(&bytes, SchnorrProof::from_bytes);

    // R replaced by another valid point.
    let mut replaced = bytes.clone();
    replaced[2..34].copy_from_slice(&other_point(9).to_bytes());
    let p = SchnorrProof::from_bytes(&replaced).unwrap();
    assert_eq!(
        p.verify(&mut transcript(), &statement),
        Err(Error::InvalidProof)
    );
    // Identity R.
    let mut identity = bytes.clone();
    identity[2..34].fill(0);
    assert_eq!(
        SchnorrProof::from_bytes(&identity),
        Err(EncodingError::IdentityPoint)
    );
    // z + ℓ: same residue, non-canonical encoding.
    let mut non_canonical = bytes.clone();
    add_ell(&mut non_canonical[34..]);
    assert_eq!(
        SchnorrProof::from_bytes(&non_canonical),
        Err(EncodingError::NonCanonicalScalar)
    );
}

#[test]
fn schnorr_rejects_wrong_statement_context_and_witness() {
    let (x, statement, proof) = schnorr_fixture(2);
    let wrong = SchnorrStatement { X: other_point(3) };
    assert_eq!(
        proof.verify(&mut transcript(), &wrong),
        Err(Error::InvalidProof)
    );
    assert_eq!(
        proof.verify(&mut election_transcript(&OTHER_CONTEXT), &statement),
        Err(Error::InvalidProof)
    );
    // A transcript carrying extra content (e.g. a different signed message) fails.
    let mut extended = transcript();
    extended.append_message(b"m", b"another message");
    assert_eq!(
        proof.verify(&mut extended, &statement),
        Err(Error::InvalidProof)
    );
    // Identity statement: refused by prover and verifier.
    let identity = SchnorrStatement {
        X: GroupElement::identity(),
    };
    assert!(SchnorrProof::prove(&mut transcript(), &identity, &x, &mut rng(4)).is_err());
    assert_eq!(
        proof.verify(&mut transcript(), &identity),
        Err(Error::InvalidProof)
    );
    // A prover with the wrong witness does not convince.
    let cheat = SchnorrProof::prove(
        &mut transcript(),
        &statement,
        &(x + Scalar::ONE),
        &mut rng(5),
    )
    .unwrap();
    assert_eq!(
        cheat.verify(&mut transcript(), &statement),
        Err(Error::InvalidProof)
    );
}

// ---------- DLEQ ----------

#[test]
fn dleq_rejects_mutations() {
    let (_, statement, proof) = dleq_fixture(1);
    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), secret_ballot::proofs::DLEQ_PROOF_LEN);
    assert_every_bit_flip_rejected(&bytes, DleqProof::from_bytes, |p| {
        p.verify(&mut transcript(), &statement)
    });
    assert_truncation_and_trailing_rejected(&bytes, DleqProof::from_bytes);
    for range in [2..34, 34..66] {
        let mut replaced = bytes.clone();
        replaced[range.clone()].copy_from_slice(&other_point(7).to_bytes());
        let p = DleqProof::from_bytes(&replaced).unwrap();
        assert_eq!(
            p.verify(&mut transcript(), &statement),
            Err(Error::InvalidProof)
        );
        let mut identity = bytes.clone();
        identity[range].fill(0);
        assert_eq!(
            DleqProof::from_bytes(&identity),
            Err(EncodingError::IdentityPoint)
        );
    }
    let mut non_canonical = bytes.clone();
    add_ell(&mut non_canonical[66..]);
    assert_eq!(
        DleqProof::from_bytes(&non_canonical),
        Err(EncodingError::NonCanonicalScalar)
    );
}

#[test]
fn dleq_rejects_wrong_statements() {
    let (x, statement, proof) = dleq_fixture(2);
    let variants = [
        DleqStatement {
            G: other_point(1),
            ..statement
        },
        DleqStatement {
            H: other_point(1),
            ..statement
        },
        DleqStatement {
            P: other_point(1),
            ..statement
        },
        DleqStatement {
            Q: other_point(1),
            ..statement
        },
        // Swapped roles.
        DleqStatement {
            G: statement.H,
            H: statement.G,
            P: statement.Q,
            Q: statement.P,
        },
        DleqStatement {
            P: statement.Q,
            Q: statement.P,
            ..statement
        },
    ];
    for (i, wrong) in variants.iter().enumerate() {
        assert_eq!(
            proof.verify(&mut transcript(), wrong),
            Err(Error::InvalidProof),
            "variant {i}"
        );
    }
    assert_eq!(
        proof.verify(&mut election_transcript(&OTHER_CONTEXT), &statement),
        Err(Error::InvalidProof)
    );
    // Unequal logs: Q = (x+1)·H. The honest prover's proof with x must fail.
    let unequal = DleqStatement {
        Q: GroupElement::from_point(statement.H.point() * (x + Scalar::ONE)),
        ..statement
    };
    let cheat = DleqProof::prove(&mut transcript(), &unequal, &x, &mut rng(3)).unwrap();
    assert_eq!(
        cheat.verify(&mut transcript(), &unequal),
        Err(Error::InvalidProof)
    );
    // Identity bases are refused.
    let identity_base = DleqStatement {
        H: GroupElement::identity(),
        ..statement
    };
    assert!(DleqProof::prove(&mut transcript(), &identity_base, &x, &mut rng(3)).is_err());
    assert_eq!(
        proof.verify(&mut transcript(), &identity_base),
        Err(Error::InvalidProof)
    );
}

// ---------- Range / bit ----------

#[test]
fn bit_proof_rejects_every_bit_flip_and_field_replacement() {
    for vote in [0, 1] {
        let f = range_fixture(10 + vote as u8, vote, ValueRange::BIT);
        let bytes = f.proof.to_bytes();
        assert_eq!(bytes.len(), 228);
        assert_every_bit_flip_rejected(&bytes, RangeProof::from_bytes, |p| {
            p.verify(&mut transcript(), &f.statement)
        });
        assert_truncation_and_trailing_rejected(&bytes, RangeProof::from_bytes);
        // Each commitment replaced by a valid point, each scalar replaced by another.
        for offset in (4..4 + 4 * 32).step_by(32) {
            let mut replaced = bytes.clone();
            replaced[offset..offset + 32].copy_from_slice(&other_point(offset as u8).to_bytes());
            let p = RangeProof::from_bytes(&replaced).unwrap();
            assert_eq!(
                p.verify(&mut transcript(), &f.statement),
                Err(Error::InvalidProof)
            );
            let mut identity = bytes.clone();
            identity[offset..offset + 32].fill(0);
            assert_eq!(
                RangeProof::from_bytes(&identity),
                Err(EncodingError::IdentityPoint)
            );
        }
        for offset in (132..228).step_by(32) {
            let mut replaced = bytes.clone();
            replaced[offset..offset + 32].copy_from_slice(Scalar::from(5u8).as_bytes());
            let p = RangeProof::from_bytes(&replaced).unwrap();
            assert_eq!(
                p.verify(&mut transcript(), &f.statement),
                Err(Error::InvalidProof)
            );
            let mut non_canonical = bytes.clone();
            add_ell(&mut non_canonical[offset..offset + 32]);
            assert_eq!(
                RangeProof::from_bytes(&non_canonical),
                Err(EncodingError::NonCanonicalScalar)
            );
        }
    }
}

#[test]
fn range_proof_rejects_wrong_statements() {
    let f = range_fixture(20, 3, ValueRange::new(1, 5).unwrap());
    let mut rng = rng(21);
    let other_key = Keypair::generate(&mut rng);
    let (other_ct, _) = f.key.public().encrypt(3, &mut rng);
    let variants = [
        RangeStatement {
            public_key: *other_key.public(),
            ..f.statement
        },
        RangeStatement {
            ciphertext: other_ct,
            ..f.statement
        },
        // Swapped ciphertext components.
        RangeStatement {
            ciphertext: Ciphertext::from_points(
                *f.statement.ciphertext.b().point(),
                *f.statement.ciphertext.a().point(),
            ),
            ..f.statement
        },
        // Same number of branches, shifted range.
        RangeStatement {
            range: ValueRange::new(2, 6).unwrap(),
            ..f.statement
        },
        // Other widths.
        RangeStatement {
            range: ValueRange::new(1, 4).unwrap(),
            ..f.statement
        },
        RangeStatement {
            range: ValueRange::new(1, 6).unwrap(),
            ..f.statement
        },
    ];
    for (i, wrong) in variants.iter().enumerate() {
        assert_eq!(
            f.proof.verify(&mut transcript(), wrong),
            Err(Error::InvalidProof),
            "variant {i}"
        );
        let mut batch = BatchVerifier::new(&mut rng);
        let queued = f.proof.queue(&mut transcript(), wrong, &mut batch);
        assert!(
            queued.is_err() || batch.vartime_verify().is_err(),
            "batch variant {i}"
        );
    }
    assert_eq!(
        f.proof
            .verify(&mut election_transcript(&OTHER_CONTEXT), &f.statement),
        Err(Error::InvalidProof)
    );
    // Rerandomised ciphertext: same plaintext, but the proof is bound to the old one.
    let (rerandomized, _) = f
        .key
        .public()
        .rerandomize(&f.statement.ciphertext, &mut rng);
    let moved = RangeStatement {
        ciphertext: rerandomized,
        ..f.statement
    };
    assert_eq!(
        f.proof.verify(&mut transcript(), &moved),
        Err(Error::InvalidProof)
    );
}

#[test]
fn swapped_ciphertexts_between_two_ballots_are_rejected() {
    let a = range_fixture(30, 0, ValueRange::BIT);
    let b = range_fixture(31, 1, ValueRange::BIT);
    let a_with_b = RangeStatement {
        ciphertext: b.statement.ciphertext,
        ..a.statement
    };
    assert_eq!(
        a.proof.verify(&mut transcript(), &a_with_b),
        Err(Error::InvalidProof)
    );
    let b_with_a = RangeStatement {
        ciphertext: a.statement.ciphertext,
        ..b.statement
    };
    assert_eq!(
        b.proof.verify(&mut transcript(), &b_with_a),
        Err(Error::InvalidProof)
    );
}

#[test]
fn cheating_prover_out_of_range_is_rejected() {
    let mut rng = rng(40);
    let key = Keypair::generate(&mut rng);
    for (value, range) in [
        (2u64, ValueRange::BIT),
        (u64::MAX, ValueRange::BIT), // "−1" for a sloppy implementation
        (7, ValueRange::new(1, 5).unwrap()),
        (0, ValueRange::new(1, 5).unwrap()),
    ] {
        let (ciphertext, randomness) = key.public().encrypt(value, &mut rng);
        let statement = RangeStatement {
            public_key: *key.public(),
            ciphertext,
            range,
        };
        assert_eq!(
            RangeProof::prove(&mut transcript(), &statement, value, &randomness, &mut rng),
            Err(Error::ValueOutOfRange)
        );
        // The prover without its range check, claiming each admissible value in turn.
        for claimed in range.min()..=range.max().saturating_add(1).min(range.min() + 8) {
            let cheat = RangeProof::prove_unchecked(
                &mut transcript(),
                &statement,
                claimed,
                &randomness,
                &mut rng,
            );
            assert_eq!(
                cheat.verify(&mut transcript(), &statement),
                Err(Error::InvalidProof),
                "value {value} claimed {claimed}"
            );
        }
    }
    // An encryption of −1 (B = −G + rY) against {0, 1}.
    let randomness = Randomness::generate(&mut rng);
    let zero = key.public().encrypt_with(0, &randomness);
    let minus_one = Ciphertext::from_points(
        *zero.a().point(),
        zero.b().point() - RISTRETTO_BASEPOINT_POINT,
    );
    let statement = RangeStatement {
        public_key: *key.public(),
        ciphertext: minus_one,
        range: ValueRange::BIT,
    };
    for claimed in [0, 1] {
        let cheat = RangeProof::prove_unchecked(
            &mut transcript(),
            &statement,
            claimed,
            &randomness,
            &mut rng,
        );
        assert_eq!(
            cheat.verify(&mut transcript(), &statement),
            Err(Error::InvalidProof)
        );
    }
}

#[test]
fn wrong_randomness_does_not_convince() {
    let f = range_fixture(50, 1, ValueRange::BIT);
    let wrong = Randomness::generate(&mut rng(51));
    let cheat = RangeProof::prove(
        &mut transcript(),
        &f.statement,
        f.value,
        &wrong,
        &mut rng(52),
    )
    .unwrap();
    assert_eq!(
        cheat.verify(&mut transcript(), &f.statement),
        Err(Error::InvalidProof)
    );
    let honest = RangeProof::prove(
        &mut transcript(),
        &f.statement,
        f.value,
        &f.randomness,
        &mut rng(52),
    )
    .unwrap();
    assert!(honest.verify(&mut transcript(), &f.statement).is_ok());
}

/// `prove_many` gives what `prove` gives one proof after the other, for statements under
/// the prepared key and under another key, and refuses any out-of-range value before
/// drawing randomness.
#[test]
fn prove_many_equals_prove_one_after_the_other() {
    let mut setup = rng(40);
    let key = Keypair::generate(&mut setup);
    let other = Keypair::generate(&mut setup);
    let cases = [
        (*key.public(), 1u64, ValueRange::BIT),
        (*key.public(), 0, ValueRange::BIT),
        (*other.public(), 1, ValueRange::BIT),
        (*key.public(), 3, ValueRange::new(0, 5).unwrap()),
        (*key.public(), 1, ValueRange::new(1, 1).unwrap()),
    ];
    let encrypted: Vec<(RangeStatement, Randomness, u64)> = cases
        .iter()
        .map(|(public_key, value, range)| {
            let (ciphertext, randomness) = public_key.encrypt(*value, &mut setup);
            (
                RangeStatement {
                    public_key: *public_key,
                    ciphertext,
                    range: *range,
                },
                randomness,
                *value,
            )
        })
        .collect();
    let mut one_rng = rng(41);
    let one_by_one: Vec<Vec<u8>> = encrypted
        .iter()
        .map(|(statement, randomness, value)| {
            RangeProof::prove(
                &mut transcript(),
                statement,
                *value,
                randomness,
                &mut one_rng,
            )
            .unwrap()
            .to_bytes()
        })
        .collect();
    for prepared in [
        EncryptionKey::new(*key.public()),
        EncryptionKey::precomputed(*key.public()),
    ] {
        let mut transcripts: Vec<_> = encrypted.iter().map(|_| transcript()).collect();
        let mut witnesses: Vec<RangeWitness<'_>> = transcripts
            .iter_mut()
            .zip(&encrypted)
            .map(
                |(transcript, (statement, randomness, value))| RangeWitness {
                    transcript,
                    statement,
                    value: *value,
                    randomness,
                },
            )
            .collect();
        let proofs = RangeProof::prove_many(&prepared, &mut witnesses, &mut rng(41)).unwrap();
        let bytes: Vec<Vec<u8>> = proofs.iter().map(RangeProof::to_bytes).collect();
        assert_eq!(bytes, one_by_one);
        for (proof, (statement, _, _)) in proofs.iter().zip(&encrypted) {
            proof.verify(&mut transcript(), statement).unwrap();
        }
    }
    // An out-of-range value anywhere refuses the whole batch.
    let (statement, randomness, _) = &encrypted[0];
    let mut first = transcript();
    let mut second = transcript();
    let mut witnesses = [
        RangeWitness {
            transcript: &mut first,
            statement,
            value: 1,
            randomness,
        },
        RangeWitness {
            transcript: &mut second,
            statement,
            value: 2,
            randomness,
        },
    ];
    assert_eq!(
        RangeProof::prove_many(
            &EncryptionKey::new(*key.public()),
            &mut witnesses,
            &mut rng(42)
        )
        .map(|_| ()),
        Err(Error::ValueOutOfRange)
    );
}

#[test]
fn range_decoder_rejects_bad_counts_and_ranges() {
    let f = range_fixture(60, 0, ValueRange::BIT);
    let mut bytes = f.proof.to_bytes();
    bytes[2..4].copy_from_slice(&0u16.to_le_bytes());
    assert!(matches!(
        RangeProof::from_bytes(&bytes),
        Err(EncodingError::CountOutOfBounds { count: 0, .. })
    ));
    bytes[2..4].copy_from_slice(&2000u16.to_le_bytes());
    assert!(matches!(
        RangeProof::from_bytes(&bytes),
        Err(EncodingError::CountOutOfBounds { count: 2000, .. })
    ));
    bytes[2..4].copy_from_slice(&3u16.to_le_bytes());
    assert!(matches!(
        RangeProof::from_bytes(&bytes),
        Err(EncodingError::WrongLength { .. })
    ));
    assert_eq!(
        ValueRange::new(5, 4),
        Err(Error::InvalidRange { min: 5, max: 4 })
    );
    assert_eq!(
        ValueRange::new(0, 1024),
        Err(Error::InvalidRange { min: 0, max: 1024 })
    );
    assert!(ValueRange::new(u64::MAX - 1023, u64::MAX).is_ok());
    assert!(ValueRange::new(u64::MAX, u64::MAX).is_ok());
}

#[test]
fn range_at_the_top_of_u64_is_complete() {
    let f = range_fixture(
        61,
        u64::MAX,
        ValueRange::new(u64::MAX - 2, u64::MAX).unwrap(),
    );
    assert!(f.proof.verify(&mut transcript(), &f.statement).is_ok());
}

#[test]
fn proof_types_are_not_interchangeable() {
    let (_, _, schnorr) = schnorr_fixture(70);
    let (_, _, dleq) = dleq_fixture(70);
    assert!(DleqProof::from_bytes(&schnorr.to_bytes()).is_err());
    assert!(RangeProof::from_bytes(&dleq.to_bytes()).is_err());
    assert!(SchnorrProof::from_bytes(&dleq.to_bytes()).is_err());
}

// ---------- batches ----------

#[test]
fn batch_of_bit_proofs_names_the_bad_one() {
    let fixtures: Vec<RangeFixture> = (0..12)
        .map(|i| range_fixture(80 + i, u64::from(i % 2), ValueRange::BIT))
        .collect();
    let mut items: Vec<BatchItem<'_, RangeProof>> = fixtures
        .iter()
        .map(|f| BatchItem {
            transcript: transcript(),
            statement: &f.statement,
            proof: &f.proof,
        })
        .collect();
    assert_eq!(verify_batch(&items, &mut rng(1)), Ok(()));

    // Proof 7 checked against proof 3's ciphertext-swapped statement.
    let swapped = RangeStatement {
        ciphertext: fixtures[3].statement.ciphertext,
        ..fixtures[7].statement
    };
    items[7].statement = &swapped;
    assert_eq!(
        verify_batch(&items, &mut rng(2)),
        Err(Error::InvalidProofs { culprits: vec![7] })
    );

    // And an election-id mismatch for proof 0.
    items[0].transcript = election_transcript(&OTHER_CONTEXT);
    let err = verify_batch(&items, &mut rng(3)).unwrap_err();
    assert_eq!(err.culprits(), &[0, 7]);
}

#[test]
fn batch_detects_a_wrong_response_in_any_position() {
    let fixtures: Vec<(Scalar, SchnorrStatement, SchnorrProof)> =
        (0..6).map(|i| schnorr_fixture(100 + i)).collect();
    for bad in 0..fixtures.len() {
        let tampered: Vec<SchnorrProof> = fixtures
            .iter()
            .enumerate()
            .map(|(i, (_, _, p))| {
                if i != bad {
                    return *p;
                }
                let mut bytes = p.to_bytes();
                let z = Scalar::from_canonical_bytes(bytes[34..66].try_into().unwrap()).unwrap()
                    + Scalar::ONE;
                bytes[34..66].copy_from_slice(z.as_bytes());
                SchnorrProof::from_bytes(&bytes).unwrap()
            })
            .collect();
        let items: Vec<_> = fixtures
            .iter()
            .zip(&tampered)
            .map(|((_, s, _), p)| BatchItem {
                transcript: transcript(),
                statement: s,
                proof: p,
            })
            .collect();
        assert_eq!(
            verify_batch(&items, &mut rng(bad as u8)),
            Err(Error::InvalidProofs {
                culprits: vec![bad]
            })
        );
    }
}

#[test]
fn mixed_batch_of_a_ballot_verifies_in_one_multiscalar_multiplication() {
    // Four bit proofs and one "exactly one" DLEQ proof on the sum: a 1-of-4 ballot.
    let mut rng = rng(120);
    let key = Keypair::generate(&mut rng);
    let votes = [0u64, 0, 1, 0];
    let encrypted: Vec<_> = votes
        .iter()
        .map(|&v| key.public().encrypt(v, &mut rng))
        .collect();
    let mut statements = Vec::new();
    let mut proofs = Vec::new();
    for (&v, (ct, r)) in votes.iter().zip(&encrypted) {
        let st = RangeStatement {
            public_key: *key.public(),
            ciphertext: *ct,
            range: ValueRange::BIT,
        };
        proofs.push(RangeProof::prove(&mut transcript(), &st, v, r, &mut rng).unwrap());
        statements.push(st);
    }
    let sum = Ciphertext::sum(encrypted.iter().map(|(c, _)| c));
    let sum_r = Randomness::sum(encrypted.iter().map(|(_, r)| r));
    let sum_statement = DleqStatement::with_generator(
        *key.public().element(),
        *sum.a(),
        GroupElement::from_point(sum.b().point() - RISTRETTO_BASEPOINT_POINT),
    );
    let sum_proof = DleqProof::prove(
        &mut transcript(),
        &sum_statement,
        sum_r.expose_scalar(),
        &mut rng,
    )
    .unwrap();

    let mut batch = BatchVerifier::new(&mut rng);
    for (st, p) in statements.iter().zip(&proofs) {
        p.queue(&mut transcript(), st, &mut batch).unwrap();
    }
    sum_proof
        .queue(&mut transcript(), &sum_statement, &mut batch)
        .unwrap();
    assert!(batch.len() < 4 * 6 + 6 + 4);
    assert_eq!(batch.vartime_verify(), Ok(()));

    // A ballot with two votes cannot prove "exactly one".
    let two =
        Ciphertext::sum(encrypted.iter().map(|(c, _)| c)) + key.public().encrypt(1, &mut rng).0;
    let wrong_sum = DleqStatement::with_generator(
        *key.public().element(),
        *two.a(),
        GroupElement::from_point(two.b().point() - RISTRETTO_BASEPOINT_POINT),
    );
    let mut batch = BatchVerifier::new(&mut rng);
    for (st, p) in statements.iter().zip(&proofs) {
        p.queue(&mut transcript(), st, &mut batch).unwrap();
    }
    sum_proof
        .queue(&mut transcript(), &wrong_sum, &mut batch)
        .unwrap();
    assert_eq!(batch.vartime_verify(), Err(Error::InvalidProof));
}

#[test]
fn empty_batch_verifies() {
    let items: Vec<BatchItem<'_, SchnorrProof>> = Vec::new();
    assert_eq!(verify_batch(&items, &mut rng(0)), Ok(()));
    let _ = CONTEXT;
}

// ---------- decoders never panic ----------

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary bytes, and valid headers followed by arbitrary bytes, never panic any
    /// decoder; whatever decodes re-encodes to the same bytes.
    #[test]
    fn decoders_never_panic(kind in 1u8..=3, count in any::<u16>(), body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = vec![1, kind];
        bytes.extend_from_slice(&count.to_le_bytes());
        bytes.extend_from_slice(&body);
        for input in [&bytes[..], &body[..]] {
            if let Ok(p) = SchnorrProof::from_bytes(input) { prop_assert_eq!(p.to_bytes(), input.to_vec()); }
            if let Ok(p) = DleqProof::from_bytes(input) { prop_assert_eq!(p.to_bytes(), input.to_vec()); }
            if let Ok(p) = RangeProof::from_bytes(input) { prop_assert_eq!(p.to_bytes(), input.to_vec()); }
        }
    }
}

#[test]
fn secrets_zeroize() {
    use zeroize::Zeroize;
    let mut key = secret_ballot::elgamal::SecretKey::generate(&mut rng(1));
    key.zeroize();
    assert_eq!(*key.expose_bytes(), [0u8; 32]);
    let mut r = Randomness::generate(&mut rng(2));
    r.zeroize();
    assert_eq!(*r.expose_bytes(), [0u8; 32]);
}
