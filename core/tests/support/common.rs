//! Shared helpers for the integration tests.
#![allow(dead_code)]

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::merlin::Transcript;
use secret_ballot::transcript::election_transcript;

pub(crate) const CONTEXT: [u8; 32] = [0x11; 32];
pub(crate) const OTHER_CONTEXT: [u8; 32] = [0x22; 32];

pub(crate) fn rng(seed: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([seed; 32])
}

pub(crate) fn transcript() -> Transcript {
    election_transcript(&CONTEXT)
}

/// Every single-bit flip of `bytes`.
pub(crate) fn bit_flips(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..bytes.len() * 8).map(move |bit| {
        let mut copy = bytes.to_vec();
        copy[bit / 8] ^= 1 << (bit % 8);
        copy
    })
}

/// Adds ℓ to a canonical little-endian scalar encoding, giving a non-canonical
/// encoding of the same residue (when it fits in 256 bits).
pub(crate) fn add_ell(bytes: &mut [u8]) {
    const ELL: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for (b, e) in bytes.iter_mut().zip(ELL) {
        let sum = u16::from(*b) + u16::from(e) + carry;
        *b = sum as u8;
        carry = sum >> 8;
    }
}
