//! Ballots: encrypted answers with validity proofs, cast under a blind credential
//! (SPEC.md §12).
//!
//! A ballot carries the voter's pseudonym `P`, the issuer's blind signature on it, one
//! answer per question (a 0/1 ciphertext per position, a bit proof per position, and a
//! range proof per constrained group of positions), and a Schnorr signature by `p` over
//! the ballot's hash. Every proof's transcript holds the election context, `P`, **every**
//! ciphertext of the ballot and the question and position or group, so copying another
//! voter's ciphertexts under one's own credential fails, and so does reordering them.
//! The last ciphertext of an "exactly `k`" group is derived rather than sent
//! ([`BallotLayout`], SPEC.md §12.2).

mod layout;

pub use layout::{BallotLayout, QuestionLayout};

use alloc::vec::Vec;
use core::fmt;

use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::credential::{
    BlindSignature, Credential, IssuerPublicKey, Pseudonym, credential_generator,
};
use crate::elgamal::{CIPHERTEXT_LEN, Ciphertext, EncryptionKey, PublicKey, Randomness};
use crate::encoding::{GroupElement, MessageKind, POINT_LEN, Reader, header};
use crate::error::{EncodingError, Error};
use crate::manifest::{Group, Manifest, Question};
use crate::proofs::{
    BatchVerifier, RangeProof, RangeStatement, RangeWitness, SchnorrProof, SchnorrStatement,
    ValueRange, Verifiable,
};
use crate::transcript::{
    CONTEXT_LEN, TranscriptProtocol, election_transcript, hash_to_bytes, labels, tags,
};
use curve25519_dalek::scalar::Scalar;

/// A voter's answer to one question, in plain terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Vote {
    /// For (0), against (1) or abstain (2) on a motion.
    Motion(MotionVote),
    /// The indices of the options chosen.
    Choice(Vec<usize>),
    /// For each candidate: for, against or abstain.
    Election(Vec<MotionVote>),
    /// For each subject: the level chosen (0 = best), or `None` for blank.
    Evaluation(Vec<Option<usize>>),
}

/// For, against or abstain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MotionVote {
    /// 同意.
    For,
    /// 不同意.
    Against,
    /// 弃权.
    Abstain,
}

impl MotionVote {
    fn position(self) -> usize {
        match self {
            MotionVote::For => 0,
            MotionVote::Against => 1,
            MotionVote::Abstain => 2,
        }
    }
}

impl Vote {
    /// The 0/1 values of this vote's positions for `question` (SPEC.md §12.1).
    ///
    /// # Errors
    /// [`Error::InvalidVote`] if the vote does not fit the question (wrong kind or size,
    /// too many or too few choices, more "for" than seats, an unknown level, a blank
    /// where none is allowed).
    ///
    /// # Security
    /// The vote is secret. Each chosen position is set by writing every position (a
    /// constant-time select), so the memory accesses do not depend on which one was
    /// chosen; the checks that refuse an invalid vote branch (revealing only that it was
    /// invalid), and the dispatch on the `Vote` variant and on a blank is the caller's
    /// own representation of the answer (SECURITY.md).
    pub fn bits(&self, question: &Question, index: usize) -> Result<Vec<u64>, Error> {
        let invalid = Error::InvalidVote { question: index };
        let mut bits = alloc::vec![0u64; question.width()];
        let mut set = |p: usize| {
            let mut hit = subtle::Choice::from(0);
            for (k, bit) in bits.iter_mut().enumerate() {
                let here = (k as u64).ct_eq(&(p as u64));
                bit.conditional_assign(&1, here);
                hit |= here;
            }
            if bool::from(hit) {
                Ok(())
            } else {
                Err(invalid.clone())
            }
        };
        match (self, question) {
            (Vote::Motion(v), Question::Motion { .. }) => set(v.position())?,
            (
                Vote::Choice(chosen),
                Question::Choice {
                    options, min, max, ..
                },
            ) => {
                let mut sorted = chosen.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted.len() != chosen.len()
                    || chosen.len() < usize::from(*min)
                    || chosen.len() > usize::from(*max)
                    || chosen.iter().any(|&c| c >= options.len())
                {
                    return Err(invalid);
                }
                chosen.iter().try_for_each(|&c| set(c))?;
            }
            (
                Vote::Election(votes),
                Question::Election {
                    candidates, seats, ..
                },
            ) => {
                let fors = votes.iter().filter(|v| **v == MotionVote::For).count();
                if votes.len() != candidates.len() || fors > usize::from(*seats) {
                    return Err(invalid);
                }
                votes
                    .iter()
                    .enumerate()
                    .try_for_each(|(c, v)| set(3 * c + v.position()))?;
            }
            (
                Vote::Evaluation(levels),
                Question::Evaluation {
                    subjects,
                    levels: scale,
                    allow_blank,
                    ..
                },
            ) => {
                if levels.len() != subjects.len() {
                    return Err(invalid);
                }
                let per = scale.len() + usize::from(*allow_blank);
                for (s, level) in levels.iter().enumerate() {
                    match level {
                        Some(l) if *l < scale.len() => set(s * per + l)?,
                        None if *allow_blank => set(s * per + scale.len())?,
                        _ => return Err(invalid),
                    }
                }
            }
            _ => return Err(invalid),
        }
        Ok(bits)
    }
}

