//! Blind ballot credentials: partially blind Tessaro–Zhu signatures (SPEC.md §9).
//!
//! At check-in the issuer (the HR system or the congress desk) knows who each
//! representative is. It issues each one exactly one credential for the election, a blind
//! signature on the voter's fresh one-time **pseudonym key** `P = p·G`, without learning
//! `P` or the signature: the credential, and so the ballot signed later with `p`, cannot
//! be linked to the person.
//!
//! The scheme is the partially blind form of Tessaro and Zhu's BS3 (Eurocrypt 2022),
//! concurrently secure for polynomially many interleaved sessions (DL, algebraic group
//! model + random oracle). **Plain blind Schnorr is not used**: the ROS attack of
//! Benhamouda, Lepoint, Loss, Orrù and Raykova (Eurocrypt 2021) forges it from 256
//! concurrent sessions; `core/tests/ros.rs` reproduces that attack and shows it failing
//! here.
//!
//! | move | who | type |
//! |---|---|---|
//! | 1 | issuer: [`Issuer::commit`] | [`CommitMessage`] |
//! | 2 | voter: [`VoterAwaitingCommit::challenge`] | [`ChallengeMessage`] |
//! | 3 | issuer: [`Issuer::respond`] | [`ResponseMessage`] |
//! | – | voter: [`VoterAwaitingResponse::finalize`] | [`Credential`] |
//! | – | anyone: [`BlindSignature::verify`] | |
//!
//! The issuer keeps per-session secrets in a [`SessionStore`] with an atomic take, so a
//! web service can keep them in its own database; [`InMemorySessionStore`] (feature
//! `std`) is safe across threads.

mod issuer;
mod keys;
mod report;
mod session_store;
mod signature;
mod voter;

pub use issuer::{CommitMessage, Issuer, ResponseMessage, SESSION_ID_LEN, SessionId};
pub use keys::{IssuerKeypair, IssuerPublicKey, Pseudonym, PseudonymSecret, credential_generator};
pub use report::{IssuanceReport, MAX_VOTER_ID_LEN, ReportKeypair, VoterId};
#[cfg(feature = "std")]
pub use session_store::InMemorySessionStore;
pub use session_store::{SessionState, SessionStore, Taken};
pub use signature::{BLIND_SIGNATURE_LEN, BlindSignature};
pub use voter::{ChallengeMessage, Credential, VoterAwaitingCommit, VoterAwaitingResponse};
