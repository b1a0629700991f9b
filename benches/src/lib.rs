//! Shared fixtures for the criterion benches.
//!
//! [`OneOfBallot`] is a *bench model* of a 1-of-k ballot built only from the core
//! primitives (issue 5 brings the real ballot format): one ciphertext per option, a
//! bit proof per option, and a DLEQ proof that the options sum to exactly one. Every
//! proof's transcript holds the election context, every ciphertext of the ballot and
//! the option index, as the real ballot will.

pub mod congress;
pub mod federation;
pub mod peer;
pub mod scale;

use rand_core::{CryptoRng, RngCore};
use secret_ballot::Error;
use secret_ballot::curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use secret_ballot::elgamal::{Ciphertext, PublicKey, Randomness};
use secret_ballot::encoding::GroupElement;
use secret_ballot::merlin::Transcript;
use secret_ballot::proofs::{
    BatchVerifier, DleqProof, DleqStatement, RangeProof, RangeStatement, ValueRange, Verifiable,
};
use secret_ballot::transcript::election_transcript;

/// The election context used by every bench.
pub const CONTEXT: [u8; 32] = [0xbe; 32];

/// A 1-of-k ballot: ciphertexts, per-option bit proofs, and an "exactly one" proof.
#[derive(Clone, Debug)]
pub struct OneOfBallot {
    /// One ciphertext per option.
    pub ciphertexts: Vec<Ciphertext>,
    /// `ciphertexts[i]` encrypts a bit.
    pub bit_proofs: Vec<RangeProof>,
    /// The sum of the ciphertexts encrypts 1.
    pub sum_proof: DleqProof,
}

fn ballot_transcript(ciphertexts: &[Ciphertext]) -> Transcript {
    let mut transcript = election_transcript(&CONTEXT);
    for ciphertext in ciphertexts {
        transcript.append_message(b"ballot-ciphertext", &ciphertext.to_bytes());
    }
    transcript
}

fn option_transcript(base: &Transcript, option: usize) -> Transcript {
    let mut transcript = base.clone();
    transcript.append_u64(b"option", option as u64);
    transcript
}

fn sum_statement(public_key: &PublicKey, ciphertexts: &[Ciphertext]) -> DleqStatement {
    let sum = Ciphertext::sum(ciphertexts);
    DleqStatement::with_generator(
        *public_key.element(),
        *sum.a(),
        GroupElement::from_point(sum.b().point() - RISTRETTO_BASEPOINT_POINT),
    )
}

impl OneOfBallot {
    /// Encrypts a vote for `choice` among `options` and proves it well formed.
    pub fn prove<R: RngCore + CryptoRng>(
        public_key: &PublicKey,
        options: usize,
        choice: usize,
        rng: &mut R,
    ) -> Result<Self, Error> {
        let encrypted: Vec<(Ciphertext, Randomness)> = (0..options)
            .map(|i| public_key.encrypt(u64::from(i == choice), rng))
            .collect();
        let ciphertexts: Vec<Ciphertext> = encrypted.iter().map(|(c, _)| *c).collect();
        let base = ballot_transcript(&ciphertexts);
        let mut bit_proofs = Vec::with_capacity(options);
        for (i, (ciphertext, randomness)) in encrypted.iter().enumerate() {
            let statement = RangeStatement {
                public_key: *public_key,
                ciphertext: *ciphertext,
                range: ValueRange::BIT,
            };
            bit_proofs.push(RangeProof::prove(
                &mut option_transcript(&base, i),
                &statement,
                u64::from(i == choice),
                randomness,
                rng,
            )?);
        }
        let randomness = Randomness::sum(encrypted.iter().map(|(_, r)| r));
        let sum_proof = DleqProof::prove(
            &mut option_transcript(&base, options),
            &sum_statement(public_key, &ciphertexts),
            randomness.expose_scalar(),
            rng,
        )?;
        Ok(OneOfBallot {
            ciphertexts,
            bit_proofs,
            sum_proof,
        })
    }

    /// Verifies every proof alone.
    pub fn verify(&self, public_key: &PublicKey) -> Result<(), Error> {
        let base = ballot_transcript(&self.ciphertexts);
        for (i, (ciphertext, proof)) in self.ciphertexts.iter().zip(&self.bit_proofs).enumerate() {
            let statement = RangeStatement {
                public_key: *public_key,
                ciphertext: *ciphertext,
                range: ValueRange::BIT,
            };
            proof.verify(&mut option_transcript(&base, i), &statement)?;
        }
        self.sum_proof.verify(
            &mut option_transcript(&base, self.ciphertexts.len()),
            &sum_statement(public_key, &self.ciphertexts),
        )
    }

