//! A trustee's steps after the ceremony through the byte-level API: restoring a stored
//! key share (SPEC.md §7.7) and the paper count (SPEC.md §14.4).

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
#[path = "support/congress.rs"]
mod congress;
#[path = "support/sitting.rs"]
mod sitting;

use common::rng;
use secret_ballot::manifest::Manifest;
use secret_ballot::{EncodingError, Error, wire};

#[test]
fn a_key_share_is_restored_only_by_its_trustee_in_its_election() {
    let mut rng = rng(90);
    let e = sitting::setup(&mut rng, 12);
    let manifest = e.manifest.to_bytes().unwrap();
    let secret = |i: usize| e.authorities.trustees[i].expose_bytes().to_vec();
    for (i, share) in e.shares.iter().enumerate() {
        let restored =
            wire::ceremony_restore(&manifest, &secret(i), &share.to_secret_bytes()).unwrap();
        assert_eq!(restored.index(), share.index());
        assert_eq!(restored.public(), share.public());
        assert_eq!(restored.context(), &e.context);
    }
    let stored = e.shares[0].to_secret_bytes();
    assert!(matches!(
        wire::ceremony_restore(&manifest, &secret(1), &stored),
        Err(Error::KeyShareMismatch(_))
    ));
    let other = Manifest {
        election_id: b"another election".to_vec(),
        ..e.manifest.clone()
    }
    .to_bytes()
    .unwrap();
    assert!(matches!(
        wire::ceremony_restore(&other, &secret(0), &stored),
        Err(Error::KeyShareMismatch(_))
    ));
    assert!(matches!(
        wire::ceremony_restore(&manifest, &secret(0), &stored[..stored.len() - 1]),
        Err(Error::Encoding(EncodingError::Truncated { .. }))
    ));
    let mut flipped = stored.to_vec();
    flipped[40] ^= 1; // the share's lowest byte: still canonical, another scalar
    assert!(matches!(
        wire::ceremony_restore(&manifest, &secret(0), &flipped),
        Err(Error::InvalidKeyShare(_))
    ));
    assert_eq!(Error::InvalidKeyShare("").code(), "encoding");
    assert_eq!(Error::KeyShareMismatch("").code(), "invalid_parameters");
}

#[test]
fn a_paper_count_is_encrypted_checked_signed_and_verified() {
    let mut rng = rng(91);
    let e = sitting::setup(&mut rng, 12);
    let manifest = e.manifest.to_bytes().unwrap();
    let key = e.keys.election_key.to_bytes();
    let secret = |i: u16| {
        e.authorities.trustees[usize::from(i) - 1]
            .expose_bytes()
            .to_vec()
    };
    let t = e.manifest.trustee_threshold;
    // Three paper voters: two for and one against the first motion; the rest invalid.
    let mut counts = vec![0u64; e.manifest.width()];
    counts[0] = 2;
    counts[1] = 1;
    let (mut count, opening) =
        wire::paper_count_encrypt(&manifest, &key, 3, counts.clone(), &mut rng).unwrap();
    // A scrutineer whose sheet differs does not sign, nor does a key of another index.
    let mut other = counts.clone();
    other[1] = 0;
    other[2] = 1;
    assert!(matches!(
        wire::paper_count_sign(
            &mut count,
            &opening,
            &manifest,
            &key,
            1,
            &secret(1),
            (3, other),
            &mut rng
        ),
        Err(Error::InvalidOfflineCount(_))
    ));
    assert!(matches!(
        wire::paper_count_sign(
            &mut count,
            &opening,
            &manifest,
            &key,
            2,
            &secret(1),
            (3, counts.clone()),
            &mut rng
        ),
        Err(Error::UnknownTrustee(2))
    ));
    for i in 1..t {
        wire::paper_count_sign(
            &mut count,
            &opening,
            &manifest,
            &key,
            i,
            &secret(i),
            (3, counts.clone()),
            &mut rng,
        )
        .unwrap();
    }
    assert!(matches!(
        wire::paper_count_verify(&manifest, &key, &count.to_bytes()),
        Err(Error::InvalidOfflineCount(_))
    ));
    wire::paper_count_sign(
        &mut count,
        &opening,
        &manifest,
        &key,
        t,
        &secret(t),
        (3, counts.clone()),
        &mut rng,
    )
    .unwrap();
    assert_eq!(
        wire::paper_count_verify(&manifest, &key, &count.to_bytes()).unwrap(),
        3
    );
    assert_eq!(
        count.signers().collect::<Vec<_>>(),
        (1..=t).collect::<Vec<_>>()
    );
    // Another election key: the range proofs do not verify.
    let other_key = e.authorities.trustees[0].public_key().to_bytes();
    assert!(wire::paper_count_verify(&manifest, &other_key, &count.to_bytes()).is_err());
    // A sheet that does not fit the ballot is refused before anything is encrypted.
    assert!(matches!(
        wire::paper_count_encrypt(&manifest, &key, 3, vec![0; 2], &mut rng),
        Err(Error::InvalidOfflineCount(_))
    ));
}
