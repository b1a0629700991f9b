//! Fiat–Shamir transcripts and derived generators (SPEC.md §4).
//!
//! Every challenge of the protocol comes from a [`merlin::Transcript`] that starts with
//! [`PROTOCOL_LABEL`] and the 32-byte **election context** ([`election_transcript`]).
//! Each proof then appends its versioned domain separator (with its size parameters),
//! its whole statement (generators, public keys, ciphertexts), its commitments, and only
//! then squeezes a 64-byte challenge reduced modulo ℓ ("reduced wide").
//!
//! All the byte strings that enter a transcript are constants of [`labels`]; SPEC.md §4
//! lists them and a unit test checks that they are unique and match the table.
//!
//! Hashes that are not Fiat–Shamir challenges (hash-to-group) follow
//! `H(HASH_CONTEXT || tag_len || tag || message)` with SHA-512 ([`hash_to_group`]).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use sha2::{Digest, Sha512};

use crate::encoding::GroupElement;
use crate::error::{EncodingError, Error};

/// The root label of every transcript: the protocol version, separate from the crate's
/// semver. Changing any transcript byte requires a new protocol label.
pub const PROTOCOL_LABEL: &[u8] = b"secret-ballot-v1";

/// The prefix of every hash-to-group input (SPEC.md §4.4).
pub const HASH_CONTEXT: &[u8] = b"SECRET-BALLOT-RISTRETTO255-SHA512-v1";

/// Length of the election context hash that starts every transcript.
pub const CONTEXT_LEN: usize = 32;