/// One question's encrypted answer and its proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Every position's ciphertext, the derived ones included.
    ciphertexts: Vec<Ciphertext>,
    bit_proofs: Vec<RangeProof>,
    /// The proved groups' range proofs (derived groups have none).
    group_proofs: Vec<RangeProof>,
}

impl Answer {
    /// An answer from its parts: every position's ciphertext (derived ones included, as
    /// [`QuestionLayout::complete`] gives them), a bit proof per position and a range
    /// proof per proved group. Public data; [`queue_answer`] and [`Ballot::verify`]
    /// check the shape.
    pub fn new(
        ciphertexts: Vec<Ciphertext>,
        bit_proofs: Vec<RangeProof>,
        group_proofs: Vec<RangeProof>,
    ) -> Self {
        Answer {
            ciphertexts,
            bit_proofs,
            group_proofs,
        }
    }

    /// The ciphertexts, one per position (derived positions included, SPEC.md §12.2).
    pub fn ciphertexts(&self) -> &[Ciphertext] {
        &self.ciphertexts
    }

    /// The bit proofs, one per position.
    pub fn bit_proofs(&self) -> &[RangeProof] {
        &self.bit_proofs
    }

    /// The range proofs of the proved groups, in group order.
    pub fn group_proofs(&self) -> &[RangeProof] {
        &self.group_proofs
    }
}

/// Adds `(a, b)` to what position `p`'s `A` and `B` owe the batch.
fn owe(owed: &mut [(Scalar, Scalar)], p: usize, (a, b): (Scalar, Scalar)) {
    if let Some(slot) = owed.get_mut(p) {
        slot.0 += a;
        slot.1 += b;
    }
}

/// Which positions' ciphertexts a statement's ciphertext sums.
enum Sums<'a> {
    /// One position (a bit proof).
    Position(usize),
    /// A proved group's positions.
    Group(&'a [usize]),
}

/// One answer's statements, in proof order (each position's bit proof, then each proved
/// group's range proof), each with its proof, its transcript (SPEC.md §12.2) and what
/// its ciphertext sums; the caller has checked the shape.
fn answer_statements<'a>(
    keys: &'a ElectionKeys,
    shape: &'a QuestionLayout,
    base: &'a Transcript,
    question: usize,
    answer: &'a Answer,
) -> impl Iterator<Item = Result<(&'a RangeProof, Transcript, RangeStatement, Sums<'a>), Error>> + 'a
{
    let bits = answer
        .bit_proofs
        .iter()
        .zip(&answer.ciphertexts)
        .enumerate()
        .map(move |(k, (proof, ct))| {
            let statement = RangeStatement {
                public_key: keys.election_key,
                ciphertext: *ct,
                range: ValueRange::BIT,
            };
            let transcript = proof_transcript(base, question, labels::POSITION, k);
            Ok((proof, transcript, statement, Sums::Position(k)))
        });
    let groups =
        answer
            .group_proofs
            .iter()
            .zip(shape.proved_groups())
            .map(move |(proof, (g, group))| {
                let statement = group_statement(&keys.election_key, &answer.ciphertexts, group)?;
                let transcript = proof_transcript(base, question, labels::GROUP, g);
                Ok((proof, transcript, statement, Sums::Group(&group.positions)))
            });
    bits.chain(groups)
}

