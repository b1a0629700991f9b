//! The demo congress: its manifest, and how its representatives lean when they vote.
//!
//! Votes are drawn from each representative's own random stream with fixed leanings, so a
//! seeded run repeats exactly and the default run shows every kind of result: motions that
//! pass and one that fails, candidates elected and seats left to a run-off, an evaluation
//! with blanks.

use secret_ballot::ballot::{MotionVote, Vote};
use secret_ballot::credential::{IssuerKeypair, ReportKeypair};
use secret_ballot::elgamal::SecretKey;
use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::rules::{ShortfallPolicy, Threshold, TiePolicy};

use crate::rng::DemoRng;

/// The size of the agenda.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Agenda {
    pub(crate) motions: u8,
    /// Options of a choice question (none if 0).
    pub(crate) choice_options: u16,
    pub(crate) candidates: u16,
    pub(crate) seats: u16,
    pub(crate) managers: u16,
}

/// The keys the demo holds for every authority (a real congress never has them in one
/// place).
pub(crate) struct Authorities {
    pub(crate) trustees: Vec<SecretKey>,
    pub(crate) issuer: IssuerKeypair,
    pub(crate) report: ReportKeypair,
}

const MOTIONS: [&str; 6] = [
    "2026 pay scheme 2026年工资方案",
    "Restructuring plan 改制方案",
    "Collective agreement 集体合同",
    "Staff housing fund rules 住房公积金办法",
    "Working hours reform 工时制度改革",
    "Training budget 职工培训经费",
];

/// Per mille for and against each motion (the rest abstain), in agenda order.
const MOTION_LEANINGS: [(u32, u32); 6] = [
    (780, 120),
    (560, 280),
    (900, 60),
    (650, 250),
    (700, 200),
    (820, 100),
];

/// Per mille per level (满意, 基本满意, 不满意) and blank, per manager.
const EVALUATION_LEANINGS: [[u32; 4]; 4] = [
    [550, 300, 100, 50],
    [400, 400, 150, 50],
    [700, 200, 60, 40],
    [300, 350, 300, 50],
];

/// The demo's manifest.
pub(crate) fn manifest(
    roster: u32,
    agenda: Agenda,
    authorities: &Authorities,
    threshold: u16,
    privacy_floor: u32,
    revoting: bool,
) -> Manifest {
    let s = |t: &str| t.to_owned();
    let mut questions: Vec<Question> = (0..usize::from(agenda.motions))
        .map(|m| Question::Motion {
            title: MOTIONS
                .get(m)
                .map_or_else(|| format!("Motion {}", m + 1), |t| (*t).to_owned()),
        })
        .collect();
    if agenda.choice_options > 0 {
        questions.push(Question::Choice {
            title: s("Canteen supplier 食堂供应商 (one or two)"),
            options: (1..=agenda.choice_options)
                .map(|i| format!("supplier {i}"))
                .collect(),
            min: 1,
            max: agenda.choice_options.min(2),
        });
    }
    questions.push(Question::Election {
        title: s("Employee directors 职工董事"),
        candidates: (1..=agenda.candidates)
            .map(|i| format!("candidate {i}"))
            .collect(),
        seats: agenda.seats,
    });
    questions.push(Question::Evaluation {
        title: s("Democratic evaluation of managers 民主测评"),
        subjects: (1..=agenda.managers)
            .map(|i| format!("manager {i}"))
            .collect(),
        levels: vec![s("满意"), s("基本满意"), s("不满意")],
        allow_blank: true,
        indicators: vec![(s("satisfaction 满意率"), vec![0, 1])],
    });
    Manifest {
        election_id: b"demo-congress-2026".to_vec(),
        title: s("第四届职工代表大会第二次会议 (demo)"),
        roster,
        questions,
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: threshold,
        trustee_keys: authorities
            .trustees
            .iter()
            .map(SecretKey::public_key)
            .collect(),
        issuer_key: *authorities.issuer.public(),
        report_key: authorities.report.public(),
        privacy_floor,
        revoting,
    }
}

fn motion(rng: &mut DemoRng, (yes, no): (u32, u32)) -> MotionVote {
    let x = rng.below(1000);
    if x < yes {
        MotionVote::For
    } else if x < yes + no {
        MotionVote::Against
    } else {
        MotionVote::Abstain
    }
}

/// Per mille "for" of candidate `c` of `n`: from 880 for the first down to 300.
fn popularity(c: u16, n: u16) -> u32 {
    if n <= 1 {
        return 880;
    }
    880 - 580 * u32::from(c) / u32::from(n - 1)
}

/// One representative's votes on every question, drawn from their own stream.
pub(crate) fn votes(agenda: Agenda, rng: &mut DemoRng) -> Vec<Vote> {
    let mut votes: Vec<Vote> = (0..usize::from(agenda.motions))
        .map(|m| {
            let leaning = MOTION_LEANINGS
                .get(m % MOTION_LEANINGS.len())
                .copied()
                .unwrap_or((500, 250));
            Vote::Motion(motion(rng, leaning))
        })
        .collect();
    if agenda.choice_options > 0 {
        let options = u32::from(agenda.choice_options);
        let first = rng.below(options);
        let mut chosen = vec![first as usize];
        if options > 1 && rng.below(1000) < 400 {
            let second = (first + 1 + rng.below(options - 1)) % options;
            chosen.push(second as usize);
        }
        votes.push(Vote::Choice(chosen));
    }
    let mut election: Vec<MotionVote> = (0..agenda.candidates)
        .map(|c| {
            let p = popularity(c, agenda.candidates);
            let rest = (1000 - p) / 2;
            motion(rng, (p, rest))
        })
        .collect();
    // At most `seats` votes for: the least popular of the chosen become abstentions.
    let mut fors = 0;
    for v in &mut election {
        if *v == MotionVote::For {
            fors += 1;
            if fors > agenda.seats {
                *v = MotionVote::Abstain;
            }
        }
    }
    votes.push(Vote::Election(election));
    votes.push(Vote::Evaluation(
        (0..usize::from(agenda.managers))
            .map(|j| {
                let lean = EVALUATION_LEANINGS
                    .get(j % EVALUATION_LEANINGS.len())
                    .copied()
                    .unwrap_or([250, 250, 250, 250]);
                let x = rng.below(1000);
                let mut acc = 0;
                let mut level = None;
                for (l, share) in lean.iter().enumerate().take(3) {
                    acc += share;
                    if x < acc {
                        level = Some(l);
                        break;
                    }
                }
                level
            })
            .collect(),
    ));
    votes
}