/// Every label and domain separator that enters a transcript (SPEC.md §4.2).
pub mod labels {
    /// Label of the election context appended right after [`super::PROTOCOL_LABEL`].
    pub const ELECTION_CONTEXT: &[u8] = b"election-context";
    /// Label under which every proof appends its domain separator.
    pub const DOM_SEP: &[u8] = b"dom-sep";
    /// Domain separator of the Schnorr proof of knowledge.
    pub const SCHNORR_PROOF: &[u8] = b"schnorr-proof v1";
    /// Domain separator of the Chaum–Pedersen proof of equal discrete logs.
    pub const DLEQ_PROOF: &[u8] = b"dleq-proof v1";
    /// Domain separator of the disjunctive Chaum–Pedersen range proof.
    pub const RANGE_PROOF: &[u8] = b"range-proof v1";
    /// Lower end of a range.
    pub const MIN: &[u8] = b"min";
    /// Upper end of a range.
    pub const MAX: &[u8] = b"max";
    /// The base point `G`.
    pub const G: &[u8] = b"G";
    /// A second base `H` (DLEQ).
    pub const H: &[u8] = b"H";
    /// A public key or proven point `X`.
    pub const X: &[u8] = b"X";
    /// An ElGamal public key `Y`.
    pub const Y: &[u8] = b"Y";
    /// First proven point of a DLEQ statement, `P = x·G`.
    pub const P: &[u8] = b"P";
    /// Second proven point of a DLEQ statement, `Q = x·H`.
    pub const Q: &[u8] = b"Q";
    /// First ciphertext component `A = r·G`.
    pub const A: &[u8] = b"A";
    /// Second ciphertext component `B = m·G + r·Y`.
    pub const B: &[u8] = b"B";
    /// A commitment against the first base.
    pub const R: &[u8] = b"R";
    /// A commitment against the second base.
    pub const S: &[u8] = b"S";
    /// The Fiat–Shamir challenge.
    pub const C: &[u8] = b"c";
    /// Witness label for a discrete-log secret in the hedged nonce RNG.
    pub const WITNESS_X: &[u8] = b"x";
    /// Witness label for encryption randomness in the hedged nonce RNG.
    pub const WITNESS_R: &[u8] = b"r";
    /// Witness label for an encrypted value in the hedged nonce RNG.
    pub const WITNESS_V: &[u8] = b"v";
    /// Domain separator of a key-ceremony round-1 package (its proof of knowledge).
    pub const DKG_ROUND1: &[u8] = b"dkg-round1 v1";
    /// Domain separator of the key derivation for an encrypted key-ceremony share.
    pub const DKG_SHARE_KEY: &[u8] = b"dkg-share-key v1";
    /// Domain separator of a decryption share's proofs.
    pub const DECRYPTION_SHARE: &[u8] = b"decryption-share v1";
    /// Domain separator of the blind-signature challenge `H_c` (SPEC.md §9.4).
    pub const CREDENTIAL_CHALLENGE: &[u8] = b"credential-challenge v1";
    /// Domain separator of the issuance report's signature (SPEC.md §9.7).
    pub const ISSUANCE_REPORT: &[u8] = b"issuance-report v1";
    /// The signed message of a credential: a voter's one-time pseudonym key.
    pub const BALLOT_KEY: &[u8] = b"ballot-key";
    /// A representative's identifier in the issuance report.
    pub const VOTER: &[u8] = b"voter";
    /// A count, `LE64`.
    pub const COUNT: &[u8] = b"count";
    /// Witness label for the pseudonym secret or issuer secret in the hedged nonce RNG.
    pub const WITNESS_SESSION: &[u8] = b"session";
    /// Domain separator of a ballot's proof transcripts (SPEC.md §12.2).
    pub const BALLOT: &[u8] = b"ballot v1";
    /// Domain separator of a ballot's signature (SPEC.md §12.3).
    pub const BALLOT_SIGNATURE: &[u8] = b"ballot-signature v1";
    /// A ballot ciphertext.
    pub const CIPHERTEXT: &[u8] = b"ciphertext";
    /// A question index, `LE64`.
    pub const QUESTION: &[u8] = b"question";
    /// A constrained group of positions, `LE64`.
    pub const GROUP: &[u8] = b"group";
    /// The hash of a ballot.
    pub const BALLOT_HASH: &[u8] = b"ballot-hash";
    /// A trustee's index (1-based), `LE64`.
    pub const TRUSTEE: &[u8] = b"trustee";
    /// The recipient's index (1-based) of an encrypted share, `LE64`.
    pub const RECIPIENT: &[u8] = b"recipient";
    /// The threshold `t`, `LE64`.
    pub const THRESHOLD: &[u8] = b"threshold";
    /// A Feldman commitment to a polynomial coefficient.
    pub const COMMITMENT: &[u8] = b"C";
    /// A trustee's long-term public key.
    pub const TRUSTEE_KEY: &[u8] = b"trustee-key";
    /// The recipient's long-term public key.
    pub const RECIPIENT_KEY: &[u8] = b"recipient-key";
    /// A Diffie–Hellman shared point.
    pub const DH: &[u8] = b"DH";
    /// Label of derived symmetric key bytes.
    pub const KEY: &[u8] = b"key";
    /// The hash of the aggregate a decryption share opens.
    pub const AGGREGATE: &[u8] = b"aggregate";
    /// The position of a ciphertext within an aggregate, `LE64`.
    pub const POSITION: &[u8] = b"position";
    /// Domain separator of the encrypted paper count's proofs and signatures (SPEC.md §14.4).
    pub const OFFLINE_COUNT: &[u8] = b"offline-count v1";
    /// The number of representatives who voted on paper, `LE64`.
    pub const VOTERS: &[u8] = b"voters";
    /// Root label of the transcript that seeds batch-verification weights.
    pub const BATCH_WEIGHTS: &[u8] = b"secret-ballot-v1 batch weights";

    /// The labels that open a transcript or a proof: they must be pairwise distinct.
    pub const DOMAIN_SEPARATORS: &[&[u8]] = &[
        super::PROTOCOL_LABEL,
        SCHNORR_PROOF,
        DLEQ_PROOF,
        RANGE_PROOF,
        DKG_ROUND1,
        DKG_SHARE_KEY,
        DECRYPTION_SHARE,
        CREDENTIAL_CHALLENGE,
        ISSUANCE_REPORT,
        BALLOT,
        BALLOT_SIGNATURE,
        OFFLINE_COUNT,
        BATCH_WEIGHTS,
    ];

    /// The labels of transcript items: they must be pairwise distinct.
    pub const ITEMS: &[&[u8]] = &[
        ELECTION_CONTEXT,
        DOM_SEP,
        MIN,
        MAX,
        G,
        H,
        X,
        Y,
        P,
        Q,
        A,
        B,
        R,
        S,
        C,
        TRUSTEE,
        RECIPIENT,
        THRESHOLD,
        COMMITMENT,
        TRUSTEE_KEY,
        RECIPIENT_KEY,
        DH,
        KEY,
        AGGREGATE,
        POSITION,
        BALLOT_KEY,
        VOTER,
        COUNT,
        CIPHERTEXT,
        QUESTION,
        GROUP,
        BALLOT_HASH,
        VOTERS,
    ];
}