/// Queues the proofs of question `question`'s answer into `batch`, on the ballot's base
/// transcript `base` (SPEC.md §12.2), as [`Ballot::queue`] does for each question.
///
/// Each sent ciphertext becomes two terms of the batch and nothing else does: a group
/// sum's coefficients (`A = Σ Aₚ`) and a derived ciphertext's (`A_d = −Σ Aₚ`,
/// `B_d = [k]G − Σ Bₚ`) are folded into those of the sent ciphertexts they are made of,
/// which checks the same equations (SPEC.md §6.5) with fewer points.
///
/// # Errors
/// [`Error::BallotShape`] if the answer does not have the layout's shape,
/// [`Error::InvalidBallotProof`] for a proof malformed for its statement (part of the
/// answer may then have been queued: verify the ballot alone to tell).
pub fn queue_answer(
    keys: &ElectionKeys,
    base: &Transcript,
    question: usize,
    answer: &Answer,
    batch: &mut BatchVerifier,
) -> Result<(), Error> {
    let shape = keys
        .layout
        .questions()
        .get(question)
        .ok_or(Error::BallotShape)?;
    let width = shape.width();
    if answer.ciphertexts.len() != width
        || answer.bit_proofs.len() != width
        || answer.group_proofs.len() != shape.proved()
    {
        return Err(Error::BallotShape);
    }
    // The folding below assumes each derived ciphertext is what the sent ones make it.
    shape.check_complete(&answer.ciphertexts)?;
    let bad = |_| Error::InvalidBallotProof { question };
    // The coefficients each position's `A` and `B` owe the batch.
    let mut owed = alloc::vec![(Scalar::ZERO, Scalar::ZERO); width];
    for item in answer_statements(keys, shape, base, question, answer) {
        let (proof, mut transcript, statement, sums) = item?;
        let coefficients = proof
            .queue_folded(&mut transcript, &statement, batch)
            .map_err(bad)?;
        match sums {
            Sums::Position(k) => owe(&mut owed, k, coefficients),
            Sums::Group(positions) => {
                for &p in positions {
                    owe(&mut owed, p, coefficients);
                }
            }
        }
    }
    for group in shape.derived_groups() {
        let Some((&last, others)) = group.positions.split_last() else {
            continue;
        };
        // A derived position is in no other group: its coefficients are complete.
        let (a, b) = owed.get(last).copied().unwrap_or_default();
        for &p in others {
            owe(&mut owed, p, (-a, -b));
        }
        batch.add_generator(Scalar::from(group.min) * b);
    }
    for (p, (ct, (a, b))) in answer.ciphertexts.iter().zip(owed).enumerate() {
        if !shape.is_derived(p) {
            batch.add_term(ct.a().point(), a);
            batch.add_term(ct.b().point(), b);
        }
    }
    Ok(())
}

/// A cast ballot (public), with the layout of its election's ballots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pseudonym: Pseudonym,
    credential: BlindSignature,
    answers: Vec<Answer>,
    signature: SchnorrProof,
    layout: BallotLayout,
}

/// The secrets of a ballot just cast: the randomness of every ciphertext, kept by the
/// voter's device only to **spoil** the ballot (SPEC.md §12.4). Zeroized, redacted.
pub struct BallotSecrets {
    values: Vec<Vec<u64>>,
    randomness: Vec<Vec<Randomness>>,
}

impl Drop for BallotSecrets {
    fn drop(&mut self) {
        self.values.iter_mut().for_each(|v| v.zeroize());
    }
}

/// The values are cleared by `Drop` above, each [`Randomness`] by its own.
impl ZeroizeOnDrop for BallotSecrets {}

impl fmt::Debug for BallotSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BallotSecrets(<redacted>)")
    }
}

/// The public data every ballot of an election is checked against.
#[derive(Clone, Debug)]
pub struct ElectionKeys {
    /// The election context (the manifest's hash).
    pub context: [u8; CONTEXT_LEN],
    /// The joint election key from the key ceremony.
    pub election_key: PublicKey,
    /// The credential issuer's key.
    pub issuer_key: IssuerPublicKey,
    /// The credential generator `Z` of this election.
    pub z: GroupElement,
    /// Which ciphertexts are sent and which derived, and the groups.
    layout: BallotLayout,
    /// The election key with a table of its multiples, if
    /// [`precompute_encryption`](Self::precompute_encryption) was called.
    encryption: Option<EncryptionKey>,
}

