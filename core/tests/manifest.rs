//! The election manifest: canonical encoding, validation, context.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

#[path = "support/common.rs"]
mod common;
#[path = "support/congress.rs"]
mod congress;

use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::rules::{Base, Strictness, Threshold};
use secret_ballot::{EncodingError, Error};

/// A change applied to a manifest.
type Change = Box<dyn Fn(&mut Manifest)>;

fn sample() -> Manifest {
    congress::congress(&mut common::rng(1), 300).0
}

#[test]
fn round_trips_and_hashes_to_a_context() {
    let m = sample();
    assert_eq!(m.width(), 3 * 3 + 21 + 16);
    let bytes = m.to_bytes().unwrap();
    assert_eq!(Manifest::from_bytes(&bytes).unwrap(), m);
    let context = m.context().unwrap();
    assert_eq!(
        Manifest::from_bytes(&bytes).unwrap().context().unwrap(),
        context
    );
    // Any change, however small, changes the context.
    let variants: Vec<Change> = vec![
        Box::new(|m| m.roster += 1),
        Box::new(|m| m.privacy_floor += 1),
        Box::new(|m| m.revoting = true),
        Box::new(|m| m.title.push('!')),
        Box::new(|m| m.election_id.push(b'x')),
        Box::new(|m| m.pass = Threshold::new(1, 2, Base::Roster, Strictness::Inclusive).unwrap()),
        Box::new(|m| m.trustee_threshold = 2),
        Box::new(|m| m.trustee_keys.swap(0, 1)),
        Box::new(|m| m.questions.swap(0, 1)),
        Box::new(|m| {
            if let Question::Election { seats, .. } = &mut m.questions[3] {
                *seats = 4
            }
        }),
    ];
    for (i, change) in variants.iter().enumerate() {
        let mut changed = m.clone();
        change(&mut changed);
        assert_ne!(changed.context().unwrap(), context, "variant {i}");
    }
}

#[test]
fn inconsistent_manifests_are_refused() {
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|m| m.roster = 0), "roster"),
        (Box::new(|m| m.privacy_floor = 0), "floor"),
        (
            Box::new(|m| {
                m.questions[4] = Question::Evaluation {
                    title: "x".into(),
                    subjects: vec!["a".into()],
                    levels: (0..256).map(|l| l.to_string()).collect(),
                    allow_blank: false,
                    indicators: vec![("all".into(), (0..=255).collect())],
                }
            }),
            "an indicator of 256 levels does not fit its count byte",
        ),
        (
            Box::new(|m| {
                m.questions[4] = Question::Evaluation {
                    title: "x".into(),
                    subjects: vec!["a".into()],
                    levels: vec!["good".into(), "bad".into()],
                    allow_blank: false,
                    indicators: (0..256).map(|i| (i.to_string(), vec![0])).collect(),
                }
            }),
            "256 indicators do not fit their count byte",
        ),
        (
            Box::new(|m| {
                m.quorum = Threshold::new(2, 3, Base::Present, Strictness::Inclusive).unwrap()
            }),
            "a quorum of those present always holds",
        ),
        (
            Box::new(|m| {
                m.quorum = Threshold::new(1, 2, Base::VotesCast, Strictness::Strict).unwrap()
            }),
            "a quorum of votes cast",
        ),
        (Box::new(|m| m.questions.clear()), "no questions"),
        (Box::new(|m| m.election_id.clear()), "empty id"),
        (Box::new(|m| m.election_id = vec![1; 65]), "long id"),
        (
            Box::new(|m| {
                m.questions[3] = Question::Election {
                    title: "x".into(),
                    candidates: vec!["a".into()],
                    seats: 2,
                }
            }),
            "seats > candidates",
        ),
        (
            Box::new(|m| {
                m.questions[3] = Question::Election {
                    title: "x".into(),
                    candidates: vec!["a".into()],
                    seats: 0,
                }
            }),
            "no seats",
        ),
        (
            Box::new(|m| {
                m.questions[0] = Question::Choice {
                    title: "x".into(),
                    options: vec!["a".into(), "b".into()],
                    min: 2,
                    max: 1,
                }
            }),
            "min > max",
        ),
        (
            Box::new(|m| {
                m.questions[0] = Question::Choice {
                    title: "x".into(),
                    options: vec!["a".into()],
                    min: 0,
                    max: 2,
                }
            }),
            "max > options",
        ),
        (
            Box::new(|m| {
                m.questions[0] = Question::Choice {
                    title: "x".into(),
                    options: vec![],
                    min: 0,
                    max: 0,
                }
            }),
            "no options",
        ),
        (
            Box::new(|m| {
                m.questions[4] = Question::Evaluation {
                    title: "x".into(),
                    subjects: vec!["a".into()],
                    levels: vec!["only".into()],
                    allow_blank: false,
                    indicators: vec![],
                }
            }),
            "one level",
        ),
        (
            Box::new(|m| {
                m.questions[4] = Question::Evaluation {
                    title: "x".into(),
                    subjects: vec!["a".into()],
                    levels: vec!["a".into(), "b".into()],
                    allow_blank: false,
                    indicators: vec![("i".into(), vec![2])],
                }
            }),
            "indicator level",
        ),
        (Box::new(|m| m.title = "x".repeat(1025)), "long title"),
    ];
    for (change, what) in cases {
        let mut m = sample();
        change(&mut m);
        assert!(
            matches!(m.validate(), Err(Error::InvalidManifest(_))),
            "{what}: {:?}",
            m.validate()
        );
        assert!(m.to_bytes().is_err(), "{what}");
    }
    let mut m = sample();
    m.trustee_threshold = 6;
    assert!(matches!(m.validate(), Err(Error::InvalidThreshold { .. })));
    let mut m = sample();
    m.trustee_keys[1] = m.trustee_keys[0];
    assert_eq!(m.validate(), Err(Error::DuplicateTrusteeKey));
}

