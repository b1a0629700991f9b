//! The voter's side in the browser: issuance, casting, spoiling (SPEC.md §9.3–§9.5, §12).
//!
//! Each class holds a core type-state; the pseudonym secret, the blinding values and the
//! ballot randomness stay inside it and are zeroized when the object is freed.

use js_sys::Array;
use secret_ballot::ballot::{Ballot, BallotSecrets};
use secret_ballot::credential::{Credential, VoterAwaitingResponse};
use secret_ballot::wire;
use wasm_bindgen::prelude::*;

use crate::error::{invalid_input, to_js};
use crate::{Res, rng};

/// One issuance session of the voter: made from the manifest and the issuer's commitment
/// (move 1), it holds the challenge to send (move 2) and, once, finalizes the issuer's
/// response (move 3) into a credential.
#[wasm_bindgen]
pub struct IssuanceClient {
    state: Option<VoterAwaitingResponse>,
    challenge: Vec<u8>,
}

#[wasm_bindgen]
impl IssuanceClient {
    /// Draws a fresh pseudonym and blinding from `seed` (32 bytes from
    /// `crypto.getRandomValues`); the issuer key and context come from `manifest`.
    /// Implements `Credential.Challenge` (SPEC.md §9.3).
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &[u8], commit: &[u8], seed: &[u8]) -> Res<IssuanceClient> {
        let (state, challenge) =
            wire::credential_challenge(manifest, commit, &mut rng(seed)?).map_err(to_js)?;
        Ok(IssuanceClient {
            state: Some(state),
            challenge,
        })
    }

    /// The challenge message to send to the issuer.
    #[wasm_bindgen(getter)]
    pub fn challenge(&self) -> Vec<u8> {
        self.challenge.clone()
    }

    /// Checks the issuer's response and unblinds the credential. Single use: throws
    /// `code = "invalid_input"` if called again, `code = "issuer_misbehaved"` if a check
    /// fails (then start a new session). Implements `Credential.Finalize` (§9.5).
    pub fn finalize(&mut self, response: &[u8]) -> Res<VoterCredential> {
        let state = self
            .state
            .take()
            .ok_or_else(|| invalid_input("this issuance session is finished"))?;
        wire::credential_finalize(state, response)
            .map(|credential| VoterCredential { credential })
            .map_err(to_js)
    }
}

/// A voter's credential: the pseudonym secret (kept inside), the pseudonym and the
/// issuer's blind signature on it.
#[wasm_bindgen]
pub struct VoterCredential {
    credential: Credential,
}

fn answer(value: JsValue) -> Res<Vec<u16>> {
    let bad = || invalid_input("an answer is an array of integers from 0 to 65535");
    if !Array::is_array(&value) {
        return Err(bad());
    }
    Array::from(&value)
        .iter()
        .map(|v| {
            v.as_f64()
                .filter(|x| x.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(x))
                .map(|x| x as u16)
                .ok_or_else(bad)
        })
        .collect()
}

#[wasm_bindgen]
impl VoterCredential {
    /// The pseudonym `P` (public: it is in every ballot of this credential).
    #[wasm_bindgen(getter)]
    pub fn pseudonym(&self) -> Vec<u8> {
        self.credential.pseudonym().to_bytes().to_vec()
    }

    /// The issuer's blind signature (public: it is in every ballot).
    #[wasm_bindgen(getter)]
    pub fn signature(&self) -> Vec<u8> {
        self.credential.signature().to_bytes()
    }

    /// Encrypts and proves `answers` (one array of integers per question, see
    /// `secret_ballot::wire::ballot_cast`: motion `[0|1|2]`, choice the option indices,
    /// election `0|1|2` per candidate, evaluation a level per subject or 65535 for
    /// blank), signed with the credential. Implements `Ballot.Cast` (SPEC.md §12.2).
    #[wasm_bindgen(js_name = encryptBallot)]
    pub fn encrypt_ballot(
        &self,
        manifest: &[u8],
        election_key: &[u8],
        #[wasm_bindgen(unchecked_param_type = "number[][]")] answers: &Array,
        seed: &[u8],
    ) -> Res<EncryptedBallot> {
        let answers: Vec<Vec<u16>> = answers.iter().map(answer).collect::<Res<_>>()?;
        let slices: Vec<&[u16]> = answers.iter().map(Vec::as_slice).collect();
        let (ballot, secrets) = wire::ballot_cast(
            manifest,
            election_key,
            &self.credential,
            &slices,
            &mut rng(seed)?,
        )
        .map_err(to_js)?;
        Ok(EncryptedBallot {
            ballot,
            secrets: Some(secrets),
            spoiled: false,
        })
    }
}

/// A ballot just encrypted, before the voter decides: `cast()` it (its randomness is
/// dropped) or `spoil()` it (its randomness is revealed, and it can never be cast).
#[wasm_bindgen]
pub struct EncryptedBallot {
    ballot: Ballot,
    secrets: Option<BallotSecrets>,
    spoiled: bool,
}

#[wasm_bindgen]
impl EncryptedBallot {
    /// The tracking code (SPEC.md §12.3), shown to the voter before they decide.
    #[wasm_bindgen(getter, js_name = trackingCode)]
    pub fn tracking_code(&self) -> String {
        self.ballot.tracking_code()
    }

    /// Casts: drops the randomness and returns the ballot to submit (again the same bytes
    /// if called again, for a resubmission). Throws `code = "invalid_input"` once spoiled.
    pub fn cast(&mut self) -> Res<Vec<u8>> {
        if self.spoiled {
            return Err(invalid_input("a spoiled ballot can never be cast"));
        }
        self.secrets = None;
        Ok(self.ballot.to_bytes())
    }

    /// Spoils (Benaloh challenge): the ballot with every position's value and randomness,
    /// to publish and check with `spoiledBallotOpen`. Once only, and never after `cast()`.
    /// Implements `Ballot.Spoil` (SPEC.md §12.4).
    pub fn spoil(&mut self) -> Res<Vec<u8>> {
        let secrets = self
            .secrets
            .take()
            .ok_or_else(|| invalid_input("this ballot was already cast or spoiled"))?;
        self.spoiled = true;
        Ok(wire::ballot_spoil(self.ballot.clone(), secrets))
    }
}