impl ElectionKeys {
    /// The number of positions of a ballot (ciphertexts in the aggregate).
    pub fn width(&self) -> usize {
        self.layout.width()
    }

    /// The layout of the election's ballots, which decoding needs.
    pub fn layout(&self) -> &BallotLayout {
        &self.layout
    }

    /// Collects what ballot verification needs from a manifest and the election key.
    ///
    /// # Errors
    /// As [`Manifest::validate`].
    pub fn new(manifest: &Manifest, election_key: PublicKey) -> Result<Self, Error> {
        let context = manifest.context()?;
        Ok(ElectionKeys {
            context,
            election_key,
            issuer_key: manifest.issuer_key,
            z: credential_generator(&context),
            layout: BallotLayout::new(manifest),
            encryption: None,
        })
    }

    /// Precomputes a table of multiples of the election key (30 KiB, about the cost of
    /// encrypting two ballots), so that every later [`Ballot::cast`] with these keys
    /// encrypts and proves faster (see [`EncryptionKey`]). Worth it on a device that
    /// casts more than a few ballots; the ballots are the same either way.
    #[must_use]
    pub fn precompute_encryption(mut self) -> Self {
        self.encryption = Some(EncryptionKey::precomputed(self.election_key));
        self
    }
}

fn base_transcript(
    context: &[u8; CONTEXT_LEN],
    pseudonym: &Pseudonym,
    answers: &[&[Ciphertext]],
) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::BALLOT);
    t.append_element(labels::BALLOT_KEY, pseudonym.element());
    for cts in answers {
        t.append_u64(labels::COUNT, cts.len() as u64);
        for c in *cts {
            t.append_message(labels::CIPHERTEXT, &c.to_bytes());
        }
    }
    t
}

fn proof_transcript(
    base: &Transcript,
    question: usize,
    label: &'static [u8],
    index: usize,
) -> Transcript {
    let mut t = base.clone();
    t.append_u64(labels::QUESTION, question as u64);
    t.append_u64(label, index as u64);
    t
}

fn group_statement(
    keys: &PublicKey,
    cts: &[Ciphertext],
    group: &Group,
) -> Result<RangeStatement, Error> {
    let sum = Ciphertext::sum(group.positions.iter().filter_map(|&p| cts.get(p)));
    Ok(RangeStatement {
        public_key: *keys,
        ciphertext: sum,
        range: ValueRange::new(group.min, group.max)?,
    })
}

fn signature_transcript(context: &[u8; CONTEXT_LEN], hash: &[u8; 32]) -> Transcript {
    let mut t = election_transcript(context);
    t.domain_sep(labels::BALLOT_SIGNATURE);
    t.append_message(labels::BALLOT_HASH, hash);
    t
}

