//! A trustee's stored key share (SPEC.md §7.7): round trip, every rejection, the check
//! against the election, and decryption with a restored share.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/ceremony.rs"]
mod ceremony;
#[path = "support/common.rs"]
mod common;

use common::{CONTEXT, OTHER_CONTEXT, add_ell, bit_flips, rng};
use proptest::prelude::*;
use secret_ballot::elgamal::{Ciphertext, PublicKey, SecretKey};
use secret_ballot::encoding::{MessageKind, decode_point};
use secret_ballot::threshold::{Aggregate, CeremonyParameters, KeyShare, combine};
use secret_ballot::{EncodingError, Error};
use subtle::ConstantTimeEq;

struct Setup {
    params: CeremonyParameters,
    long_term: Vec<SecretKey>,
    shares: Vec<KeyShare>,
}

fn setup(n: u16, t: u16, seed: u8) -> Setup {
    let mut rng = rng(seed);
    let long_term: Vec<SecretKey> = (0..n).map(|_| SecretKey::generate(&mut rng)).collect();
    let keys: Vec<PublicKey> = long_term.iter().map(SecretKey::public_key).collect();
    let params = CeremonyParameters::new(CONTEXT, t, keys).unwrap();
    let done = ceremony::honest(&params, &long_term, &mut rng);
    Setup {
        params,
        long_term,
        shares: done.shares,
    }
}

fn same(a: &KeyShare, b: &KeyShare) -> bool {
    bool::from(a.ct_eq(b)) && a.context() == b.context() && a.public() == b.public()
}

// Offsets in the encoding (SPEC.md §7.7) of a share of `n` trustees, `q` qualified.
const CONTEXT_AT: usize = 2;
const INDEX_AT: usize = 34;
const T_AT: usize = 36;
const N_AT: usize = 38;
const SHARE_AT: usize = 40;
const Q_AT: usize = 72;
const QUALIFIED_AT: usize = 74;
fn y_at(q: usize) -> usize {
    QUALIFIED_AT + 2 * q
}
/// Where `VK_{j+1}` starts.
fn vk_at(q: usize, j: usize) -> usize {
    y_at(q) + 32 * (j + 1)
}

fn encoding_error(bytes: &[u8]) -> EncodingError {
    match KeyShare::from_bytes(bytes) {
        Err(Error::Encoding(e)) => e,
        other => panic!("expected an encoding error, got {other:?}"),
    }
}

fn invalid_share(bytes: &[u8]) {
    match KeyShare::from_bytes(bytes) {
        Err(Error::InvalidKeyShare(_)) => {}
        other => panic!("expected InvalidKeyShare, got {other:?}"),
    }
}

#[test]
fn every_share_round_trips_and_has_the_specified_length() {
    let s = setup(5, 3, 1);
    for share in &s.shares {
        let bytes = share.to_secret_bytes();
        assert_eq!(bytes.len(), KeyShare::encoded_len(5, 5));
        assert_eq!(bytes.len(), 106 + 2 * 5 + 32 * 5);
        assert_eq!(&bytes[..2], &[0x01, MessageKind::KeyShare as u8]);
        assert_eq!(&bytes[CONTEXT_AT..INDEX_AT], &CONTEXT);
        let back = KeyShare::from_bytes(&bytes).unwrap();
        assert!(same(&back, share));
        assert_eq!(back.to_secret_bytes().as_slice(), bytes.as_slice());
        let key = s.long_term[usize::from(share.index()) - 1].public_key();
        back.check_parameters(&s.params, &key).unwrap();
    }
    // The redacted Debug of a restored share shows no secret.
    let bytes = s.shares[0].to_secret_bytes();
    let shown = format!("{:?}", KeyShare::from_bytes(&bytes).unwrap());
    assert!(shown.contains("<redacted>"));
    assert!(!shown.contains(&hex::encode(&bytes[SHARE_AT..Q_AT])));
}

#[test]
fn restored_shares_decrypt_the_same_totals() {
    let s = setup(4, 2, 2);
    let key = *s.shares[0].public().election_key();
    let mut r = rng(3);
    let votes = [[1u64, 0, 1], [0, 1, 1], [1, 1, 0]];
    let ballots: Vec<Vec<Ciphertext>> = votes
        .iter()
        .map(|b| b.iter().map(|&v| key.encrypt(v, &mut r).0).collect())
        .collect();
    let aggregate = Aggregate::from_ballots(&ballots, 3).unwrap();
    let restored: Vec<KeyShare> = s
        .shares
        .iter()
        .map(|share| KeyShare::from_bytes(&share.to_secret_bytes()).unwrap())
        .collect();
    let decryption: Vec<_> = restored[2..]
        .iter()
        .map(|share| {
            share
                .decrypt_aggregate(&ballots, &aggregate, 1, &mut r)
                .unwrap()
        })
        .collect();
    let tally = combine(restored[0].public(), &CONTEXT, &aggregate, &decryption).unwrap();
    assert_eq!(tally.totals, vec![2, 2, 2]);
    assert!(tally.rejected.is_empty());
}

