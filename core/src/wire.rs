//! Byte-level entry points: every input and output is canonical bytes (SPEC.md §3).
//!
//! These are what the Python and WASM bindings (and any other foreign-function
//! interface) call, one function each, so that every binding decodes, validates and
//! reports errors exactly the same way. Randomness is always passed in.

use alloc::string::String;
use alloc::vec::Vec;

use rand_core::{CryptoRng, RngCore};

use crate::ballot::{Ballot, BallotSecrets, ElectionKeys, MotionVote, SpoiledBallot, Vote};
use crate::credential::{
    BlindSignature, CommitMessage, Credential, IssuanceReport, IssuerPublicKey, Pseudonym,
    PseudonymSecret, ResponseMessage, VoterAwaitingCommit, VoterAwaitingResponse,
};
use crate::elgamal::{Ciphertext, DlogTable, PublicKey, Randomness, SecretKey};
use crate::encoding::{GroupElement, decode_point, decode_scalar};
use crate::error::{EncodingError, Error};
use crate::manifest::{Manifest, Question};
use crate::proofs::{
    DleqProof, DleqStatement, RangeProof, RangeStatement, SchnorrProof, SchnorrStatement,
    ValueRange, Verifiable,
};
use crate::record::{Entry, RecordReader, RecordWriter};
use crate::tally::{Close, OfflineCount, Outcomes, PaperOpening, PaperTally, Totals};
use crate::threshold::{
    Aggregate, CeremonyParameters, DecryptionShare, KeyShare, PublicKeyPackage, Tally, combine, dkg,
};
use crate::transcript::{CONTEXT_LEN, election_transcript};
use crate::verify::{Stage, Verdict};

fn context(bytes: &[u8]) -> Result<[u8; CONTEXT_LEN], Error> {
    <[u8; CONTEXT_LEN]>::try_from(bytes).map_err(|_| {
        EncodingError::WrongLength {
            expected: CONTEXT_LEN,
            actual: bytes.len(),
        }
        .into()
    })
}

fn scalar(bytes: &[u8]) -> Result<curve25519_dalek::scalar::Scalar, Error> {
    Ok(decode_scalar(bytes)?)
}

/// Canonical re-encoding of a point (identity allowed); rejects anything else.
pub fn point_canonical(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(decode_point(bytes)?.compress().to_bytes().to_vec())
}

/// Canonical re-encoding of a scalar; rejects non-canonical encodings.
pub fn scalar_canonical(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(scalar(bytes)?.to_bytes().to_vec())
}

/// The public key of an ElGamal secret key.
pub fn elgamal_public_key(secret: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(SecretKey::from_bytes(secret)?
        .public_key()
        .to_bytes()
        .to_vec())
}

/// `encrypt_with(public_key, value, randomness)` (SPEC.md §5.2).
pub fn elgamal_encrypt_with(
    public_key: &[u8],
    value: u64,
    randomness: &[u8],
) -> Result<Vec<u8>, Error> {
    let pk = PublicKey::from_bytes(public_key)?;
    Ok(pk
        .encrypt_with(value, &Randomness::from_bytes(randomness)?)
        .to_bytes()
        .to_vec())
}