impl Ballot {
    /// Encrypts `votes` (one per question), proves every answer valid, and signs the
    /// ballot with the credential's pseudonym key.
    ///
    /// Implements `Ballot.Cast` (SPEC.md §12.2). Keep the [`BallotSecrets`] only to spoil
    /// the ballot; drop them to cast it.
    ///
    /// # Errors
    /// [`Error::InvalidVote`] if a vote does not fit its question, [`Error::BallotShape`]
    /// if the number of votes differs from the number of questions.
    pub fn cast<R: RngCore + CryptoRng>(
        manifest: &Manifest,
        keys: &ElectionKeys,
        credential: &Credential,
        votes: &[Vote],
        rng: &mut R,
    ) -> Result<(Ballot, BallotSecrets), Error> {
        if votes.len() != manifest.questions.len() {
            return Err(Error::BallotShape);
        }
        let values: Vec<Vec<u64>> = votes
            .iter()
            .zip(&manifest.questions)
            .enumerate()
            .map(|(i, (v, q))| v.bits(q, i))
            .collect::<Result<_, _>>()?;
        let prepared;
        let key = match &keys.encryption {
            Some(table) if table.public() == &keys.election_key => table,
            _ => {
                prepared = EncryptionKey::new(keys.election_key);
                &prepared
            }
        };
        let layout = &keys.layout;
        if layout.questions().len() != values.len() {
            return Err(Error::BallotShape);
        }
        // The sent positions are encrypted; each derived one is its group's `(0, [k]G)`
        // minus the others, with randomness `−Σ r` (SPEC.md §12.2).
        let mut randomness = Vec::with_capacity(values.len());
        let mut ciphertexts = Vec::with_capacity(values.len());
        for (bits, shape) in values.iter().zip(layout.questions()) {
            // Keys of another manifest than `manifest` (the proofs would not verify).
            if bits.len() != shape.width() {
                return Err(Error::BallotShape);
            }
            let (sent, sent_rs) = key.encrypt_bits(&shape.sent_of(bits), rng)?;
            let cts = shape.complete(&sent)?;
            let rs = shape.complete_randomness(sent_rs)?;
            ciphertexts.push(cts);
            randomness.push(rs);
        }
        let pseudonym = *credential.pseudonym();
        let refs: Vec<&[Ciphertext]> = ciphertexts.iter().map(Vec::as_slice).collect();
        let base = base_transcript(&keys.context, &pseudonym, &refs);

        // Every statement of the ballot, in the order the proofs appear: per question,
        // a bit proof per position, then a range proof per group. They are proved
        // together so their commitments share one batch encoding.
        struct Job {
            transcript: Transcript,
            statement: RangeStatement,
            value: u64,
            randomness: Randomness,
        }
        let mut jobs = Vec::new();
        let mut shape_of = Vec::with_capacity(values.len());
        for (q, ((bits, rs), cts)) in values.iter().zip(&randomness).zip(&ciphertexts).enumerate() {
            for (k, ((&bit, r), ct)) in bits.iter().zip(rs).zip(cts).enumerate() {
                jobs.push(Job {
                    transcript: proof_transcript(&base, q, labels::POSITION, k),
                    statement: RangeStatement {
                        public_key: keys.election_key,
                        ciphertext: *ct,
                        range: ValueRange::BIT,
                    },
                    value: bit,
                    randomness: r.clone(),
                });
            }
            let shape = layout.questions().get(q).ok_or(Error::BallotShape)?;
            for (g, group) in shape.proved_groups() {
                jobs.push(Job {
                    transcript: proof_transcript(&base, q, labels::GROUP, g),
                    statement: group_statement(&keys.election_key, cts, group)?,
                    value: group.positions.iter().filter_map(|&p| bits.get(p)).sum(),
                    randomness: Randomness::sum(group.positions.iter().filter_map(|&p| rs.get(p))),
                });
            }
            shape_of.push((bits.len(), shape.proved()));
        }
        let mut witnesses: Vec<RangeWitness<'_>> = jobs
            .iter_mut()
            .map(|job| RangeWitness {
                transcript: &mut job.transcript,
                statement: &job.statement,
                value: job.value,
                randomness: &job.randomness,
            })
            .collect();
        let mut proofs = RangeProof::prove_many(key, &mut witnesses, rng)?.into_iter();
        let mut answers = Vec::with_capacity(values.len());
        for ((bits, groups), cts) in shape_of.into_iter().zip(ciphertexts) {
            answers.push(Answer {
                ciphertexts: cts,
                bit_proofs: proofs.by_ref().take(bits).collect(),
                group_proofs: proofs.by_ref().take(groups).collect(),
            });
        }
        let hash = hash_to_bytes(
            tags::BALLOT,
            &[&unsigned_bytes(
                &pseudonym,
                credential.signature(),
                &answers,
                layout,
            )],
        );
        let signature = SchnorrProof::prove(
            &mut signature_transcript(&keys.context, &hash),
            &SchnorrStatement {
                X: *pseudonym.element(),
            },
            credential.pseudonym_secret().expose_scalar(),
            rng,
        )?;
        let ballot = Ballot {
            pseudonym,
            credential: *credential.signature(),
            answers,
            signature,
            layout: layout.clone(),
        };
        Ok((ballot, BallotSecrets { values, randomness }))
    }

    /// The pseudonym that cast it.
    pub fn pseudonym(&self) -> &Pseudonym {
        &self.pseudonym
    }

    /// The answers, one per question.
    pub fn answers(&self) -> &[Answer] {
        &self.answers
    }

    /// All ciphertexts of the ballot, question after question (its row in the aggregate).
    pub fn ciphertexts(&self) -> Vec<Ciphertext> {
        self.answers
            .iter()
            .flat_map(|a| a.ciphertexts.iter().copied())
            .collect()
    }

