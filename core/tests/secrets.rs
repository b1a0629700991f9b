//! The zeroization and redaction contract of SECURITY.md, checked: every secret-bearing
//! type is `ZeroizeOnDrop` (asserted at compile time through a generic bound) and its
//! `Debug` never prints the secret.

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

use secret_ballot::ballot::{Ballot, BallotSecrets, ElectionKeys};
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, ReportKeypair,
    SessionState, SessionStore, Taken, VoterAwaitingCommit, VoterAwaitingResponse, VoterId,
};
use secret_ballot::elgamal::{Randomness, SecretKey};
use secret_ballot::tally::{PaperOpening, PaperTally};
use secret_ballot::threshold::KeyShare;
use secret_ballot::threshold::dkg::{round1, round2};
use secret_ballot::transcript::CONTEXT_LEN;
use subtle::ConstantTimeEq;
use zeroize::ZeroizeOnDrop;

/// Compiles only for types that zeroize themselves when dropped.
fn zeroized_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn every_secret_type_is_zeroized_on_drop() {
    zeroized_on_drop::<SecretKey>();
    zeroized_on_drop::<Randomness>();
    zeroized_on_drop::<KeyShare>();
    zeroized_on_drop::<round1::SecretPackage>();
    zeroized_on_drop::<round2::SecretPackage>();
    zeroized_on_drop::<IssuerKeypair>();
    zeroized_on_drop::<SessionState>();
    zeroized_on_drop::<PseudonymSecret>();
    zeroized_on_drop::<VoterAwaitingCommit>();
    zeroized_on_drop::<VoterAwaitingResponse>();
    zeroized_on_drop::<Credential>();
    zeroized_on_drop::<ReportKeypair>();
    zeroized_on_drop::<BallotSecrets>();
    zeroized_on_drop::<PaperOpening>();
}

/// `Debug` of a secret: says it is redacted (or leaves the secret out, `..`), shows no
/// scalar, and contains neither the
/// hex nor the byte-list form of any of `secrets`.
fn assert_redacted(debug: &str, secrets: &[&[u8]]) {
    assert!(
        debug.contains("<redacted>") || debug.ends_with(", .. }"),
        "{debug}"
    );
    assert!(!debug.contains("Scalar"), "{debug}");
    for secret in secrets {
        assert!(!debug.contains(&hex::encode(secret)), "{debug}");
        assert!(!debug.contains(&format!("{secret:?}")), "{debug}");
        assert!(
            !debug.contains(&format!("{:?}", &secret[..8])[1..20]),
            "{debug}"
        );
    }
}

#[test]
fn no_secret_is_printed_by_debug() {
    let mut rng = common::rng(1);
    let (manifest, authorities) = congress::congress(&mut rng, 20);
    let context: [u8; CONTEXT_LEN] = manifest.context().unwrap();

    let key = SecretKey::generate(&mut rng);
    assert_redacted(&format!("{key:?}"), &[&*key.expose_bytes()]);
    let r = Randomness::generate(&mut rng);
    assert_redacted(&format!("{r:?}"), &[&*r.expose_bytes()]);
    let issuer_key = IssuerKeypair::generate(&mut rng);
    assert_redacted(
        &format!("{issuer_key:?}"),
        &[&*issuer_key.expose_secret_bytes()],
    );
    let report = ReportKeypair::generate(&mut rng);
    assert_redacted(&format!("{report:?}"), &[&*report.expose_secret_bytes()]);
    let p = PseudonymSecret::generate(&mut rng);
    assert_redacted(&format!("{p:?}"), &[&*p.expose_bytes()]);

    // The key ceremony's secrets.
    let params = manifest.ceremony_parameters().unwrap();
    let (s1, _) = ceremony::first(&params, &mut rng);
    assert_redacted(&format!("{:?}", s1[0]), &[]);
    let honest = ceremony::honest(&params, &authorities.trustees, &mut rng);
    let share = &honest.shares[0];
    let share_bytes = share.to_secret_bytes();
    assert_redacted(&format!("{share:?}"), &[&share_bytes[40..72]]);
    let (s2, _) = ceremony::second(s1, &params, &authorities.trustees);
    assert_redacted(&format!("{:?}", s2[0]), &[]);
    // Compared in constant time.
    assert!(bool::from(share.ct_eq(&honest.shares[0].clone())));
    assert!(!bool::from(share.ct_eq(&honest.shares[1])));
    assert!(bool::from(key.ct_eq(&key.clone())));

    // Issuance: the issuer's session state and the voter's two states and credential.
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), 600);
    let voter = VoterId::new(b"rep-0001").unwrap();
    let other = VoterId::new(b"rep-0002").unwrap();
    let taken = issuer.commit(&context, &other, 0, &mut rng).unwrap();
    let Taken::Open(state) = issuer.store().take(taken.session()).unwrap() else {
        panic!("an open session")
    };
    let state_bytes = state.expose_secret_bytes();
    assert_redacted(
        &format!("{state:?}"),
        &[
            &state_bytes[40..72],
            &state_bytes[72..104],
            &state_bytes[104..136],
        ],
    );
    let commit = issuer.commit(&context, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(*issuer.key().public(), context, p.clone());
    assert_redacted(&format!("{request:?}"), &[&*p.expose_bytes()]);
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    assert_redacted(&format!("{pending:?}"), &[&*p.expose_bytes()]);
    let credential = pending
        .finalize(&issuer.respond(&challenge, &voter, 1).unwrap())
        .unwrap();
    assert_redacted(&format!("{credential:?}"), &[&*p.expose_bytes()]);

    // A ballot's secrets and a paper count's opening.
    let keys = ElectionKeys::new(&manifest, *honest.public.election_key()).unwrap();
    let votes =
        vec![secret_ballot::ballot::Vote::Motion(secret_ballot::ballot::MotionVote::For); 3]
            .into_iter()
            .chain([
                secret_ballot::ballot::Vote::Election(vec![
            secret_ballot::ballot::MotionVote::Abstain;
            7
        ]),
                secret_ballot::ballot::Vote::Evaluation(vec![Some(0); 4]),
            ])
            .collect::<Vec<_>>();
    let (_, secrets) = Ballot::cast(&manifest, &keys, &credential, &votes, &mut rng).unwrap();
    assert_redacted(&format!("{secrets:?}"), &[]);
    let sheet = PaperTally::new(&manifest, 2, vec![0; keys.width()]).unwrap();
    let (_, opening) = sheet
        .encrypt(&context, &keys.election_key, &mut rng)
        .unwrap();
    assert_redacted(&format!("{opening:?}"), &[]);
}
