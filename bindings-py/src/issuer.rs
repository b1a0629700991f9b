//! The credential issuer (SPEC.md §9.3) over a session store: the core's in-memory store
//! by default, or a Python object the host supplies (for example rows in its database).
//!
//! The host store implements the core `SessionStore` contract by calling the object's
//! methods, with the state as opaque bytes (`SessionState::expose_secret_bytes`):
//!
//! * ``insert(session_id, state, opened_at) -> None`` (raise if the id exists);
//! * ``take(session_id) -> None | (status, data)``, **atomic**: ``("open", state)`` hands
//!   an open session out exactly once (it then becomes in flight), ``("in_flight", b"")``,
//!   ``("answered", answer)``;
//! * ``record_answer(session_id, answer) -> None`` (the session becomes answered);
//! * ``claim_issuance(context, voter) -> bool``, an atomic test-and-set;
//! * ``is_issued(context, voter) -> bool``; ``issued(context) -> list[bytes]``;
//! * ``purge_opened_before(cutoff) -> int``.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::prelude::*;
use secret_ballot::Error;
use secret_ballot::credential::{
    ChallengeMessage, InMemorySessionStore, Issuer as CoreIssuer, IssuerKeypair, ReportKeypair,
    ResponseMessage, SessionId, SessionState, SessionStore, Taken, VoterId,
};
use secret_ballot::transcript::CONTEXT_LEN;

use crate::error::to_py;
use crate::{Res, seeded};

