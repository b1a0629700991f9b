//! The ballot box (SPEC.md §13), the election record (§14) as it is written, streamed
//! verification, and the count's last step.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use rand_chacha::ChaCha20Rng;
use secret_ballot::ballot::ElectionKeys;
use secret_ballot::ballot_box::BallotBox as CoreBallotBox;
use secret_ballot::elgamal::PublicKey;
use secret_ballot::manifest::Manifest;
use secret_ballot::record::RecordWriter as CoreRecordWriter;
use secret_ballot::verify::Verifier;
use secret_ballot::wire;

use crate::error::{invalid_input, to_py};
use crate::{Res, rng, seeded};

/// The ballot box of one election: verifies and accepts ballots (a second ballot of a
/// credential is refused unless the manifest allows revoting), keeps spoiled ballots,
/// and publishes both into the record in an order that reveals nothing about arrival.
#[pyclass(module = "secret_ballot")]
pub struct BallotBox {
    inner: CoreBallotBox,
}

#[pymethods]
impl BallotBox {
    /// An open, empty box for ``manifest`` (bytes) and the ceremony's election key.
    #[new]
    fn new(manifest: &[u8], election_key: &[u8]) -> Res<Self> {
        let manifest = Manifest::from_bytes(manifest).map_err(to_py)?;
        let key = PublicKey::from_bytes(election_key).map_err(|e| to_py(e.into()))?;
        let keys = ElectionKeys::new(&manifest, key).map_err(to_py)?;
        Ok(BallotBox {
            inner: CoreBallotBox::new(keys, manifest.revoting),
        })
    }

    /// `BallotBox.Accept` (SPEC.md §13): verifies every proof and the credential, then
    /// accepts; returns ``{"tracking_code": str, "replaced": bool}``. The same bytes
    /// again are accepted again (idempotent). Raises `InvalidBallot`, `BallotRefused`
    /// (a second ballot of a credential, or the box is closed), `EncodingError`.
    /// Releases the GIL.
    fn accept<'py>(&mut self, py: Python<'py>, ballot: &[u8]) -> Res<Bound<'py, PyDict>> {
        let inner = &mut self.inner;
        let receipt = py.detach(|| inner.accept(ballot)).map_err(to_py)?;
        let d = PyDict::new(py);
        d.set_item("tracking_code", receipt.tracking_code)?;
        d.set_item("replaced", receipt.replaced)?;
        Ok(d)
    }

    /// Keeps a spoiled ballot for the record after checking its openings; returns every
    /// question's plaintext values.
    fn spoil(&mut self, py: Python<'_>, spoiled: &[u8]) -> Res<Vec<Vec<u64>>> {
        let inner = &mut self.inner;
        py.detach(|| inner.spoil(spoiled)).map_err(to_py)
    }

    /// Closes the box: no ballot is accepted after this.
    fn close(&mut self) {
        self.inner.close();
    }

    /// Whether the box is closed.
    #[getter]
    fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Spoiled ballots kept.
    #[getter]
    fn spoiled(&self) -> usize {
        self.inner.spoiled()
    }

    /// Ballots counted.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Appends the spoiled and the cast ballots to ``record``, which must be at its
    /// issuance report (SPEC.md §14.2).
    fn publish(&self, mut record: PyRefMut<'_, RecordWriter>) -> Res<()> {
        self.inner.publish(&mut record.inner).map_err(to_py)
    }
}

/// An election record being written (SPEC.md §14.1): a hash chain of entries whose
/// sections must come in order (manifest, ceremony, issuance report, ballots, close,
/// count). ``RecordWriter(data)`` resumes a record.
#[pyclass(module = "secret_ballot")]
pub struct RecordWriter {
    inner: CoreRecordWriter,
}

#[pymethods]
impl RecordWriter {
    #[new]
    #[pyo3(signature = (data=None))]
    fn new(data: Option<&[u8]>) -> Res<Self> {
        let inner = match data {
            Some(bytes) => CoreRecordWriter::resume(bytes.to_vec()).map_err(to_py)?,
            None => CoreRecordWriter::new(),
        };
        Ok(RecordWriter { inner })
    }