    /// `HashToBytes("ballot", encoding without the signature)`: what the pseudonym signs
    /// and what the tracking code shows (SPEC.md §12.3).
    pub fn hash(&self) -> [u8; 32] {
        hash_to_bytes(tags::BALLOT, &[&self.unsigned_bytes()])
    }

    /// The voter's tracking code: the first 10 bytes of the hash in hex, in groups of
    /// four characters (`xxxx-xxxx-xxxx-xxxx-xxxx`).
    pub fn tracking_code(&self) -> alloc::string::String {
        tracking_code(&self.hash())
    }

    /// Verifies the ballot alone: shape, credential, signature, every proof.
    ///
    /// Implements `Ballot.Verify` (SPEC.md §12.3).
    ///
    /// # Errors
    /// [`Error::BallotShape`], [`Error::InvalidCredential`],
    /// [`Error::InvalidBallotSignature`], [`Error::InvalidBallotProof`] (naming the
    /// question).
    pub fn verify(&self, keys: &ElectionKeys) -> Result<(), Error> {
        self.check_shape(keys)?;
        self.credential
            .verify(&keys.issuer_key, &keys.context, &self.pseudonym)?;
        self.signature
            .verify(
                &mut signature_transcript(&keys.context, &self.hash()),
                &SchnorrStatement {
                    X: *self.pseudonym.element(),
                },
            )
            .map_err(|_| Error::InvalidBallotSignature)?;
        let base = self.base(keys);
        for (q, (answer, shape)) in self.answers.iter().zip(keys.layout.questions()).enumerate() {
            shape.check_complete(&answer.ciphertexts)?;
            for item in answer_statements(keys, shape, &base, q, answer) {
                let (proof, mut transcript, statement, _) = item?;
                proof
                    .verify(&mut transcript, &statement)
                    .map_err(|_| Error::InvalidBallotProof { question: q })?;
            }
        }
        Ok(())
    }

    /// Queues every equation of the ballot (credential, signature, proofs) into a batch.
    ///
    /// # Errors
    /// [`Error::BallotShape`], or a proof that is malformed for its statement.
    pub fn queue(&self, keys: &ElectionKeys, batch: &mut BatchVerifier) -> Result<(), Error> {
        self.check_shape(keys)?;
        self.credential.queue(
            &keys.issuer_key,
            &keys.context,
            &keys.z,
            &self.pseudonym,
            batch,
        )?;
        self.signature
            .queue(
                &mut signature_transcript(&keys.context, &self.hash()),
                &SchnorrStatement {
                    X: *self.pseudonym.element(),
                },
                batch,
            )
            .map_err(|_| Error::InvalidBallotSignature)?;
        let base = self.base(keys);
        for (q, answer) in self.answers.iter().enumerate() {
            queue_answer(keys, &base, q, answer, batch)?;
        }
        Ok(())
    }

    fn base(&self, keys: &ElectionKeys) -> Transcript {
        let refs: Vec<&[Ciphertext]> = self
            .answers
            .iter()
            .map(|a| a.ciphertexts.as_slice())
            .collect();
        base_transcript(&keys.context, &self.pseudonym, &refs)
    }

    /// The ballot was decoded (or cast) with the layout of these keys' election, so its
    /// derived ciphertexts complete the groups these keys constrain; and its answers have
    /// that layout's widths and proofs.
    fn check_shape(&self, keys: &ElectionKeys) -> Result<(), Error> {
        if self.layout != keys.layout || self.answers.len() != keys.layout.questions().len() {
            return Err(Error::BallotShape);
        }
        for (answer, shape) in self.answers.iter().zip(keys.layout.questions()) {
            if answer.ciphertexts.len() != shape.width()
                || answer.bit_proofs.len() != shape.width()
                || answer.group_proofs.len() != shape.proved()
            {
                return Err(Error::BallotShape);
            }
        }
        Ok(())
    }

    fn unsigned_bytes(&self) -> Vec<u8> {
        unsigned_bytes(
            &self.pseudonym,
            &self.credential,
            &self.answers,
            &self.layout,
        )
    }

