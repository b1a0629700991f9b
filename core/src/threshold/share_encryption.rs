//! Encryption of key-ceremony shares to the recipient's long-term key (SPEC.md §7.3).
//!
//! Static–static Diffie–Hellman between the dealer's and the recipient's long-term keys,
//! a key derived with a Merlin transcript over the whole context (election, both indices,
//! both keys, the dealer's commitments, the shared point), and ChaCha20-Poly1305
//! (RFC 8439) with a zero nonce: each derived key encrypts exactly one share, because
//! the dealer's commitments (fixed by its polynomial) are part of the derivation.
//! Only the dealer and the recipient can compute the key, so a share that decrypts was
//! sent by the dealer (authenticated) and nobody else can read it (confidential).

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use zeroize::Zeroizing;

use crate::elgamal::{PublicKey, SecretKey};
use crate::encoding::{GroupElement, SCALAR_LEN};
use crate::transcript::{PROTOCOL_LABEL, TranscriptProtocol, labels};

/// Length of an encrypted share: 32-byte scalar and 16-byte tag.
pub(crate) const ENCRYPTED_SHARE_LEN: usize = SCALAR_LEN + 16;

/// Everything that identifies one dealer-to-recipient share.
pub(crate) struct ShareContext<'a> {
    pub(crate) context: &'a [u8; 32],
    pub(crate) sender: u16,
    pub(crate) recipient: u16,
    pub(crate) sender_key: &'a PublicKey,
    pub(crate) recipient_key: &'a PublicKey,
    pub(crate) commitments: &'a [GroupElement],
}

impl ShareContext<'_> {
    /// Derives the symmetric key from our secret and the other party's public key.
    fn key(&self, own_secret: &SecretKey, other: &PublicKey) -> Zeroizing<[u8; 32]> {
        let dh = GroupElement::from_point(other.element().point() * own_secret.expose_scalar());
        let mut t = Transcript::new(PROTOCOL_LABEL);
        t.append_message(labels::ELECTION_CONTEXT, self.context);
        t.domain_sep(labels::DKG_SHARE_KEY);
        t.append_u64(labels::TRUSTEE, u64::from(self.sender));
        t.append_u64(labels::RECIPIENT, u64::from(self.recipient));
        t.append_element(labels::TRUSTEE_KEY, self.sender_key.element());
        t.append_element(labels::RECIPIENT_KEY, self.recipient_key.element());
        for c in self.commitments {
            t.append_element(labels::COMMITMENT, c);
        }
        t.append_element(labels::DH, &dh);
        let mut key = Zeroizing::new([0u8; 32]);
        t.challenge_bytes(labels::KEY, key.as_mut());
        key
    }

    fn aad(&self) -> [u8; 36] {
        let mut aad = [0u8; 36];
        let (ctx, rest) = aad.split_at_mut(32);
        ctx.copy_from_slice(self.context);
        let (s, r) = rest.split_at_mut(2);
        s.copy_from_slice(&self.sender.to_le_bytes());
        r.copy_from_slice(&self.recipient.to_le_bytes());
        aad
    }

    /// Encrypts the share (dealer side). `None` only if the AEAD refuses a 32-byte
    /// message, which ChaCha20-Poly1305 never does.
    pub(crate) fn seal(
        &self,
        sender_secret: &SecretKey,
        share: &Scalar,
    ) -> Option<[u8; ENCRYPTED_SHARE_LEN]> {
        let key = self.key(sender_secret, self.recipient_key);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let mut out = [0u8; ENCRYPTED_SHARE_LEN];
        let (message, tag_out) = out.split_at_mut(SCALAR_LEN);
        message.copy_from_slice(share.as_bytes());
        let tag = cipher
            .encrypt_in_place_detached(Nonce::from_slice(&[0u8; 12]), &self.aad(), message)
            .ok()?;
        tag_out.copy_from_slice(&tag);
        Some(out)
    }

    /// Decrypts and decodes the share (recipient side); `None` if the tag does not verify
    /// or the plaintext is not a canonical scalar.
    pub(crate) fn open(
        &self,
        recipient_secret: &SecretKey,
        ciphertext: &[u8; ENCRYPTED_SHARE_LEN],
    ) -> Option<Scalar> {
        let key = self.key(recipient_secret, self.sender_key);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let aad = self.aad();
        let plaintext = Zeroizing::new(
            cipher
                .decrypt(
                    Nonce::from_slice(&[0u8; 12]),
                    Payload {
                        msg: ciphertext,
                        aad: &aad,
                    },
                )
                .ok()?,
        );
        let bytes: [u8; 32] = plaintext.as_slice().try_into().ok()?;
        Option::from(Scalar::from_canonical_bytes(bytes))
    }
}
