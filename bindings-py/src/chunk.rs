//! Verification in chunks (SPEC.md §14.11): conversions over `secret_ballot::verify::chunk`,
//! and reading a record file's byte ranges so a worker needs only a path.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use secret_ballot::verify::chunk;

use crate::error::{invalid_input, to_py};
use crate::{Res, seeded};

fn os_error(path: &str, e: &std::io::Error) -> PyErr {
    PyOSError::new_err(format!("{path}: {e}"))
}

/// Reads bytes `from..to` of a file.
fn read_range(path: &str, from: u64, to: u64) -> Res<Vec<u8>> {
    let len = usize::try_from(to.saturating_sub(from))
        .map_err(|_| invalid_input("a byte range beyond this machine's address space"))?;
    let mut file = File::open(path).map_err(|e| os_error(path, &e))?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| os_error(path, &e))?;
    let mut out = vec![0u8; len];
    file.read_exact(&mut out).map_err(|e| os_error(path, &e))?;
    Ok(out)
}

/// One chunk of a plan: a run of consecutive cast-ballot entries (``index``,
/// ``first_entry``, ``entries``, the byte range ``start``..``end`` and the ``floor``, the
/// highest pseudonym before it). Pickles as its canonical bytes.
#[pyclass(module = "secret_ballot.chunks", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ChunkSpec {
    pub(crate) inner: chunk::ChunkSpec,
}