/// The homomorphic sum of ciphertexts (SPEC.md §5.4).
pub fn ciphertext_sum(ciphertexts: &[&[u8]]) -> Result<Vec<u8>, Error> {
    let decoded = ciphertexts
        .iter()
        .map(|c| Ciphertext::from_bytes(c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Ciphertext::sum(&decoded).to_bytes().to_vec())
}

/// Decrypts with a single secret key and decodes `m ≤ max` (SPEC.md §5.3, §5.5).
pub fn elgamal_decrypt(secret: &[u8], ciphertext: &[u8], max: u64) -> Result<u64, Error> {
    let point =
        SecretKey::from_bytes(secret)?.decrypt_to_point(&Ciphertext::from_bytes(ciphertext)?);
    DlogTable::new(max)?.vartime_lookup(&point)
}

/// A Schnorr proof of knowledge of `secret` (SPEC.md §6.2).
pub fn schnorr_prove<R: RngCore + CryptoRng>(
    ctx: &[u8],
    secret: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let key = SecretKey::from_bytes(secret)?;
    let statement = SchnorrStatement {
        X: *key.public_key().element(),
    };
    Ok(SchnorrProof::prove(
        &mut election_transcript(&context(ctx)?),
        &statement,
        key.expose_scalar(),
        rng,
    )?
    .to_bytes())
}

/// Verifies a Schnorr proof for the point `x`.
pub fn schnorr_verify(ctx: &[u8], x: &[u8], proof: &[u8]) -> Result<(), Error> {
    let statement = SchnorrStatement {
        X: GroupElement::from_bytes(x)?,
    };
    SchnorrProof::from_bytes(proof)?.verify(&mut election_transcript(&context(ctx)?), &statement)
}

/// A DLEQ proof that `P = secret·G'` and `Q = secret·H` (SPEC.md §6.3).
pub fn dleq_prove<R: RngCore + CryptoRng>(
    ctx: &[u8],
    g: &[u8],
    h: &[u8],
    secret: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let (g, h, x) = (
        GroupElement::from_bytes(g)?,
        GroupElement::from_bytes(h)?,
        scalar(secret)?,
    );
    let statement = DleqStatement {
        G: g,
        H: h,
        P: GroupElement::from_point(g.point() * x),
        Q: GroupElement::from_point(h.point() * x),
    };
    Ok(DleqProof::prove(
        &mut election_transcript(&context(ctx)?),
        &statement,
        &x,
        rng,
    )?
    .to_bytes())
}

/// Verifies a DLEQ proof.
pub fn dleq_verify(
    ctx: &[u8],
    g: &[u8],
    h: &[u8],
    p: &[u8],
    q: &[u8],
    proof: &[u8],
) -> Result<(), Error> {
    let statement = DleqStatement {
        G: GroupElement::from_bytes(g)?,
        H: GroupElement::from_bytes(h)?,
        P: GroupElement::from_bytes(p)?,
        Q: GroupElement::from_bytes(q)?,
    };
    DleqProof::from_bytes(proof)?.verify(&mut election_transcript(&context(ctx)?), &statement)
}

/// A range proof that `ciphertext` (made with `randomness`) encrypts `value ∈ [min, max]`
/// (SPEC.md §6.4).
#[allow(clippy::too_many_arguments)]
pub fn range_prove<R: RngCore + CryptoRng>(
    ctx: &[u8],
    public_key: &[u8],
    ciphertext: &[u8],
    value: u64,
    randomness: &[u8],
    min: u64,
    max: u64,
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    let statement = RangeStatement {
        public_key: PublicKey::from_bytes(public_key)?,
        ciphertext: Ciphertext::from_bytes(ciphertext)?,
        range: ValueRange::new(min, max)?,
    };
    let r = Randomness::from_bytes(randomness)?;
    Ok(RangeProof::prove(
        &mut election_transcript(&context(ctx)?),
        &statement,
        value,
        &r,
        rng,
    )?
    .to_bytes())
}

/// Verifies a range proof.
pub fn range_verify(
    ctx: &[u8],
    public_key: &[u8],
    ciphertext: &[u8],
    min: u64,
    max: u64,
    proof: &[u8],
) -> Result<(), Error> {
    let statement = RangeStatement {
        public_key: PublicKey::from_bytes(public_key)?,
        ciphertext: Ciphertext::from_bytes(ciphertext)?,
        range: ValueRange::new(min, max)?,
    };
    RangeProof::from_bytes(proof)?.verify(&mut election_transcript(&context(ctx)?), &statement)
}

/// Verifies a credential (SPEC.md §9.6).
pub fn credential_verify(
    issuer_key: &[u8],
    ctx: &[u8],
    pseudonym: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let issuer = IssuerPublicKey::from_bytes(issuer_key)?;
    let pseudonym = Pseudonym::from_bytes(pseudonym)?;
    BlindSignature::from_bytes(signature)?.verify(&issuer, &context(ctx)?, &pseudonym)
}

/// Verifies an issuance report and returns the number of credentials issued (SPEC.md §9.7).
pub fn issuance_report_verify(report: &[u8], report_key: &[u8], ctx: &[u8]) -> Result<u64, Error> {
    let report = IssuanceReport::from_bytes(report)?;
    report.verify(&PublicKey::from_bytes(report_key)?, &context(ctx)?)?;
    Ok(report.count() as u64)
}

fn public_keys(
    ctx: &[u8],
    threshold: u16,
    trustee_keys: &[&[u8]],
    round1: &[&[u8]],
) -> Result<(CeremonyParameters, PublicKeyPackage), Error> {
    let keys = trustee_keys
        .iter()
        .map(|k| PublicKey::from_bytes(k))
        .collect::<Result<Vec<_>, _>>()?;
    let params = CeremonyParameters::new(context(ctx)?, threshold, keys)?;
    let packages = round1
        .iter()
        .map(|p| dkg::round1::Package::from_bytes(p))
        .collect::<Result<Vec<_>, _>>()?;
    let resolution = dkg::resolve(&params, &packages, &[], &[])?;
    let public = dkg::public_key_package(&params, &packages, &resolution)?;
    Ok((params, public))
}

/// From a complaint-free key ceremony's round-1 packages: the election key followed by
/// every trustee's verification key, 32 bytes each (SPEC.md §7.6).
pub fn threshold_public_keys(
    ctx: &[u8],
    threshold: u16,
    trustee_keys: &[&[u8]],
    round1: &[&[u8]],
) -> Result<Vec<u8>, Error> {
    let (params, public) = public_keys(ctx, threshold, trustee_keys, round1)?;
    let mut out = public.election_key().to_bytes().to_vec();
    for j in params.indices() {
        out.extend_from_slice(&public.verification_key(j)?.to_bytes());
    }
    Ok(out)
}

/// Recomputes the aggregate of `ballots` (each a list of ciphertexts of equal width),
/// verifies the decryption shares and combines them (SPEC.md §8.4).
pub fn threshold_tally(
    ctx: &[u8],
    threshold: u16,
    trustee_keys: &[&[u8]],
    round1: &[&[u8]],
    ballots: &[Vec<&[u8]>],
    shares: &[&[u8]],
) -> Result<Tally, Error> {
    let (_, public) = public_keys(ctx, threshold, trustee_keys, round1)?;
    let decoded: Vec<Vec<Ciphertext>> = ballots
        .iter()
        .map(|b| {
            b.iter()
                .map(|c| Ciphertext::from_bytes(c))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    let width = decoded.first().map_or(0, Vec::len);
    let aggregate = Aggregate::from_ballots(&decoded, width)?;
    let shares = shares
        .iter()
        .map(|s| DecryptionShare::from_bytes(s))
        .collect::<Result<Vec<_>, _>>()?;
    combine(&public, &context(ctx)?, &aggregate, &shares)
}

/// The election context of a manifest (SPEC.md §11.3); validates the manifest.
pub fn manifest_context(manifest: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(Manifest::from_bytes(manifest)?.context()?.to_vec())
}

/// Verifies a ballot against the manifest and the election key (SPEC.md §12.3) and
/// returns its tracking code.
pub fn ballot_verify(manifest: &[u8], election_key: &[u8], ballot: &[u8]) -> Result<String, Error> {
    let keys = ElectionKeys::new(
        &Manifest::from_bytes(manifest)?,
        PublicKey::from_bytes(election_key)?,
    )?;
    let ballot = Ballot::from_bytes(ballot, keys.layout())?;
    ballot.verify(&keys)?;
    Ok(ballot.tracking_code())
}

/// Checks a spoiled ballot's openings (SPEC.md §12.4) and returns its plaintext values,
/// all positions in ballot order.
pub fn spoiled_ballot_open(
    manifest: &[u8],
    election_key: &[u8],
    spoiled: &[u8],
) -> Result<Vec<u64>, Error> {
    let keys = ElectionKeys::new(
        &Manifest::from_bytes(manifest)?,
        PublicKey::from_bytes(election_key)?,
    )?;
    Ok(SpoiledBallot::from_bytes(spoiled, keys.layout())?
        .verify(&keys)?
        .into_iter()
        .flatten()
        .collect())
}

/// The voter's move 2 of issuance: with the issuer key and the election context **of the
/// manifest** (never ones the issuer sends), draws a fresh pseudonym secret and the
/// blinding values from `rng`, blinds the issuer's commitment and returns the state to
/// keep (secret, zeroized on drop) and the challenge message to send.
///
/// Implements `Credential.Challenge` (SPEC.md §9.3, §9.5 item 1).
///
/// # Errors
/// Manifest and commitment decoding errors; [`Error::IssuerMisbehaved`] in the
/// negligible case `c = 0` (start a new session).
pub fn credential_challenge<R: RngCore + CryptoRng>(
    manifest: &[u8],
    commit: &[u8],
    rng: &mut R,
) -> Result<(VoterAwaitingResponse, Vec<u8>), Error> {
    let manifest = Manifest::from_bytes(manifest)?;
    let commit = CommitMessage::from_bytes(commit)?;
    let request = VoterAwaitingCommit::new(
        manifest.issuer_key,
        manifest.context()?,
        PseudonymSecret::generate(rng),
    );
    let (state, challenge) = request.challenge(&commit, rng)?;
    Ok((state, challenge.to_bytes()))
}

/// The voter's last step of issuance: checks the issuer's response and unblinds it into a
/// credential (which holds the pseudonym secret). Consumes the state whatever the
/// outcome.
///
/// Implements `Credential.Finalize` (SPEC.md §9.5).
///
/// # Errors
/// Decoding errors; [`Error::IssuerMisbehaved`] naming the failed check (discard the
/// session and start a new one).
pub fn credential_finalize(
    state: VoterAwaitingResponse,
    response: &[u8],
) -> Result<Credential, Error> {
    state.finalize(&ResponseMessage::from_bytes(response)?)
}

/// In an evaluation answer (see [`ballot_cast`]): a blank answer for the subject.
pub const BLANK: u16 = u16::MAX;

fn motion_vote(value: u16, question: usize) -> Result<MotionVote, Error> {
    match value {
        0 => Ok(MotionVote::For),
        1 => Ok(MotionVote::Against),
        2 => Ok(MotionVote::Abstain),
        _ => Err(Error::InvalidVote { question }),
    }
}

/// One question's [`Vote`] from its answer as small integers (see [`ballot_cast`]).
fn vote(question: &Question, index: usize, answer: &[u16]) -> Result<Vote, Error> {
    Ok(match question {
        Question::Motion { .. } => match answer {
            [value] => Vote::Motion(motion_vote(*value, index)?),
            _ => return Err(Error::InvalidVote { question: index }),
        },
        Question::Choice { .. } => Vote::Choice(answer.iter().map(|&o| usize::from(o)).collect()),
        Question::Election { .. } => Vote::Election(
            answer
                .iter()
                .map(|&v| motion_vote(v, index))
                .collect::<Result<_, _>>()?,
        ),
        Question::Evaluation { .. } => Vote::Evaluation(
            answer
                .iter()
                .map(|&level| (level != BLANK).then_some(usize::from(level)))
                .collect(),
        ),
    })
}

/// Encrypts a voter's answers under the election key, proves them valid and signs the
/// ballot with the credential. Returns the ballot (public) and its secrets (kept only to
/// spoil it, [`ballot_spoil`]; drop them to cast).
///
/// `answers` has one entry per question of the manifest, in ballot order:
/// * motion: one value, `0` for, `1` against, `2` abstain;
/// * choice: the indices of the options chosen;
/// * election: one value per candidate, `0` for, `1` against, `2` abstain;
/// * evaluation: one value per subject, the level (`0` = best) or [`BLANK`].
///
/// The credential is first checked against the manifest's issuer key and context, so a
/// device never casts a ballot the box would refuse for its credential.
///
/// Implements `Ballot.Cast` (SPEC.md §12.1, §12.2).
///
/// # Errors
/// Manifest and key decoding errors; [`Error::InvalidCredential`] for a credential of
/// another election; [`Error::BallotShape`] for a number of answers other than the
/// number of questions; [`Error::InvalidVote`] naming the first answer that does not fit
/// its question.
pub fn ballot_cast<R: RngCore + CryptoRng>(
    manifest: &[u8],
    election_key: &[u8],
    credential: &Credential,
    answers: &[&[u16]],
    rng: &mut R,
) -> Result<(Ballot, BallotSecrets), Error> {
    let manifest = Manifest::from_bytes(manifest)?;
    let keys = ElectionKeys::new(&manifest, PublicKey::from_bytes(election_key)?)?;
    credential
        .signature()
        .verify(&keys.issuer_key, &keys.context, credential.pseudonym())
        .map_err(|_| Error::InvalidCredential)?;
    if answers.len() != manifest.questions.len() {
        return Err(Error::BallotShape);
    }
    let votes = manifest
        .questions
        .iter()
        .zip(answers)
        .enumerate()
        .map(|(i, (q, a))| vote(q, i, a))
        .collect::<Result<Vec<_>, _>>()?;
    Ballot::cast(&manifest, &keys, credential, &votes, rng)
}

/// Spoils a ballot (Benaloh challenge): its encoding with every position's value and
/// randomness. The ballot must then never be cast; check it with
/// [`spoiled_ballot_open`].
///
/// Implements `Ballot.Spoil` (SPEC.md §12.4).
pub fn ballot_spoil(ballot: Ballot, secrets: BallotSecrets) -> Vec<u8> {
    SpoiledBallot::new(ballot, secrets).to_bytes()
}

/// The length of the record entry whose framing starts `header` (its first 38 bytes
/// suffice), so that a host can feed a record to a streaming verifier one entry at a
/// time (SPEC.md §14.1, §14.8).
///
/// # Errors
/// [`EncodingError::Truncated`] for fewer than 38 bytes; framing errors.
pub fn record_entry_len(header: &[u8]) -> Result<usize, Error> {
    Ok(Entry::encoded_len(header)?)
}

/// Verifies an election record and returns the report as JSON (SPEC.md §14.7, §14.9).
/// Never fails: every problem is a failed check in the report.
pub fn record_verify<R: RngCore + CryptoRng>(record: &[u8], rng: &mut R) -> alloc::string::String {
    crate::verify::verify(record, rng).to_json()
}

/// The record as its lossless JSON view (SPEC.md §14.10). Never fails.
pub fn record_json(record: &[u8]) -> alloc::string::String {
    crate::record::to_json(record)
}

/// A fresh secret key and its public key, 32 bytes each: a trustee's long-term key, the
/// issuer's blind-signing key or the issuance report key (all are scalars `x` with
/// public `[x]G`).
pub fn keypair<R: RngCore + CryptoRng>(rng: &mut R) -> (Vec<u8>, Vec<u8>) {
    let key = SecretKey::generate(rng);
    (
        key.expose_bytes().to_vec(),
        key.public_key().to_bytes().to_vec(),
    )
}

fn ceremony_of(manifest: &[u8]) -> Result<CeremonyParameters, Error> {
    Manifest::from_bytes(manifest)?.ceremony_parameters()
}

fn decode_all<T>(
    items: &[&[u8]],
    decode: impl Fn(&[u8]) -> Result<T, EncodingError>,
) -> Result<Vec<T>, Error> {
    Ok(items
        .iter()
        .map(|b| decode(b))
        .collect::<Result<Vec<_>, _>>()?)
}

/// Round 1 of the key ceremony for trustee `index` (1-based) of `manifest`: the secret
/// package to keep and the package to publish.
///
/// Implements `Dkg.Part1` (SPEC.md §7.2).
pub fn ceremony_round1<R: RngCore + CryptoRng>(
    manifest: &[u8],
    index: u16,
    rng: &mut R,
) -> Result<(dkg::round1::SecretPackage, Vec<u8>), Error> {
    let (secret, package) = dkg::part1(&ceremony_of(manifest)?, index, rng)?;
    Ok((secret, package.to_bytes()))
}

/// Round 2: this trustee's encrypted shares, one package per other trustee (publish them
/// all: they are encrypted to their recipients). Consumes the round-1 secret.
///
/// Implements `Dkg.Part2` (SPEC.md §7.3).
pub fn ceremony_round2(
    secret: dkg::round1::SecretPackage,
    manifest: &[u8],
    long_term_secret: &[u8],
) -> Result<(dkg::round2::SecretPackage, Vec<Vec<u8>>), Error> {
    let key = SecretKey::from_bytes(long_term_secret)?;
    let (secret, packages) = dkg::part2(secret, &ceremony_of(manifest)?, &key)?;
    Ok((secret, packages.iter().map(|p| p.to_bytes()).collect()))
}

/// The complaints of this trustee after reading every round-1 and round-2 package (an
/// empty list when all is well).
///
/// Implements `Dkg.CheckShares` (SPEC.md §7.4).
pub fn ceremony_complaints(
    secret: &dkg::round2::SecretPackage,
    manifest: &[u8],
    long_term_secret: &[u8],
    round1: &[&[u8]],
    round2: &[&[u8]],
) -> Result<Vec<Vec<u8>>, Error> {
    let key = SecretKey::from_bytes(long_term_secret)?;
    let round1 = decode_all(round1, dkg::round1::Package::from_bytes)?;
    let round2 = decode_all(round2, dkg::round2::Package::from_bytes)?;
    Ok(
        dkg::check_shares(secret, &ceremony_of(manifest)?, &key, &round1, &round2)
            .iter()
            .map(dkg::Complaint::to_bytes)
            .collect(),
    )
}

/// This trustee's answer to a complaint against it (reveals the share it owes the
/// accuser).
///
/// Implements `Dkg.Answer` (SPEC.md §7.4).
pub fn ceremony_answer(
    secret: &dkg::round2::SecretPackage,
    manifest: &[u8],
    complaint: &[u8],
) -> Result<Vec<u8>, Error> {
    let complaint = dkg::Complaint::from_bytes(complaint)?;
    Ok(dkg::answer_complaint(secret, &ceremony_of(manifest)?, &complaint)?.to_bytes())
}

/// The last step of the ceremony: resolves the qualified dealers from the public
/// messages and sums this trustee's shares into its key share (keep it secret).
///
/// Implements `Dkg.Resolve` and `Dkg.Part3` (SPEC.md §7.5, §7.6).
pub fn ceremony_finish(
    secret: &dkg::round2::SecretPackage,
    manifest: &[u8],
    long_term_secret: &[u8],
    public: &CeremonyMessages<'_>,
) -> Result<KeyShare, Error> {
    let params = ceremony_of(manifest)?;
    let key = SecretKey::from_bytes(long_term_secret)?;
    let round1 = decode_all(public.round1, dkg::round1::Package::from_bytes)?;
    let round2 = decode_all(public.round2, dkg::round2::Package::from_bytes)?;
    let complaints = decode_all(public.complaints, dkg::Complaint::from_bytes)?;
    let answers = decode_all(public.answers, dkg::ComplaintAnswer::from_bytes)?;
    let resolution = dkg::resolve(&params, &round1, &complaints, &answers)?;
    dkg::part3(secret, &params, &key, &round1, &round2, &resolution)
}

/// Loads a key share stored with [`KeyShare::to_secret_bytes`] by the trustee of
/// `manifest` whose long-term secret key is `long_term_secret`, so that a trustee can
/// restart between the ceremony and the count.
///
/// Implements `KeyShare.Decode` and `KeyShare.Check` (SPEC.md §7.7).
///
/// # Errors
/// Manifest and key decoding errors; the share's [`EncodingError`]s (a tampered or
/// truncated share, one that does not match its own public keys);
/// [`Error::KeyShareMismatch`] for a share of another election, ceremony or trustee.
pub fn ceremony_restore(
    manifest: &[u8],
    long_term_secret: &[u8],
    key_share: &[u8],
) -> Result<KeyShare, Error> {
    let params = ceremony_of(manifest)?;
    let key = SecretKey::from_bytes(long_term_secret)?;
    let share = KeyShare::from_bytes(key_share)?;
    share.check_parameters(&params, &key.public_key())?;
    Ok(share)
}

/// The public messages of a key ceremony (see [`ceremony_finish`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct CeremonyMessages<'a> {
    /// Every round-1 package.
    pub round1: &'a [&'a [u8]],
    /// Every round-2 package.
    pub round2: &'a [&'a [u8]],
    /// Every complaint.
    pub complaints: &'a [&'a [u8]],
    /// Every complaint answer.
    pub answers: &'a [&'a [u8]],
}

