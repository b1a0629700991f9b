//! The voter's side of issuance: challenge and finalize, with every check.

#![allow(non_snake_case)]

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::issuer::{CommitMessage, ResponseMessage, SESSION_ID_LEN, SessionId};
use super::keys::{IssuerPublicKey, Pseudonym, PseudonymSecret, credential_generator};
use super::signature::{BlindSignature, challenge};
use crate::encoding::{GroupElement, MessageKind, Reader, SCALAR_LEN, header};
use crate::error::{EncodingError, Error};
use crate::transcript::CONTEXT_LEN;

/// Move 2, voter → issuer: `(sid, e)` with `e = c·γ₂`.
///
/// Encoding: `0x01 ‖ 0x21 ‖ sid (16) ‖ e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengeMessage {
    pub(crate) session: SessionId,
    pub(crate) e: Scalar,
}

impl ChallengeMessage {
    /// The session id.
    pub fn session(&self) -> &SessionId {
        &self.session
    }

    /// The blinded challenge `e` (public: the issuer's view of the session).
    pub fn e(&self) -> &Scalar {
        &self.e
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(
            MessageKind::CredentialChallenge,
            SESSION_ID_LEN + SCALAR_LEN,
        );
        out.extend_from_slice(&self.session);
        out.extend_from_slice(self.e.as_bytes());
        out
    }

    /// Decodes (canonical scalar; `e = 0` is refused by the issuer).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::CredentialChallenge)?;
        let session = r.array::<SESSION_ID_LEN>()?;
        let e = r.scalar()?;
        r.finish()?;
        Ok(ChallengeMessage { session, e })
    }
}

/// A voter ready to request a credential. The issuer key and the election context
/// MUST come from the published manifest, never from the issuer: a per-voter key or
/// context would tag the voter.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct VoterAwaitingCommit {
    #[zeroize(skip)]
    issuer: IssuerPublicKey,
    #[zeroize(skip)]
    context: [u8; CONTEXT_LEN],
    pseudonym: PseudonymSecret,
}

impl fmt::Debug for VoterAwaitingCommit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VoterAwaitingCommit")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl VoterAwaitingCommit {
    /// Starts a request for a fresh pseudonym (generate it with the voter's own RNG).
    pub fn new(
        issuer_from_manifest: IssuerPublicKey,
        context_from_manifest: [u8; CONTEXT_LEN],
        pseudonym: PseudonymSecret,
    ) -> Self {
        VoterAwaitingCommit {
            issuer: issuer_from_manifest,
            context: context_from_manifest,
            pseudonym,
        }
    }

    /// Move 2: blinds the issuer's commitment and computes the challenge.
    ///
    /// Implements `Credential.Challenge` (SPEC.md §9.3).
    ///
    /// # Errors
    /// [`Error::IssuerMisbehaved`] in the (probability 2⁻²⁵²) case `c = 0`, which also
    /// means "start a new session".
    pub fn challenge<R: RngCore + CryptoRng>(
        self,
        commit: &CommitMessage,
        rng: &mut R,
    ) -> Result<(VoterAwaitingResponse, ChallengeMessage), Error> {
        let nonzero = |rng: &mut R| loop {
            let s = Scalar::random(rng);
            if s != Scalar::ZERO {
                return s;
            }
        };
        let mut r1 = Scalar::random(rng);
        let mut r2 = Scalar::random(rng);
        let mut g1 = nonzero(rng);
        let mut g2 = nonzero(rng);
        let mut gamma = g1 * g2.invert();
        let A_blind =
            GroupElement::from_point(RISTRETTO_BASEPOINT_TABLE * &r1 + commit.A.point() * gamma);
        let C_blind =
            GroupElement::from_point(commit.C.point() * g1 + RISTRETTO_BASEPOINT_TABLE * &r2);
        let pseudonym = self.pseudonym.pseudonym();
        let c = challenge(&self.context, &self.issuer, &A_blind, &C_blind, &pseudonym);
        if c == Scalar::ZERO {
            return Err(Error::IssuerMisbehaved {
                check: "challenge is zero",
            });
        }
        let e = c * g2;
        let message = ChallengeMessage {
            session: commit.session,
            e,
        };
        let state = VoterAwaitingResponse {
            issuer: self.issuer,
            context: self.context,
            pseudonym_secret: self.pseudonym.clone(),
            pseudonym,
            A: commit.A,
            C: commit.C,
            A_blind,
            C_blind,
            e,
            r1,
            r2,
            g1,
            gamma,
        };
        // The state holds copies (Scalar is Copy); g2 links e to c, so it must not
        // outlive this call. Best effort, as SECURITY.md says.
        for secret in [&mut r1, &mut r2, &mut g1, &mut g2, &mut gamma] {
            secret.zeroize();
        }
        Ok((state, message))
    }
}