#[test]
fn header_length_and_trailing_bytes_are_checked() {
    let s = setup(3, 2, 4);
    let bytes = s.shares[1].to_secret_bytes().to_vec();
    assert!(matches!(
        encoding_error(&[]),
        EncodingError::Truncated { .. }
    ));
    let mut v = bytes.clone();
    v[0] = 0x02;
    assert_eq!(encoding_error(&v), EncodingError::UnsupportedVersion(2));
    let mut v = bytes.clone();
    v[1] = MessageKind::DecryptionShare as u8;
    assert_eq!(
        encoding_error(&v),
        EncodingError::WrongKind {
            expected: 0x15,
            actual: 0x14
        }
    );
    for len in 0..bytes.len() {
        assert!(
            matches!(
                encoding_error(&bytes[..len]),
                EncodingError::Truncated { .. }
            ),
            "prefix of {len} bytes"
        );
    }
    let mut v = bytes.clone();
    v.push(0);
    assert_eq!(encoding_error(&v), EncodingError::TrailingBytes(1));
}

fn set_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

#[test]
fn counts_and_indices_out_of_range_are_rejected() {
    let s = setup(3, 2, 5);
    let bytes = s.shares[0].to_secret_bytes().to_vec();
    let out_of = |count, limit| EncodingError::CountOutOfBounds { count, limit };
    for (at, value, error) in [
        (N_AT, 0, out_of(0, 255)),
        (N_AT, 256, out_of(256, 255)),
        (T_AT, 0, out_of(0, 3)),
        (T_AT, 4, out_of(4, 3)),
        (INDEX_AT, 0, out_of(0, 3)),
        (INDEX_AT, 4, out_of(4, 3)),
        (Q_AT, 0, out_of(0, 3)),
        (Q_AT, 4, out_of(4, 3)),
        (QUALIFIED_AT + 4, 4, out_of(4, 3)),
    ] {
        let mut v = bytes.clone();
        set_u16(&mut v, at, value);
        assert_eq!(encoding_error(&v), error, "field at {at} = {value}");
    }
    // Dealer 0 fails the range check; a repeat or a decrease fails the order.
    let mut v = bytes.clone();
    set_u16(&mut v, QUALIFIED_AT, 0);
    assert_eq!(encoding_error(&v), out_of(0, 3));
    let mut v = bytes.clone();
    set_u16(&mut v, QUALIFIED_AT + 2, 1);
    assert_eq!(encoding_error(&v), EncodingError::NotStrictlyIncreasing);
    let mut v = bytes.clone();
    set_u16(&mut v, QUALIFIED_AT + 2, 3);
    set_u16(&mut v, QUALIFIED_AT + 4, 2);
    assert_eq!(encoding_error(&v), EncodingError::NotStrictlyIncreasing);
    // Fewer qualified dealers than t: the list shortened to one (t = 2).
    let mut v = bytes[..QUALIFIED_AT].to_vec();
    set_u16(&mut v, Q_AT, 1);
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&bytes[y_at(3)..]);
    invalid_share(&v);
}

#[test]
fn non_canonical_and_zero_scalars_and_bad_points_are_rejected() {
    let s = setup(3, 2, 6);
    let bytes = s.shares[2].to_secret_bytes().to_vec();
    let mut v = bytes.clone();
    add_ell(&mut v[SHARE_AT..Q_AT]);
    assert_eq!(encoding_error(&v), EncodingError::NonCanonicalScalar);
    let mut v = bytes.clone();
    v[SHARE_AT..Q_AT].fill(0xff);
    assert_eq!(encoding_error(&v), EncodingError::NonCanonicalScalar);
    let mut v = bytes.clone();
    v[SHARE_AT..Q_AT].fill(0);
    assert_eq!(encoding_error(&v), EncodingError::ZeroScalar);
    let mut v = bytes.clone();
    v[y_at(3)..vk_at(3, 0)].fill(0);
    assert_eq!(encoding_error(&v), EncodingError::IdentityPoint);
    // A non-canonical field element (RFC 9496 A.2) as the election key and as a VK.
    let bad =
        hex::decode("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff").unwrap();
    assert!(decode_point(&bad).is_err());
    let mut v = bytes.clone();
    v[y_at(3)..vk_at(3, 0)].copy_from_slice(&bad);
    assert_eq!(encoding_error(&v), EncodingError::InvalidPoint);
    let mut v = bytes.clone();
    v[vk_at(3, 2)..vk_at(3, 3)].copy_from_slice(&bad);
    assert_eq!(encoding_error(&v), EncodingError::InvalidPoint);
}