/// A trustee's decryption share of the aggregate it recomputes from a closed record that
/// verifies (and never otherwise).
///
/// Implements `Tally.DecryptRecord` (SPEC.md §14.5), see
/// [`crate::verify::decrypt_record`].
pub fn record_decrypt<R: RngCore + CryptoRng>(
    share: &KeyShare,
    record: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, Error> {
    Ok(crate::verify::decrypt_record(share, record, rng)?.to_bytes())
}

/// The scrutineers' tally sheet of the paper ballots, encrypted under the election key
/// with a range proof per position: the unsigned paper count and its opening (secret:
/// it reveals the paper sub-totals; keep it to check each signer's sheet, never
/// publish it).
///
/// Implements `Record.EncryptPaperCount` (SPEC.md §14.4).
///
/// # Errors
/// Manifest and key decoding errors; [`Error::InvalidOfflineCount`] for a tally sheet
/// that does not fit the manifest (see [`PaperTally::new`]).
pub fn paper_count_encrypt<R: RngCore + CryptoRng>(
    manifest: &[u8],
    election_key: &[u8],
    voters: u32,
    counts: Vec<u64>,
    rng: &mut R,
) -> Result<(OfflineCount, PaperOpening), Error> {
    let manifest = Manifest::from_bytes(manifest)?;
    let key = PublicKey::from_bytes(election_key)?;
    PaperTally::new(&manifest, voters, counts)?.encrypt(&manifest.context()?, &key, rng)
}

/// Scrutineer `trustee` of `manifest` signs the paper count with its long-term key,
/// after checking that it encrypts the scrutineer's own tally sheet (`voters`, `counts`)
/// with `opening`'s randomness (SPEC.md §14.4).
///
/// # Errors
/// [`Error::InvalidOfflineCount`] if the count does not encrypt this sheet;
/// [`Error::UnknownTrustee`] if the key is not trustee `trustee`'s or it already signed.
#[allow(clippy::too_many_arguments)]
pub fn paper_count_sign<R: RngCore + CryptoRng>(
    count: &mut OfflineCount,
    opening: &PaperOpening,
    manifest: &[u8],
    election_key: &[u8],
    trustee: u16,
    long_term_secret: &[u8],
    sheet: (u32, Vec<u64>),
    rng: &mut R,
) -> Result<(), Error> {
    let manifest = Manifest::from_bytes(manifest)?;
    let key = PublicKey::from_bytes(election_key)?;
    let sheet = PaperTally::new(&manifest, sheet.0, sheet.1)?;
    count.check_opening(&sheet, opening, &key)?;
    count.sign(
        &manifest,
        trustee,
        &SecretKey::from_bytes(long_term_secret)?,
        rng,
    )
}

/// Verifies a paper count's bytes against the manifest and the election key: its width,
/// every range proof, at least `t` signatures, each by a trustee of the manifest and
/// valid. Returns the number of paper voters.
///
/// Implements `Record.VerifyOfflineCount` (SPEC.md §14.4).
///
/// # Errors
/// Decoding errors; [`Error::InvalidOfflineCount`]; [`Error::UnknownTrustee`];
/// [`Error::InvalidProof`] for a signature that does not verify.
pub fn paper_count_verify(
    manifest: &[u8],
    election_key: &[u8],
    count: &[u8],
) -> Result<u32, Error> {
    let manifest = Manifest::from_bytes(manifest)?;
    let key = PublicKey::from_bytes(election_key)?;
    let count = OfflineCount::from_bytes(count)?;
    count.verify(&manifest, &manifest.context()?, &key)?;
    Ok(count.voters())
}

/// The close entry's payload: representatives present and when voting closed (seconds
/// since the epoch) (SPEC.md §14.4).
pub fn record_close(present: u32, closed_at: u64) -> Vec<u8> {
    Close { present, closed_at }.to_bytes()
}

/// Completes a closed record: verifies it, recomputes the aggregate, combines the
/// trustees' decryption shares and appends the aggregate, the valid shares (by trustee),
/// the totals and the outcomes of the manifest's rules. Returns the complete record and
/// the tally (which names any rejected share).
///
/// Implements `Tally.Combine` and `Rules.Outcomes` over a record (SPEC.md §8.4, §14.2).
///
/// # Errors
/// [`Error::RecordRefused`] for a record that does not verify or is not exactly at its
/// close; decoding errors of the shares; [`Error::NotEnoughShares`].
pub fn record_tally<R: RngCore + CryptoRng>(
    closed: &[u8],
    shares: &[&[u8]],
    rng: &mut R,
) -> Result<(Vec<u8>, Tally), Error> {
    let mut verifier = crate::verify::Verifier::new(rng);
    for entry in RecordReader::new(closed) {
        match entry {
            Ok(entry) => verifier.push(&entry),
            Err(e) => verifier.unreadable(e),
        }
    }
    let done = verifier.conclude();
    if done.report.verdict() != Verdict::Valid {
        return Err(Error::RecordRefused("the record does not verify"));
    }
    if done.report.stage != Stage::Closed {
        return Err(Error::RecordRefused("the record is not at its close"));
    }
    let (Some(manifest), Some(context), Some(present), Some(public), Some(aggregate)) = (
        done.report.manifest,
        done.report.context,
        done.report.present,
        done.public,
        done.aggregate,
    ) else {
        return Err(Error::RecordRefused("the record is incomplete"));
    };
    let mut shares = decode_all(shares, DecryptionShare::from_bytes)?;
    let tally = combine(&public, &context, &aggregate, &shares)?;
    shares.retain(|s| s.verify(&public, &context, &aggregate).is_ok());
    shares.sort_by_key(DecryptionShare::trustee);
    shares.dedup_by_key(|s| s.trustee());
    let mut record = RecordWriter::resume(closed.to_vec())?;
    record.append(&aggregate.to_bytes())?;
    for share in &shares {
        record.append(&share.to_bytes())?;
    }
    record.append(&Totals(tally.totals.clone()).to_bytes())?;
    record.append(&Outcomes::compute(&manifest, &tally.totals, present)?.to_bytes())?;
    Ok((record.into_bytes(), tally))
}

/// The stable code of an error (the bindings' `code`).
pub fn error_code(error: &Error) -> &'static str {
    error.code()
}
