//! An issuer for tests only (feature `test-issuer`, never in the published build): the
//! real core issuer with an in-memory session store, so the voter side can be tested end
//! to end in JS. A real issuer runs on the server, not in a browser (SPEC.md §9.8).

use secret_ballot::credential::{
    ChallengeMessage, InMemorySessionStore, Issuer, IssuerKeypair, VoterId,
};
use secret_ballot::transcript::CONTEXT_LEN;
use wasm_bindgen::prelude::*;

use crate::error::to_js;
use crate::{Res, rng};

/// The credential issuer of a test (sessions expire after 600 seconds of a test clock).
#[wasm_bindgen]
pub struct TestIssuer {
    issuer: Issuer<InMemorySessionStore>,
}

fn context_of(bytes: &[u8]) -> Res<[u8; CONTEXT_LEN]> {
    bytes.try_into().map_err(|_| {
        to_js(
            secret_ballot::EncodingError::WrongLength {
                expected: CONTEXT_LEN,
                actual: bytes.len(),
            }
            .into(),
        )
    })
}

fn voter(id: &[u8]) -> Res<VoterId> {
    VoterId::new(id).map_err(to_js)
}

#[wasm_bindgen]
impl TestIssuer {
    /// An issuer whose key is the first draw of ChaCha20 from `seed` (so a vector's seed
    /// gives the vector's issuer key).
    #[wasm_bindgen(constructor)]
    pub fn new(seed: &[u8]) -> Res<TestIssuer> {
        let key = IssuerKeypair::generate(&mut rng(seed)?);
        Ok(TestIssuer {
            issuer: Issuer::new(key, InMemorySessionStore::new(), 600),
        })
    }

    /// The issuer's public key `X`.
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> Vec<u8> {
        self.issuer.key().public().to_bytes().to_vec()
    }

    /// Move 1 for representative `voter` (at test time 0).
    pub fn commit(&self, context: &[u8], voter_id: &[u8], seed: &[u8]) -> Res<Vec<u8>> {
        self.issuer
            .commit(&context_of(context)?, &voter(voter_id)?, 0, &mut rng(seed)?)
            .map(|m| m.to_bytes())
            .map_err(to_js)
    }

    /// Move 3 (at test time 1).
    pub fn respond(&self, challenge: &[u8], voter_id: &[u8]) -> Res<Vec<u8>> {
        let challenge = ChallengeMessage::from_bytes(challenge).map_err(|e| to_js(e.into()))?;
        self.issuer
            .respond(&challenge, &voter(voter_id)?, 1)
            .map(|m| m.to_bytes())
            .map_err(to_js)
    }
}
