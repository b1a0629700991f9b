//! Fixtures for the side-by-side bench against elastic-elgamal (`benches/peer.rs`): an
//! election of one single-choice question (1 of `k`) run through the core's real
//! protocol, and the **proofs-only** part of its ballots read straight from the ballots'
//! wire bytes.
//!
//! The proofs-only reader is what elastic-elgamal's `EncryptedChoice` is checked
//! against: it decodes the ciphertexts and the range proofs of a real ballot and verifies
//! them under the ballot's real transcripts (election context, pseudonym, every
//! ciphertext, question and position), but skips the credential and the signature. It
//! reproduces the core's transcripts from their public labels; the tests check that real
//! ballots pass and altered ones fail, so a drift in the core's transcript would show.

use merlin::Transcript;
use rand_core::{CryptoRng, RngCore, SeedableRng};
use secret_ballot::Error;
use secret_ballot::ballot::{Answer, Ballot, ElectionKeys, Vote, queue_answer};
use secret_ballot::credential::{
    BLIND_SIGNATURE_LEN, Credential, InMemorySessionStore, Issuer, IssuerKeypair, ReportKeypair,
};
use secret_ballot::elgamal::{
    CIPHERTEXT_LEN, Ciphertext, EncryptionKey, PublicKey, Randomness, SecretKey,
};
use secret_ballot::encoding::{FORMAT_VERSION, MessageKind, POINT_LEN};
use secret_ballot::manifest::{Group, Manifest, Question};
use secret_ballot::merlin;
use secret_ballot::proofs::{
    BatchVerifier, RangeProof, RangeStatement, RangeWitness, ValueRange, Verifiable,
};
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};
use secret_ballot::transcript::{CONTEXT_LEN, election_transcript, labels};

use crate::congress;

/// An election with one single-choice question of `options` options, one trustee key
/// and an issuer: everything a voter needs to cast and a verifier to check.
pub struct ChoiceElection {
    /// The manifest (one `Choice` question, exactly one option).
    pub manifest: Manifest,
    /// What every ballot is checked against.
    pub keys: ElectionKeys,
    /// The same keys with the election key's table precomputed
    /// ([`ElectionKeys::precompute_encryption`]).
    pub precomputed: ElectionKeys,
    /// The secret of the election key (for the single-key decryption bench).
    pub election_secret: SecretKey,
    /// The credential issuer.
    pub issuer: Issuer<InMemorySessionStore>,
}

impl core::fmt::Debug for ChoiceElection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChoiceElection")
            .field("options", &self.keys.width())
            .finish_non_exhaustive()
    }
}

impl ChoiceElection {
    /// Sets up the election: issuer, report key, one trustee, a single election key.
    ///
    /// # Errors
    /// As [`ElectionKeys::new`] (none for these parameters).
    pub fn new<R: RngCore + CryptoRng>(options: usize, rng: &mut R) -> Result<Self, Error> {
        let issuer_key = IssuerKeypair::generate(rng);
        let report = ReportKeypair::generate(rng);
        let election_secret = SecretKey::generate(rng);
        let manifest = Manifest {
            election_id: b"peer".to_vec(),
            title: "peer comparison".into(),
            roster: 1_000_000,
            questions: vec![Question::Choice {
                title: "one of".into(),
                options: (0..options).map(|i| format!("option {i}")).collect(),
                min: 1,
                max: 1,
            }],
            quorum: Threshold::QUORUM,
            pass: Threshold::PASS,
            tie: TiePolicy::Runoff,
            shortfall: ShortfallPolicy::Runoff,
            trustee_threshold: 1,
            trustee_keys: vec![election_secret.public_key()],
            issuer_key: *issuer_key.public(),
            report_key: report.public(),
            privacy_floor: 1,
            revoting: false,
        };
        manifest.validate()?;
        let keys = ElectionKeys::new(&manifest, election_secret.public_key())?;
        Ok(ChoiceElection {
            manifest,
            precomputed: keys.clone().precompute_encryption(),
            keys,
            election_secret,
            issuer: Issuer::new(issuer_key, InMemorySessionStore::new(), u64::MAX),
        })
    }

