//! A congress manifest used by several tests: 3 motions, an election of 5 seats from 7
//! candidates, an evaluation of 4 managers on 3 levels (with blank), 3-of-5 trustees.
#![allow(dead_code)]

use rand_chacha::ChaCha20Rng;
use secret_ballot::credential::{IssuerKeypair, ReportKeypair};
use secret_ballot::elgamal::SecretKey;
use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};

pub(crate) struct Authorities {
    pub(crate) trustees: Vec<SecretKey>,
    pub(crate) issuer: IssuerKeypair,
    pub(crate) report: ReportKeypair,
}

pub(crate) fn congress(rng: &mut ChaCha20Rng, roster: u32) -> (Manifest, Authorities) {
    let trustees: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(rng)).collect();
    let issuer = IssuerKeypair::generate(rng);
    let report = ReportKeypair::generate(rng);
    let s = |t: &str| t.to_string();
    let manifest = Manifest {
        election_id: b"sh-2026-congress-04".to_vec(),
        title: s("第四届职工代表大会第二次会议"),
        roster,
        questions: vec![
            Question::Motion {
                title: s("2026 pay scheme"),
            },
            Question::Motion {
                title: s("restructuring plan"),
            },
            Question::Motion {
                title: s("collective agreement"),
            },
            Question::Election {
                title: s("employee directors"),
                candidates: (1..=7).map(|i| format!("candidate {i}")).collect(),
                seats: 5,
            },
            Question::Evaluation {
                title: s("democratic evaluation"),
                subjects: (1..=4).map(|i| format!("manager {i}")).collect(),
                levels: vec![s("满意"), s("基本满意"), s("不满意")],
                allow_blank: true,
                indicators: vec![(s("satisfaction"), vec![0, 1])],
            },
        ],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 3,
        trustee_keys: trustees.iter().map(SecretKey::public_key).collect(),
        issuer_key: *issuer.public(),
        report_key: report.public(),
        privacy_floor: 10,
        revoting: false,
    };
    (
        manifest,
        Authorities {
            trustees,
            issuer,
            report,
        },
    )
}