#[test]
fn the_decoder_rejects_malformed_bytes() {
    let bytes = sample().to_bytes().unwrap();
    for len in (0..bytes.len()).step_by(7) {
        assert!(
            Manifest::from_bytes(&bytes[..len]).is_err(),
            "truncated to {len}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        Manifest::from_bytes(&longer),
        Err(Error::Encoding(EncodingError::TrailingBytes(1)))
    );
    // The revoting flag is a strict boolean.
    let revoting_at = revoting_offset(&sample());
    assert_eq!(bytes[revoting_at], 0);
    let mut bad = bytes.clone();
    bad[revoting_at] = 2;
    assert_eq!(
        Manifest::from_bytes(&bad),
        Err(Error::Encoding(EncodingError::InvalidTag(2)))
    );
    bad[revoting_at] = 1;
    assert!(Manifest::from_bytes(&bad).unwrap().revoting);
    // Non-UTF-8 title.
    let mut bad = bytes.clone();
    let title_at = 2 + 1 + 19 + 2;
    bad[title_at] = 0xff;
    assert_eq!(
        Manifest::from_bytes(&bad),
        Err(Error::Encoding(EncodingError::InvalidUtf8))
    );
    // Every single-bit flip is either rejected or decodes to a manifest with another context.
    let context = sample().context().unwrap();
    for (i, flipped) in common::bit_flips(&bytes).enumerate().step_by(5) {
        if let Ok(m) = Manifest::from_bytes(&flipped) {
            assert_ne!(m.context().unwrap(), context, "bit {i}");
        }
    }
}

/// Offset of the revoting flag: header, id, title, roster, two thresholds, two policies,
/// t, n, the trustee keys, issuer and report keys, privacy floor (SPEC.md §11.3).
fn revoting_offset(m: &Manifest) -> usize {
    2 + 1
        + m.election_id.len()
        + 2
        + m.title.len()
        + 4
        + 10
        + 10
        + 1
        + 1
        + 2
        + 2
        + 32 * m.trustee_keys.len()
        + 32
        + 32
        + 4
}
