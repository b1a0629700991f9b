//! The voter's side: blind issuance, casting, spoiling (SPEC.md §9.3–§9.5, §12).
//!
//! Each class holds a core type-state; the pseudonym secret, the blinding values and the
//! ballot randomness stay inside it and are zeroized when the object is freed.

use pyo3::prelude::*;
use secret_ballot::ballot::{Ballot, BallotSecrets};
use secret_ballot::credential::{Credential, VoterAwaitingResponse};
use secret_ballot::wire;

use crate::error::{invalid_input, to_py};
use crate::{Res, seeded};

/// One issuance session of the voter: made from the manifest and the issuer's commitment
/// (move 1), it holds the challenge to send (move 2) and, once, finalizes the issuer's
/// response (move 3) into a credential. The issuer key and election context come from
/// the manifest, never from the issuer.
#[pyclass(module = "secret_ballot")]
pub struct IssuanceClient {
    state: Option<VoterAwaitingResponse>,
    challenge: Vec<u8>,
}

#[pymethods]
impl IssuanceClient {
    /// `Credential.Challenge` (SPEC.md §9.3): draws a fresh pseudonym and blinding.
    #[new]
    #[pyo3(signature = (manifest, commit, seed=None))]
    fn new(py: Python<'_>, manifest: &[u8], commit: &[u8], seed: Option<&[u8]>) -> Res<Self> {
        let mut rng = seeded(py, seed)?;
        let (state, challenge) =
            wire::credential_challenge(manifest, commit, &mut rng).map_err(to_py)?;
        Ok(IssuanceClient {
            state: Some(state),
            challenge,
        })
    }

    /// The challenge message to send to the issuer.
    #[getter]
    fn challenge(&self) -> Vec<u8> {
        self.challenge.clone()
    }

    /// `Credential.Finalize` (§9.5): checks the issuer's response and unblinds the
    /// credential. Single use: raises `InvalidInput` if called again, `IssuerMisbehaved`
    /// if a check fails (then start a new session).
    fn finalize(&mut self, response: &[u8]) -> Res<VoterCredential> {
        let state = self
            .state
            .take()
            .ok_or_else(|| invalid_input("this issuance session is finished"))?;
        wire::credential_finalize(state, response)
            .map(|credential| VoterCredential { credential })
            .map_err(to_py)
    }
}

/// A voter's credential: the pseudonym secret (kept inside), the pseudonym and the
/// issuer's blind signature on it.
#[pyclass(module = "secret_ballot", frozen)]
pub struct VoterCredential {
    credential: Credential,
}

#[pymethods]
impl VoterCredential {
    /// The pseudonym (public: it is in every ballot of this credential).
    #[getter]
    fn pseudonym(&self) -> Vec<u8> {
        self.credential.pseudonym().to_bytes().to_vec()
    }

    /// The issuer's blind signature (public: it is in every ballot).
    #[getter]
    fn signature(&self) -> Vec<u8> {
        self.credential.signature().to_bytes()
    }

    /// `Ballot.Cast` (SPEC.md §12.2): encrypts and proves ``answers``, one list of ints
    /// per question: motion ``[0|1|2]`` (for, against, abstain), choice the option
    /// indices, election ``0|1|2`` per candidate, evaluation a level per subject (0 is
    /// best) or ``BLANK``. Raises `InvalidBallot` naming the first answer that does not
    /// fit, `InvalidCredential` for a credential of another election. Releases the GIL.
    #[pyo3(signature = (manifest, election_key, answers, seed=None))]
    fn encrypt_ballot(
        &self,
        py: Python<'_>,
        manifest: &[u8],
        election_key: &[u8],
        answers: Vec<Vec<u16>>,
        seed: Option<&[u8]>,
    ) -> Res<EncryptedBallot> {
        let mut rng = seeded(py, seed)?;
        let slices: Vec<&[u16]> = answers.iter().map(Vec::as_slice).collect();
        let (ballot, secrets) = py
            .detach(|| {
                wire::ballot_cast(manifest, election_key, &self.credential, &slices, &mut rng)
            })
            .map_err(to_py)?;
        Ok(EncryptedBallot {
            ballot,
            secrets: Some(secrets),
            spoiled: false,
        })
    }

    fn __repr__(&self) -> String {
        "VoterCredential(<secret>)".to_string()
    }
}

/// A ballot just encrypted, before the voter decides: ``cast()`` it (its randomness is
/// dropped) or ``spoil()`` it (its randomness is revealed, and it can never be cast).
#[pyclass(module = "secret_ballot")]
pub struct EncryptedBallot {
    ballot: Ballot,
    secrets: Option<BallotSecrets>,
    spoiled: bool,
}

#[pymethods]
impl EncryptedBallot {
    /// The tracking code (SPEC.md §12.3), shown to the voter before they decide.
    #[getter]
    fn tracking_code(&self) -> String {
        self.ballot.tracking_code()
    }

    /// Casts: drops the randomness and returns the ballot to submit (the same bytes again
    /// for a resubmission). Raises `InvalidInput` once spoiled.
    fn cast(&mut self) -> Res<Vec<u8>> {
        if self.spoiled {
            return Err(invalid_input("a spoiled ballot can never be cast"));
        }
        self.secrets = None;
        Ok(self.ballot.to_bytes())
    }

    /// `Ballot.Spoil` (§12.4, a Benaloh challenge): the ballot with every position's value
    /// and randomness, to publish and check with `spoiled_ballot_open`. Once only, and
    /// never after ``cast()``.
    fn spoil(&mut self) -> Res<Vec<u8>> {
        let secrets = self
            .secrets
            .take()
            .ok_or_else(|| invalid_input("this ballot was already cast or spoiled"))?;
        self.spoiled = true;
        Ok(wire::ballot_spoil(self.ballot.clone(), secrets))
    }
}
