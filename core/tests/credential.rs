//! Blind credentials (partially blind Tessaro–Zhu): correctness, negative verification,
//! malicious issuers, blindness, and the issuer's session state.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]
#![allow(non_snake_case)]

#[path = "support/common.rs"]
mod common;

use common::{CONTEXT, OTHER_CONTEXT, add_ell, bit_flips, rng};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::credential::*;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use secret_ballot::curve25519_dalek::scalar::Scalar;
use secret_ballot::proofs::BatchVerifier;
use secret_ballot::{EncodingError, Error};

const LIFETIME: u64 = 300;

fn new_issuer(seed: u8) -> Issuer<InMemorySessionStore> {
    Issuer::new(
        IssuerKeypair::generate(&mut rng(seed)),
        InMemorySessionStore::new(),
        LIFETIME,
    )
}

fn voter_id(n: u32) -> VoterId {
    VoterId::new(format!("staff-{n:05}").as_bytes()).unwrap()
}

fn issue(
    issuer: &Issuer<InMemorySessionStore>,
    context: &[u8; 32],
    voter: &VoterId,
    rng: &mut ChaCha20Rng,
) -> Result<Credential, Error> {
    let commit = issuer.commit(context, voter, 1000, rng)?;
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        *context,
        PseudonymSecret::generate(rng),
    );
    let (pending, challenge) =
        request.challenge(&CommitMessage::from_bytes(&commit.to_bytes())?, rng)?;
    let response = issuer.respond(
        &ChallengeMessage::from_bytes(&challenge.to_bytes())?,
        voter,
        1010,
    )?;
    pending.finalize(&ResponseMessage::from_bytes(&response.to_bytes())?)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn issued_credentials_verify(seed in any::<[u8; 32]>(), context in any::<[u8; 32]>()) {
        let mut rng = ChaCha20Rng::from_seed(seed);
        let issuer = Issuer::new(IssuerKeypair::generate(&mut rng), InMemorySessionStore::new(), LIFETIME);
        let credential = issue(&issuer, &context, &voter_id(1), &mut rng).unwrap();
        let x = issuer.key().public();
        prop_assert!(credential.signature().verify(x, &context, credential.pseudonym()).is_ok());
        let decoded = BlindSignature::from_bytes(&credential.signature().to_bytes()).unwrap();
        prop_assert_eq!(&decoded, credential.signature());
        let mut batch = BatchVerifier::new(&mut rng);
        decoded.queue(x, &context, &credential_generator(&context), credential.pseudonym(), &mut batch).unwrap();
        prop_assert!(batch.vartime_verify().is_ok());
        // Not for another election, another pseudonym, another issuer.
        let other_context = { let mut c = context; c[0] ^= 1; c };
        prop_assert!(decoded.verify(x, &other_context, credential.pseudonym()).is_err());
        let other_pseudonym = PseudonymSecret::generate(&mut rng).pseudonym();
        prop_assert!(decoded.verify(x, &context, &other_pseudonym).is_err());
        let other_issuer = IssuerKeypair::generate(&mut rng);
        prop_assert!(decoded.verify(other_issuer.public(), &context, credential.pseudonym()).is_err());
    }
}

