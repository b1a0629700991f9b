//! The election manifest (SPEC.md §11): loaded from its canonical bytes, or built from
//! Python values. The congress rules (SPEC.md §10) default to quorum `3·P ≥ 2·N`, pass
//! `2·Y > N` and run-offs; keyword arguments set them, by name, and the core validates.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use secret_ballot::credential::IssuerPublicKey;
use secret_ballot::elgamal::PublicKey;
use secret_ballot::manifest::{Manifest as CoreManifest, Question};
use secret_ballot::rules::{Base, ShortfallPolicy, Strictness, Threshold, TiePolicy};

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

fn base(name: &str) -> Res<Base> {
    match name {
        "roster" => Ok(Base::Roster),
        "present" => Ok(Base::Present),
        "votes_cast" => Ok(Base::VotesCast),
        _ => Err(invalid_input(
            "a threshold's base is \"roster\", \"present\" or \"votes_cast\"",
        )),
    }
}

fn base_name(base: Base) -> Res<&'static str> {
    match base {
        Base::Roster => Ok("roster"),
        Base::Present => Ok("present"),
        Base::VotesCast => Ok("votes_cast"),
        _ => Err(invalid_input("a threshold base this binding does not know")),
    }
}

/// A threshold from its keyword arguments; the core checks the fraction
/// (`InvalidInput` unless `0 < num ≤ den`).
fn threshold(fraction: (u32, u32), base_name: &str, strict: bool) -> Res<Threshold> {
    let strictness = if strict {
        Strictness::Strict
    } else {
        Strictness::Inclusive
    };
    Threshold::new(fraction.0, fraction.1, base(base_name)?, strictness).map_err(to_py)
}

fn threshold_dict<'py>(py: Python<'py>, t: &Threshold) -> Res<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("fraction", (t.numerator(), t.denominator()))?;
    d.set_item("base", base_name(t.base())?)?;
    d.set_item("strict", t.strictness() == Strictness::Strict)?;
    Ok(d)
}

fn tie_policy(name: &str) -> Res<TiePolicy> {
    match name {
        "runoff" => Ok(TiePolicy::Runoff),
        "fewest_against" => Ok(TiePolicy::FewestAgainst),
        "lot" => Ok(TiePolicy::Lot),
        _ => Err(invalid_input(
            "tie_policy is \"runoff\", \"fewest_against\" or \"lot\"",
        )),
    }
}

fn shortfall_policy(name: &str) -> Res<ShortfallPolicy> {
    match name {
        "runoff" => Ok(ShortfallPolicy::Runoff),
        "vacant" => Ok(ShortfallPolicy::LeaveVacant),
        _ => Err(invalid_input(
            "shortfall_policy is \"runoff\" or \"vacant\"",
        )),
    }
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
    /// "indicators"?}``. Keys are 32-byte public keys (see `generate_keypair`).
    ///
    /// The congress rules (SPEC.md §10), fixed in the manifest and so in the election
    /// context:
    ///
    /// * the quorum, ``quorum_fraction`` of the ``quorum_base``, met inclusively (以上,
    ///   ``P ≥ 2/3·N``) unless ``quorum_strict``: default ``(2, 3)``, ``"roster"``,
    ///   ``False``; the base must be ``"roster"`` (`InvalidManifest` otherwise);
    /// * the pass rule of motions and candidates, ``pass_fraction`` of the ``pass_base``
    ///   (``"roster"`` N, ``"present"`` P, or ``"votes_cast"``, the item's for + against
    ///   + abstain), strict (超过 / 过半数, ``Y > N/2``) unless ``pass_strict`` is
    ///   ``False``: default ``(1, 2)``, ``"roster"``, ``True``; the Shanghai literal
    ///   reading 半数以上 is ``pass_strict=False``;
    /// * ``tie_policy`` at an election's last seat: ``"runoff"`` (default),
    ///   ``"fewest_against"`` or ``"lot"``;
    /// * ``shortfall_policy`` when fewer candidates qualify than there are seats:
    ///   ``"runoff"`` (default) or ``"vacant"``.
    ///
    /// A fraction must satisfy ``0 < num ≤ den`` and an unknown name is refused
    /// (`InvalidInput`); every other rule of SPEC.md §11.1 raises `InvalidManifest`.
    #[staticmethod]
    #[pyo3(signature = (*, election_id, title, roster, questions, trustee_threshold, trustee_keys, issuer_key, report_key, privacy_floor=1, revoting=false, quorum_fraction=(2, 3), quorum_base="roster", quorum_strict=false, pass_fraction=(1, 2), pass_base="roster", pass_strict=true, tie_policy="runoff", shortfall_policy="runoff"))]
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
        quorum_fraction: (u32, u32),
        quorum_base: &str,
        quorum_strict: bool,
        pass_fraction: (u32, u32),
        pass_base: &str,
        pass_strict: bool,
        tie_policy: &str,
        shortfall_policy: &str,
    ) -> Res<Self> {
        let quorum = threshold(quorum_fraction, quorum_base, quorum_strict)?;
        let pass = threshold(pass_fraction, pass_base, pass_strict)?;
        let (tie, shortfall) = (
            self::tie_policy(tie_policy)?,
            self::shortfall_policy(shortfall_policy)?,
        );
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
            quorum,
            pass,
            tie,
            shortfall,
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

    /// The quorum rule: ``{"fraction": (num, den), "base": str, "strict": bool}`` (see
    /// `build`).
    #[getter]
    fn quorum<'py>(&self, py: Python<'py>) -> Res<Bound<'py, PyDict>> {
        threshold_dict(py, &self.inner.quorum)
    }

    /// The pass rule of motions and candidates, as `quorum`.
    #[getter]
    fn pass_rule<'py>(&self, py: Python<'py>) -> Res<Bound<'py, PyDict>> {
        threshold_dict(py, &self.inner.pass)
    }

    /// The tie policy at an election's last seat: ``"runoff"``, ``"fewest_against"`` or
    /// ``"lot"``.
    #[getter]
    fn tie_policy(&self) -> Res<&'static str> {
        match self.inner.tie {
            TiePolicy::Runoff => Ok("runoff"),
            TiePolicy::FewestAgainst => Ok("fewest_against"),
            TiePolicy::Lot => Ok("lot"),
            _ => Err(invalid_input("a tie policy this binding does not know")),
        }
    }

    /// What happens when too few candidates qualify: ``"runoff"`` or ``"vacant"``.
    #[getter]
    fn shortfall_policy(&self) -> Res<&'static str> {
        match self.inner.shortfall {
            ShortfallPolicy::Runoff => Ok("runoff"),
            ShortfallPolicy::LeaveVacant => Ok("vacant"),
            _ => Err(invalid_input(
                "a shortfall policy this binding does not know",
            )),
        }
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
