//! Verifying an election record as it streams in, entry by entry (SPEC.md §14.7, §14.8),
//! so a page can show progress and stay responsive.

use rand_chacha::ChaCha20Rng;
use secret_ballot::verify::Verifier;
use secret_ballot::wire;
use wasm_bindgen::prelude::*;

use crate::error::{invalid_input, to_js};
use crate::{Res, rng};

/// The length of the record entry whose framing starts `header` (38 bytes suffice).
/// Throws `code = "encoding"` if the framing does not decode.
#[wasm_bindgen(js_name = recordEntryLength)]
pub fn record_entry_length(header: &[u8]) -> Res<usize> {
    wire::record_entry_len(header).map_err(to_js)
}

/// A streaming record verifier: `pushEntry` each entry in order, then `finish`.
/// `pushEntry(bytes)` on everything left when the framing does not decode reports it
/// exactly as `recordVerify` on the whole record would.
#[wasm_bindgen]
pub struct RecordVerifier {
    verifier: Option<Verifier<ChaCha20Rng>>,
}

#[wasm_bindgen]
impl RecordVerifier {
    /// A verifier whose batch weights come from `seed` (32 bytes).
    #[wasm_bindgen(constructor)]
    pub fn new(seed: &[u8]) -> Res<RecordVerifier> {
        Ok(RecordVerifier {
            verifier: Some(Verifier::new(rng(seed)?)),
        })
    }

    /// Reads one entry (exactly one: trailing bytes are an encoding failure).
    #[wasm_bindgen(js_name = pushEntry)]
    pub fn push_entry(&mut self, entry: &[u8]) -> Res<()> {
        self.verifier
            .as_mut()
            .ok_or_else(|| invalid_input("this verifier has finished"))?
            .push_bytes(entry);
        Ok(())
    }

    /// Runs the checks that need the whole record and returns the report as JSON
    /// (SPEC.md §14.9), the same as `recordVerify`. Once only.
    pub fn finish(&mut self) -> Res<String> {
        let verifier = self
            .verifier
            .take()
            .ok_or_else(|| invalid_input("this verifier has finished"))?;
        Ok(verifier.finish().to_json())
    }
}