/// A voter waiting for the issuer's response. Holds the blinding values (zeroized on
/// drop); single use: `finalize` consumes it whatever the outcome.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct VoterAwaitingResponse {
    #[zeroize(skip)]
    issuer: IssuerPublicKey,
    #[zeroize(skip)]
    context: [u8; CONTEXT_LEN],
    pseudonym_secret: PseudonymSecret,
    #[zeroize(skip)]
    pseudonym: Pseudonym,
    #[zeroize(skip)]
    A: GroupElement,
    #[zeroize(skip)]
    C: GroupElement,
    #[zeroize(skip)]
    A_blind: GroupElement,
    #[zeroize(skip)]
    C_blind: GroupElement,
    e: Scalar,
    r1: Scalar,
    r2: Scalar,
    g1: Scalar,
    gamma: Scalar,
}

impl fmt::Debug for VoterAwaitingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VoterAwaitingResponse")
            .field("issuer", &self.issuer)
            .field("blinding", &"<redacted>")
            .finish()
    }
}

impl VoterAwaitingResponse {
    /// Checks the issuer's response and unblinds it into a credential.
    ///
    /// Implements `Credential.Finalize` (SPEC.md §9.5): aborts unless `y ≠ 0`,
    /// `C == t·G + y·Z` (the opening, under the manifest's context) and
    /// `s·G == A + (e·y)·X` (under the manifest's key), then verifies the result.
    ///
    /// # Errors
    /// [`Error::IssuerMisbehaved`] naming the failed check. Discard the session and start
    /// a new one with fresh blinding; never retry with this state.
    pub fn finalize(self, response: &ResponseMessage) -> Result<Credential, Error> {
        if response.y == Scalar::ZERO {
            return Err(Error::IssuerMisbehaved { check: "y is zero" });
        }
        let Z = credential_generator(&self.context);
        let opening = RISTRETTO_BASEPOINT_TABLE * &response.t + Z.point() * response.y;
        if opening != *self.C.point() {
            return Err(Error::IssuerMisbehaved {
                check: "commitment opening",
            });
        }
        let expected: RistrettoPoint =
            self.A.point() + self.issuer.element().point() * (self.e * response.y);
        if RISTRETTO_BASEPOINT_TABLE * &response.s != expected {
            return Err(Error::IssuerMisbehaved {
                check: "response equation",
            });
        }
        let signature = BlindSignature {
            A: self.A_blind,
            C: self.C_blind,
            s: self.gamma * response.s + self.r1,
            y: self.g1 * response.y,
            t: self.g1 * response.t + self.r2,
        };
        signature
            .verify(&self.issuer, &self.context, &self.pseudonym)
            .map_err(|_| Error::IssuerMisbehaved {
                check: "final signature",
            })?;
        Ok(Credential {
            pseudonym_secret: self.pseudonym_secret.clone(),
            pseudonym: self.pseudonym,
            signature,
        })
    }
}

/// A voter's credential: the pseudonym secret (to sign the ballot), the pseudonym and
/// the issuer's blind signature on it. The secret is zeroized; `Debug` is redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Credential {
    pseudonym_secret: PseudonymSecret,
    #[zeroize(skip)]
    pseudonym: Pseudonym,
    #[zeroize(skip)]
    signature: BlindSignature,
}

impl Credential {
    /// The pseudonym secret `p`.
    pub fn pseudonym_secret(&self) -> &PseudonymSecret {
        &self.pseudonym_secret
    }

    /// The pseudonym `P`, public in the ballot.
    pub fn pseudonym(&self) -> &Pseudonym {
        &self.pseudonym
    }

    /// The blind signature, public in the ballot.
    pub fn signature(&self) -> &BlindSignature {
        &self.signature
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("pseudonym", &self.pseudonym)
            .field("secret", &"<redacted>")
            .finish()
    }
}