    /// Check-in of voter `i`: a blind credential.
    ///
    /// # Errors
    /// The issuance's errors (none for an honest voter).
    pub fn credential<R: RngCore + CryptoRng>(
        &self,
        i: usize,
        rng: &mut R,
    ) -> Result<Credential, Error> {
        congress::credential(&self.issuer, &self.manifest, &self.keys.context, i, rng)
    }

    /// Casts a ballot for option `choice` (`Ballot.Cast`: encryption, every proof, the
    /// ballot hash and the pseudonym's signature).
    ///
    /// # Errors
    /// [`Error::InvalidVote`] if `choice` is not an option.
    pub fn cast<R: RngCore + CryptoRng>(
        &self,
        credential: &Credential,
        choice: usize,
        rng: &mut R,
    ) -> Result<Ballot, Error> {
        self.cast_with(&self.keys, credential, choice, rng)
    }

    /// [`cast`](Self::cast) with the precomputed keys: the same ballot, faster.
    ///
    /// # Errors
    /// As [`ChoiceElection::cast`].
    pub fn cast_precomputed<R: RngCore + CryptoRng>(
        &self,
        credential: &Credential,
        choice: usize,
        rng: &mut R,
    ) -> Result<Ballot, Error> {
        self.cast_with(&self.precomputed, credential, choice, rng)
    }

    fn cast_with<R: RngCore + CryptoRng>(
        &self,
        keys: &ElectionKeys,
        credential: &Credential,
        choice: usize,
        rng: &mut R,
    ) -> Result<Ballot, Error> {
        let votes = [Vote::Choice(vec![choice])];
        Ok(Ballot::cast(&self.manifest, keys, credential, &votes, rng)?.0)
    }

    /// `count` ballots of distinct voters, as wire bytes (choices rotate).
    ///
    /// # Errors
    /// As [`ChoiceElection::credential`] and [`ChoiceElection::cast`].
    pub fn wire_ballots<R: RngCore + CryptoRng>(
        &self,
        count: usize,
        rng: &mut R,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let options = self.keys.width();
        (0..count)
            .map(|i| {
                let credential = self.credential(i, rng)?;
                Ok(self.cast(&credential, i % options, rng)?.to_bytes())
            })
            .collect()
    }
}

/// The proofs of a ballot with what their transcripts need, and nothing else: no
/// credential, no signature.
#[derive(Clone)]
pub struct BallotProofs {
    /// The answers, one per question.
    pub answers: Vec<Answer>,
    base: Transcript,
}

impl core::fmt::Debug for BallotProofs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BallotProofs")
            .field("answers", &self.answers)
            .finish_non_exhaustive()
    }
}

/// The ballot's base transcript (SPEC.md §12.2), from the pseudonym's encoding.
fn base_transcript(
    context: &[u8; CONTEXT_LEN],
    pseudonym: &[u8],
    answers: &[&[Ciphertext]],
) -> Transcript {
    let mut t = election_transcript(context);
    t.append_message(labels::DOM_SEP, labels::BALLOT);
    t.append_message(labels::BALLOT_KEY, pseudonym);
    for ciphertexts in answers {
        t.append_u64(labels::COUNT, ciphertexts.len() as u64);
        for c in *ciphertexts {
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
    key: &PublicKey,
    ciphertexts: &[Ciphertext],
    group: &Group,
) -> Result<RangeStatement, Error> {
    Ok(RangeStatement {
        public_key: *key,
        ciphertext: Ciphertext::sum(group.positions.iter().filter_map(|&p| ciphertexts.get(p))),
        range: ValueRange::new(group.min, group.max)?,
    })
}

/// A cursor over wire bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(Error::BallotShape);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    fn u16(&mut self) -> Result<usize, Error> {
        let bytes = self.take(2)?;
        Ok(usize::from(u16::from_le_bytes([
            bytes.first().copied().unwrap_or_default(),
            bytes.get(1).copied().unwrap_or_default(),
        ])))
    }

    fn proof(&mut self) -> Result<RangeProof, Error> {
        let len = self.u16()?;
        Ok(RangeProof::from_bytes(self.take(len)?)?)
    }
}

