//! `wire::record_tally` when one trustee's decryption shares include both a valid and an
//! invalid one (a retried upload, a corrupted copy): the valid share still counts, so
//! the completed record must carry it and verify. Found by the `wire_bytes` fuzz target
//! (fuzz/artifacts/wire_bytes/record-tally-mixed-shares.min): the record had dropped
//! every share of that trustee and failed `decryption_shares`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use secret_ballot::encoding::MessageKind;
use secret_ballot::record::RecordReader;
use secret_ballot::threshold::DecryptionShare;
use secret_ballot::wire;

fn vector() -> (Vec<u8>, Vec<u8>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../test-vectors/v1/record.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hex = |key: &str| hex::decode(v[key].as_str().unwrap()).unwrap();
    (hex("closed"), hex("record"))
}

#[test]
fn a_trustees_valid_share_counts_beside_its_invalid_copy() {
    let (closed, record) = vector();
    let shares: Vec<Vec<u8>> = RecordReader::new(&record)
        .map(Result::unwrap)
        .filter(|e| e.kind() == MessageKind::DecryptionShare)
        .map(|e| e.payload().to_vec())
        .collect();
    assert_eq!(shares.len(), 2);
    // A copy of the first share that still decodes but does not verify.
    let bad = (2..shares[0].len())
        .rev()
        .map(|at| {
            let mut bad = shares[0].clone();
            bad[at] ^= 1;
            bad
        })
        .find(|bad| DecryptionShare::from_bytes(bad).is_ok())
        .unwrap();
    let trustee = DecryptionShare::from_bytes(&shares[0]).unwrap().trustee();
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for order in [
        [&bad, &shares[0], &shares[1]],
        [&shares[0], &bad, &shares[1]],
        [&shares[1], &shares[0], &bad],
    ] {
        let refs: Vec<&[u8]> = order.iter().map(|s| s.as_slice()).collect();
        let (complete, tally) = wire::record_tally(&closed, &refs, &mut rng).unwrap();
        assert_eq!(tally.rejected, vec![usize::from(trustee)]);
        let report: serde_json::Value =
            serde_json::from_str(&wire::record_verify(&complete, &mut rng)).unwrap();
        assert_eq!(report["verdict"], "valid", "{report}");
        assert_eq!(complete, record, "the vector's tallied record");
    }
}
