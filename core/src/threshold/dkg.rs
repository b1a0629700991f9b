//! The key ceremony: Pedersen DKG with Feldman commitments (SPEC.md §7).
//!
//! Shaped like FROST's `keys::dkg` (RFC 9591): what a trustee keeps between steps is a
//! `SecretPackage` (zeroized, redacted), what it publishes is a `Package`.
//!
//! | step | who | input | output (keep / publish) |
//! |---|---|---|---|
//! | [`part1`] | each trustee | parameters, own index | `round1::SecretPackage` / `round1::Package` to everyone |
//! | [`part2`] | each trustee | its round-1 secret, own long-term key | `round2::SecretPackage` / one `round2::Package` per other trustee |
//! | [`check_shares`] | each trustee | all round-1 packages, round-2 packages addressed to it | [`Complaint`]s to publish (none if all is well) |
//! | [`answer_complaint`] | an accused trustee | its round-2 secret, the complaint | a [`ComplaintAnswer`] to publish |
//! | [`resolve`] | anyone | all round-1 packages, complaints, answers | the [`Resolution`]: who is disqualified |
//! | [`part3`] | each trustee | everything above | its [`KeyShare`] |
//! | [`public_key_package`] | anyone | round-1 packages, resolution | the election key and verification keys |
//!
//! # Security
//! A trustee that publishes an invalid round-1 package (wrong size, identity constant
//! term, bad proof of knowledge), or is accused by a complaint it does not answer with a
//! share that matches its commitments, is disqualified; its polynomial is left out of the
//! key. The key exists if at least `t` trustees remain qualified. As with every Pedersen
//! DKG, a rushing adversary can bias the distribution of the public key; Gennaro,
//! Jarecki, Krawczyk and Rabin (J. Cryptology 2007) show that this does not weaken
//! ElGamal-style encryption and threshold decryption built on it.

#![allow(non_snake_case)]

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::share_encryption::{ENCRYPTED_SHARE_LEN, ShareContext};
use super::{
    CeremonyParameters, KeyShare, MAX_TRUSTEES, PublicKeyPackage, vartime_evaluate_commitments,
};
use crate::elgamal::{PublicKey, SecretKey};
use crate::encoding::{GroupElement, MessageKind, POINT_LEN, Reader, SCALAR_LEN, header};
use crate::error::{EncodingError, Error};
use crate::proofs::{SchnorrProof, SchnorrStatement, Verifiable};
use crate::transcript::{TranscriptProtocol, election_transcript, labels};

/// Evaluates the polynomial with these coefficients at `x` (constant time in the
/// coefficients).
fn evaluate(coefficients: &[Scalar], x: u16) -> Scalar {
    let x = Scalar::from(x);
    coefficients
        .iter()
        .rev()
        .fold(Scalar::ZERO, |acc, a| acc * x + a)
}

/// The transcript of a round-1 proof of knowledge: the election, the dealer, `t`, and
/// every commitment.
fn round1_transcript(context: &[u8; 32], sender: u16, commitments: &[GroupElement]) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::DKG_ROUND1);
    t.append_u64(labels::TRUSTEE, u64::from(sender));
    t.append_u64(labels::THRESHOLD, commitments.len() as u64);
    for c in commitments {
        t.append_element(labels::COMMITMENT, c);
    }
    t
}

/// A dealer's secret polynomial with its index and public commitments. Zeroized on drop,
/// redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Polynomial {
    #[zeroize(skip)]
    pub(crate) index: u16,
    pub(crate) coefficients: Vec<Scalar>,
    #[zeroize(skip)]
    pub(crate) commitments: Vec<GroupElement>,
}

impl fmt::Debug for Polynomial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Polynomial")
            .field("index", &self.index)
            .field("coefficients", &"<redacted>")
            .finish()
    }
}

/// Round 1: commitments to the dealer's polynomial and a proof of knowledge of its
/// constant term.
pub mod round1 {
    use super::*;

