//! The paper count of a hybrid sitting (SPEC.md §14.4): the scrutineers' tally sheet
//! encrypted with range proofs, signed by at least `t` scrutineers, appended to the
//! record before the close.

use pyo3::prelude::*;
use secret_ballot::tally::{OfflineCount, PaperOpening};
use secret_ballot::wire;

use crate::ceremony::Trustee;
use crate::error::to_py;
use crate::{Res, seeded};

/// The paper ballots of the representatives who voted on paper, as the record holds
/// them: every ballot position's count encrypted under the election key, with a proof
/// that it lies in ``[0, voters]``, signed off by the scrutineers.
///
/// ``PaperCount(manifest, election_key, voters, counts)`` encrypts the room's tally
/// sheet (`Record.EncryptPaperCount`): ``voters`` representatives voted on paper (none
/// took an online credential) and ``counts[k]`` is the number of valid paper answers
/// marking ballot position ``k`` (``manifest.width`` positions, in ballot order: for a
/// motion ``[for, against, abstain]``, for an election the three per candidate). Then
/// each of at least ``t`` scrutineers calls ``sign(trustee, voters, counts)`` with its
/// own tally sheet, and the host appends ``bytes(paper_count)`` to the record before
/// ``RecordWriter.close``. Only the merged totals are ever decrypted.
///
/// The object also holds the encryption's opening (secret: it reveals the paper
/// sub-totals), which ``sign`` uses to check each scrutineer's sheet; it never leaves
/// the object and is zeroized when the object is freed.
#[pyclass(module = "secret_ballot")]
pub struct PaperCount {
    manifest: Vec<u8>,
    election_key: Vec<u8>,
    count: OfflineCount,
    opening: PaperOpening,
}

#[pymethods]
impl PaperCount {
    /// Raises `InvalidCount` for a sheet that does not fit the manifest (``voters`` not
    /// in 1 … 1023, not ``manifest.width`` counts, a count above ``voters``, a group
    /// with more marks than it allows), `EncodingError` / `InvalidManifest` for bad
    /// manifest or key bytes. Releases the GIL.
    #[new]
    #[pyo3(signature = (manifest, election_key, voters, counts, seed=None))]
    fn new(
        py: Python<'_>,
        manifest: &[u8],
        election_key: &[u8],
        voters: u32,
        counts: Vec<u64>,
        seed: Option<&[u8]>,
    ) -> Res<Self> {
        let mut rng = seeded(py, seed)?;
        let (count, opening) = py
            .detach(|| wire::paper_count_encrypt(manifest, election_key, voters, counts, &mut rng))
            .map_err(to_py)?;
        Ok(PaperCount {
            manifest: manifest.to_vec(),
            election_key: election_key.to_vec(),
            count,
            opening,
        })
    }

    /// Scrutineer ``trustee`` (a `Trustee` of this manifest, holding its long-term key)
    /// signs, after checking that the count encrypts its own tally sheet ``voters``,
    /// ``counts``. Raises `InvalidCount` if it does not (nothing is signed),
    /// `InvalidParameters` if the trustee already signed or its key is not the
    /// manifest's.
    #[pyo3(signature = (trustee, voters, counts, seed=None))]
    fn sign(
        &mut self,
        py: Python<'_>,
        trustee: PyRef<'_, Trustee>,
        voters: u32,
        counts: Vec<u64>,
        seed: Option<&[u8]>,
    ) -> Res<()> {
        let mut rng = seeded(py, seed)?;
        let (index, key) = trustee.long_term_key();
        wire::paper_count_sign(
            &mut self.count,
            &self.opening,
            &self.manifest,
            &self.election_key,
            index,
            &key.expose_bytes()[..],
            (voters, counts),
            &mut rng,
        )
        .map_err(to_py)
    }

    /// The number of representatives who voted on paper.
    #[getter]
    fn voters(&self) -> u32 {
        self.count.voters()
    }

    /// The scrutineers who signed, by increasing index.
    #[getter]
    fn signers(&self) -> Vec<u16> {
        self.count.signers().collect()
    }

    /// The record entry's payload (kind ``0x41``, SPEC.md §14.4). Public.
    fn to_bytes(&self) -> Vec<u8> {
        self.count.to_bytes()
    }

    fn __bytes__(&self) -> Vec<u8> {
        self.count.to_bytes()
    }

    fn __repr__(&self) -> String {
        format!(
            "PaperCount(voters={}, signers={:?})",
            self.count.voters(),
            self.signers()
        )
    }
}

/// Verifies a paper count's bytes (`Record.VerifyOfflineCount`, SPEC.md §14.4): its
/// width, every range proof, at least ``t`` signatures, each by a trustee of the
/// manifest and valid. Returns the number of paper voters. Raises `EncodingError`,
/// `InvalidCount`, `InvalidProof` (a signature), `InvalidParameters` (a signer not in
/// the manifest). Releases the GIL.
#[pyfunction]
pub(crate) fn paper_count_verify(
    py: Python<'_>,
    manifest: &[u8],
    election_key: &[u8],
    paper_count: &[u8],
) -> Res<u32> {
    py.detach(|| wire::paper_count_verify(manifest, election_key, paper_count))
        .map_err(to_py)
}
