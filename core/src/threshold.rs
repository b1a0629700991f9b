//! Trustees: the key ceremony and aggregate-only threshold decryption (SPEC.md §7, §8).
//!
//! The scrutineers of a congress hold the election key jointly: any `t` of the `n`
//! trustees can decrypt, fewer learn nothing.
//!
//! * [`dkg`]: the key ceremony, a Pedersen distributed key generation with Feldman
//!   commitments shaped like FROST's (`part1` → `part2` → complaints → `part3`). Shares
//!   travel encrypted and authenticated to each recipient's long-term key. Anyone can
//!   compute the election key and every trustee's verification key from the public
//!   transcript ([`PublicKeyPackage`]).
//! * [`KeyShare::decrypt_aggregate`] and [`combine`]: a trustee decrypts only an
//!   **aggregate** that it recomputed itself from the ballots, refuses below the privacy
//!   floor, and proves its decryption share correct (Chaum–Pedersen) in a transcript
//!   bound to the hash of exactly that aggregate. There is no function that decrypts an
//!   arbitrary ciphertext with a key share.

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::elgamal::PublicKey;
use crate::encoding::{GroupElement, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header};
use crate::error::{EncodingError, Error};
use crate::transcript::CONTEXT_LEN;

mod decrypt;
pub mod dkg;
mod share_encryption;

pub use decrypt::{Aggregate, DecryptionShare, MAX_AGGREGATE_WIDTH, Tally, combine};

/// The largest number of trustees a ceremony supports.
pub const MAX_TRUSTEES: u16 = 255;

/// The public parameters of a key ceremony: the election context, the threshold `t` and
/// the long-term public keys of the `n` trustees (trustee `i` has index `i`, 1-based, and
/// key `trustee_keys[i − 1]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeremonyParameters {
    context: [u8; CONTEXT_LEN],
    threshold: u16,
    trustee_keys: Vec<PublicKey>,
}