    /// What a trustee publishes in round 1: Feldman commitments `Cₖ = aₖ·G` to its
    /// polynomial `f(x) = a₀ + a₁x + … + a_{t−1}x^{t−1}` and a Schnorr proof of
    /// knowledge of `a₀`, bound to the election, the dealer's index and every commitment.
    ///
    /// Encoding: `0x01 ‖ 0x10 ‖ LE16(sender) ‖ LE16(t) ‖ C₀ ‖ … ‖ C_{t−1} ‖ proof (66)`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Package {
        pub(crate) sender: u16,
        pub(crate) commitments: Vec<GroupElement>,
        pub(crate) proof: SchnorrProof,
    }

    impl Package {
        /// The dealer's index.
        pub fn sender(&self) -> u16 {
            self.sender
        }

        /// The commitments `C₀ … C_{t−1}`.
        pub fn commitments(&self) -> &[GroupElement] {
            &self.commitments
        }

        /// Checks the package against the parameters: sender in range, `t` commitments,
        /// non-identity `C₀`, valid proof of knowledge.
        ///
        /// Implements `Dkg.VerifyRound1` (SPEC.md §7.2).
        ///
        /// # Errors
        /// [`Error::InvalidCeremonyMessages`] naming the sender.
        pub fn verify(&self, params: &CeremonyParameters) -> Result<(), Error> {
            let culprit = || Error::InvalidCeremonyMessages {
                culprits: alloc::vec![usize::from(self.sender)],
            };
            params.trustee_key(self.sender).map_err(|_| culprit())?;
            if self.commitments.len() != usize::from(params.threshold()) {
                return Err(culprit());
            }
            let constant = *self.commitments.first().ok_or_else(culprit)?;
            let mut t = round1_transcript(params.context(), self.sender, &self.commitments);
            self.proof
                .verify(&mut t, &SchnorrStatement { X: constant })
                .map_err(|_| culprit())
        }

        /// The canonical encoding.
        pub fn to_bytes(&self) -> Vec<u8> {
            let proof = self.proof.to_bytes();
            let mut out = header(
                MessageKind::DkgRound1,
                4 + POINT_LEN * self.commitments.len() + proof.len(),
            );
            out.extend_from_slice(&self.sender.to_le_bytes());
            out.extend_from_slice(&(self.commitments.len() as u16).to_le_bytes());
            for c in &self.commitments {
                out.extend_from_slice(&c.to_bytes());
            }
            out.extend_from_slice(&proof);
            out
        }

        /// Decodes a package. Rejects `t` outside `1 ..= MAX_TRUSTEES`, an identity `C₀`,
        /// and everything [`SchnorrProof::from_bytes`] rejects.
        pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
            let mut r = Reader::new(bytes);
            r.header(MessageKind::DkgRound1)?;
            let sender = r.u16_le()?;
            let t = usize::from(r.u16_le()?);
            if t == 0 || t > usize::from(MAX_TRUSTEES) {
                return Err(EncodingError::CountOutOfBounds {
                    count: t,
                    limit: usize::from(MAX_TRUSTEES),
                });
            }
            let mut commitments = Vec::with_capacity(t);
            commitments.push(r.nonidentity_element()?);
            for _ in 1..t {
                commitments.push(r.element()?);
            }
            let proof = SchnorrProof::from_bytes(r.rest())?;
            Ok(Package {
                sender,
                commitments,
                proof,
            })
        }
    }

    /// What a trustee keeps after round 1: its polynomial. Zeroized on drop, redacted.
    #[derive(Clone, Debug, Zeroize, ZeroizeOnDrop)]
    pub struct SecretPackage(pub(crate) Polynomial);
}

/// Round 2: shares, encrypted to each recipient.
pub mod round2 {
    use super::*;