    /// The canonical encoding (SPEC.md §12.3).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.unsigned_bytes();
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }

    /// Decodes a ballot of the election whose ballots have `layout`, and derives its
    /// omitted ciphertexts (SPEC.md §12.2, §12.3).
    ///
    /// # Errors
    /// [`Error::Encoding`] for bytes that are no ballot encoding; [`Error::BallotShape`]
    /// if the number of questions, a width or a number of group proofs is not the
    /// layout's (the ciphertexts sent depend on it, so the rest cannot be read).
    pub fn from_bytes(bytes: &[u8], layout: &BallotLayout) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::Ballot)?;
        let pseudonym = Pseudonym::from_bytes(r.take(POINT_LEN)?)?;
        let credential =
            BlindSignature::from_bytes(r.take(crate::credential::BLIND_SIGNATURE_LEN)?)?;
        let questions = usize::from(r.u8()?);
        if questions != layout.questions().len() {
            return Err(Error::BallotShape);
        }
        let mut answers = Vec::with_capacity(questions);
        for shape in layout.questions() {
            let width = usize::from(r.u16_le()?);
            if width != shape.width() {
                return Err(Error::BallotShape);
            }
            let sent = (0..shape.sent())
                .map(|_| Ciphertext::from_bytes(r.take(CIPHERTEXT_LEN)?))
                .collect::<Result<Vec<_>, _>>()?;
            let bit_proofs = (0..width)
                .map(|_| read_proof(&mut r))
                .collect::<Result<Vec<_>, _>>()?;
            let groups = usize::from(r.u8()?);
            if groups != shape.proved() {
                return Err(Error::BallotShape);
            }
            let group_proofs = (0..groups)
                .map(|_| read_proof(&mut r))
                .collect::<Result<Vec<_>, _>>()?;
            answers.push(Answer {
                ciphertexts: shape.complete(&sent)?,
                bit_proofs,
                group_proofs,
            });
        }
        let signature = SchnorrProof::from_bytes(r.rest())?;
        Ok(Ballot {
            pseudonym,
            credential,
            answers,
            signature,
            layout: layout.clone(),
        })
    }
}

/// The tracking code of a ballot hash (SPEC.md §12.3).
pub(crate) fn tracking_code(hash: &[u8; 32]) -> alloc::string::String {
    let mut out = alloc::string::String::with_capacity(24);
    for (i, byte) in hash.iter().take(10).enumerate() {
        if i > 0 && i % 2 == 0 {
            out.push('-');
        }
        out.push_str(&alloc::format!("{byte:02x}"));
    }
    out
}

/// The pseudonym and the hash of a ballot's bytes, read without the layout (for a view
/// that lacks the manifest): its header, its pseudonym (bytes 2..34) and the hash of all
/// but the signature. Nothing else is checked.
pub(crate) fn pseudonym_and_hash(bytes: &[u8]) -> Result<(Pseudonym, [u8; 32]), Error> {
    let mut r = Reader::new(bytes);
    r.header(MessageKind::Ballot)?;
    let pseudonym = Pseudonym::from_bytes(r.take(POINT_LEN)?)?;
    let shortest = 2 + POINT_LEN + crate::proofs::SCHNORR_PROOF_LEN;
    if bytes.len() < shortest {
        return Err(EncodingError::Truncated {
            needed: shortest - bytes.len(),
        }
        .into());
    }
    let unsigned = bytes
        .get(..bytes.len() - crate::proofs::SCHNORR_PROOF_LEN)
        .unwrap_or_default();
    Ok((pseudonym, hash_to_bytes(tags::BALLOT, &[unsigned])))
}

fn unsigned_bytes(
    pseudonym: &Pseudonym,
    credential: &BlindSignature,
    answers: &[Answer],
    layout: &BallotLayout,
) -> Vec<u8> {
    let mut out = header(MessageKind::Ballot, 1024);
    out.extend_from_slice(&pseudonym.to_bytes());
    out.extend_from_slice(&credential.to_bytes());
    out.push(u8::try_from(answers.len()).unwrap_or(u8::MAX));
    for (q, answer) in answers.iter().enumerate() {
        let shape = layout.questions().get(q);
        out.extend_from_slice(
            &u16::try_from(answer.ciphertexts.len())
                .unwrap_or(u16::MAX)
                .to_le_bytes(),
        );
        for (p, ct) in answer.ciphertexts.iter().enumerate() {
            if !shape.is_some_and(|s| s.is_derived(p)) {
                out.extend_from_slice(&ct.to_bytes());
            }
        }
        for proof in &answer.bit_proofs {
            push_proof(&mut out, proof);
        }
        out.push(u8::try_from(answer.group_proofs.len()).unwrap_or(u8::MAX));
        for proof in &answer.group_proofs {
            push_proof(&mut out, proof);
        }
    }
    out
}