#[pymethods]
impl ChunkSpec {
    /// Decodes a chunk description. Raises `EncodingError`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> Res<Self> {
        let inner = chunk::ChunkSpec::from_bytes(data).map_err(|e| to_py(e.into()))?;
        Ok(ChunkSpec { inner })
    }

    /// The canonical encoding (SPEC.md §14.11).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    #[getter]
    fn index(&self) -> u32 {
        self.inner.index
    }

    #[getter]
    fn first_entry(&self) -> u64 {
        self.inner.first_entry
    }

    #[getter]
    fn entries(&self) -> u64 {
        self.inner.entries
    }

    #[getter]
    fn start(&self) -> u64 {
        self.inner.start
    }

    #[getter]
    fn end(&self) -> u64 {
        self.inner.end
    }

    #[getter]
    fn floor<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.floor.map(|f| PyBytes::new(py, &f))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> Res<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        Ok((from_bytes, (PyBytes::new(py, &slf.get().inner.to_bytes()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "ChunkSpec(index={}, first_entry={}, entries={}, start={}, end={})",
            self.inner.index,
            self.inner.first_entry,
            self.inner.entries,
            self.inner.start,
            self.inner.end
        )
    }
}

/// What a pickled plan stores: prefix length, prefix entries, chunks, record length.
type PlanParts = (u64, u64, Vec<ChunkSpec>, u64);

/// A record split for chunked verification: the prefix (``prefix_len`` bytes,
/// ``prefix_entries`` entries), the ``chunks`` and the suffix from ``suffix_start`` to
/// ``record_len``. Make one with `plan_record` or `plan_record_file`.
#[pyclass(module = "secret_ballot.chunks", frozen)]
pub struct RecordPlan {
    inner: chunk::Plan,
}

#[pymethods]
impl RecordPlan {
    /// Rebuilds a plan from its parts (what pickling stores); checks it is consistent.
    /// Raises `ChunkMismatch`.
    #[staticmethod]
    fn from_parts(
        prefix_len: u64,
        prefix_entries: u64,
        chunks: Vec<PyRef<'_, ChunkSpec>>,
        record_len: u64,
    ) -> Res<Self> {
        let inner = chunk::Plan {
            prefix_len,
            prefix_entries,
            chunks: chunks.iter().map(|c| c.inner.clone()).collect(),
            record_len,
        };
        inner.validate().map_err(to_py)?;
        Ok(RecordPlan { inner })
    }

    #[getter]
    fn prefix_len(&self) -> u64 {
        self.inner.prefix_len
    }

    #[getter]
    fn prefix_entries(&self) -> u64 {
        self.inner.prefix_entries
    }

    #[getter]
    fn record_len(&self) -> u64 {
        self.inner.record_len
    }

    #[getter]
    fn suffix_start(&self) -> u64 {
        self.inner.suffix_start()
    }

    #[getter]
    fn chunks(&self) -> Vec<ChunkSpec> {
        self.inner
            .chunks
            .iter()
            .map(|c| ChunkSpec { inner: c.clone() })
            .collect()
    }

    fn __len__(&self) -> usize {
        self.inner.chunks.len()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> Res<(Bound<'py, PyAny>, PlanParts)> {
        let from_parts = slf.get_type().getattr("from_parts")?;
        let p = &slf.get().inner;
        let chunks = p
            .chunks
            .iter()
            .map(|c| ChunkSpec { inner: c.clone() })
            .collect();
        Ok((
            from_parts,
            (p.prefix_len, p.prefix_entries, chunks, p.record_len),
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "RecordPlan(prefix_entries={}, chunks={}, record_len={})",
            self.inner.prefix_entries,
            self.inner.chunks.len(),
            self.inner.record_len
        )
    }
}

/// What one chunk's verification found: its ``spec``, hashes, partial aggregate
/// (``partial_aggregate``: one 64-byte ciphertext per position), the ``ballots`` counted,
/// the ``pseudonyms`` read, the invalid entries (``culprits``), and whether every check it
/// ran ``passed``. Nothing in it is secret. Pickles as its canonical bytes.
#[pyclass(module = "secret_ballot.chunks", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ChunkResult {
    inner: chunk::ChunkResult,
}

#[pymethods]
impl ChunkResult {
    /// Decodes a chunk result. Raises `EncodingError`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> Res<Self> {
        let inner = chunk::ChunkResult::from_bytes(data).map_err(|e| to_py(e.into()))?;
        Ok(ChunkResult { inner })
    }

    /// The canonical encoding (SPEC.md §14.11).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    #[getter]
    fn spec(&self) -> ChunkSpec {
        ChunkSpec {
            inner: self.inner.spec.clone(),
        }
    }

    #[getter]
    fn ballots(&self) -> u64 {
        self.inner.ballots
    }

    #[getter]
    fn pseudonyms(&self) -> u64 {
        self.inner.pseudonyms()
    }

    #[getter]
    fn passed(&self) -> bool {
        self.inner.passed()
    }

    #[getter]
    fn culprits(&self) -> Vec<u64> {
        self.inner.culprits.clone()
    }

    #[getter]
    fn first_previous<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.first_previous)
    }

    #[getter]
    fn last_hash<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.last_hash)
    }

    #[getter]
    fn partial_aggregate<'py>(&self, py: Python<'py>) -> Vec<Bound<'py, PyBytes>> {
        self.inner
            .sums
            .iter()
            .map(|c| PyBytes::new(py, &c.to_bytes()))
            .collect()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> Res<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        Ok((from_bytes, (PyBytes::new(py, &slf.get().inner.to_bytes()),)))
    }

    fn __repr__(&self) -> String {
        format!(
            "ChunkResult(index={}, ballots={}, passed={})",
            self.inner.spec.index,
            self.inner.ballots,
            if self.inner.passed() { "True" } else { "False" }
        )
    }
}

/// Splits an in-memory record into chunks of at most ``ballots_per_chunk`` cast ballots.
#[pyfunction]
pub(crate) fn plan_record(py: Python<'_>, record: &[u8], ballots_per_chunk: u64) -> RecordPlan {
    RecordPlan {
        inner: py.detach(|| chunk::Plan::new(record, ballots_per_chunk)),
    }
}

/// Splits the record in file ``path`` into chunks, reading only each entry's first 72
/// bytes. Raises `OSError`. Releases the GIL.
#[pyfunction]
pub(crate) fn plan_record_file(
    py: Python<'_>,
    path: &str,
    ballots_per_chunk: u64,
) -> Res<RecordPlan> {
    let inner = py
        .detach(|| {
            // Unbuffered: the plan reads 72 bytes and seeks past the rest of each entry,
            // and a buffered reader would refill its buffer at every seek.
            chunk::Plan::read(File::open(path)?, ballots_per_chunk)
        })
        .map_err(|e| os_error(path, &e))?;
    Ok(RecordPlan { inner })
}