    /// A share `fᵢ(j)` from dealer `i` to recipient `j`, encrypted and authenticated
    /// with a key only `i` and `j` can derive (SPEC.md §7.3).
    ///
    /// Encoding: `0x01 ‖ 0x11 ‖ LE16(sender) ‖ LE16(recipient) ‖ encrypted share (48)`.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Package {
        pub(crate) sender: u16,
        pub(crate) recipient: u16,
        pub(crate) encrypted_share: [u8; ENCRYPTED_SHARE_LEN],
    }

    impl Package {
        /// The dealer's index.
        pub fn sender(&self) -> u16 {
            self.sender
        }

        /// The recipient's index.
        pub fn recipient(&self) -> u16 {
            self.recipient
        }

        /// The canonical encoding.
        pub fn to_bytes(&self) -> Vec<u8> {
            let mut out = header(MessageKind::DkgRound2, 4 + ENCRYPTED_SHARE_LEN);
            out.extend_from_slice(&self.sender.to_le_bytes());
            out.extend_from_slice(&self.recipient.to_le_bytes());
            out.extend_from_slice(&self.encrypted_share);
            out
        }

        /// Decodes a package.
        pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
            let mut r = Reader::new(bytes);
            r.header(MessageKind::DkgRound2)?;
            let sender = r.u16_le()?;
            let recipient = r.u16_le()?;
            let encrypted_share = r.array::<ENCRYPTED_SHARE_LEN>()?;
            r.finish()?;
            Ok(Package {
                sender,
                recipient,
                encrypted_share,
            })
        }
    }

    /// What a trustee keeps after round 2: its polynomial (to compute its own share and
    /// to answer complaints). Zeroized on drop, redacted. A distinct type from round 1's,
    /// so the steps cannot be called out of order.
    #[derive(Clone, Debug, Zeroize, ZeroizeOnDrop)]
    pub struct SecretPackage(pub(crate) Polynomial);

    impl SecretPackage {
        /// This trustee's index.
        pub fn index(&self) -> u16 {
            self.0.index
        }
    }
}

/// A public accusation: `accuser` received no valid share from `accused`.
///
/// Encoding: `0x01 ‖ 0x12 ‖ LE16(accuser) ‖ LE16(accused)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Complaint {
    /// The recipient who complains.
    pub accuser: u16,
    /// The dealer accused.
    pub accused: u16,
}

impl Complaint {
    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::DkgComplaint, 4);
        out.extend_from_slice(&self.accuser.to_le_bytes());
        out.extend_from_slice(&self.accused.to_le_bytes());
        out
    }

    /// Decodes a complaint.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::DkgComplaint)?;
        let accuser = r.u16_le()?;
        let accused = r.u16_le()?;
        r.finish()?;
        Ok(Complaint { accuser, accused })
    }
}

/// The accused dealer's public answer: the share `f_accused(accuser)` in clear. Anyone
/// checks it against the dealer's commitments; if it matches, the complaint is dismissed
/// and the accuser uses this share.
///
/// Encoding: `0x01 ‖ 0x13 ‖ LE16(accused) ‖ LE16(accuser) ‖ share (32)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplaintAnswer {
    /// The dealer who answers.
    pub accused: u16,
    /// The recipient who complained.
    pub accuser: u16,
    share: Scalar,
}

impl ComplaintAnswer {
    /// The canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(MessageKind::DkgComplaintAnswer, 4 + SCALAR_LEN);
        out.extend_from_slice(&self.accused.to_le_bytes());
        out.extend_from_slice(&self.accuser.to_le_bytes());
        out.extend_from_slice(self.share.as_bytes());
        out
    }

    /// Decodes an answer.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::DkgComplaintAnswer)?;
        let accused = r.u16_le()?;
        let accuser = r.u16_le()?;
        let share = r.scalar()?;
        r.finish()?;
        Ok(ComplaintAnswer {
            accused,
            accuser,
            share,
        })
    }

    /// Whether the revealed share matches the dealer's commitments.
    fn vartime_is_valid(&self, package: &round1::Package) -> bool {
        RISTRETTO_BASEPOINT_TABLE * &self.share
            == vartime_evaluate_commitments(&package.commitments, self.accuser)
    }
}

/// The public outcome of the complaint phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    qualified: Vec<u16>,
    disqualified: Vec<u16>,
    revealed: Vec<ComplaintAnswer>,
}

impl Resolution {
    /// The dealers whose polynomials form the key (increasing).
    pub fn qualified(&self) -> &[u16] {
        &self.qualified
    }

    /// The dealers left out, with the reason implicit in the transcript (increasing).
    pub fn disqualified(&self) -> &[u16] {
        &self.disqualified
    }
}

