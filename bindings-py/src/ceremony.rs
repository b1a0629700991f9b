//! A trustee: the key ceremony's rounds, bytes in and bytes out (SPEC.md §7), then
//! `decrypt_record` (SPEC.md §14.5). The round secrets and the key share stay inside the
//! object (zeroized when it is freed); `key_share_bytes` / `from_key_share` store and
//! restore the share between the ceremony and the count (SPEC.md §7.7).

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use secret_ballot::elgamal::SecretKey;
use secret_ballot::threshold::KeyShare;
use secret_ballot::threshold::dkg::{round1, round2};
use secret_ballot::wire;

use crate::error::{invalid_input, to_py};
use crate::{Res, seeded};

enum Step {
    Start,
    Round1(round1::SecretPackage),
    Round2(round2::SecretPackage),
    Done(Box<KeyShare>),
    Spent,
}

fn slices(items: &[Vec<u8>]) -> Vec<&[u8]> {
    items.iter().map(Vec::as_slice).collect()
}

/// Trustee `index` (1-based) of a manifest, holding its long-term secret key.
///
/// The ceremony: ``round1()`` → publish; ``round2()`` → publish every package (they are
/// encrypted); ``complaints(round1, round2)`` → publish (empty when all is well);
/// ``answer(complaint)`` for each complaint against this trustee; ``finish(round1,
/// round2, complaints, answers)``. Then ``decrypt_record(closed_record)``.
///
/// Between the ceremony and the count a trustee process may restart: store
/// ``key_share_bytes()`` (secret) in the trustee's vault and later build the trustee
/// again with ``Trustee.from_key_share(manifest, secret_key, key_share)``.
#[pyclass(module = "secret_ballot")]
pub struct Trustee {
    manifest: Vec<u8>,
    index: u16,
    key: SecretKey,
    step: Step,
}

impl Trustee {
    fn secret(&self) -> Vec<u8> {
        self.key.expose_bytes().to_vec()
    }

    /// This trustee's index and long-term key (a scrutineer signs the paper count with
    /// it, SPEC.md §14.4).
    pub(crate) fn long_term_key(&self) -> (u16, &SecretKey) {
        (self.index, &self.key)
    }

    fn round2_secret(&self) -> Res<&round2::SecretPackage> {
        match &self.step {
            Step::Round2(s) => Ok(s),
            _ => Err(invalid_input(
                "this step needs round 2 done and finish() not yet",
            )),
        }
    }
}

#[pymethods]
impl Trustee {
    /// `manifest` is the manifest's bytes; `secret_key` the trustee's long-term secret
    /// key, whose public key is `manifest.trustee_keys[index - 1]`.
    #[new]
    fn new(manifest: &[u8], index: u16, secret_key: &[u8]) -> Res<Self> {
        let key = SecretKey::from_bytes(secret_key).map_err(|e| to_py(e.into()))?;
        wire::manifest_context(manifest).map_err(to_py)?;
        Ok(Trustee {
            manifest: manifest.to_vec(),
            index,
            key,
            step: Step::Start,
        })
    }

    /// This trustee's index (1-based).
    #[getter]
    fn index(&self) -> u16 {
        self.index
    }

    /// Round 1 (`Dkg.Part1`, SPEC.md §7.2): the package to publish. Once only.
    #[pyo3(signature = (seed=None))]
    fn round1(&mut self, py: Python<'_>, seed: Option<&[u8]>) -> Res<Vec<u8>> {
        if !matches!(self.step, Step::Start) {
            return Err(invalid_input("round 1 is done"));
        }
        let mut rng = seeded(py, seed)?;
        let (secret, package) =
            wire::ceremony_round1(&self.manifest, self.index, &mut rng).map_err(to_py)?;
        self.step = Step::Round1(secret);
        Ok(package)
    }

    /// Round 2 (`Dkg.Part2`, §7.3): one encrypted share per other trustee. Once only.
    fn round2(&mut self) -> Res<Vec<Vec<u8>>> {
        if !matches!(self.step, Step::Round1(_)) {
            return Err(invalid_input("round 2 follows round 1, once"));
        }
        let Step::Round1(secret) = std::mem::replace(&mut self.step, Step::Spent) else {
            return Err(invalid_input("round 2 follows round 1, once"));
        };
        let (secret, packages) =
            wire::ceremony_round2(secret, &self.manifest, &self.secret()).map_err(to_py)?;
        self.step = Step::Round2(secret);
        Ok(packages)
    }