/// Tags of hash-to-group derivations (SPEC.md §4.4).
pub mod tags {
    /// Tag of the credential generator `Z = H_Z(info)` (SPEC.md §4.4, used by the
    /// credential scheme).
    pub const Z: &[u8] = b"Z";
    /// Tag of the hash that identifies an aggregate (SPEC.md §8.1).
    pub const AGGREGATE_HASH: &[u8] = b"aggregate-hash";

    /// Tag of the election context, the hash of the manifest (SPEC.md §11.3).
    pub const ELECTION_CONTEXT: &[u8] = b"election-context";

    /// Tag of a ballot's hash (tracking code and signature, SPEC.md §12.3).
    pub const BALLOT: &[u8] = b"ballot";

    /// Tag of a record entry's hash, which the next entry carries (SPEC.md §14.1).
    pub const RECORD_ENTRY: &[u8] = b"record-entry";

    /// Tag of the digest of the record prefix a chunk was verified with (SPEC.md §14.11).
    pub const CHUNK_PREFIX: &[u8] = b"chunk-prefix";

    /// Every hash tag: they must be pairwise distinct.
    pub const ALL: &[&[u8]] = &[
        Z,
        AGGREGATE_HASH,
        ELECTION_CONTEXT,
        BALLOT,
        RECORD_ENTRY,
        CHUNK_PREFIX,
    ];
}

/// Starts the transcript of an election: [`PROTOCOL_LABEL`], then the election context.
///
/// Implements `Transcript.Start` (SPEC.md §4.1). Every proof of an election is made on
/// (a clone of) this transcript, so no proof can be moved to another election.
pub fn election_transcript(context: &[u8; CONTEXT_LEN]) -> Transcript {
    let mut transcript = Transcript::new(PROTOCOL_LABEL);
    transcript.append_message(labels::ELECTION_CONTEXT, context);
    transcript
}

/// Hash-to-group with the protocol's context: `H(HASH_CONTEXT || len(tag) || tag || message)`
/// with SHA-512 and the Ristretto255 one-way map (RFC 9496 §4.3.4), so nobody knows the
/// discrete log of the result with respect to `G`.
///
/// Implements `HashToGroup` (SPEC.md §4.4).
///
/// # Panics
/// Never: tags are `'static` constants shorter than 256 bytes (checked by a test).
pub fn hash_to_group(tag: &'static [u8], message: &[u8]) -> RistrettoPoint {
    let tag_len = u8::try_from(tag.len()).unwrap_or(u8::MAX);
    let hash = Sha512::new()
        .chain_update(HASH_CONTEXT)
        .chain_update([tag_len])
        .chain_update(tag)
        .chain_update(message);
    RistrettoPoint::from_hash(hash)
}

/// A 32-byte hash with the protocol's context: the first 32 bytes of
/// `SHA-512(HASH_CONTEXT || len(tag) || tag || message)`.
///
/// Implements `HashToBytes` (SPEC.md §4.4).
pub fn hash_to_bytes(tag: &'static [u8], message: &[&[u8]]) -> [u8; 32] {
    let tag_len = u8::try_from(tag.len()).unwrap_or(u8::MAX);
    let mut hash = Sha512::new()
        .chain_update(HASH_CONTEXT)
        .chain_update([tag_len])
        .chain_update(tag);
    for part in message {
        hash.update(part);
    }
    let digest = hash.finalize();
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.get(..32).unwrap_or(&[0; 32]));
    out
}