impl CeremonyParameters {
    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidThreshold`] unless `1 ≤ t ≤ n ≤ MAX_TRUSTEES`;
    /// [`Error::DuplicateTrusteeKey`] if two trustees share a long-term key.
    pub fn new(
        context: [u8; CONTEXT_LEN],
        threshold: u16,
        trustee_keys: Vec<PublicKey>,
    ) -> Result<Self, Error> {
        let n = trustee_keys.len();
        if threshold == 0 || usize::from(threshold) > n || n > usize::from(MAX_TRUSTEES) {
            return Err(Error::InvalidThreshold {
                threshold,
                trustees: n,
            });
        }
        for (i, key) in trustee_keys.iter().enumerate() {
            if trustee_keys.iter().skip(i + 1).any(|other| other == key) {
                return Err(Error::DuplicateTrusteeKey);
            }
        }
        Ok(CeremonyParameters {
            context,
            threshold,
            trustee_keys,
        })
    }

    /// The election context every transcript of the ceremony starts with.
    pub fn context(&self) -> &[u8; CONTEXT_LEN] {
        &self.context
    }

    /// The threshold `t`.
    pub fn threshold(&self) -> u16 {
        self.threshold
    }

    /// The number of trustees `n`.
    pub fn trustees(&self) -> u16 {
        // At most MAX_TRUSTEES by construction.
        u16::try_from(self.trustee_keys.len()).unwrap_or(MAX_TRUSTEES)
    }

    /// Every trustee index, `1 ..= n`.
    pub fn indices(&self) -> impl Iterator<Item = u16> {
        1..=self.trustees()
    }

    /// The long-term key of trustee `index`.
    ///
    /// # Errors
    /// [`Error::UnknownTrustee`] if `index` is not in `1 ..= n`.
    pub fn trustee_key(&self, index: u16) -> Result<&PublicKey, Error> {
        usize::from(index)
            .checked_sub(1)
            .and_then(|i| self.trustee_keys.get(i))
            .ok_or(Error::UnknownTrustee(index))
    }
}

/// Evaluates the Feldman commitments `C₀ … C_{t−1}` at `x`: `Σₖ xᵏ·Cₖ`.
pub(crate) fn vartime_evaluate_commitments(commitments: &[GroupElement], x: u16) -> RistrettoPoint {
    let x = Scalar::from(x);
    // Horner: ((C_{t−1}·x + C_{t−2})·x + …)·x + C₀.
    commitments
        .iter()
        .rev()
        .fold(RistrettoPoint::identity(), |acc, c| acc * x + c.point())
}

/// The Lagrange coefficient at 0 of index `i` for the set `indices`:
/// `λᵢ = Π_{j ∈ S, j ≠ i} j / (j − i)`. Public data only.
pub(crate) fn lagrange_at_zero(i: u16, indices: &[u16]) -> Scalar {
    let xi = Scalar::from(i);
    let (num, den) =
        indices
            .iter()
            .filter(|&&j| j != i)
            .fold((Scalar::ONE, Scalar::ONE), |(num, den), &j| {
                let xj = Scalar::from(j);
                (num * xj, den * (xj - xi))
            });
    num * den.invert()
}

/// What everyone can compute from the public ceremony transcript: the qualified
/// trustees, the election key `Y = Σ_{i ∈ QUAL} Cᵢ₀` and each trustee's verification key
/// `VKⱼ = Σ_{i ∈ QUAL} Σₖ jᵏ·Cᵢₖ` (which equals `sⱼ·G` for trustee `j`'s key share).
///
/// Implements `Dkg.PublicKeys` (SPEC.md §7.6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKeyPackage {
    threshold: u16,
    qualified: Vec<u16>,
    election_key: PublicKey,
    verification_keys: Vec<GroupElement>,
}

impl PublicKeyPackage {
    /// The threshold `t`.
    pub fn threshold(&self) -> u16 {
        self.threshold
    }

    /// The dealers whose polynomials make up the key (increasing).
    pub fn qualified(&self) -> &[u16] {
        &self.qualified
    }

    /// The election public key.
    pub fn election_key(&self) -> &PublicKey {
        &self.election_key
    }

    /// The verification key of trustee `index` (1-based).
    ///
    /// # Errors
    /// [`Error::UnknownTrustee`] if there is no such trustee.
    pub fn verification_key(&self, index: u16) -> Result<&GroupElement, Error> {
        usize::from(index)
            .checked_sub(1)
            .and_then(|i| self.verification_keys.get(i))
            .ok_or(Error::UnknownTrustee(index))
    }

    /// The number of trustees `n` (holders of a key share).
    pub fn trustees(&self) -> u16 {
        u16::try_from(self.verification_keys.len()).unwrap_or(MAX_TRUSTEES)
    }
}

/// A trustee's secret key share `sⱼ = Σ_{i ∈ QUAL} fᵢ(j)`, with the public ceremony result.
///
/// Not `Copy`, zeroized on drop, redacted in `Debug`. Its only decryption function is
/// [`KeyShare::decrypt_aggregate`].
///
/// # Storage
/// A trustee keeps its share between the key ceremony and the count with
/// [`KeyShare::to_secret_bytes`] and loads it back with [`KeyShare::from_bytes`], then
/// checks it against its election with [`KeyShare::check_parameters`] (SPEC.md §7.7).
/// The bytes hold the secret share: store them encrypted, in the trustee's own vault.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct KeyShare {
    #[zeroize(skip)]
    index: u16,
    share: Scalar,
    #[zeroize(skip)]
    context: [u8; CONTEXT_LEN],
    #[zeroize(skip)]
    public: PublicKeyPackage,
}

impl KeyShare {
    /// This trustee's index (1-based).
    pub fn index(&self) -> u16 {
        self.index
    }

    /// The public result of the ceremony.
    pub fn public(&self) -> &PublicKeyPackage {
        &self.public
    }

    /// The election context.
    pub fn context(&self) -> &[u8; CONTEXT_LEN] {
        &self.context
    }

    pub(crate) fn expose_share(&self) -> &Scalar {
        &self.share
    }

    /// The length of [`KeyShare::to_secret_bytes`] for `n` trustees of whom `q` are
    /// qualified: `106 + 2·q + 32·n` (SPEC.md §7.7).
    pub const fn encoded_len(trustees: usize, qualified: usize) -> usize {
        HEADER_AND_FIXED_LEN + 2 * qualified + POINT_LEN * trustees
    }

    /// The stored form of the share, **secret** (SPEC.md §7.7):
    ///
    /// ```text
    /// 0x01 ‖ 0x15 ‖ context (32) ‖ LE16(i) ‖ LE16(t) ‖ LE16(n) ‖ sᵢ (32)
    ///      ‖ LE16(q) ‖ LE16(j) × q (the qualified dealers, increasing)
    ///      ‖ Y (32) ‖ VK₁ ‖ … ‖ VKₙ (32 each)
    /// ```
    ///
    /// Implements `KeyShare.Encode`. The buffer is allocated once at its final size and
    /// zeroized when dropped; whatever the caller copies it into (a file, a vault) must
    /// be protected like the share itself.
    pub fn to_secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        let n = self.public.verification_keys.len();
        let q = self.public.qualified.len();
        let mut out = Zeroizing::new(header(
            MessageKind::KeyShare,
            Self::encoded_len(n, q) - crate::encoding::HEADER_LEN,
        ));
        out.extend_from_slice(&self.context);
        out.extend_from_slice(&self.index.to_le_bytes());
        out.extend_from_slice(&self.public.threshold.to_le_bytes());
        out.extend_from_slice(&u16::try_from(n).unwrap_or(MAX_TRUSTEES).to_le_bytes());
        out.extend_from_slice(self.share.as_bytes());
        out.extend_from_slice(&u16::try_from(q).unwrap_or(MAX_TRUSTEES).to_le_bytes());
        for dealer in &self.public.qualified {
            out.extend_from_slice(&dealer.to_le_bytes());
        }
        out.extend_from_slice(&self.public.election_key.to_bytes());
        for vk in &self.public.verification_keys {
            out.extend_from_slice(&vk.to_bytes());
        }
        out
    }

    /// Loads a share stored with [`KeyShare::to_secret_bytes`].
    ///
    /// Implements `KeyShare.Decode` (SPEC.md §7.7). Besides the structure (header,
    /// exact length, `1 ≤ t ≤ n ≤ 255`, `1 ≤ i ≤ n`, `t ≤ q ≤ n` qualified dealers
    /// strictly increasing in `1 … n`, canonical points, a non-identity `Y`, a canonical
    /// non-zero share) it checks that the share matches its own public keys:
    /// `[sᵢ]G = VKᵢ` and `Y = Σ_{j=1}^{t} λⱼ·VKⱼ`. It cannot know the election: call
    /// [`KeyShare::check_parameters`] next (a trustee's `decrypt_record` also refuses a
    /// record whose ceremony gives other keys).
    ///
    /// # Errors
    /// [`Error::Encoding`] with the header's and layout's errors (`WrongKind`,
    /// `Truncated`, `TrailingBytes`, `NonCanonicalScalar`, `ZeroScalar`,
    /// `InvalidPoint`, `IdentityPoint`, `NotStrictlyIncreasing`, `CountOutOfBounds`, …);
    /// [`Error::InvalidKeyShare`] when the share does not match its public keys. Never
    /// panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::KeyShare)?;
        let context = r.array::<CONTEXT_LEN>()?;
        let index = r.u16_le()?;
        let threshold = r.u16_le()?;
        let n = r.u16_le()?;
        let out_of = |count: u16, limit: u16| EncodingError::CountOutOfBounds {
            count: usize::from(count),
            limit: usize::from(limit),
        };
        if n == 0 || n > MAX_TRUSTEES {
            return Err(out_of(n, MAX_TRUSTEES).into());
        }
        if threshold == 0 || threshold > n {
            return Err(out_of(threshold, n).into());
        }
        if index == 0 || index > n {
            return Err(out_of(index, n).into());
        }
        let share = Zeroizing::new(crate::encoding::decode_nonzero_scalar(r.take(SCALAR_LEN)?)?);
        let q = r.u16_le()?;
        if q == 0 || q > n {
            return Err(out_of(q, n).into());
        }
        if q < threshold {
            return Err(Error::InvalidKeyShare(
                "fewer qualified dealers than the threshold",
            ));
        }
        let mut qualified: Vec<u16> = Vec::with_capacity(usize::from(q));
        for _ in 0..q {
            let dealer = r.u16_le()?;
            if qualified.last().is_some_and(|&last| last >= dealer) {
                return Err(EncodingError::NotStrictlyIncreasing.into());
            }
            if dealer == 0 || dealer > n {
                return Err(out_of(dealer, n).into());
            }
            qualified.push(dealer);
        }
        let election_key = PublicKey::from_bytes(r.take(POINT_LEN)?)?;
        let verification_keys = (0..n).map(|_| r.element()).collect::<Result<Vec<_>, _>>()?;
        r.finish()?;
        let key_share = KeyShare {
            index,
            share: *share,
            context,
            public: PublicKeyPackage {
                threshold,
                qualified,
                election_key,
                verification_keys,
            },
        };
        key_share.vartime_check_consistent()?;
        Ok(key_share)
    }

    /// `[sᵢ]G = VKᵢ` (constant time in the share), and the first `t` verification keys
    /// interpolate to the election key at 0 (public data only).
    fn vartime_check_consistent(&self) -> Result<(), Error> {
        let public = &self.public;
        let own = public.verification_key(self.index)?;
        if (RISTRETTO_BASEPOINT_TABLE * &self.share).compress() != *own.encoding() {
            return Err(Error::InvalidKeyShare(
                "the share does not match its verification key",
            ));
        }
        let first: Vec<u16> = (1..=public.threshold).collect();
        let interpolated = RistrettoPoint::vartime_multiscalar_mul(
            first.iter().map(|&j| lagrange_at_zero(j, &first)),
            public
                .verification_keys
                .iter()
                .take(first.len())
                .map(|vk| *vk.point()),
        );
        if interpolated.compress() != *public.election_key.element().encoding() {
            return Err(Error::InvalidKeyShare(
                "the verification keys do not give the election key",
            ));
        }
        Ok(())
    }

    /// Checks that a loaded share belongs to the key ceremony of `params` and to the
    /// trustee whose long-term public key is `long_term_key`: the same election context,
    /// threshold and number of trustees, and `long_term_key` is trustee `i`'s.
    ///
    /// Implements `KeyShare.Check` (SPEC.md §7.7).
    ///
    /// # Errors
    /// [`Error::KeyShareMismatch`] naming what differs.
    pub fn check_parameters(
        &self,
        params: &CeremonyParameters,
        long_term_key: &PublicKey,
    ) -> Result<(), Error> {
        if self.context != *params.context() {
            return Err(Error::KeyShareMismatch(
                "the key share is of another election",
            ));
        }
        if self.public.threshold != params.threshold()
            || self.public.trustees() != params.trustees()
        {
            return Err(Error::KeyShareMismatch(
                "the key share is of a ceremony with other parameters",
            ));
        }
        if params.trustee_key(self.index)? != long_term_key {
            return Err(Error::KeyShareMismatch(
                "the key share is another trustee's",
            ));
        }
        Ok(())
    }
}

/// Header, context, `i`, `t`, `n`, the share, `q` and the election key.
const HEADER_AND_FIXED_LEN: usize =
    crate::encoding::HEADER_LEN + CONTEXT_LEN + 6 + SCALAR_LEN + 2 + POINT_LEN;

impl ConstantTimeEq for KeyShare {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.share.ct_eq(&other.share) & Choice::from(u8::from(self.index == other.index))
    }
}

impl fmt::Debug for KeyShare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyShare")
            .field("index", &self.index)
            .field("share", &"<redacted>")
            .field("public", &self.public)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lagrange_interpolates_a_line() {
        // f(x) = 5 + 3x: f(1) = 8, f(2) = 11, f(4) = 17.
        let points = [(1u16, 8u64), (2, 11), (4, 17)];
        for subset in [[1u16, 2], [1, 4], [2, 4]] {
            let value: Scalar = subset
                .iter()
                .map(|&i| {
                    let y = points.iter().find(|p| p.0 == i).unwrap().1;
                    lagrange_at_zero(i, &subset) * Scalar::from(y)
                })
                .sum();
            assert_eq!(value, Scalar::from(5u8));
        }
    }
}