impl BallotProofs {
    /// Reads the proofs of a ballot from its wire bytes (SPEC.md §12.3): decodes every
    /// sent ciphertext and proof (points decompressed and checked, scalars checked
    /// canonical), derives the omitted ciphertexts (§12.2), takes the pseudonym's 32
    /// bytes into the transcript as they are, and skips the credential and the signature
    /// without decoding them.
    ///
    /// # Errors
    /// [`Error::BallotShape`] if the bytes are too short, the header is not a ballot's or
    /// the shape is not the layout's; the ciphertexts' and proofs' encoding errors.
    pub fn from_wire(bytes: &[u8], keys: &ElectionKeys) -> Result<Self, Error> {
        let mut r = Cursor(bytes);
        if r.take(2)? != [FORMAT_VERSION, MessageKind::Ballot as u8] {
            return Err(Error::BallotShape);
        }
        let pseudonym = r.take(POINT_LEN)?;
        r.take(BLIND_SIGNATURE_LEN)?;
        let layout = keys.layout().questions();
        if usize::from(r.u8()?) != layout.len() {
            return Err(Error::BallotShape);
        }
        let mut answers = Vec::with_capacity(layout.len());
        for shape in layout {
            let width = r.u16()?;
            if width != shape.width() {
                return Err(Error::BallotShape);
            }
            let sent = (0..shape.sent())
                .map(|_| Ok(Ciphertext::from_bytes(r.take(CIPHERTEXT_LEN)?)?))
                .collect::<Result<Vec<_>, Error>>()?;
            let ciphertexts = shape.complete(&sent)?;
            let bit_proofs = (0..width)
                .map(|_| r.proof())
                .collect::<Result<Vec<_>, _>>()?;
            let groups = usize::from(r.u8()?);
            if groups != shape.proved() {
                return Err(Error::BallotShape);
            }
            let group_proofs = (0..groups)
                .map(|_| r.proof())
                .collect::<Result<Vec<_>, _>>()?;
            answers.push(Answer::new(ciphertexts, bit_proofs, group_proofs));
        }
        // What remains is the signature, not read here.
        let ciphertexts: Vec<&[Ciphertext]> = answers.iter().map(Answer::ciphertexts).collect();
        let base = base_transcript(&keys.context, pseudonym, &ciphertexts);
        Ok(BallotProofs { answers, base })
    }

