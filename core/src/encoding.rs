//! Canonical encodings (SPEC.md §3).
//!
//! * A **scalar** is 32 bytes, little-endian, and must be the canonical encoding of an
//!   integer below the group order ℓ.
//! * A **point** is the 32-byte Ristretto255 encoding of RFC 9496 §4.3.2; decoding
//!   applies every check of RFC 9496 §4.3.1 and so rejects non-canonical encodings.
//!   Where a protocol forbids the identity, [`decode_nonidentity_point`] rejects it.
//! * Every structured message starts with a two-byte **header**:
//!   [`FORMAT_VERSION`] and a [`MessageKind`] byte. Bare group elements and tuples of
//!   them (keys, ciphertexts) carry no header.
//!
//! Decoders never panic: every failure is an [`EncodingError`].

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use subtle::ConstantTimeEq;

use crate::error::EncodingError;

/// Length of an encoded scalar.
pub const SCALAR_LEN: usize = 32;
/// Length of an encoded point.
pub const POINT_LEN: usize = 32;
/// Length of the header that starts every structured message.
pub const HEADER_LEN: usize = 2;
/// The format version this implementation writes and reads (SPEC.md §3.3).
pub const FORMAT_VERSION: u8 = 0x01;

/// The kind byte of a structured message (SPEC.md §3.3, table of kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
#[non_exhaustive]
pub enum MessageKind {
    /// [`crate::proofs::SchnorrProof`].
    SchnorrProof = 0x01,
    /// [`crate::proofs::DleqProof`].
    DleqProof = 0x02,
    /// [`crate::proofs::RangeProof`].
    RangeProof = 0x03,
    /// [`crate::threshold::dkg::round1::Package`].
    DkgRound1 = 0x10,
    /// [`crate::threshold::dkg::round2::Package`].
    DkgRound2 = 0x11,
    /// [`crate::threshold::dkg::Complaint`].
    DkgComplaint = 0x12,
    /// [`crate::threshold::dkg::ComplaintAnswer`].
    DkgComplaintAnswer = 0x13,
    /// [`crate::threshold::DecryptionShare`].
    DecryptionShare = 0x14,
    /// [`crate::threshold::KeyShare`], a trustee's stored share (secret, never in a
    /// record).
    KeyShare = 0x15,
    /// [`crate::credential::CommitMessage`].
    CredentialCommit = 0x20,
    /// [`crate::credential::ChallengeMessage`].
    CredentialChallenge = 0x21,
    /// [`crate::credential::ResponseMessage`].
    CredentialResponse = 0x22,
    /// [`crate::credential::BlindSignature`].
    BlindSignature = 0x23,
    /// [`crate::credential::IssuanceReport`].
    IssuanceReport = 0x24,
    /// [`crate::manifest::Manifest`].
    Manifest = 0x30,
    /// [`crate::ballot::Ballot`].
    Ballot = 0x31,
    /// [`crate::ballot::SpoiledBallot`].
    SpoiledBallot = 0x32,
    /// [`crate::record::Entry`].
    RecordEntry = 0x40,
    /// [`crate::tally::OfflineCount`].
    OfflineCount = 0x41,
    /// [`crate::tally::Close`].
    Close = 0x42,
    /// [`crate::threshold::Aggregate`].
    Aggregate = 0x43,
    /// [`crate::tally::Totals`].
    Totals = 0x44,
    /// [`crate::tally::Outcomes`].
    Outcomes = 0x45,
    /// [`crate::verify::chunk::ChunkResult`].
    ChunkResult = 0x46,
    /// [`crate::verify::chunk::ChunkSpec`].
    ChunkSpec = 0x47,
}

impl MessageKind {
    /// Every kind, for the uniqueness test and SPEC.md's table.
    pub const ALL: &'static [MessageKind] = &[
        MessageKind::SchnorrProof,
        MessageKind::DleqProof,
        MessageKind::RangeProof,
        MessageKind::DkgRound1,
        MessageKind::DkgRound2,
        MessageKind::DkgComplaint,
        MessageKind::DkgComplaintAnswer,
        MessageKind::DecryptionShare,
        MessageKind::KeyShare,
        MessageKind::CredentialCommit,
        MessageKind::CredentialChallenge,
        MessageKind::CredentialResponse,
        MessageKind::BlindSignature,
        MessageKind::IssuanceReport,
        MessageKind::Manifest,
        MessageKind::Ballot,
        MessageKind::SpoiledBallot,
        MessageKind::RecordEntry,
        MessageKind::OfflineCount,
        MessageKind::Close,
        MessageKind::Aggregate,
        MessageKind::Totals,
        MessageKind::Outcomes,
        MessageKind::ChunkResult,
        MessageKind::ChunkSpec,
    ];

    /// The kind with this byte.
    ///
    /// # Errors
    /// [`EncodingError::InvalidTag`] for a byte that names no kind.
    pub fn from_u8(byte: u8) -> Result<Self, EncodingError> {
        Self::ALL
            .iter()
            .copied()
            .find(|kind| *kind as u8 == byte)
            .ok_or(EncodingError::InvalidTag(byte))
    }
}