    /// Appends one message (a manifest, a ceremony package, the issuance report, …);
    /// returns the new head hash. Raises `InvalidRecord` for a message out of order.
    fn append(&mut self, payload: &[u8]) -> Res<Vec<u8>> {
        self.inner
            .append(payload)
            .map(|h| h.to_vec())
            .map_err(to_py)
    }

    /// Appends the close: representatives present and when voting closed (seconds since
    /// the epoch; default now) (SPEC.md §14.4).
    #[pyo3(signature = (present, closed_at=None))]
    fn close(&mut self, present: u32, closed_at: Option<u64>) -> Res<Vec<u8>> {
        let closed_at = closed_at.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
        self.append(&wire::record_close(present, closed_at))
    }

    /// The hash of the last entry.
    #[getter]
    fn head(&self) -> Vec<u8> {
        self.inner.head().to_vec()
    }

    /// Entries written.
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The record's bytes.
    fn to_bytes(&self) -> Vec<u8> {
        self.inner.as_bytes().to_vec()
    }

    fn __bytes__(&self) -> Vec<u8> {
        self.to_bytes()
    }
}

/// Completes a closed record with the trustees' decryption shares: verifies it,
/// recomputes the aggregate, combines the shares and appends the aggregate, the valid
/// shares, the totals and the outcomes. Returns ``(record, tally)`` with ``tally`` a dict
/// of ``totals``, ``trustees`` (combined) and ``rejected``. Raises `AggregateRefused` for
/// a record that does not verify or is not at its close, `InvalidDecryptionShares` when
/// too few valid shares remain. Releases the GIL.
#[pyfunction]
#[pyo3(signature = (closed_record, shares, seed=None))]
pub(crate) fn tally_record<'py>(
    py: Python<'py>,
    closed_record: &[u8],
    shares: Vec<Vec<u8>>,
    seed: Option<&[u8]>,
) -> Res<(Vec<u8>, Bound<'py, PyDict>)> {
    let mut rng = seeded(py, seed)?;
    let refs: Vec<&[u8]> = shares.iter().map(Vec::as_slice).collect();
    let (record, tally) = py
        .detach(|| wire::record_tally(closed_record, &refs, &mut rng))
        .map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("totals", tally.totals)?;
    d.set_item("trustees", tally.trustees)?;
    d.set_item("rejected", tally.rejected)?;
    Ok((record, d))
}

/// The length of the record entry whose framing starts ``header`` (38 bytes suffice),
/// to feed a `RecordVerifier` one entry at a time. Raises `EncodingError`.
#[pyfunction]
pub(crate) fn record_entry_len(header: &[u8]) -> Res<usize> {
    wire::record_entry_len(header).map_err(to_py)
}

/// A streaming record verifier (SPEC.md §14.7, §14.8): ``push_entry`` each entry in
/// order (see `record_entry_len`), then ``finish`` for the same report as
/// `verify_record`. Entries are checked as they come; nothing else is kept.
#[pyclass(module = "secret_ballot")]
pub struct RecordVerifier {
    verifier: Option<Verifier<ChaCha20Rng>>,
}

#[pymethods]
impl RecordVerifier {
    /// A verifier whose batch weights come from ``seed`` (default: the OS).
    #[new]
    #[pyo3(signature = (seed=None))]
    fn new(py: Python<'_>, seed: Option<&[u8]>) -> Res<Self> {
        let rng = match seed {
            Some(seed) => rng(seed)?,
            None => seeded(py, None)?,
        };
        Ok(RecordVerifier {
            verifier: Some(Verifier::new(rng)),
        })
    }

    /// Reads one entry (exactly one: trailing bytes are an encoding failure). Releases
    /// the GIL.
    fn push_entry(&mut self, py: Python<'_>, entry: &[u8]) -> Res<()> {
        let verifier = self
            .verifier
            .as_mut()
            .ok_or_else(|| invalid_input("this verifier has finished"))?;
        py.detach(|| verifier.push_bytes(entry));
        Ok(())
    }

    /// Runs the checks that need the whole record; returns the report as JSON text
    /// (the package's wrapper parses it). Once only.
    fn finish(&mut self, py: Python<'_>) -> Res<String> {
        let verifier = self
            .verifier
            .take()
            .ok_or_else(|| invalid_input("this verifier has finished"))?;
        Ok(py.detach(|| verifier.finish().to_json()))
    }
}