    /// Encrypts a vote for `choice` and proves it exactly as `Ballot.Cast` does, for the
    /// pseudonym encoded as `pseudonym`, without the ballot hash and the signature.
    ///
    /// # Errors
    /// [`Error::ValueOutOfRange`] if `choice` is not an option.
    pub fn prove<R: RngCore + CryptoRng>(
        election: &ChoiceElection,
        key: &EncryptionKey,
        pseudonym: &[u8; POINT_LEN],
        choice: usize,
        rng: &mut R,
    ) -> Result<Self, Error> {
        let public = election.keys.election_key;
        let shape = election
            .keys
            .layout()
            .questions()
            .first()
            .ok_or(Error::BallotShape)?;
        let bits: Vec<u64> = (0..election.keys.width())
            .map(|i| u64::from(i == choice))
            .collect();
        // The sent positions are encrypted; a derived one is `(0, [k]G)` minus its
        // group's others, with randomness `−Σ r` (SPEC.md §12.2), as `Ballot.Cast` does.
        let (sent, sent_randomness) = key.encrypt_bits(&shape.sent_of(&bits), rng)?;
        let ciphertexts = shape.complete(&sent)?;
        let randomness = shape.complete_randomness(sent_randomness)?;
        let groups: Vec<(usize, &Group)> = shape.proved_groups().collect();
        let base = base_transcript(&election.keys.context, pseudonym, &[&ciphertexts]);
        let mut statements = Vec::with_capacity(bits.len() + groups.len());
        let mut transcripts = Vec::with_capacity(bits.len() + groups.len());
        let mut values = Vec::with_capacity(bits.len() + groups.len());
        let mut sums = Vec::with_capacity(groups.len());
        for (k, (&bit, ct)) in bits.iter().zip(&ciphertexts).enumerate() {
            statements.push(RangeStatement {
                public_key: public,
                ciphertext: *ct,
                range: ValueRange::BIT,
            });
            transcripts.push(proof_transcript(&base, 0, labels::POSITION, k));
            values.push(bit);
        }
        for &(g, group) in &groups {
            statements.push(group_statement(&public, &ciphertexts, group)?);
            transcripts.push(proof_transcript(&base, 0, labels::GROUP, g));
            values.push(group.positions.iter().filter_map(|&p| bits.get(p)).sum());
            sums.push(Randomness::sum(
                group.positions.iter().filter_map(|&p| randomness.get(p)),
            ));
        }
        let mut witnesses: Vec<RangeWitness<'_>> = transcripts
            .iter_mut()
            .zip(&statements)
            .zip(&values)
            .zip(randomness.iter().chain(&sums))
            .map(
                |(((transcript, statement), &value), randomness)| RangeWitness {
                    transcript,
                    statement,
                    value,
                    randomness,
                },
            )
            .collect();
        let mut proofs = RangeProof::prove_many(key, &mut witnesses, rng)?.into_iter();
        let bit_proofs = proofs.by_ref().take(bits.len()).collect();
        let answer = Answer::new(ciphertexts, bit_proofs, proofs.collect());
        Ok(BallotProofs {
            answers: vec![answer],
            base,
        })
    }

    /// Verifies every proof alone.
    ///
    /// # Errors
    /// [`Error::InvalidProof`] if one fails, [`Error::BallotShape`] if the ballot does
    /// not fit the election.
    pub fn verify(&self, election: &ChoiceElection) -> Result<(), Error> {
        let key = election.keys.election_key;
        let layout = election.keys.layout().questions();
        if self.answers.len() != layout.len() {
            return Err(Error::BallotShape);
        }
        for (q, (answer, shape)) in self.answers.iter().zip(layout).enumerate() {
            if answer.bit_proofs().len() != answer.ciphertexts().len()
                || answer.group_proofs().len() != shape.proved()
            {
                return Err(Error::BallotShape);
            }
            for (k, (proof, ct)) in answer
                .bit_proofs()
                .iter()
                .zip(answer.ciphertexts())
                .enumerate()
            {
                let statement = RangeStatement {
                    public_key: key,
                    ciphertext: *ct,
                    range: ValueRange::BIT,
                };
                proof.verify(
                    &mut proof_transcript(&self.base, q, labels::POSITION, k),
                    &statement,
                )?;
            }
            for (proof, (g, group)) in answer.group_proofs().iter().zip(shape.proved_groups()) {
                let statement = group_statement(&key, answer.ciphertexts(), group)?;
                proof.verify(
                    &mut proof_transcript(&self.base, q, labels::GROUP, g),
                    &statement,
                )?;
            }
        }
        Ok(())
    }

    /// Queues every proof's equations into `batch`, as `Ballot::queue` does
    /// ([`queue_answer`]: each sent ciphertext two terms, nothing else).
    ///
    /// # Errors
    /// As [`BallotProofs::verify`], for proofs malformed for their statement.
    pub fn queue(&self, election: &ChoiceElection, batch: &mut BatchVerifier) -> Result<(), Error> {
        if self.answers.len() != election.keys.layout().questions().len() {
            return Err(Error::BallotShape);
        }
        for (q, answer) in self.answers.iter().enumerate() {
            queue_answer(&election.keys, &self.base, q, answer, batch)?;
        }
        Ok(())
    }
}