    /// Queues every equation of the ballot into `batch`.
    pub fn queue(&self, public_key: &PublicKey, batch: &mut BatchVerifier) -> Result<(), Error> {
        let base = ballot_transcript(&self.ciphertexts);
        for (i, (ciphertext, proof)) in self.ciphertexts.iter().zip(&self.bit_proofs).enumerate() {
            let statement = RangeStatement {
                public_key: *public_key,
                ciphertext: *ciphertext,
                range: ValueRange::BIT,
            };
            proof.queue(&mut option_transcript(&base, i), &statement, batch)?;
        }
        self.sum_proof.queue(
            &mut option_transcript(&base, self.ciphertexts.len()),
            &sum_statement(public_key, &self.ciphertexts),
            batch,
        )
    }
}

/// Verifies many ballots with one multiscalar multiplication.
pub fn verify_ballots_batched<R: RngCore + CryptoRng>(
    public_key: &PublicKey,
    ballots: &[OneOfBallot],
    rng: &mut R,
) -> Result<(), Error> {
    let mut batch = BatchVerifier::new(rng);
    for ballot in ballots {
        ballot.queue(public_key, &mut batch)?;
    }
    batch.vartime_verify()
}

/// A complete honest key ceremony: every trustee's key share.
pub fn run_ceremony<R: RngCore + CryptoRng>(
    n: u16,
    t: u16,
    rng: &mut R,
) -> Result<Vec<secret_ballot::threshold::KeyShare>, Error> {
    use secret_ballot::elgamal::SecretKey;
    use secret_ballot::threshold::CeremonyParameters;
    let long_term: Vec<SecretKey> = (0..n).map(|_| SecretKey::generate(rng)).collect();
    let params = CeremonyParameters::new(
        CONTEXT,
        t,
        long_term.iter().map(SecretKey::public_key).collect(),
    )?;
    Ok(ceremony_with(&params, &long_term, rng)?.shares)
}

/// An honest key ceremony's public messages (round-2 packages sorted by dealer and
/// recipient, as a record holds them) and every trustee's key share.
#[derive(Debug)]
pub struct Ceremony {
    /// Round-1 packages, by dealer.
    pub round1: Vec<secret_ballot::threshold::dkg::round1::Package>,
    /// Round-2 packages, by (dealer, recipient).
    pub round2: Vec<secret_ballot::threshold::dkg::round2::Package>,
    /// Key shares, by trustee.
    pub shares: Vec<secret_ballot::threshold::KeyShare>,
}

/// Runs every round of the key ceremony for every trustee of `params`.
///
/// # Errors
/// The ceremony's errors (none for honest trustees).
pub fn ceremony_with<R: RngCore + CryptoRng>(
    params: &secret_ballot::threshold::CeremonyParameters,
    long_term: &[secret_ballot::elgamal::SecretKey],
    rng: &mut R,
) -> Result<Ceremony, Error> {
    use secret_ballot::threshold::dkg;
    let mut secrets = Vec::new();
    let mut round1 = Vec::new();
    for i in params.indices() {
        let (secret, package) = dkg::part1(params, i, rng)?;
        secrets.push(secret);
        round1.push(package);
    }
    let mut secrets2 = Vec::new();
    let mut round2 = Vec::new();
    for (secret, key) in secrets.into_iter().zip(long_term) {
        let (secret, packages) = dkg::part2(secret, params, key)?;
        secrets2.push(secret);
        round2.extend(packages);
    }
    round2.sort_by_key(|p| (p.sender(), p.recipient()));
    let mut complaints = Vec::new();
    for (secret, key) in secrets2.iter().zip(long_term) {
        complaints.extend(dkg::check_shares(secret, params, key, &round1, &round2));
    }
    let resolution = dkg::resolve(params, &round1, &complaints, &[])?;
    let shares = secrets2
        .iter()
        .zip(long_term)
        .map(|(secret, key)| dkg::part3(secret, params, key, &round1, &round2, &resolution))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Ceremony {
        round1,
        round2,
        shares,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use secret_ballot::elgamal::Keypair;

    #[test]
    fn bench_ballots_verify_and_a_bad_one_is_caught() {
        let mut rng = ChaCha20Rng::from_seed([3; 32]);
        let key = Keypair::generate(&mut rng);
        let mut ballots: Vec<OneOfBallot> = (0..5)
            .map(|i| OneOfBallot::prove(key.public(), 4, i % 4, &mut rng).unwrap())
            .collect();
        for ballot in &ballots {
            assert_eq!(ballot.verify(key.public()), Ok(()));
        }
        assert_eq!(
            verify_ballots_batched(key.public(), &ballots, &mut rng),
            Ok(())
        );
        // Swap two ciphertexts inside one ballot: every proof is bound to the order.
        ballots[2].ciphertexts.swap(0, 1);
        assert!(ballots[2].verify(key.public()).is_err());
        assert!(verify_ballots_batched(key.public(), &ballots, &mut rng).is_err());
    }
}