#[test]
fn a_share_that_does_not_match_its_public_keys_is_rejected() {
    let s = setup(4, 2, 7);
    let first = s.shares[0].to_secret_bytes().to_vec();
    let second = s.shares[1].to_secret_bytes().to_vec();
    // Trustee 2's secret under trustee 1's index.
    let mut v = first.clone();
    v[SHARE_AT..Q_AT].copy_from_slice(&second[SHARE_AT..Q_AT]);
    invalid_share(&v);
    // The index changed: the share no longer matches the verification key it names.
    let mut v = first.clone();
    set_u16(&mut v, INDEX_AT, 3);
    invalid_share(&v);
    // A verification key among the first t changed (made another's): the keys no
    // longer interpolate to the election key.
    let mut v = second.clone();
    let vk3 = v[vk_at(4, 2)..vk_at(4, 3)].to_vec();
    v[vk_at(4, 0)..vk_at(4, 1)].copy_from_slice(&vk3);
    invalid_share(&v);
    // Another election key.
    let mut v = second.clone();
    v[y_at(4)..vk_at(4, 0)].copy_from_slice(&vk3);
    invalid_share(&v);
    // A lower threshold than the ceremony's: the first t' keys do not interpolate.
    let mut v = second.clone();
    set_u16(&mut v, T_AT, 1);
    invalid_share(&v);
}

#[test]
fn every_bit_flip_is_rejected_or_caught_against_the_election() {
    let s = setup(3, 2, 8);
    let share = &s.shares[0];
    let bytes = share.to_secret_bytes();
    let key = s.long_term[0].public_key();
    for (bit, flipped) in bit_flips(&bytes).enumerate() {
        let at = bit / 8;
        match KeyShare::from_bytes(&flipped) {
            Err(_) => {}
            Ok(loaded) => {
                // The secret and the index never change silently. Public bytes the
                // decoder cannot check may: the context or the parameters (caught against
                // the election) or the keys of trustees above t (caught by
                // `decrypt_record` against the record's ceremony).
                assert!(
                    !(INDEX_AT..INDEX_AT + 2).contains(&at) && !(SHARE_AT..Q_AT).contains(&at),
                    "bit {bit} (byte {at}) was not rejected"
                );
                assert!(
                    loaded.check_parameters(&s.params, &key).is_err()
                        || loaded.public() != share.public(),
                    "bit {bit} (byte {at}) went unnoticed"
                );
                if (CONTEXT_AT..INDEX_AT).contains(&at) {
                    assert!(matches!(
                        loaded.check_parameters(&s.params, &key),
                        Err(Error::KeyShareMismatch(_))
                    ));
                }
            }
        }
    }
}

#[test]
fn a_share_of_another_election_or_trustee_does_not_load() {
    let s = setup(3, 2, 9);
    let share = KeyShare::from_bytes(&s.shares[1].to_secret_bytes()).unwrap();
    let own = s.long_term[1].public_key();
    share.check_parameters(&s.params, &own).unwrap();
    let keys: Vec<PublicKey> = s.long_term.iter().map(SecretKey::public_key).collect();
    let mismatch = |params: &CeremonyParameters, key: &PublicKey| {
        matches!(
            share.check_parameters(params, key),
            Err(Error::KeyShareMismatch(_))
        )
    };
    let other_election = CeremonyParameters::new(OTHER_CONTEXT, 2, keys.clone()).unwrap();
    assert!(mismatch(&other_election, &own));
    let other_threshold = CeremonyParameters::new(CONTEXT, 3, keys.clone()).unwrap();
    assert!(mismatch(&other_threshold, &own));
    let mut more = keys.clone();
    more.push(SecretKey::generate(&mut rng(10)).public_key());
    let other_size = CeremonyParameters::new(CONTEXT, 2, more).unwrap();
    assert!(mismatch(&other_size, &own));
    // Trustee 1's long-term key: the share is trustee 2's.
    assert!(mismatch(&s.params, &keys[0]));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_ceremony_round_trips(n in 1u16..=6, t_pick in 0u16..6, seed in any::<u8>()) {
        let t = t_pick % n + 1;
        let s = setup(n, t, seed);
        for share in &s.shares {
            let bytes = share.to_secret_bytes();
            prop_assert_eq!(bytes.len(), KeyShare::encoded_len(usize::from(n), usize::from(n)));
            let back = KeyShare::from_bytes(&bytes).unwrap();
            prop_assert!(same(&back, share));
            let key = s.long_term[usize::from(share.index()) - 1].public_key();
            prop_assert!(back.check_parameters(&s.params, &key).is_ok());
        }
    }
}
