//! The election manifest (SPEC.md §11): loaded from its canonical bytes, or built from
//! Python values with the default rules (quorum `3·P ≥ 2·N`, pass `2·Y > N`, runoffs).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use secret_ballot::credential::IssuerPublicKey;
use secret_ballot::elgamal::PublicKey;
use secret_ballot::manifest::{Manifest as CoreManifest, Question};
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};

use crate::Res;
use crate::error::{invalid_input, to_py};

/// A validated election manifest. `Manifest(data)` decodes and validates canonical
/// bytes; `Manifest.build(...)` makes one. `bytes(manifest)` is its canonical encoding.
#[pyclass(module = "secret_ballot", frozen)]
pub struct Manifest {
    inner: CoreManifest,
    bytes: Vec<u8>,
    context: Vec<u8>,
}

impl Manifest {
    fn from_core(inner: CoreManifest) -> Res<Self> {
        let bytes = inner.to_bytes().map_err(to_py)?;
        let context = inner.context().map_err(to_py)?.to_vec();
        Ok(Manifest {
            inner,
            bytes,
            context,
        })
    }
}

fn item<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(
    q: &Bound<'py, PyDict>,
    key: &str,
) -> Res<T> {
    q.get_item(key)?
        .ok_or_else(|| invalid_input("a question misses a field (see Manifest.build)"))?
        .extract()
        .map_err(|_| invalid_input("a question field has the wrong type (see Manifest.build)"))
}

fn question(q: &Bound<'_, PyDict>) -> Res<Question> {
    let kind: String = item(q, "kind")?;
    let title: String = item(q, "title")?;
    Ok(match kind.as_str() {
        "motion" => Question::Motion { title },
        "choice" => Question::Choice {
            title,
            options: item(q, "options")?,
            min: item(q, "min")?,
            max: item(q, "max")?,
        },
        "election" => Question::Election {
            title,
            candidates: item(q, "candidates")?,
            seats: item(q, "seats")?,
        },
        "evaluation" => Question::Evaluation {
            title,
            subjects: item(q, "subjects")?,
            levels: item(q, "levels")?,
            allow_blank: item(q, "allow_blank")?,
            indicators: match q.get_item("indicators")? {
                Some(v) => v.extract().map_err(|_| {
                    invalid_input("indicators are a list of (name, [level, …]) pairs")
                })?,
                None => Vec::new(),
            },
        },
        _ => {
            return Err(invalid_input(
                "a question's kind is motion, choice, election or evaluation",
            ));
        }
    })
}

fn question_dict<'py>(py: Python<'py>, q: &Question) -> Res<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    match q {
        Question::Motion { title } => {
            d.set_item("kind", "motion")?;
            d.set_item("title", title)?;
        }
        Question::Choice {
            title,
            options,
            min,
            max,
        } => {
            d.set_item("kind", "choice")?;
            d.set_item("title", title)?;
            d.set_item("options", options)?;
            d.set_item("min", min)?;
            d.set_item("max", max)?;
        }
        Question::Election {
            title,
            candidates,
            seats,
        } => {
            d.set_item("kind", "election")?;
            d.set_item("title", title)?;
            d.set_item("candidates", candidates)?;
            d.set_item("seats", seats)?;
        }
        Question::Evaluation {
            title,
            subjects,
            levels,
            allow_blank,
            indicators,
        } => {
            d.set_item("kind", "evaluation")?;
            d.set_item("title", title)?;
            d.set_item("subjects", subjects)?;
            d.set_item("levels", levels)?;
            d.set_item("allow_blank", allow_blank)?;
            d.set_item("indicators", indicators.clone())?;
        }
    }
    Ok(d)
}

#[pymethods]
impl Manifest {
    /// Decodes and validates a manifest's canonical bytes (SPEC.md §11.1). Raises
    /// `EncodingError` or `InvalidManifest`.
    #[new]
    fn new(data: &[u8]) -> Res<Self> {
        Manifest::from_core(CoreManifest::from_bytes(data).map_err(to_py)?)
    }