/// Decodes a canonical scalar. Rejects wrong lengths and encodings of integers ≥ ℓ.
pub fn decode_scalar(bytes: &[u8]) -> Result<Scalar, EncodingError> {
    let array = fixed::<SCALAR_LEN>(bytes)?;
    Option::<Scalar>::from(Scalar::from_canonical_bytes(array))
        .ok_or(EncodingError::NonCanonicalScalar)
}

/// Decodes a canonical, non-zero scalar.
pub fn decode_nonzero_scalar(bytes: &[u8]) -> Result<Scalar, EncodingError> {
    let scalar = decode_scalar(bytes)?;
    if bool::from(scalar.ct_eq(&Scalar::ZERO)) {
        return Err(EncodingError::ZeroScalar);
    }
    Ok(scalar)
}

/// Decodes a canonical Ristretto255 point (the identity is accepted).
pub fn decode_point(bytes: &[u8]) -> Result<RistrettoPoint, EncodingError> {
    GroupElement::from_bytes(bytes).map(|element| element.point)
}

/// Decodes a canonical Ristretto255 point and rejects the identity.
pub fn decode_nonidentity_point(bytes: &[u8]) -> Result<RistrettoPoint, EncodingError> {
    GroupElement::from_bytes_nonidentity(bytes).map(|element| element.point)
}

fn fixed<const N: usize>(bytes: &[u8]) -> Result<[u8; N], EncodingError> {
    <[u8; N]>::try_from(bytes).map_err(|_| EncodingError::WrongLength {
        expected: N,
        actual: bytes.len(),
    })
}

/// A group element together with its canonical encoding.
///
/// Proof transcripts absorb encodings and verification equations use points; keeping
/// both avoids recompressing (an inversion) or re-decoding. Equality compares encodings,
/// which is exact for Ristretto255 because its encoding is canonical.
#[derive(Clone, Copy)]
pub struct GroupElement {
    point: RistrettoPoint,
    encoding: CompressedRistretto,
}

impl GroupElement {
    /// The standard base point `G` of Ristretto255 (SPEC.md §2.2).
    pub const GENERATOR: GroupElement = GroupElement {
        point: curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT,
        encoding: curve25519_dalek::constants::RISTRETTO_BASEPOINT_COMPRESSED,
    };

    /// Wraps a point, computing its encoding.
    pub fn from_point(point: RistrettoPoint) -> Self {
        GroupElement {
            encoding: point.compress(),
            point,
        }
    }

    /// The elements `2·hᵢ` of the given halves `hᵢ`, all encoded with one shared field
    /// inversion.
    ///
    /// Compressing a point costs an inverse square root; compressing its double needs
    /// only an inversion, and dalek's `double_and_compress_batch` shares one inversion
    /// among the whole batch. A prover that knows the scalars behind its points computes
    /// `hᵢ = (sᵢ/2)·P` instead of `sᵢ·P` and gets `sᵢ·P` encoded at about a fifth of the
    /// cost of [`from_point`](Self::from_point). The result is the same element with the
    /// same canonical encoding.
    ///
    /// # Security
    /// Constant time in the points (the batch inversion skips zeros in constant time).
    pub fn from_halves(halves: &[RistrettoPoint]) -> alloc::vec::Vec<GroupElement> {
        RistrettoPoint::double_and_compress_batch(halves)
            .into_iter()
            .zip(halves)
            .map(|(encoding, half)| GroupElement {
                point: half + half,
                encoding,
            })
            .collect()
    }

    /// Decodes a canonical encoding (identity accepted).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let encoding = CompressedRistretto(fixed::<POINT_LEN>(bytes)?);
        let point = encoding.decompress().ok_or(EncodingError::InvalidPoint)?;
        Ok(GroupElement { point, encoding })
    }

    /// Decodes a canonical encoding and rejects the identity.
    pub fn from_bytes_nonidentity(bytes: &[u8]) -> Result<Self, EncodingError> {
        let element = Self::from_bytes(bytes)?;
        if element.is_identity() {
            return Err(EncodingError::IdentityPoint);
        }
        Ok(element)
    }

    /// The identity element.
    pub fn identity() -> Self {
        GroupElement {
            point: RistrettoPoint::identity(),
            encoding: CompressedRistretto::identity(),
        }
    }

    /// The point.
    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    /// The canonical encoding.
    pub fn encoding(&self) -> &CompressedRistretto {
        &self.encoding
    }

    /// The canonical encoding as bytes.
    pub fn to_bytes(&self) -> [u8; POINT_LEN] {
        self.encoding.to_bytes()
    }

    /// Whether this is the identity element (the all-zero encoding).
    pub fn is_identity(&self) -> bool {
        self.encoding == CompressedRistretto::identity()
    }
}

