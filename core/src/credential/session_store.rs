//! Where the issuer keeps per-session secrets: single use, atomically taken.

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::scalar::Scalar;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::issuer::{ResponseMessage, SessionId};
use super::report::VoterId;
use crate::encoding::{Reader, SCALAR_LEN};
use crate::error::{EncodingError, Error};
use crate::transcript::CONTEXT_LEN;

/// The issuer's secret state of one open session: `(a, y, t)`, the representative it
/// belongs to, the election, and when it was opened. Zeroized on drop, redacted.
///
/// Answering two different challenges with the same state reveals the issuer key
/// (`x = (s₁ − s₂)/((e₁ − e₂)·y)`), which is why a [`SessionStore`] hands it out once.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionState {
    #[zeroize(skip)]
    pub(crate) voter: VoterId,
    #[zeroize(skip)]
    pub(crate) context: [u8; CONTEXT_LEN],
    pub(crate) a: Scalar,
    pub(crate) y: Scalar,
    pub(crate) t: Scalar,
    #[zeroize(skip)]
    pub(crate) opened_at: u64,
}

impl SessionState {
    /// The representative this session belongs to.
    pub fn voter(&self) -> &VoterId {
        &self.voter
    }

    /// The election.
    pub fn context(&self) -> &[u8; CONTEXT_LEN] {
        &self.context
    }

    /// When the session was opened (host clock, seconds).
    pub fn opened_at(&self) -> u64 {
        self.opened_at
    }

    /// Serialises the secret state for a host database (encrypt it at rest):
    /// `context ‖ LE64(opened_at) ‖ a ‖ y ‖ t ‖ u8(len) ‖ voter`.
    pub fn expose_secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(
            CONTEXT_LEN + 8 + 3 * SCALAR_LEN + 1 + self.voter.as_bytes().len(),
        ));
        out.extend_from_slice(&self.context);
        out.extend_from_slice(&self.opened_at.to_le_bytes());
        out.extend_from_slice(self.a.as_bytes());
        out.extend_from_slice(self.y.as_bytes());
        out.extend_from_slice(self.t.as_bytes());
        out.push(u8::try_from(self.voter.as_bytes().len()).unwrap_or(u8::MAX));
        out.extend_from_slice(self.voter.as_bytes());
        out
    }

    /// Restores a state written by [`SessionState::expose_secret_bytes`].
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, EncodingError> {
        let mut r = Reader::new(bytes);
        let context = r.array::<CONTEXT_LEN>()?;
        let opened_at = u64::from_le_bytes(r.array::<8>()?);
        let a = r.scalar()?;
        let y = r.scalar()?;
        if y == Scalar::ZERO {
            return Err(EncodingError::ZeroScalar);
        }
        let t = r.scalar()?;
        let len = usize::from(r.u8()?);
        let voter = VoterId::new(r.take(len)?).map_err(|_| EncodingError::CountOutOfBounds {
            count: len,
            limit: 255,
        })?;
        r.finish()?;
        Ok(SessionState {
            voter,
            context,
            a,
            y,
            t,
            opened_at,
        })
    }
}

impl fmt::Debug for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionState")
            .field("voter", &self.voter)
            .field("opened_at", &self.opened_at)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

/// What [`SessionStore::take`] found.
#[derive(Debug)]
pub enum Taken {
    /// The session was open; it is now consumed and belongs to the caller alone.
    Open(SessionState),
    /// The session was already answered: the challenge it answered and the response.
    Answered {
        /// The challenge bytes that were answered.
        challenge: [u8; SCALAR_LEN],
        /// The response that was sent.
        response: ResponseMessage,
    },
    /// The session is being answered right now by another worker.
    InFlight,
    /// No such session.
    Missing,
}