/// Round 1: draws a random polynomial of degree `t − 1` and commits to it.
///
/// Implements `Dkg.Part1` (SPEC.md §7.2). Keep the `SecretPackage`; publish the
/// `Package` to every trustee.
///
/// # Errors
/// [`Error::UnknownTrustee`] if `index` is not a trustee of `params`.
pub fn part1<R: RngCore + CryptoRng>(
    params: &CeremonyParameters,
    index: u16,
    rng: &mut R,
) -> Result<(round1::SecretPackage, round1::Package), Error> {
    params.trustee_key(index)?;
    let mut coefficients: Vec<Scalar> = (0..params.threshold())
        .map(|_| Scalar::random(rng))
        .collect();
    // A zero constant term would make C₀ the identity; redraw (probability 2⁻²⁵²).
    while coefficients.first() == Some(&Scalar::ZERO) {
        if let Some(a0) = coefficients.first_mut() {
            *a0 = Scalar::random(rng);
        }
    }
    let commitments: Vec<GroupElement> = coefficients
        .iter()
        .map(|a| GroupElement::from_point(RISTRETTO_BASEPOINT_TABLE * a))
        .collect();
    let mut t = round1_transcript(params.context(), index, &commitments);
    let a0 = coefficients.first().copied().unwrap_or(Scalar::ZERO);
    let constant = *commitments.first().ok_or(Error::UnknownTrustee(index))?;
    let proof = SchnorrProof::prove(&mut t, &SchnorrStatement { X: constant }, &a0, rng)?;
    Ok((
        round1::SecretPackage(Polynomial {
            index,
            coefficients,
            commitments: commitments.clone(),
        }),
        round1::Package {
            sender: index,
            commitments,
            proof,
        },
    ))
}

/// Round 2: encrypts `f(j)` to every other trustee `j`.
///
/// Implements `Dkg.Part2` (SPEC.md §7.3). Keep the `SecretPackage`; send each
/// `Package` to its recipient (or publish them all: they are encrypted).
///
/// # Errors
/// [`Error::UnknownTrustee`] if `long_term_key` is not this trustee's key in `params`.
pub fn part2(
    secret: round1::SecretPackage,
    params: &CeremonyParameters,
    long_term_key: &SecretKey,
) -> Result<(round2::SecretPackage, Vec<round2::Package>), Error> {
    // A copy: the round-1 package is zeroized when it drops, at the end of this step.
    let secret = secret.0.clone();
    let own_key = params.trustee_key(secret.index)?;
    if &long_term_key.public_key() != own_key {
        return Err(Error::UnknownTrustee(secret.index));
    }
    let mut packages = Vec::with_capacity(usize::from(params.trustees()));
    for recipient in params.indices().filter(|&j| j != secret.index) {
        let mut share = evaluate(&secret.coefficients, recipient);
        let ctx = ShareContext {
            context: params.context(),
            sender: secret.index,
            recipient,
            sender_key: own_key,
            recipient_key: params.trustee_key(recipient)?,
            commitments: &secret.commitments,
        };
        let encrypted_share = ctx.seal(long_term_key, &share);
        share.zeroize();
        let encrypted_share = encrypted_share.ok_or(Error::Internal("AEAD refused a share"))?;
        packages.push(round2::Package {
            sender: secret.index,
            recipient,
            encrypted_share,
        });
    }
    Ok((round2::SecretPackage(secret), packages))
}

/// Finds the single valid round-1 package of each trustee; trustees with none, several
/// or an invalid one are returned as culprits.
fn valid_round1<'a>(
    params: &CeremonyParameters,
    packages: &'a [round1::Package],
) -> (Vec<&'a round1::Package>, Vec<u16>) {
    let mut valid = Vec::new();
    let mut culprits = Vec::new();
    for i in params.indices() {
        let mut from_i = packages.iter().filter(|p| p.sender == i);
        match (from_i.next(), from_i.next()) {
            (Some(p), None) if p.verify(params).is_ok() => valid.push(p),
            _ => culprits.push(i),
        }
    }
    (valid, culprits)
}