#[test]
fn every_mutation_of_a_signature_is_rejected() {
    let issuer = new_issuer(1);
    let mut rng = rng(2);
    let credential = issue(&issuer, &CONTEXT, &voter_id(1), &mut rng).unwrap();
    let x = issuer.key().public();
    let bytes = credential.signature().to_bytes();
    assert_eq!(bytes.len(), BLIND_SIGNATURE_LEN);
    for (i, flipped) in bit_flips(&bytes).enumerate() {
        if let Ok(sig) = BlindSignature::from_bytes(&flipped) {
            assert_eq!(
                sig.verify(x, &CONTEXT, credential.pseudonym()),
                Err(Error::InvalidCredential),
                "bit {i}"
            );
        }
    }
    // Each field replaced by another valid value.
    let g = RISTRETTO_BASEPOINT_TABLE.basepoint().compress().to_bytes();
    for offset in [2, 34] {
        let mut m = bytes.clone();
        m[offset..offset + 32].copy_from_slice(&g);
        let sig = BlindSignature::from_bytes(&m).unwrap();
        assert_eq!(
            sig.verify(x, &CONTEXT, credential.pseudonym()),
            Err(Error::InvalidCredential)
        );
        let mut identity = bytes.clone();
        identity[offset..offset + 32].fill(0);
        assert_eq!(
            BlindSignature::from_bytes(&identity),
            Err(EncodingError::IdentityPoint)
        );
    }
    for offset in [66, 98, 130] {
        let mut m = bytes.clone();
        m[offset..offset + 32].copy_from_slice(Scalar::from(7u8).as_bytes());
        let sig = BlindSignature::from_bytes(&m).unwrap();
        assert_eq!(
            sig.verify(x, &CONTEXT, credential.pseudonym()),
            Err(Error::InvalidCredential)
        );
        let mut nc = bytes.clone();
        add_ell(&mut nc[offset..offset + 32]);
        assert_eq!(
            BlindSignature::from_bytes(&nc),
            Err(EncodingError::NonCanonicalScalar)
        );
    }
    // y' = 0 is refused by the decoder: with y' = 0 anyone could forge, since X drops out.
    let mut zero_y = bytes.clone();
    zero_y[98..130].fill(0);
    assert_eq!(
        BlindSignature::from_bytes(&zero_y),
        Err(EncodingError::ZeroScalar)
    );
    // Truncated, trailing, wrong header.
    for len in 0..bytes.len() {
        assert!(BlindSignature::from_bytes(&bytes[..len]).is_err());
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(BlindSignature::from_bytes(&longer).is_err());
    // Identity issuer key.
    assert_eq!(
        IssuerPublicKey::from_bytes(&[0; 32]),
        Err(EncodingError::IdentityPoint)
    );
    assert_eq!(
        Pseudonym::from_bytes(&[0; 32]),
        Err(EncodingError::IdentityPoint)
    );
}

#[test]
fn a_forgery_with_y_zero_would_pass_a_lax_verifier() {
    // Documents why y' = 0 is rejected: A' = s'·G and C' = t'·G satisfy both equations
    // for any c, without the issuer. The decoder refuses such a signature.
    let mut rng = rng(3);
    let (s, t) = (Scalar::random(&mut rng), Scalar::random(&mut rng));
    let mut bytes = vec![1u8, 0x23];
    bytes.extend_from_slice(&(RISTRETTO_BASEPOINT_TABLE * &s).compress().to_bytes());
    bytes.extend_from_slice(&(RISTRETTO_BASEPOINT_TABLE * &t).compress().to_bytes());
    bytes.extend_from_slice(s.as_bytes());
    bytes.extend_from_slice(&[0u8; 32]);
    bytes.extend_from_slice(t.as_bytes());
    assert_eq!(
        BlindSignature::from_bytes(&bytes),
        Err(EncodingError::ZeroScalar)
    );
}

/// A malicious issuer: the same key but its messages altered by `tamper`.
fn run_with_tampered_response(tamper: impl Fn(&mut Vec<u8>)) -> Result<Credential, Error> {
    let issuer = new_issuer(10);
    let mut rng = rng(11);
    let voter = voter_id(1);
    let commit = issuer.commit(&CONTEXT, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let mut response = issuer.respond(&challenge, &voter, 1).unwrap().to_bytes();
    tamper(&mut response);
    pending.finalize(&ResponseMessage::from_bytes(&response).unwrap())
}

#[test]
fn the_voter_aborts_on_a_malicious_issuer() {
    assert_eq!(
        run_with_tampered_response(|r| r[34..66].fill(0)).unwrap_err(),
        Error::IssuerMisbehaved { check: "y is zero" }
    );
    let one = Scalar::ONE;
    let bump = |r: &mut Vec<u8>, offset: usize| {
        let v =
            Scalar::from_canonical_bytes(r[offset..offset + 32].try_into().unwrap()).unwrap() + one;
        r[offset..offset + 32].copy_from_slice(v.as_bytes());
    };
    assert_eq!(
        run_with_tampered_response(|r| bump(r, 66)).unwrap_err(),
        Error::IssuerMisbehaved {
            check: "commitment opening"
        }
    );
    assert_eq!(
        run_with_tampered_response(|r| bump(r, 34)).unwrap_err(),
        Error::IssuerMisbehaved {
            check: "commitment opening"
        }
    );
    assert_eq!(
        run_with_tampered_response(|r| bump(r, 2)).unwrap_err(),
        Error::IssuerMisbehaved {
            check: "response equation"
        }
    );
    assert!(run_with_tampered_response(|_| {}).is_ok());

    // A per-voter Z: the issuer commits under another election context.
    let issuer = new_issuer(12);
    let mut rng = rng(13);
    let voter = voter_id(2);
    let commit = issuer.commit(&OTHER_CONTEXT, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let response = issuer.respond(&challenge, &voter, 1).unwrap();
    assert_eq!(
        pending.finalize(&response).unwrap_err(),
        Error::IssuerMisbehaved {
            check: "commitment opening"
        }
    );

    // A per-voter X: the issuer answers with another key than the manifest's.
    let honest = new_issuer(14);
    let rogue = Issuer::new(
        IssuerKeypair::generate(&mut rng),
        InMemorySessionStore::new(),
        LIFETIME,
    );
    let commit = rogue.commit(&CONTEXT, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        *honest.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let response = rogue.respond(&challenge, &voter, 1).unwrap();
    assert_eq!(
        pending.finalize(&response).unwrap_err(),
        Error::IssuerMisbehaved {
            check: "response equation"
        }
    );

    // Identity or non-canonical commitments never reach the voter's code.
    let mut bytes = honest
        .commit(&CONTEXT, &voter_id(3), 0, &mut rng)
        .unwrap()
        .to_bytes();
    bytes[18..50].fill(0);
    assert_eq!(
        CommitMessage::from_bytes(&bytes),
        Err(EncodingError::IdentityPoint)
    );
    bytes[18..50].fill(0xff);
    assert_eq!(
        CommitMessage::from_bytes(&bytes),
        Err(EncodingError::InvalidPoint)
    );
}

#[test]
fn every_issuer_view_explains_every_signature() {
    // Blindness: for each (session view, signature) pair there is a blinding tuple
    // (γ₁, γ₂, r₁, r₂) that maps the view to the signature.
    let issuer = new_issuer(20);
    let mut rng = rng(21);
    let x = *issuer.key().public();
    let mut views = Vec::new();
    let mut signatures = Vec::new();
    for v in 0..3 {
        let voter = voter_id(v);
        let commit = issuer.commit(&CONTEXT, &voter, 0, &mut rng).unwrap();
        let request = VoterAwaitingCommit::new(x, CONTEXT, PseudonymSecret::generate(&mut rng));
        let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
        let response = issuer.respond(&challenge, &voter, 1).unwrap();
        let credential = pending.finalize(&response).unwrap();
        views.push((commit, challenge, response));
        signatures.push((*credential.pseudonym(), *credential.signature()));
    }
    // Shuffle the signatures so position carries no information.
    signatures.rotate_left(1);
    for (commit, challenge, response) in &views {
        let (A, C) = commit.commitments();
        let (s, y, t) = response.scalars();
        for (pseudonym, signature) in &signatures {
            let c = signature.challenge(&x, &CONTEXT, pseudonym);
            let (A_blind, C_blind) = signature.commitments();
            let (s_b, y_b, t_b) = signature.scalars();
            let g2 = challenge.e() * c.invert();
            let g1 = y_b * y.invert();
            let gamma = g1 * g2.invert();
            let r1 = s_b - gamma * s;
            let r2 = t_b - g1 * t;
            assert_eq!(
                RISTRETTO_BASEPOINT_TABLE * &r1 + A.point() * gamma,
                *A_blind.point()
            );
            assert_eq!(
                C.point() * g1 + RISTRETTO_BASEPOINT_TABLE * &r2,
                *C_blind.point()
            );
        }
    }
}

#[test]
fn a_session_answers_one_challenge_only() {
    let issuer = new_issuer(30);
    let mut rng = rng(31);
    let voter = voter_id(1);
    let commit = issuer.commit(&CONTEXT, &voter, 0, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (pending, challenge) = request.challenge(&commit, &mut rng).unwrap();
    let first = issuer.respond(&challenge, &voter, 1).unwrap();
    // The identical challenge gets the identical (cached) response.
    assert_eq!(issuer.respond(&challenge, &voter, 2).unwrap(), first);
    // Any other challenge on the used session is refused (it would reveal x).
    let mut other = challenge.to_bytes();
    other[18] ^= 1;
    let other = ChallengeMessage::from_bytes(&other).unwrap();
    assert_eq!(
        issuer.respond(&other, &voter, 2),
        Err(Error::SessionReplayed)
    );
    assert!(pending.finalize(&first).is_ok());
    // Unknown sessions, other voters, e = 0.
    let mut unknown = challenge.to_bytes();
    unknown[2] ^= 1;
    assert_eq!(
        issuer.respond(&ChallengeMessage::from_bytes(&unknown).unwrap(), &voter, 2),
        Err(Error::UnknownSession)
    );
    let voter2 = voter_id(2);
    let commit2 = issuer.commit(&CONTEXT, &voter2, 0, &mut rng).unwrap();
    let mut zero = vec![1u8, 0x21];
    zero.extend_from_slice(commit2.session());
    zero.extend_from_slice(&[0; 32]);
    assert_eq!(
        issuer.respond(
            &ChallengeMessage::from_bytes(&zero).unwrap(),
            &voter_id(3),
            1
        ),
        Err(Error::WrongVoter)
    );
    let commit3 = issuer.commit(&CONTEXT, &voter2, 0, &mut rng).unwrap();
    let mut zero = vec![1u8, 0x21];
    zero.extend_from_slice(commit3.session());
    zero.extend_from_slice(&[0; 32]);
    assert_eq!(
        issuer.respond(&ChallengeMessage::from_bytes(&zero).unwrap(), &voter2, 1),
        Err(Error::Encoding(EncodingError::ZeroScalar))
    );
}

#[test]
fn racing_threads_get_one_response() {
    let issuer = new_issuer(40);
    let mut rng = rng(41);
    let voter = voter_id(1);
    let commit = issuer.commit(&CONTEXT, &voter, 0, &mut rng).unwrap();
    // Eight different challenges on one session, from eight threads at once.
    let challenges: Vec<ChallengeMessage> = (0..8)
        .map(|_| {
            let request = VoterAwaitingCommit::new(
                *issuer.key().public(),
                CONTEXT,
                PseudonymSecret::generate(&mut rng),
            );
            request.challenge(&commit, &mut rng).unwrap().1
        })
        .collect();
    let results: Vec<Result<ResponseMessage, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = challenges
            .iter()
            .map(|c| scope.spawn(|| issuer.respond(c, &voter, 1)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(Error::SessionReplayed))
    );
}

#[test]
fn sessions_expire_and_one_credential_per_representative() {
    let issuer = new_issuer(50);
    let mut rng = rng(51);
    let voter = voter_id(1);
    let commit = issuer.commit(&CONTEXT, &voter, 100, &mut rng).unwrap();
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (_, challenge) = request.challenge(&commit, &mut rng).unwrap();
    assert_eq!(
        issuer.respond(&challenge, &voter, 100 + LIFETIME + 1),
        Err(Error::SessionExpired)
    );
    // Expired sessions can also be purged.
    issuer.commit(&CONTEXT, &voter, 200, &mut rng).unwrap();
    assert_eq!(issuer.store().purge_opened_before(201).unwrap(), 1);

    // A full issuance, then a second one for the same representative is refused, even
    // through a session opened before the first completed.
    let early = issuer.commit(&CONTEXT, &voter, 300, &mut rng).unwrap();
    issue(&issuer, &CONTEXT, &voter, &mut rng).unwrap();
    assert_eq!(
        issuer.commit(&CONTEXT, &voter, 1000, &mut rng).unwrap_err(),
        Error::AlreadyIssued
    );
    let request = VoterAwaitingCommit::new(
        *issuer.key().public(),
        CONTEXT,
        PseudonymSecret::generate(&mut rng),
    );
    let (_, challenge) = request.challenge(&early, &mut rng).unwrap();
    assert_eq!(
        issuer.respond(&challenge, &voter, 301),
        Err(Error::AlreadyIssued)
    );
    // Another election is independent.
    assert!(issue(&issuer, &OTHER_CONTEXT, &voter, &mut rng).is_ok());
}

#[test]
fn issuance_report_lists_issued_representatives() {
    let issuer = new_issuer(60);
    let mut rng = rng(61);
    for v in [3, 1, 2] {
        issue(&issuer, &CONTEXT, &voter_id(v), &mut rng).unwrap();
    }
    let report_key = ReportKeypair::generate(&mut rng);
    let report = issuer.report(&CONTEXT, &report_key, &mut rng).unwrap();
    assert_eq!(report.count(), 3);
    assert_eq!(report.voters(), &[voter_id(1), voter_id(2), voter_id(3)]);
    report.verify(&report_key.public(), &CONTEXT).unwrap();
    let bytes = report.to_bytes();
    assert_eq!(IssuanceReport::from_bytes(&bytes).unwrap(), report);
    // Another key, another election, a dropped or added name: rejected.
    assert!(
        report
            .verify(&ReportKeypair::generate(&mut rng).public(), &CONTEXT)
            .is_err()
    );
    assert!(report.verify(&report_key.public(), &OTHER_CONTEXT).is_err());
    for (i, flipped) in bit_flips(&bytes).enumerate() {
        if let Ok(r) = IssuanceReport::from_bytes(&flipped) {
            assert!(r.verify(&report_key.public(), &CONTEXT).is_err(), "bit {i}");
        }
    }
    for len in 0..bytes.len() {
        assert!(IssuanceReport::from_bytes(&bytes[..len]).is_err());
    }
    // Duplicates are refused when signing; unsorted lists when decoding.
    assert_eq!(
        IssuanceReport::sign(
            &CONTEXT,
            vec![voter_id(1), voter_id(1)],
            &report_key,
            &mut rng
        )
        .unwrap_err(),
        Error::InvalidVoterId
    );
    assert!(VoterId::new(&[]).is_err());
    assert!(VoterId::new(&[0; 256]).is_err());
}

#[test]
fn session_state_round_trips_for_host_storage() {
    let issuer = new_issuer(70);
    let mut rng = rng(71);
    let voter = voter_id(9);
    let commit = issuer.commit(&CONTEXT, &voter, 5, &mut rng).unwrap();
    let Taken::Open(state) = issuer.store().take(commit.session()).unwrap() else {
        panic!("open")
    };
    let bytes = state.expose_secret_bytes();
    let restored = SessionState::from_secret_bytes(&bytes).unwrap();
    assert_eq!(restored.voter(), &voter);
    assert_eq!(restored.opened_at(), 5);
    assert_eq!(restored.expose_secret_bytes(), bytes);
    assert!(format!("{state:?}").contains("<redacted>"));
    for len in 0..bytes.len() {
        assert!(SessionState::from_secret_bytes(&bytes[..len]).is_err());
    }
    assert!(format!("{:?}", issuer.key()).contains("<redacted>"));
}