/// Storage for the issuer's sessions and its issuance list, provided by the host.
///
/// # Contract
/// * [`SessionStore::take`] is **atomic**: of any number of concurrent calls for one
///   open session, exactly one returns [`Taken::Open`]; the session then never returns
///   `Open` again, even after a restart (persist the transition before returning).
/// * [`SessionStore::claim_issuance`] is an atomic test-and-set on
///   `(context, voter)`.
/// * The store zeroizes (or securely deletes) states it drops.
pub trait SessionStore {
    /// Stores a new open session. Fails if the id exists.
    fn insert(&self, id: SessionId, state: SessionState) -> Result<(), Error>;
    /// Atomically takes an open session (see the contract).
    fn take(&self, id: &SessionId) -> Result<Taken, Error>;
    /// Records the answer of a taken session, so an identical retry gets the same bytes.
    fn record_answer(
        &self,
        id: &SessionId,
        challenge: [u8; SCALAR_LEN],
        response: ResponseMessage,
    ) -> Result<(), Error>;
    /// Marks `voter` as issued for `context`; `false` if it already was.
    fn claim_issuance(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error>;
    /// Whether `voter` was issued a credential for `context`.
    fn is_issued(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error>;
    /// Every voter issued a credential for `context`.
    fn issued(&self, context: &[u8; CONTEXT_LEN]) -> Result<Vec<VoterId>, Error>;
    /// Drops open sessions opened before `cutoff`; returns how many.
    fn purge_opened_before(&self, cutoff: u64) -> Result<usize, Error>;
}

#[cfg(feature = "std")]
mod memory {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Mutex;

    enum Entry {
        Open(SessionState),
        InFlight,
        Answered([u8; SCALAR_LEN], ResponseMessage),
    }

    #[derive(Default)]
    struct Inner {
        sessions: BTreeMap<SessionId, Entry>,
        issued: BTreeSet<([u8; CONTEXT_LEN], VoterId)>,
    }

    /// A [`SessionStore`] in process memory, safe across threads (one mutex). Sessions
    /// do not survive a restart, which is safe: a lost session only makes the voter
    /// start again.
    #[derive(Default)]
    pub struct InMemorySessionStore {
        inner: Mutex<Inner>,
    }

    impl fmt::Debug for InMemorySessionStore {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("InMemorySessionStore")
        }
    }

    impl InMemorySessionStore {
        /// An empty store.
        pub fn new() -> Self {
            Self::default()
        }

        fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, Error> {
            self.inner
                .lock()
                .map_err(|_| Error::SessionStore("poisoned lock"))
        }
    }

    impl SessionStore for InMemorySessionStore {
        fn insert(&self, id: SessionId, state: SessionState) -> Result<(), Error> {
            let mut inner = self.lock()?;
            if inner.sessions.contains_key(&id) {
                return Err(Error::SessionStore("duplicate session id"));
            }
            inner.sessions.insert(id, Entry::Open(state));
            Ok(())
        }

        fn take(&self, id: &SessionId) -> Result<Taken, Error> {
            let mut inner = self.lock()?;
            let Some(entry) = inner.sessions.get_mut(id) else {
                return Ok(Taken::Missing);
            };
            Ok(match core::mem::replace(entry, Entry::InFlight) {
                Entry::Open(state) => Taken::Open(state),
                Entry::InFlight => Taken::InFlight,
                Entry::Answered(challenge, response) => {
                    *entry = Entry::Answered(challenge, response);
                    Taken::Answered {
                        challenge,
                        response,
                    }
                }
            })
        }

        fn record_answer(
            &self,
            id: &SessionId,
            challenge: [u8; SCALAR_LEN],
            response: ResponseMessage,
        ) -> Result<(), Error> {
            self.lock()?
                .sessions
                .insert(*id, Entry::Answered(challenge, response));
            Ok(())
        }

        fn claim_issuance(
            &self,
            context: &[u8; CONTEXT_LEN],
            voter: &VoterId,
        ) -> Result<bool, Error> {
            Ok(self.lock()?.issued.insert((*context, voter.clone())))
        }

        fn is_issued(&self, context: &[u8; CONTEXT_LEN], voter: &VoterId) -> Result<bool, Error> {
            Ok(self.lock()?.issued.contains(&(*context, voter.clone())))
        }

        fn issued(&self, context: &[u8; CONTEXT_LEN]) -> Result<Vec<VoterId>, Error> {
            Ok(self
                .lock()?
                .issued
                .iter()
                .filter(|(c, _)| c == context)
                .map(|(_, v)| v.clone())
                .collect())
        }

        fn purge_opened_before(&self, cutoff: u64) -> Result<usize, Error> {
            let mut inner = self.lock()?;
            let before = inner.sessions.len();
            inner
                .sessions
                .retain(|_, e| !matches!(e, Entry::Open(s) if s.opened_at < cutoff));
            Ok(before - inner.sessions.len())
        }
    }
}

#[cfg(feature = "std")]
pub use memory::InMemorySessionStore;
