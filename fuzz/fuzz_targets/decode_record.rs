//! Record framing (SPEC.md §14.1) and the record's JSON view (§14.10) on arbitrary bytes:
//! `Entry::encoded_len`, `Entry::parse`, `RecordReader`, `RecordWriter::resume`,
//! `record::to_json` and their `wire` forms. Never panics; entries re-encode to the bytes
//! they were read from; the JSON is valid and lossless (the input is rebuilt from it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secret_ballot::record::{
    ENTRY_HEADER_LEN, Entry, GENESIS, RecordReader, RecordWriter, Section, to_json,
};
use secret_ballot::wire;

fn unhex(value: &serde_json::Value) -> Vec<u8> {
    let text = value.as_str().expect("a hex string");
    assert!(text.len().is_multiple_of(2), "even hex");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // One entry at the start.
    let len = Entry::encoded_len(data);
    assert_eq!(len.ok(), wire::record_entry_len(data).ok());
    if let Ok(len) = len {
        assert!(len >= ENTRY_HEADER_LEN);
    }
    if let Ok((entry, rest)) = Entry::parse(data) {
        let encoded = entry.to_bytes();
        assert_eq!(Ok(encoded.len()), len);
        assert_eq!(encoded.as_slice(), &data[..encoded.len()]);
        assert_eq!(rest, &data[encoded.len()..]);
        assert_eq!(Section::of(entry.kind()), Some(entry.section()));
        assert_eq!(entry.payload()[1], entry.kind() as u8);
    }

    // Every entry: what is read is a prefix of the input, all of it if nothing failed.
    let mut read = Vec::new();
    let mut failed = false;
    let mut chained = true;
    let mut head = GENESIS;
    for entry in RecordReader::new(data) {
        assert!(!failed, "nothing after a framing error");
        match entry {
            Ok(entry) => {
                chained &= entry.previous() == &head;
                head = entry.hash();
                read.extend_from_slice(&entry.to_bytes());
            }
            Err(_) => failed = true,
        }
    }
    assert_eq!(read.as_slice(), &data[..read.len()]);
    if !failed {
        assert_eq!(read.len(), data.len());
    }

    // Resuming checks framing and chain, nothing else.
    match RecordWriter::resume(data.to_vec()) {
        Ok(writer) => {
            assert!(!failed && chained);
            assert_eq!(writer.as_bytes(), data);
            assert_eq!(writer.head(), head);
        }
        Err(_) => assert!(failed || !chained),
    }

    // The JSON view: valid JSON, and lossless.
    let json = to_json(data);
    assert_eq!(json, wire::record_json(data));
    let view: serde_json::Value = serde_json::from_str(&json).expect("the view is JSON");
    let mut rebuilt = Vec::new();
    for entry in view["entries"].as_array().expect("entries") {
        let payload = unhex(&entry["payload"]);
        rebuilt.extend_from_slice(&[0x01, 0x40]);
        rebuilt.extend_from_slice(&unhex(&entry["previous"]));
        rebuilt.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        rebuilt.extend_from_slice(&payload);
    }
    rebuilt.extend_from_slice(&unhex(&view["unreadable"]));
    assert_eq!(rebuilt.as_slice(), data, "the view rebuilds the record");
});