/// Decodes and batch-verifies the proofs of `ballots` (wire bytes) with one multiscalar
/// multiplication.
///
/// # Errors
/// The first decoding error, or [`Error::InvalidProof`] if the batch fails.
pub fn verify_proofs_batched<R: RngCore + CryptoRng>(
    election: &ChoiceElection,
    ballots: &[Vec<u8>],
    rng: &mut R,
) -> Result<(), Error> {
    let mut batch = BatchVerifier::new(rng);
    for bytes in ballots {
        BallotProofs::from_wire(bytes, &election.keys)?.queue(election, &mut batch)?;
    }
    batch.vartime_verify()
}

/// Decodes and batch-verifies whole `ballots` (wire bytes): credential, signature and
/// every proof, with one multiscalar multiplication.
///
/// # Errors
/// The first decoding error, or [`Error::InvalidProof`] if the batch fails.
pub fn verify_ballots_batched<R: RngCore + CryptoRng>(
    keys: &ElectionKeys,
    ballots: &[Vec<u8>],
    rng: &mut R,
) -> Result<(), Error> {
    let mut batch = BatchVerifier::new(rng);
    for bytes in ballots {
        Ballot::from_bytes(bytes, keys.layout())?.queue(keys, &mut batch)?;
    }
    batch.vartime_verify()
}

/// What one ballot costs at the floor: points decompressed from its wire bytes and terms
/// it adds to a batch's multiscalar multiplication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Points decoded from the wire (each one decompression).
    pub decompressions: usize,
    /// Terms of the multiscalar multiplication per ballot, in a large batch.
    pub msm_points: usize,
}

/// Queues one ballot's (wire bytes) equations into a batch.
type Queue<'a> = dyn Fn(&[u8], &mut BatchVerifier) -> Result<(), Error> + 'a;

