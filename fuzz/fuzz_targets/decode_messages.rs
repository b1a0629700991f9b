//! Every message decoder: never panics; what decodes re-encodes to the same bytes. Ballots
//! decode with the layout of the vectors' manifest (SPEC.md §12.3).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::ballot::{Ballot, SpoiledBallot};
use secret_ballot::credential::{
    BlindSignature, ChallengeMessage, CommitMessage, IssuanceReport, ResponseMessage,
};
use secret_ballot::elgamal::Ciphertext;
use secret_ballot::manifest::Manifest;
use secret_ballot::proofs::{DleqProof, RangeProof, SchnorrProof};
use secret_ballot::tally::{Close, OfflineCount, Outcomes, Totals};
use secret_ballot::threshold::Aggregate;
use secret_ballot::threshold::DecryptionShare;
use secret_ballot::threshold::KeyShare;
use secret_ballot::threshold::dkg::{Complaint, ComplaintAnswer, round1, round2};
use secret_ballot::verify::chunk::{ChunkResult, ChunkSpec};
use secret_ballot_fuzz::fixture;

macro_rules! round_trip {
    ($data:expr, $($ty:ty),+) => {$(
        if let Ok(value) = <$ty>::from_bytes($data) {
            assert_eq!(value.to_bytes().as_slice(), $data, stringify!($ty));
        }
    )+};
}

fuzz_target!(|data: &[u8]| {
    round_trip!(
        data,
        SchnorrProof,
        DleqProof,
        RangeProof,
        round1::Package,
        round2::Package,
        Complaint,
        ComplaintAnswer,
        DecryptionShare,
        CommitMessage,
        ChallengeMessage,
        ResponseMessage,
        BlindSignature,
        IssuanceReport,
        Aggregate,
        OfflineCount,
        Close,
        Totals,
        Outcomes,
        // Verification in chunks (SPEC.md §14.11): what travels between machines.
        ChunkSpec,
        ChunkResult
    );
    let layout = fixture().keys.layout();
    if let Ok(ballot) = Ballot::from_bytes(data, layout) {
        assert_eq!(ballot.to_bytes().as_slice(), data, "Ballot");
    }
    if let Ok(spoiled) = SpoiledBallot::from_bytes(data, layout) {
        assert_eq!(spoiled.to_bytes().as_slice(), data, "SpoiledBallot");
    }
    if let Ok(manifest) = Manifest::from_bytes(data) {
        assert_eq!(manifest.to_bytes().ok().as_deref(), Some(data), "Manifest");
    }
    // A stored key share (SPEC.md §7.7): also checks its share against its public keys.
    if let Ok(share) = KeyShare::from_bytes(data) {
        assert_eq!(share.to_secret_bytes().as_slice(), data, "KeyShare");
    }
    if let Ok(ct) = Ciphertext::from_bytes(data) {
        assert_eq!(ct.to_bytes().as_slice(), data);
    }
});