fn decrypt_share(
    params: &CeremonyParameters,
    me: u16,
    long_term_key: &SecretKey,
    dealer: &round1::Package,
    round2: &[round2::Package],
) -> Option<Scalar> {
    let mut from_dealer = round2
        .iter()
        .filter(|p| p.sender == dealer.sender && p.recipient == me);
    let package = match (from_dealer.next(), from_dealer.next()) {
        (Some(p), None) => p,
        _ => return None,
    };
    let ctx = ShareContext {
        context: params.context(),
        sender: dealer.sender,
        recipient: me,
        sender_key: params.trustee_key(dealer.sender).ok()?,
        recipient_key: params.trustee_key(me).ok()?,
        commitments: &dealer.commitments,
    };
    let share = ctx.open(long_term_key, &package.encrypted_share)?;
    let matches =
        RISTRETTO_BASEPOINT_TABLE * &share == vartime_evaluate_commitments(&dealer.commitments, me);
    matches.then_some(share)
}

/// Decrypts and checks every share addressed to this trustee; returns one complaint per
/// dealer whose share is missing, does not decrypt, or does not match its commitments.
///
/// Implements `Dkg.CheckShares` (SPEC.md §7.4). Publish the complaints (an empty list
/// means all is well). Dealers with an invalid round-1 package get no complaint: they
/// are disqualified by [`resolve`] anyway.
pub fn check_shares(
    secret: &round2::SecretPackage,
    params: &CeremonyParameters,
    long_term_key: &SecretKey,
    round1: &[round1::Package],
    round2: &[round2::Package],
) -> Vec<Complaint> {
    let secret = &secret.0;
    let (valid, _) = valid_round1(params, round1);
    valid
        .iter()
        .filter(|dealer| dealer.sender != secret.index)
        .filter(|dealer| {
            decrypt_share(params, secret.index, long_term_key, dealer, round2).is_none()
        })
        .map(|dealer| Complaint {
            accuser: secret.index,
            accused: dealer.sender,
        })
        .collect()
}

/// Answers a complaint against this trustee by revealing the share it owes the accuser.
///
/// Implements `Dkg.Answer` (SPEC.md §7.4). Publish the answer. Revealing the share is
/// safe for the dealer; it only exposes the accuser's share from this dealer.
///
/// # Errors
/// [`Error::UnknownTrustee`] if the complaint does not accuse this trustee or names an
/// unknown accuser.
pub fn answer_complaint(
    secret: &round2::SecretPackage,
    params: &CeremonyParameters,
    complaint: &Complaint,
) -> Result<ComplaintAnswer, Error> {
    let secret = &secret.0;
    if complaint.accused != secret.index {
        return Err(Error::UnknownTrustee(complaint.accused));
    }
    params.trustee_key(complaint.accuser)?;
    Ok(ComplaintAnswer {
        accused: secret.index,
        accuser: complaint.accuser,
        share: evaluate(&secret.coefficients, complaint.accuser),
    })
}

/// Decides, from public data only, which dealers are qualified.
///
/// Implements `Dkg.Resolve` (SPEC.md §7.5). A dealer is disqualified if its round-1
/// package is missing, repeated or invalid, or if a complaint against it (from a known
/// trustee) has no answer whose share matches its commitments.
///
/// # Errors
/// [`Error::CeremonyFailed`] if fewer than `t` dealers remain qualified.
pub fn resolve(
    params: &CeremonyParameters,
    round1: &[round1::Package],
    complaints: &[Complaint],
    answers: &[ComplaintAnswer],
) -> Result<Resolution, Error> {
    let (valid, invalid) = valid_round1(params, round1);
    let mut disqualified: BTreeSet<u16> = invalid.into_iter().collect();
    let mut revealed = Vec::new();
    let complaints: BTreeSet<Complaint> = complaints
        .iter()
        .copied()
        .filter(|c| c.accuser != c.accused && params.trustee_key(c.accuser).is_ok())
        .collect();
    for complaint in &complaints {
        let Some(dealer) = valid.iter().find(|p| p.sender == complaint.accused) else {
            continue; // Already disqualified for its round-1 package.
        };
        let answer = answers.iter().find(|a| {
            a.accused == complaint.accused
                && a.accuser == complaint.accuser
                && a.vartime_is_valid(dealer)
        });
        match answer {
            Some(answer) => revealed.push(answer.clone()),
            None => {
                disqualified.insert(complaint.accused);
            }
        }
    }
    let qualified: Vec<u16> = params
        .indices()
        .filter(|i| !disqualified.contains(i))
        .collect();
    if qualified.len() < usize::from(params.threshold()) {
        return Err(Error::CeremonyFailed {
            qualified: qualified.len(),
            threshold: params.threshold(),
        });
    }
    revealed.retain(|a| qualified.contains(&a.accused));
    Ok(Resolution {
        qualified,
        disqualified: disqualified.into_iter().collect(),
        revealed,
    })
}

