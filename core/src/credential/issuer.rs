//! The issuer's side of issuance: commit and respond.

#![allow(non_snake_case)]

use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};

use super::keys::{IssuerKeypair, credential_generator};
use super::report::{IssuanceReport, ReportKeypair, VoterId};
use super::session_store::{SessionState, SessionStore, Taken};
use crate::encoding::{GroupElement, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header};
use crate::error::{EncodingError, Error};
use crate::proofs::nonce_rng;
use crate::transcript::{CONTEXT_LEN, TranscriptProtocol, election_transcript, labels};
use zeroize::Zeroize;

/// Length of a session id.
pub const SESSION_ID_LEN: usize = 16;

/// A session id: 16 random bytes correlating the moves of one session. Never hashed
/// into the signature.
pub type SessionId = [u8; SESSION_ID_LEN];

/// Move 1, issuer → voter: `(sid, A, C)` with `A = a·G`, `C = t·G + y·Z`.
///
/// Encoding: `0x01 ‖ 0x20 ‖ sid (16) ‖ A ‖ C`; `A`, `C` non-identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitMessage {
    pub(crate) session: SessionId,
    pub(crate) A: GroupElement,
    pub(crate) C: GroupElement,
}

impl CommitMessage {
    /// The session id.
    pub fn session(&self) -> &SessionId {
        &self.session
    }

    /// The commitments `(A, C)` (public: the issuer's view of the session).
    pub fn commitments(&self) -> (&GroupElement, &GroupElement) {
        (&self.A, &self.C)
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(
            MessageKind::CredentialCommit,
            SESSION_ID_LEN + 2 * POINT_LEN,
        );
        out.extend_from_slice(&self.session);
        out.extend_from_slice(&self.A.to_bytes());
        out.extend_from_slice(&self.C.to_bytes());
        out
    }

    /// Decodes; rejects identity or non-canonical points.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::CredentialCommit)?;
        let session = r.array::<SESSION_ID_LEN>()?;
        let A = r.nonidentity_element()?;
        let C = r.nonidentity_element()?;
        r.finish()?;
        Ok(CommitMessage { session, A, C })
    }
}

/// Move 3, issuer → voter: `(s, y, t)` with `s = a + e·y·x`.
///
/// Encoding: `0x01 ‖ 0x22 ‖ s ‖ y ‖ t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseMessage {
    pub(crate) s: Scalar,
    pub(crate) y: Scalar,
    pub(crate) t: Scalar,
}

impl ResponseMessage {
    /// `(s, y, t)` (public: the issuer's view of the session).
    pub fn scalars(&self) -> (&Scalar, &Scalar, &Scalar) {
        (&self.s, &self.y, &self.t)
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::CredentialResponse, 3 * SCALAR_LEN);
        out.extend_from_slice(self.s.as_bytes());
        out.extend_from_slice(self.y.as_bytes());
        out.extend_from_slice(self.t.as_bytes());
        out
    }

    /// Decodes (canonical scalars; `y = 0` is left for the voter's check to report).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::CredentialResponse)?;
        let s = r.scalar()?;
        let y = r.scalar()?;
        let t = r.scalar()?;
        r.finish()?;
        Ok(ResponseMessage { s, y, t })
    }
}

/// The issuer: its blind-signing key, its session store and the session lifetime.
#[derive(Debug)]
pub struct Issuer<S: SessionStore> {
    key: IssuerKeypair,
    store: S,
    session_lifetime: u64,
}

impl<S: SessionStore> Issuer<S> {
    /// An issuer whose open sessions expire `session_lifetime` seconds (host clock) after
    /// they were opened.
    pub fn new(key: IssuerKeypair, store: S, session_lifetime: u64) -> Self {
        Issuer {
            key,
            store,
            session_lifetime,
        }
    }

    /// The key pair.
    pub fn key(&self) -> &IssuerKeypair {
        &self.key
    }

