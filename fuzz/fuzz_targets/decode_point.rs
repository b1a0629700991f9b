//! Every fixed-size decoder (SPEC.md §3.1, §3.2): points, scalars, keys, ciphertexts and
//! message kinds. Never panics; what decodes re-encodes to the same bytes; the stricter
//! decoders accept a subset of what the plain ones accept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::credential::{IssuerKeypair, IssuerPublicKey, Pseudonym, PseudonymSecret};
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::elgamal::{Ciphertext, PublicKey, Randomness, SecretKey};
use secret_ballot::encoding::{
    GroupElement, MessageKind, decode_nonidentity_point, decode_nonzero_scalar, decode_point,
    decode_scalar,
};
use secret_ballot::wire;

fuzz_target!(|data: &[u8]| {
    // Points.
    let point = decode_point(data);
    if let Ok(p) = &point {
        assert_eq!(p.compress().as_bytes().as_slice(), data);
    }
    let nonidentity = decode_nonidentity_point(data);
    if let Ok(p) = &nonidentity {
        assert_eq!(
            point.as_ref().ok(),
            Some(p),
            "a non-identity point is a point"
        );
    }
    if let Ok(element) = GroupElement::from_bytes(data) {
        assert_eq!(element.to_bytes().as_slice(), data);
        assert_eq!(element.is_identity(), nonidentity.is_err());
    } else {
        assert!(point.is_err());
    }
    if let Ok(bytes) = wire::point_canonical(data) {
        assert_eq!(bytes, data);
    } else {
        assert!(point.is_err());
    }
    for bytes in [
        PublicKey::from_bytes(data).map(|k| k.to_bytes()),
        IssuerPublicKey::from_bytes(data).map(|k| k.to_bytes()),
        Pseudonym::from_bytes(data).map(|k| k.to_bytes()),
    ]
    .into_iter()
    .flatten()
    {
        assert_eq!(bytes.as_slice(), data);
        assert!(point.is_ok());
    }
    if let Ok(ct) = Ciphertext::from_bytes(data) {
        assert_eq!(ct.to_bytes().as_slice(), data);
    }

    // Scalars.
    let scalar = decode_scalar(data);
    if let Ok(s) = &scalar {
        assert_eq!(s.to_bytes().as_slice(), data);
    }
    let nonzero = decode_nonzero_scalar(data);
    if let Ok(s) = &nonzero {
        assert_ne!(*s, Scalar::ZERO);
        assert_eq!(scalar.as_ref().ok(), Some(s));
    }
    if let Ok(bytes) = wire::scalar_canonical(data) {
        assert_eq!(bytes, data);
    } else {
        assert!(scalar.is_err());
    }
    for bytes in [
        SecretKey::from_bytes(data).map(|k| k.expose_bytes()),
        PseudonymSecret::from_bytes(data).map(|k| k.expose_bytes()),
        IssuerKeypair::from_secret_bytes(data).map(|k| k.expose_secret_bytes()),
    ]
    .into_iter()
    .flatten()
    {
        assert_eq!(bytes.as_slice(), data);
        assert!(nonzero.is_ok());
    }
    if let Ok(r) = Randomness::from_bytes(data) {
        assert_eq!(r.expose_bytes().as_slice(), data);
    }
    // A secret key's public key decodes as a non-identity point.
    if let Ok(public) = wire::elgamal_public_key(data) {
        assert!(decode_nonidentity_point(&public).is_ok());
    }

    // Message kinds (the header's second byte).
    if let [byte] = data
        && let Ok(kind) = MessageKind::from_u8(*byte)
    {
        assert_eq!(kind as u8, *byte);
    }
});