/// Verifies one chunk from its bytes and the record's prefix. Raises `ChunkMismatch`
/// when the bytes do not fit ``spec``. Releases the GIL.
#[pyfunction]
#[pyo3(signature = (prefix, chunk_bytes, spec, seed=None))]
pub(crate) fn verify_chunk(
    py: Python<'_>,
    prefix: &[u8],
    chunk_bytes: &[u8],
    spec: &ChunkSpec,
    seed: Option<&[u8]>,
) -> Res<ChunkResult> {
    let rng = seeded(py, seed)?;
    let inner = py
        .detach(|| chunk::verify_chunk(prefix, chunk_bytes, &spec.inner, rng))
        .map_err(to_py)?;
    Ok(ChunkResult { inner })
}

/// Verifies one chunk of the record in file ``path`` (its prefix is the first
/// ``prefix_len`` bytes). Raises `OSError`, `ChunkMismatch`. Releases the GIL.
#[pyfunction]
#[pyo3(signature = (path, prefix_len, spec, seed=None))]
pub(crate) fn verify_chunk_file(
    py: Python<'_>,
    path: &str,
    prefix_len: u64,
    spec: &ChunkSpec,
    seed: Option<&[u8]>,
) -> Res<ChunkResult> {
    let rng = seeded(py, seed)?;
    let spec = &spec.inner;
    let (prefix, bytes) = py.detach(|| {
        Ok::<_, PyErr>((
            read_range(path, 0, prefix_len)?,
            read_range(path, spec.start, spec.end)?,
        ))
    })?;
    let inner = py
        .detach(|| chunk::verify_chunk(&prefix, &bytes, spec, rng))
        .map_err(to_py)?;
    Ok(ChunkResult { inner })
}

/// Combines the chunks' results (any order) with the record's prefix and suffix into
/// the report `verify_record` gives, as JSON text. Raises `ChunkMismatch` when the
/// results do not cover the plan's chunks exactly once or do not fit the record.
/// Releases the GIL.
#[pyfunction]
#[pyo3(signature = (plan, prefix, results, suffix, seed=None))]
pub(crate) fn combine_chunks(
    py: Python<'_>,
    plan: &RecordPlan,
    prefix: &[u8],
    results: Vec<PyRef<'_, ChunkResult>>,
    suffix: &[u8],
    seed: Option<&[u8]>,
) -> Res<String> {
    let rng = seeded(py, seed)?;
    let results: Vec<chunk::ChunkResult> = results.iter().map(|r| r.inner.clone()).collect();
    let report = py
        .detach(|| chunk::combine(&plan.inner, prefix, results, suffix, rng))
        .map_err(to_py)?;
    Ok(report.to_json())
}

/// `combine_chunks` reading the prefix and suffix from the record file ``path``.
/// Raises `OSError`, `ChunkMismatch`. Releases the GIL.
#[pyfunction]
#[pyo3(signature = (path, plan, results, seed=None))]
pub(crate) fn combine_chunks_file(
    py: Python<'_>,
    path: &str,
    plan: &RecordPlan,
    results: Vec<PyRef<'_, ChunkResult>>,
    seed: Option<&[u8]>,
) -> Res<String> {
    let p = &plan.inner;
    let (prefix, suffix) = py.detach(|| {
        Ok::<_, PyErr>((
            read_range(path, 0, p.prefix_len)?,
            read_range(path, p.suffix_start(), p.record_len)?,
        ))
    })?;
    combine_chunks(py, plan, &prefix, results, &suffix, seed)
}

/// Adds the chunk functions and classes to the native module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(plan_record, m)?)?;
    m.add_function(wrap_pyfunction!(plan_record_file, m)?)?;
    m.add_function(wrap_pyfunction!(verify_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(verify_chunk_file, m)?)?;
    m.add_function(wrap_pyfunction!(combine_chunks, m)?)?;
    m.add_function(wrap_pyfunction!(combine_chunks_file, m)?)?;
    m.add_class::<ChunkSpec>()?;
    m.add_class::<RecordPlan>()?;
    m.add_class::<ChunkResult>()?;
    Ok(())
}