impl PartialEq for GroupElement {
    fn eq(&self, other: &Self) -> bool {
        self.encoding == other.encoding
    }
}

impl Eq for GroupElement {}

impl core::fmt::Debug for GroupElement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("GroupElement(")?;
        for byte in self.encoding.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

/// A cursor over untrusted bytes. Every read checks the remaining length, and
/// [`Reader::finish`] rejects trailing bytes.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    /// Reads and checks the header of a structured message.
    pub(crate) fn header(&mut self, kind: MessageKind) -> Result<(), EncodingError> {
        let [version, actual] = self.array::<HEADER_LEN>()?;
        if version != FORMAT_VERSION {
            return Err(EncodingError::UnsupportedVersion(version));
        }
        if actual != kind as u8 {
            return Err(EncodingError::WrongKind {
                expected: kind as u8,
                actual,
            });
        }
        Ok(())
    }

    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8], EncodingError> {
        if self.bytes.len() < len {
            return Err(EncodingError::Truncated {
                needed: len - self.bytes.len(),
            });
        }
        let (head, tail) = self.bytes.split_at(len);
        self.bytes = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], EncodingError> {
        fixed::<N>(self.take(N)?)
    }

    pub(crate) fn u32_le(&mut self) -> Result<u32, EncodingError> {
        Ok(u32::from_le_bytes(self.array::<4>()?))
    }

    pub(crate) fn u8(&mut self) -> Result<u8, EncodingError> {
        let [byte] = self.array::<1>()?;
        Ok(byte)
    }

    pub(crate) fn u16_le(&mut self) -> Result<u16, EncodingError> {
        Ok(u16::from_le_bytes(self.array::<2>()?))
    }

    pub(crate) fn u64_le(&mut self) -> Result<u64, EncodingError> {
        Ok(u64::from_le_bytes(self.array::<8>()?))
    }

    /// How many bytes are left.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len()
    }

    /// Reads the rest of the input.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes;
        self.bytes = &[];
        rest
    }

    pub(crate) fn scalar(&mut self) -> Result<Scalar, EncodingError> {
        decode_scalar(self.take(SCALAR_LEN)?)
    }

    pub(crate) fn element(&mut self) -> Result<GroupElement, EncodingError> {
        GroupElement::from_bytes(self.take(POINT_LEN)?)
    }

    pub(crate) fn nonidentity_element(&mut self) -> Result<GroupElement, EncodingError> {
        GroupElement::from_bytes_nonidentity(self.take(POINT_LEN)?)
    }

    pub(crate) fn finish(self) -> Result<(), EncodingError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(EncodingError::TrailingBytes(self.bytes.len()))
        }
    }
}

/// Starts a structured message with its header.
pub(crate) fn header(kind: MessageKind, capacity: usize) -> alloc::vec::Vec<u8> {
    let mut out = alloc::vec::Vec::with_capacity(HEADER_LEN + capacity);
    out.push(FORMAT_VERSION);
    out.push(kind as u8);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_rejects_non_canonical_and_wrong_length() {
        // ℓ itself, little-endian.
        let ell = hex_le("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        assert_eq!(decode_scalar(&ell), Err(EncodingError::NonCanonicalScalar));
        assert_eq!(
            decode_scalar(&[0xff; 32]),
            Err(EncodingError::NonCanonicalScalar)
        );
        assert_eq!(
            decode_scalar(&[0; 31]),
            Err(EncodingError::WrongLength {
                expected: 32,
                actual: 31
            })
        );
        assert_eq!(
            decode_nonzero_scalar(&[0; 32]),
            Err(EncodingError::ZeroScalar)
        );
        let mut ell_minus_one = ell;
        ell_minus_one[0] -= 1;
        assert!(decode_scalar(&ell_minus_one).is_ok());
    }

    #[test]
    fn point_rejects_identity_only_when_asked() {
        assert!(decode_point(&[0; 32]).is_ok());
        assert_eq!(
            decode_nonidentity_point(&[0; 32]),
            Err(EncodingError::IdentityPoint)
        );
    }

    #[test]
    fn reader_rejects_truncation_and_trailing_bytes() {
        let mut reader = Reader::new(&[1, 2, 3]);
        assert_eq!(reader.take(4), Err(EncodingError::Truncated { needed: 1 }));
        let mut reader = Reader::new(&[1, 2, 3]);
        assert!(reader.take(2).is_ok());
        assert_eq!(reader.finish(), Err(EncodingError::TrailingBytes(1)));
    }

    #[test]
    fn header_checks_version_then_kind() {
        let mut reader = Reader::new(&[2, 1]);
        assert_eq!(
            reader.header(MessageKind::SchnorrProof),
            Err(EncodingError::UnsupportedVersion(2))
        );
        let mut reader = Reader::new(&[1, 2]);
        assert_eq!(
            reader.header(MessageKind::SchnorrProof),
            Err(EncodingError::WrongKind {
                expected: 1,
                actual: 2
            })
        );
    }

    fn hex_le(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("test hex");
        }
        out
    }
}