    /// Builds and validates a manifest. Each question is a dict with a ``kind``:
    /// ``{"kind": "motion", "title"}``, ``{"kind": "choice", "title", "options", "min",
    /// "max"}``, ``{"kind": "election", "title", "candidates", "seats"}`` or
    /// ``{"kind": "evaluation", "title", "subjects", "levels", "allow_blank",
    /// "indicators"?}``. Keys are 32-byte public keys (see `generate_keypair`); the rules
    /// are the defaults (quorum 2/3 of the roster, pass more than half of the roster,
    /// runoff on a tie or a shortfall).
    #[staticmethod]
    #[pyo3(signature = (*, election_id, title, roster, questions, trustee_threshold, trustee_keys, issuer_key, report_key, privacy_floor=1, revoting=false))]
    #[allow(clippy::too_many_arguments)]
    fn build(
        election_id: &[u8],
        title: String,
        roster: u32,
        questions: &Bound<'_, PyList>,
        trustee_threshold: u16,
        trustee_keys: Vec<Vec<u8>>,
        issuer_key: &[u8],
        report_key: &[u8],
        privacy_floor: u32,
        revoting: bool,
    ) -> Res<Self> {
        let questions = questions
            .iter()
            .map(|q| {
                q.cast_into::<PyDict>()
                    .map_err(|_| invalid_input("each question is a dict"))
                    .and_then(|q| question(&q))
            })
            .collect::<Res<Vec<_>>>()?;
        let trustee_keys = trustee_keys
            .iter()
            .map(|k| PublicKey::from_bytes(k))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| to_py(e.into()))?;
        let manifest = CoreManifest {
            election_id: election_id.to_vec(),
            title,
            roster,
            questions,
            quorum: Threshold::QUORUM,
            pass: Threshold::PASS,
            tie: TiePolicy::Runoff,
            shortfall: ShortfallPolicy::Runoff,
            trustee_threshold,
            trustee_keys,
            issuer_key: IssuerPublicKey::from_bytes(issuer_key).map_err(|e| to_py(e.into()))?,
            report_key: PublicKey::from_bytes(report_key).map_err(|e| to_py(e.into()))?,
            privacy_floor,
            revoting,
        };
        manifest.validate().map_err(to_py)?;
        Manifest::from_core(manifest)
    }

    /// The canonical encoding.
    fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    fn __bytes__(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// The election context (32 bytes): the manifest's hash, which binds every message.
    #[getter]
    fn context(&self) -> Vec<u8> {
        self.context.clone()
    }

    /// The election id.
    #[getter]
    fn election_id(&self) -> Vec<u8> {
        self.inner.election_id.clone()
    }

    /// The title.
    #[getter]
    fn title(&self) -> String {
        self.inner.title.clone()
    }

    /// Representatives holding a mandate (`N`).
    #[getter]
    fn roster(&self) -> u32 {
        self.inner.roster
    }

    /// The questions, as dicts (see `build`).
    #[getter]
    fn questions<'py>(&self, py: Python<'py>) -> Res<Vec<Bound<'py, PyDict>>> {
        self.inner
            .questions
            .iter()
            .map(|q| question_dict(py, q))
            .collect()
    }

    /// Ballot positions (the width of every ballot and of the totals).
    #[getter]
    fn width(&self) -> usize {
        self.inner.width()
    }

    /// The trustee threshold `t`.
    #[getter]
    fn trustee_threshold(&self) -> u16 {
        self.inner.trustee_threshold
    }

    /// The trustees' long-term public keys (trustee `i` is `trustee_keys[i - 1]`).
    #[getter]
    fn trustee_keys(&self) -> Vec<Vec<u8>> {
        self.inner
            .trustee_keys
            .iter()
            .map(|k| k.to_bytes().to_vec())
            .collect()
    }

    /// The credential issuer's public key.
    #[getter]
    fn issuer_key(&self) -> Vec<u8> {
        self.inner.issuer_key.to_bytes().to_vec()
    }

    /// The issuance report's public key.
    #[getter]
    fn report_key(&self) -> Vec<u8> {
        self.inner.report_key.to_bytes().to_vec()
    }

    /// Fewest ballots before any aggregate may be decrypted.
    #[getter]
    fn privacy_floor(&self) -> u32 {
        self.inner.privacy_floor
    }

    /// Whether a later ballot of a credential replaces the earlier one.
    #[getter]
    fn revoting(&self) -> bool {
        self.inner.revoting
    }

    fn __repr__(&self) -> String {
        format!(
            "Manifest(election_id={:?}, roster={}, questions={})",
            String::from_utf8_lossy(&self.inner.election_id),
            self.inner.roster,
            self.inner.questions.len()
        )
    }
}