/// Counts, for ballots of `election` of the shape of `ballots` (at least two, of
/// distinct voters), the proofs-only and the whole-ballot figures.
///
/// # Errors
/// [`Error::BallotShape`] for fewer than two ballots; as [`BallotProofs::from_wire`] and
/// [`Ballot::queue`].
pub fn counts(election: &ChoiceElection, ballots: &[Vec<u8>]) -> Result<(Counts, Counts), Error> {
    let [first, second, ..] = ballots else {
        return Err(Error::BallotShape);
    };
    let proofs = BallotProofs::from_wire(first, &election.keys)?;
    let proof_points: usize = proofs
        .answers
        .iter()
        .zip(election.keys.layout().questions())
        .map(|(a, shape)| {
            2 * shape.sent()
                + a.bit_proofs()
                    .iter()
                    .chain(a.group_proofs())
                    .map(|p| 2 * p.branches())
                    .sum::<usize>()
        })
        .sum();
    // Whole ballot: also the pseudonym, the credential's A' and C', the signature's R.
    let whole_points = proof_points + 1 + 2 + 1;
    // Per ballot in a batch: the growth of the batch from one ballot to two of distinct
    // voters (the points every ballot shares, G and the keys, are merged once per batch;
    // a pseudonym is not shared).
    let mut rng = rand_chacha::ChaCha20Rng::from_seed([0; 32]);
    let mut growth = |queue: &Queue<'_>| {
        let mut one = BatchVerifier::new(&mut rng.clone());
        queue(first, &mut one)?;
        let mut two = BatchVerifier::new(&mut rng);
        queue(first, &mut two)?;
        queue(second, &mut two)?;
        Ok::<usize, Error>(two.len() - one.len())
    };
    let keys = &election.keys;
    let proof_terms = growth(&|bytes, b| BallotProofs::from_wire(bytes, keys)?.queue(election, b))?;
    let whole_terms = growth(&|bytes, b| Ballot::from_bytes(bytes, keys.layout())?.queue(keys, b))?;
    Ok((
        Counts {
            decompressions: proof_points,
            msm_points: proof_terms,
        },
        Counts {
            decompressions: whole_points,
            msm_points: whole_terms,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn proofs_of_real_ballots_verify_and_altered_ones_fail() {
        let mut rng = ChaCha20Rng::from_seed([4; 32]);
        let election = ChoiceElection::new(4, &mut rng).unwrap();
        let ballots = election.wire_ballots(3, &mut rng).unwrap();
        for bytes in &ballots {
            let proofs = BallotProofs::from_wire(bytes, &election.keys).unwrap();
            assert_eq!(proofs.verify(&election), Ok(()));
            Ballot::from_bytes(bytes, election.keys.layout())
                .unwrap()
                .verify(&election.keys)
                .unwrap();
        }
        assert_eq!(verify_proofs_batched(&election, &ballots, &mut rng), Ok(()));
        assert_eq!(
            verify_ballots_batched(&election.keys, &ballots, &mut rng),
            Ok(())
        );
        // Another pseudonym: the transcripts differ, so every proof fails.
        let mut moved = ballots[0].clone();
        moved[2..2 + POINT_LEN].copy_from_slice(&ballots[1][2..2 + POINT_LEN]);
        let proofs = BallotProofs::from_wire(&moved, &election.keys).unwrap();
        assert!(proofs.verify(&election).is_err());
        assert!(verify_proofs_batched(&election, &[moved], &mut rng).is_err());
        // Two ciphertexts swapped: the proofs are bound to their positions.
        let mut proofs = BallotProofs::from_wire(&ballots[2], &election.keys).unwrap();
        let a = &proofs.answers[0];
        let mut swapped = a.ciphertexts().to_vec();
        swapped.swap(0, 1);
        proofs.answers[0] =
            Answer::new(swapped, a.bit_proofs().to_vec(), a.group_proofs().to_vec());
        assert!(proofs.verify(&election).is_err());
    }

    #[test]
    fn proofs_only_prover_matches_the_ballot() {
        let mut rng = ChaCha20Rng::from_seed([5; 32]);
        let election = ChoiceElection::new(4, &mut rng).unwrap();
        let credential = election.credential(0, &mut rng).unwrap();
        let pseudonym = credential.pseudonym().to_bytes();
        // With the same randomness, the proofs-only prover makes exactly the ballot's
        // ciphertexts and proofs, with and without the key's table.
        let ballot = election
            .cast(&credential, 3, &mut ChaCha20Rng::from_seed([7; 32]))
            .unwrap()
            .to_bytes();
        let read = BallotProofs::from_wire(&ballot, &election.keys).unwrap();
        let cold = EncryptionKey::new(election.keys.election_key);
        let precomputed = EncryptionKey::precomputed(election.keys.election_key);
        for key in [&cold, &precomputed] {
            let mut same = ChaCha20Rng::from_seed([7; 32]);
            let proofs = BallotProofs::prove(&election, key, &pseudonym, 3, &mut same).unwrap();
            assert_eq!(proofs.verify(&election), Ok(()));
            let (ours, theirs) = (&proofs.answers[0], &read.answers[0]);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_one_of_four_ballot_costs_22_decompressions_and_22_terms() {
        let mut rng = ChaCha20Rng::from_seed([6; 32]);
        let election = ChoiceElection::new(4, &mut rng).unwrap();
        let ballots = election.wire_ballots(2, &mut rng).unwrap();
        let (proofs, whole) = counts(&election, &ballots).unwrap();
        // Three sent ciphertexts and four bit proofs of two branches: 6 + 16 points, and
        // as many terms: the derived ciphertext's are folded into the sent ones'.
        assert_eq!(proofs.decompressions, 22);
        assert_eq!(proofs.msm_points, 22);
        // And the pseudonym, the credential's A', C', the signature's R.
        assert_eq!(whole.decompressions, 26);
        assert_eq!(whole.msm_points, 26);
        assert!(counts(&election, &ballots[..1]).is_err());
    }
}