/// The public result of the ceremony, computable by anyone.
///
/// Implements `Dkg.PublicKeys` (SPEC.md §7.6).
///
/// # Errors
/// [`Error::InvalidCeremonyMessages`] if a qualified dealer's round-1 package is missing
/// or invalid (the resolution does not belong to these packages).
pub fn public_key_package(
    params: &CeremonyParameters,
    round1: &[round1::Package],
    resolution: &Resolution,
) -> Result<PublicKeyPackage, Error> {
    let (valid, _) = valid_round1(params, round1);
    let mut dealers = Vec::with_capacity(resolution.qualified.len());
    for &i in &resolution.qualified {
        let dealer =
            valid
                .iter()
                .find(|p| p.sender == i)
                .ok_or(Error::InvalidCeremonyMessages {
                    culprits: alloc::vec![usize::from(i)],
                })?;
        dealers.push(*dealer);
    }
    let election_point = dealers
        .iter()
        .filter_map(|d| d.commitments.first())
        .map(|c| *c.point())
        .sum();
    let election_key = PublicKey::from_element(GroupElement::from_point(election_point))?;
    let verification_keys = params
        .indices()
        .map(|j| {
            GroupElement::from_point(
                dealers
                    .iter()
                    .map(|d| vartime_evaluate_commitments(&d.commitments, j))
                    .sum(),
            )
        })
        .collect();
    Ok(PublicKeyPackage {
        threshold: params.threshold(),
        qualified: resolution.qualified.clone(),
        election_key,
        verification_keys,
    })
}

/// Round 3: sums the shares from every qualified dealer into this trustee's key share.
///
/// Implements `Dkg.Part3` (SPEC.md §7.6). Store the `KeyShare` securely; publish
/// nothing.
///
/// # Errors
/// [`Error::InvalidCeremonyMessages`] naming a qualified dealer whose share to us is
/// still invalid (we should have complained); [`Error::UnknownTrustee`] if the long-term
/// key is not ours.
pub fn part3(
    secret: &round2::SecretPackage,
    params: &CeremonyParameters,
    long_term_key: &SecretKey,
    round1: &[round1::Package],
    round2: &[round2::Package],
    resolution: &Resolution,
) -> Result<KeyShare, Error> {
    let secret = &secret.0;
    let me = secret.index;
    if &long_term_key.public_key() != params.trustee_key(me)? {
        return Err(Error::UnknownTrustee(me));
    }
    let public = public_key_package(params, round1, resolution)?;
    let (valid, _) = valid_round1(params, round1);
    let mut share = Scalar::ZERO;
    for &dealer_index in &resolution.qualified {
        let mut part = if dealer_index == me {
            evaluate(&secret.coefficients, me)
        } else if let Some(answer) = resolution
            .revealed
            .iter()
            .find(|a| a.accused == dealer_index && a.accuser == me)
        {
            answer.share
        } else {
            let dealer = valid.iter().find(|p| p.sender == dealer_index);
            dealer
                .and_then(|d| decrypt_share(params, me, long_term_key, d, round2))
                .ok_or(Error::InvalidCeremonyMessages {
                    culprits: alloc::vec![usize::from(dealer_index)],
                })?
        };
        share += part;
        part.zeroize();
    }
    let key_share = KeyShare {
        index: me,
        share,
        context: *params.context(),
        public,
    };
    share.zeroize();
    // Our share must match the public verification key computed from the commitments.
    let expected = key_share.public.verification_key(me)?;
    if (RISTRETTO_BASEPOINT_TABLE * key_share.expose_share()).compress() != *expected.encoding() {
        return Err(Error::InvalidCeremonyMessages {
            culprits: alloc::vec![usize::from(me)],
        });
    }
    Ok(key_share)
}