    /// The session store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Move 1: opens a session for an authenticated representative.
    ///
    /// Implements `Credential.Commit` (SPEC.md §9.3). The caller MUST have authenticated
    /// `voter` on the channel that will carry both of the voter's messages.
    ///
    /// # Errors
    /// [`Error::AlreadyIssued`] if the representative already holds a credential for this
    /// election; store errors.
    pub fn commit<R: RngCore + CryptoRng>(
        &self,
        context: &[u8; CONTEXT_LEN],
        voter: &VoterId,
        now: u64,
        rng: &mut R,
    ) -> Result<CommitMessage, Error> {
        if self.store.is_issued(context, voter)? {
            return Err(Error::AlreadyIssued);
        }
        let mut session = [0u8; SESSION_ID_LEN];
        rng.fill_bytes(&mut session);
        // Hedged nonces: a repeated RNG output alone does not repeat (a, y, t).
        let mut t = election_transcript(context);
        t.domain_sep(labels::CREDENTIAL_CHALLENGE);
        let mut nonces = nonce_rng(
            &t,
            &[
                (labels::WITNESS_X, self.key.expose_secret().as_bytes()),
                (labels::WITNESS_SESSION, &session),
            ],
            rng,
        );
        let mut a = Scalar::random(&mut nonces);
        let mut t_ = Scalar::random(&mut nonces);
        let mut y = Scalar::random(&mut nonces);
        while y == Scalar::ZERO {
            y = Scalar::random(&mut nonces);
        }
        let Z = credential_generator(context);
        let A = GroupElement::from_point(RISTRETTO_BASEPOINT_TABLE * &a);
        let C = GroupElement::from_point(RISTRETTO_BASEPOINT_TABLE * &t_ + Z.point() * y);
        let state = SessionState {
            voter: voter.clone(),
            context: *context,
            a,
            y,
            t: t_,
            opened_at: now,
        };
        // The state holds copies (Scalar is Copy): clear these (best effort).
        for secret in [&mut a, &mut t_, &mut y] {
            secret.zeroize();
        }
        self.store.insert(session, state)?;
        Ok(CommitMessage { session, A, C })
    }

    /// Move 3: answers the voter's challenge, consuming the session first.
    ///
    /// Implements `Credential.Respond` (SPEC.md §9.3). The session is taken atomically
    /// before anything is computed: a session answers at most one challenge. The
    /// identical challenge again gets the cached response (a lost reply); any other is
    /// refused.
    ///
    /// # Errors
    /// [`Error::UnknownSession`], [`Error::SessionReplayed`] (another challenge, or a
    /// concurrent answer in progress), [`Error::SessionExpired`], [`Error::WrongVoter`],
    /// [`Error::AlreadyIssued`], and [`Error::Encoding`] for `e = 0`.
    pub fn respond(
        &self,
        challenge: &super::voter::ChallengeMessage,
        voter: &VoterId,
        now: u64,
    ) -> Result<ResponseMessage, Error> {
        let e = challenge.e;
        match self.store.take(&challenge.session)? {
            Taken::Missing => Err(Error::UnknownSession),
            Taken::InFlight => Err(Error::SessionReplayed),
            Taken::Answered {
                challenge: answered,
                response,
            } => {
                if answered == e.to_bytes() {
                    Ok(response)
                } else {
                    Err(Error::SessionReplayed)
                }
            }
            Taken::Open(state) => {
                if &state.voter != voter {
                    return Err(Error::WrongVoter);
                }
                if now.saturating_sub(state.opened_at) > self.session_lifetime {
                    return Err(Error::SessionExpired);
                }
                if e == Scalar::ZERO {
                    return Err(EncodingError::ZeroScalar.into());
                }
                if !self.store.claim_issuance(&state.context, voter)? {
                    return Err(Error::AlreadyIssued);
                }
                let s = state.a + e * state.y * self.key.expose_secret();
                let response = ResponseMessage {
                    s,
                    y: state.y,
                    t: state.t,
                };
                self.store
                    .record_answer(&challenge.session, e.to_bytes(), response)?;
                Ok(response)
            }
        }
    }

    /// Signs the list of representatives issued a credential for `context`.
    ///
    /// # Errors
    /// Store errors.
    pub fn report<R: RngCore + CryptoRng>(
        &self,
        context: &[u8; CONTEXT_LEN],
        report_key: &ReportKeypair,
        rng: &mut R,
    ) -> Result<IssuanceReport, Error> {
        IssuanceReport::sign(context, self.store.issued(context)?, report_key, rng)
    }
}