/// The transcript vocabulary: every Fiat–Shamir byte of the crate goes through here.
pub(crate) trait TranscriptProtocol {
    /// Opens a Schnorr proof.
    fn schnorr_domain_sep(&mut self);
    /// Opens a DLEQ proof.
    fn dleq_domain_sep(&mut self);
    /// Opens a range proof for `[min, max]`.
    fn range_domain_sep(&mut self, min: u64, max: u64);
    /// Appends a domain separator.
    fn domain_sep(&mut self, label: &'static [u8]);
    /// Appends a group element's canonical encoding.
    fn append_element(&mut self, label: &'static [u8], element: &GroupElement);
    /// Appends a group element after checking that it is not the identity.
    fn validate_and_append_element(
        &mut self,
        label: &'static [u8],
        element: &GroupElement,
    ) -> Result<(), Error>;
    /// Squeezes 64 bytes and reduces them modulo ℓ.
    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar;
}

impl TranscriptProtocol for Transcript {
    fn schnorr_domain_sep(&mut self) {
        self.append_message(labels::DOM_SEP, labels::SCHNORR_PROOF);
    }

    fn dleq_domain_sep(&mut self) {
        self.append_message(labels::DOM_SEP, labels::DLEQ_PROOF);
    }

    fn range_domain_sep(&mut self, min: u64, max: u64) {
        self.append_message(labels::DOM_SEP, labels::RANGE_PROOF);
        self.append_u64(labels::MIN, min);
        self.append_u64(labels::MAX, max);
    }

    fn domain_sep(&mut self, label: &'static [u8]) {
        self.append_message(labels::DOM_SEP, label);
    }

    fn append_element(&mut self, label: &'static [u8], element: &GroupElement) {
        self.append_message(label, element.encoding().as_bytes());
    }

    fn validate_and_append_element(
        &mut self,
        label: &'static [u8],
        element: &GroupElement,
    ) -> Result<(), Error> {
        if element.is_identity() {
            return Err(EncodingError::IdentityPoint.into());
        }
        self.append_element(label, element);
        Ok(())
    }

    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar {
        let mut wide = [0u8; 64];
        self.challenge_bytes(label, &mut wide);
        Scalar::from_bytes_mod_order_wide(&wide)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    fn assert_unique(list: &[&[u8]]) {
        let set: BTreeSet<&[u8]> = list.iter().copied().collect();
        assert_eq!(set.len(), list.len(), "duplicate label in {list:?}");
    }

    #[test]
    fn labels_are_unique() {
        assert_unique(labels::DOMAIN_SEPARATORS);
        assert_unique(labels::ITEMS);
        assert_unique(tags::ALL);
        assert!(tags::ALL.iter().all(|tag| tag.len() < 256));
    }

    /// SPEC.md §4.2 prints this table; a change here must change the spec.
    #[test]
    fn labels_match_spec_table() {
        let spec = include_str!("../../SPEC.md");
        for label in labels::DOMAIN_SEPARATORS
            .iter()
            .chain(labels::ITEMS)
            .chain(tags::ALL)
        {
            let quoted = alloc::format!(
                "`\"{}\"`",
                core::str::from_utf8(label).expect("labels are ASCII")
            );
            assert!(spec.contains(&quoted), "SPEC.md lacks label {quoted}");
        }
        for label in [
            labels::WITNESS_X,
            labels::WITNESS_R,
            labels::WITNESS_V,
            labels::WITNESS_SESSION,
            HASH_CONTEXT,
        ] {
            let quoted = alloc::format!("`\"{}\"`", core::str::from_utf8(label).expect("ASCII"));
            assert!(spec.contains(&quoted), "SPEC.md lacks label {quoted}");
        }
    }

    #[test]
    fn generator_g_is_pinned() {
        assert_eq!(
            GroupElement::GENERATOR.to_bytes(),
            hex32("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
        );
    }

    /// Pins the hash-to-group construction: a change of any input byte changes this.
    #[test]
    fn hash_to_group_is_pinned() {
        let z = hash_to_group(tags::Z, b"example-election").compress();
        assert_eq!(z.to_bytes(), hex32(PINNED_Z_EXAMPLE));
    }

    const PINNED_Z_EXAMPLE: &str =
        "3eafb513dfe71ec095e0d8c41159f940acc9eda69febcb2e70c8340d2afd955c";

    #[test]
    fn challenge_depends_on_every_input() {
        let mut a = election_transcript(&[1; 32]);
        let mut b = election_transcript(&[2; 32]);
        assert_ne!(a.challenge_scalar(labels::C), b.challenge_scalar(labels::C));
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("test hex");
        }
        out
    }
}