fn push_proof(out: &mut Vec<u8>, proof: &RangeProof) {
    let bytes = proof.to_bytes();
    out.extend_from_slice(&u16::try_from(bytes.len()).unwrap_or(u16::MAX).to_le_bytes());
    out.extend_from_slice(&bytes);
}

fn read_proof(r: &mut Reader<'_>) -> Result<RangeProof, EncodingError> {
    let len = usize::from(r.u16_le()?);
    RangeProof::from_bytes(r.take(len)?)
}

/// A spoiled ballot (Benaloh challenge): the ballot and the plaintext and randomness of
/// every ciphertext, published so anyone can check what the device encrypted. Never
/// counted.
///
/// Encoding: `0x01 ‖ 0x32 ‖ LE32(len) ‖ ballot ‖ (u8 value ‖ randomness (32)) per position`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoiledBallot {
    ballot: Ballot,
    openings: Vec<(u64, [u8; 32])>,
}

impl SpoiledBallot {
    /// Spoils a ballot: reveals its secrets. The ballot can then never be cast.
    ///
    /// Implements `Ballot.Spoil` (SPEC.md §12.4).
    pub fn new(ballot: Ballot, secrets: BallotSecrets) -> Self {
        let openings = secrets
            .values
            .iter()
            .flatten()
            .zip(secrets.randomness.iter().flatten())
            .map(|(&v, r)| (v, *r.expose_bytes()))
            .collect();
        SpoiledBallot { ballot, openings }
    }

    /// Checks every opening against the ballot's ciphertexts and returns the plaintexts
    /// per question.
    ///
    /// # Errors
    /// [`Error::BallotShape`] if the openings do not match the ballot, or a ciphertext is
    /// not the encryption of its opening.
    pub fn verify(&self, keys: &ElectionKeys) -> Result<Vec<Vec<u64>>, Error> {
        let cts = self.ballot.ciphertexts();
        if cts.len() != self.openings.len() {
            return Err(Error::BallotShape);
        }
        for (ct, (value, r)) in cts.iter().zip(&self.openings) {
            if keys
                .election_key
                .encrypt_with(*value, &Randomness::from_bytes(r)?)
                != *ct
            {
                return Err(Error::BallotShape);
            }
        }
        let mut values = self.openings.iter().map(|(v, _)| *v);
        Ok(self
            .ballot
            .answers
            .iter()
            .map(|a| values.by_ref().take(a.ciphertexts.len()).collect())
            .collect())
    }

    /// The opened value of every position, question after question (public: spoiling
    /// reveals them). Check them with [`SpoiledBallot::verify`] before trusting them.
    pub fn plaintexts(&self) -> impl Iterator<Item = u64> + '_ {
        self.openings.iter().map(|(v, _)| *v)
    }

    /// The spoiled ballot.
    pub fn ballot(&self) -> &Ballot {
        &self.ballot
    }

    /// The encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let ballot = self.ballot.to_bytes();
        let mut out = header(
            MessageKind::SpoiledBallot,
            4 + ballot.len() + 33 * self.openings.len(),
        );
        out.extend_from_slice(
            &u32::try_from(ballot.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        out.extend_from_slice(&ballot);
        for (v, r) in &self.openings {
            out.push(u8::try_from(*v).unwrap_or(u8::MAX));
            out.extend_from_slice(r);
        }
        out
    }

    /// Decodes a spoiled ballot of the election whose ballots have `layout`.
    ///
    /// # Errors
    /// As [`Ballot::from_bytes`]; [`EncodingError::InvalidTag`] for a value other than 0
    /// or 1.
    pub fn from_bytes(bytes: &[u8], layout: &BallotLayout) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        r.header(MessageKind::SpoiledBallot)?;
        let len = r.u32_le()? as usize;
        let ballot = Ballot::from_bytes(r.take(len)?, layout)?;
        let n = ballot.ciphertexts().len();
        let mut openings = Vec::with_capacity(n);
        for _ in 0..n {
            let v = r.u8()?;
            if v > 1 {
                return Err(EncodingError::InvalidTag(v).into());
            }
            openings.push((u64::from(v), r.array::<32>()?));
        }
        r.finish()?;
        Ok(SpoiledBallot { ballot, openings })
    }
}