thread_local! {
    /// The exception the host store raised during the current call on this thread.
    static STORE_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Runs a call into the host store; a Python exception is kept for the caller and the
/// core sees a store failure.
fn host<T>(f: impl FnOnce(Python<'_>) -> PyResult<T>) -> Result<T, Error> {
    Python::attach(|py| {
        f(py).map_err(|e| {
            STORE_ERROR.with(|slot| *slot.borrow_mut() = Some(e));
            Error::SessionStore("the host session store raised an exception")
        })
    })
}

/// Runs an issuer step on this thread with no host exception left from an earlier one.
fn step<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    STORE_ERROR.with(|slot| slot.borrow_mut().take());
    f()
}

/// The core error as a Python exception, or the host store's own exception if it raised.
fn raised(error: Error) -> PyErr {
    let host = STORE_ERROR.with(|slot| slot.borrow_mut().take());
    match (host, &error) {
        (Some(e), Error::SessionStore(_)) => e,
        _ => to_py(error),
    }
}

fn bad_store(what: &str) -> PyErr {
    pyo3::exceptions::PyTypeError::new_err(format!("session store: {what}"))
}

/// A Python object implementing the store protocol (see the module docs).
struct HostStore(Py<PyAny>);

impl SessionStore for HostStore {
    fn insert(&self, id: SessionId, state: SessionState) -> Result<(), Error> {
        let bytes = state.expose_secret_bytes();
        host(|py| {
            self.0
                .call_method1(
                    py,
                    "insert",
                    (id.to_vec(), bytes.to_vec(), state.opened_at()),
                )
                .map(drop)
        })
    }

    fn take(&self, id: &SessionId) -> Result<Taken, Error> {
        let found: Option<(String, Vec<u8>)> =
            host(|py| self.0.call_method1(py, "take", (id.to_vec(),))?.extract(py))?;
        let Some((status, data)) = found else {
            return Ok(Taken::Missing);
        };
        match status.as_str() {
            "open" => Ok(Taken::Open(SessionState::from_secret_bytes(&data)?)),
            "in_flight" => Ok(Taken::InFlight),
            "answered" => {
                let (challenge, response) = data
                    .split_first_chunk::<32>()
                    .ok_or(Error::SessionStore("a stored answer is truncated"))?;
                Ok(Taken::Answered {
                    challenge: *challenge,
                    response: ResponseMessage::from_bytes(response)?,
                })
            }
            _ => host(|_| Err(bad_store("take() returns open, in_flight or answered"))),
        }
    }

    fn record_answer(
        &self,
        id: &SessionId,
        challenge: [u8; 32],
        response: ResponseMessage,
    ) -> Result<(), Error> {
        let mut answer = challenge.to_vec();
        answer.extend_from_slice(&response.to_bytes());
        host(|py| {
            self.0
                .call_method1(py, "record_answer", (id.to_vec(), answer))
                .map(drop)
        })
    }

    fn claim_issuance(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error> {
        host(|py| {
            self.0
                .call_method1(
                    py,
                    "claim_issuance",
                    (context.to_vec(), voter.as_bytes().to_vec()),
                )?
                .extract(py)
        })
    }

    fn is_issued(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error> {
        host(|py| {
            self.0
                .call_method1(
                    py,
                    "is_issued",
                    (context.to_vec(), voter.as_bytes().to_vec()),
                )?
                .extract(py)
        })
    }

    fn issued(&self, context: &[u8; CONTEXT_LEN]) -> Result<Vec<VoterId>, Error> {
        let ids: Vec<Vec<u8>> = host(|py| {
            self.0
                .call_method1(py, "issued", (context.to_vec(),))?
                .extract(py)
        })?;
        ids.iter().map(|id| VoterId::new(id)).collect()
    }

    fn purge_opened_before(&self, cutoff: u64) -> Result<usize, Error> {
        host(|py| {
            self.0
                .call_method1(py, "purge_opened_before", (cutoff,))?
                .extract(py)
        })
    }
}

/// The store of an issuer.
enum Store {
    Memory(InMemorySessionStore),
    Host(HostStore),
}

impl Store {
    fn get(&self) -> &dyn SessionStore {
        match self {
            Store::Memory(s) => s,
            Store::Host(s) => s,
        }
    }
}

impl SessionStore for Store {
    fn insert(&self, id: SessionId, state: SessionState) -> Result<(), Error> {
        self.get().insert(id, state)
    }
    fn take(&self, id: &SessionId) -> Result<Taken, Error> {
        self.get().take(id)
    }
    fn record_answer(
        &self,
        id: &SessionId,
        challenge: [u8; 32],
        response: ResponseMessage,
    ) -> Result<(), Error> {
        self.get().record_answer(id, challenge, response)
    }
    fn claim_issuance(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error> {
        self.get().claim_issuance(context, voter)
    }
    fn is_issued(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error> {
        self.get().is_issued(context, voter)
    }
    fn issued(&self, context: &[u8; CONTEXT_LEN]) -> Result<Vec<VoterId>, Error> {
        self.get().issued(context)
    }
    fn purge_opened_before(&self, cutoff: u64) -> Result<usize, Error> {
        self.get().purge_opened_before(cutoff)
    }
}

fn context_of(bytes: &[u8]) -> Res<[u8; CONTEXT_LEN]> {
    bytes.try_into().map_err(|_| {
        to_py(
            secret_ballot::EncodingError::WrongLength {
                expected: CONTEXT_LEN,
                actual: bytes.len(),
            }
            .into(),
        )
    })
}

fn voter(id: &[u8]) -> Res<VoterId> {
    VoterId::new(id).map_err(to_py)
}

fn now_or_clock(now: Option<u64>) -> u64 {
    now.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    })
}

/// The credential issuer: its blind-signing key, a session store and the session
/// lifetime in seconds. ``store=None`` keeps sessions in memory (one process); a host
/// object keeps them where the host wants (see the protocol in the package docs). Thread
/// safe: calls release the GIL, and the store's atomic ``take`` makes each session answer
/// at most one challenge.
#[pyclass(module = "secret_ballot", frozen)]
pub struct Issuer {
    inner: CoreIssuer<Store>,
}

#[pymethods]
impl Issuer {
    #[new]
    #[pyo3(signature = (secret_key, store=None, session_lifetime=600))]
    fn new(secret_key: &[u8], store: Option<Py<PyAny>>, session_lifetime: u64) -> Res<Self> {
        let key = IssuerKeypair::from_secret_bytes(secret_key).map_err(|e| to_py(e.into()))?;
        let store = match store {
            Some(object) => Store::Host(HostStore(object)),
            None => Store::Memory(InMemorySessionStore::new()),
        };
        Ok(Issuer {
            inner: CoreIssuer::new(key, store, session_lifetime),
        })
    }

    /// The issuer's public key (the manifest's ``issuer_key``).
    #[getter]
    fn public_key(&self) -> Vec<u8> {
        self.inner.key().public().to_bytes().to_vec()
    }

    /// Move 1 (`Credential.Commit`, SPEC.md §9.3) for an **authenticated** representative
    /// ``voter_id`` of election ``context``: opens a session, returns the commitment to
    /// send. ``now`` is the host clock in seconds (default: the system clock). Raises
    /// `SessionRefused` if the representative already holds a credential.
    #[pyo3(signature = (context, voter_id, now=None, seed=None))]
    fn commit(
        &self,
        py: Python<'_>,
        context: &[u8],
        voter_id: &[u8],
        now: Option<u64>,
        seed: Option<&[u8]>,
    ) -> Res<Vec<u8>> {
        let (context, voter) = (context_of(context)?, voter(voter_id)?);
        let mut rng = seeded(py, seed)?;
        let now = now_or_clock(now);
        py.detach(|| step(|| self.inner.commit(&context, &voter, now, &mut rng)))
            .map(|m| m.to_bytes())
            .map_err(raised)
    }

    /// Move 3 (`Credential.Respond`, §9.3): takes the session atomically and answers the
    /// voter's challenge. The identical challenge again gets the same response; any other
    /// use raises `SessionRefused` (unknown, replayed, expired, wrong voter, already
    /// issued).
    #[pyo3(signature = (challenge, voter_id, now=None))]
    fn respond(
        &self,
        py: Python<'_>,
        challenge: &[u8],
        voter_id: &[u8],
        now: Option<u64>,
    ) -> Res<Vec<u8>> {
        let challenge = ChallengeMessage::from_bytes(challenge).map_err(|e| to_py(e.into()))?;
        let voter = voter(voter_id)?;
        let now = now_or_clock(now);
        py.detach(|| step(|| self.inner.respond(&challenge, &voter, now)))
            .map(|m| m.to_bytes())
            .map_err(raised)
    }

    /// The issuance report (SPEC.md §9.7): every representative issued a credential for
    /// ``context``, signed with the report key (the manifest's ``report_key``).
    #[pyo3(signature = (context, report_secret_key, seed=None))]
    fn report(
        &self,
        py: Python<'_>,
        context: &[u8],
        report_secret_key: &[u8],
        seed: Option<&[u8]>,
    ) -> Res<Vec<u8>> {
        let context = context_of(context)?;
        let key =
            ReportKeypair::from_secret_bytes(report_secret_key).map_err(|e| to_py(e.into()))?;
        let mut rng = seeded(py, seed)?;
        py.detach(|| step(|| self.inner.report(&context, &key, &mut rng)))
            .map(|r| r.to_bytes())
            .map_err(raised)
    }

    /// The representatives issued a credential for ``context``.
    fn issued(&self, py: Python<'_>, context: &[u8]) -> Res<Vec<Vec<u8>>> {
        let context = context_of(context)?;
        py.detach(|| step(|| self.inner.store().issued(&context)))
            .map(|ids| ids.iter().map(|id| id.as_bytes().to_vec()).collect())
            .map_err(raised)
    }

    /// Drops open sessions opened before ``cutoff``; returns how many.
    fn purge_opened_before(&self, py: Python<'_>, cutoff: u64) -> Res<usize> {
        py.detach(|| step(|| self.inner.store().purge_opened_before(cutoff)))
            .map_err(raised)
    }
}