    /// The complaints of this trustee after every round-1 and round-2 package
    /// (`Dkg.CheckShares`, §7.4).
    fn complaints(&self, round1: Vec<Vec<u8>>, round2: Vec<Vec<u8>>) -> Res<Vec<Vec<u8>>> {
        wire::ceremony_complaints(
            self.round2_secret()?,
            &self.manifest,
            &self.secret(),
            &slices(&round1),
            &slices(&round2),
        )
        .map_err(to_py)
    }

    /// This trustee's answer to a complaint against it (`Dkg.Answer`, §7.4).
    fn answer(&self, complaint: &[u8]) -> Res<Vec<u8>> {
        wire::ceremony_answer(self.round2_secret()?, &self.manifest, complaint).map_err(to_py)
    }

    /// Resolves the ceremony and keeps this trustee's key share (`Dkg.Resolve`,
    /// `Dkg.Part3`, §7.5–§7.6); returns the election key. Raises `CeremonyFailed`.
    #[pyo3(signature = (round1, round2, complaints=Vec::new(), answers=Vec::new()))]
    fn finish(
        &mut self,
        round1: Vec<Vec<u8>>,
        round2: Vec<Vec<u8>>,
        complaints: Vec<Vec<u8>>,
        answers: Vec<Vec<u8>>,
    ) -> Res<Vec<u8>> {
        let (r1, r2, c, a) = (
            slices(&round1),
            slices(&round2),
            slices(&complaints),
            slices(&answers),
        );
        let messages = wire::CeremonyMessages {
            round1: &r1,
            round2: &r2,
            complaints: &c,
            answers: &a,
        };
        let share = wire::ceremony_finish(
            self.round2_secret()?,
            &self.manifest,
            &self.secret(),
            &messages,
        )
        .map_err(to_py)?;
        let key = share.public().election_key().to_bytes().to_vec();
        self.step = Step::Done(Box::new(share));
        Ok(key)
    }

    /// The key share in its stored form (`KeyShare.Encode`, SPEC.md §7.7), once the
    /// ceremony is finished. **Secret**: with ``t - 1`` other shares it decrypts every
    /// ballot. Store it encrypted at rest, in this trustee's own vault, never in the
    /// record or next to the other trustees' shares; Python cannot wipe the returned
    /// ``bytes`` from memory, so drop them once stored. Raises `InvalidInput` before
    /// ``finish``.
    fn key_share_bytes<'py>(&self, py: Python<'py>) -> Res<Bound<'py, PyBytes>> {
        match &self.step {
            Step::Done(share) => Ok(PyBytes::new(py, &share.to_secret_bytes())),
            _ => Err(invalid_input("the ceremony is not finished")),
        }
    }

    /// A trustee whose ceremony is finished, from its stored key share
    /// (``key_share_bytes()``): ready for ``decrypt_record``. ``manifest`` and
    /// ``secret_key`` are as for ``Trustee(...)``; the index is the share's. The share is
    /// checked (`KeyShare.Decode`, `KeyShare.Check`, SPEC.md §7.7): raises
    /// `EncodingError` for bytes that are not a consistent key share (truncated,
    /// tampered), `InvalidParameters` for a share of another election, ceremony or
    /// trustee.
    #[staticmethod]
    fn from_key_share(manifest: &[u8], secret_key: &[u8], key_share: &[u8]) -> Res<Self> {
        let share = wire::ceremony_restore(manifest, secret_key, key_share).map_err(to_py)?;
        let key = SecretKey::from_bytes(secret_key).map_err(|e| to_py(e.into()))?;
        Ok(Trustee {
            manifest: manifest.to_vec(),
            index: share.index(),
            key,
            step: Step::Done(Box::new(share)),
        })
    }

    /// The election key, once the ceremony is finished.
    #[getter]
    fn election_key(&self) -> Res<Vec<u8>> {
        match &self.step {
            Step::Done(share) => Ok(share.public().election_key().to_bytes().to_vec()),
            _ => Err(invalid_input("the ceremony is not finished")),
        }
    }

    /// Verifies the closed record in full and only then returns this trustee's
    /// decryption share of the aggregate it recomputed (`Tally.DecryptRecord`, §14.5).
    /// Raises `AggregateRefused` otherwise (a record that does not verify, is not closed,
    /// is of another election or ceremony, or has fewer ballots than the privacy floor).
    /// Releases the GIL.
    #[pyo3(signature = (record, seed=None))]
    fn decrypt_record(&self, py: Python<'_>, record: &[u8], seed: Option<&[u8]>) -> Res<Vec<u8>> {
        let Step::Done(share) = &self.step else {
            return Err(invalid_input("the ceremony is not finished"));
        };
        let mut rng = seeded(py, seed)?;
        py.detach(|| wire::record_decrypt(share, record, &mut rng))
            .map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!("Trustee(index={})", self.index)
    }
}
