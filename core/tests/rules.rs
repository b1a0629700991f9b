//! Congress rules: boundary arithmetic, property tests against a plain reference,
//! elections with ties and shortfalls, evaluations.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::expect_used
)]

use proptest::prelude::*;
use secret_ballot::Error;
use secret_ballot::rules::*;

fn bases(roster: u64, present: u64) -> Bases {
    Bases {
        roster,
        present,
        votes_cast: 0,
    }
}

#[test]
fn pass_rule_at_exactly_half() {
    let shanghai = Threshold::new(1, 2, Base::Roster, Strictness::Inclusive).unwrap();
    // N = 300: 2·Y > N needs 151; 2·Y ≥ N accepts 150.
    assert!(!Threshold::PASS.is_met(150, &bases(300, 300)));
    assert!(Threshold::PASS.is_met(151, &bases(300, 300)));
    assert!(shanghai.is_met(150, &bases(300, 300)));
    assert!(!shanghai.is_met(149, &bases(300, 300)));
    // N = 301: both need 151.
    assert!(!Threshold::PASS.is_met(150, &bases(301, 301)));
    assert!(Threshold::PASS.is_met(151, &bases(301, 301)));
    assert!(!shanghai.is_met(150, &bases(301, 301)));
    assert_eq!(Threshold::PASS.minimum(&bases(300, 0)), 151);
    assert_eq!(shanghai.minimum(&bases(300, 0)), 150);
    assert_eq!(Threshold::PASS.margin(150, &bases(300, 0)), -1);
    assert_eq!(Threshold::PASS.margin(160, &bases(300, 0)), 9);
}

#[test]
fn quorum_at_exactly_two_thirds() {
    let strict = Threshold::new(2, 3, Base::Roster, Strictness::Strict).unwrap();
    assert!(Threshold::QUORUM.is_met(200, &bases(300, 200)));
    assert!(!Threshold::QUORUM.is_met(199, &bases(300, 199)));
    assert!(!strict.is_met(200, &bases(300, 200)));
    assert!(strict.is_met(201, &bases(300, 201)));
    // N = 301: 3·P ≥ 602 needs P = 201.
    assert!(!Threshold::QUORUM.is_met(200, &bases(301, 200)));
    assert!(Threshold::QUORUM.is_met(201, &bases(301, 201)));
}

#[test]
fn invalid_fractions_are_refused() {
    assert!(matches!(
        Threshold::new(0, 2, Base::Roster, Strictness::Strict),
        Err(Error::InvalidRule(_))
    ));
    assert!(matches!(
        Threshold::new(1, 0, Base::Roster, Strictness::Strict),
        Err(Error::InvalidRule(_))
    ));
    assert!(matches!(
        Threshold::new(3, 2, Base::Roster, Strictness::Strict),
        Err(Error::InvalidRule(_))
    ));
}

/// A reference written differently: compare `count` with ⌊num·base/den⌋ (strict) or
/// ⌈num·base/den⌉ (inclusive) computed by repeated subtraction-free division.
fn reference(num: u32, den: u32, strict: bool, count: u64, base: u64) -> bool {
    let product = u128::from(num) * u128::from(base);
    let (q, r) = (product / u128::from(den), product % u128::from(den));
    let count = u128::from(count);
    if strict {
        count > q
    } else {
        count > q || (count == q && r == 0)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn thresholds_match_the_reference(num in 1u32..20, extra in 0u32..20, strict in any::<bool>(), base_kind in 0u8..3, count in 0u64..2000, n in 0u64..2000, p in 0u64..2000, cast in 0u64..2000) {
        let den = num + extra;
        let base = [Base::Roster, Base::Present, Base::VotesCast][usize::from(base_kind)];
        let t = Threshold::new(num, den, base, if strict { Strictness::Strict } else { Strictness::Inclusive }).unwrap();
        let b = Bases { roster: n, present: p, votes_cast: cast };
        let base_value = [n, p, cast][usize::from(base_kind)];
        prop_assert_eq!(t.is_met(count, &b), reference(num, den, strict, count, base_value));
        // The minimum is the exact boundary, and the margin its distance.
        let min = t.minimum(&b);
        prop_assert!(t.is_met(min, &b));
        prop_assert!(min == 0 || !t.is_met(min - 1, &b));
        prop_assert_eq!(t.margin(count, &b) >= 0, t.is_met(count, &b));
    }

    #[test]
    fn huge_counts_do_not_overflow(count in any::<u64>(), n in any::<u64>()) {
        let b = bases(n, n);
        prop_assert_eq!(Threshold::PASS.is_met(count, &b), u128::from(count) * 2 > u128::from(n));
        prop_assert_eq!(Threshold::QUORUM.is_met(count, &b), u128::from(count) * 3 >= u128::from(n) * 2);
    }
}

#[test]
fn resolutions_need_quorum_and_a_majority_of_all() {
    let r = resolution(151, 100, 29, 300, 280, &Threshold::QUORUM, &Threshold::PASS);
    assert!(r.quorum && r.passed);
    assert_eq!(r.margin, 0);
    // Abstentions do not lower the bar: 150 of 300 is not a majority of all.
    let r = resolution(150, 10, 80, 300, 240, &Threshold::QUORUM, &Threshold::PASS);
    assert!(!r.passed);
    assert_eq!(r.margin, -1);
    // No quorum (199 of 300): nothing passes, whatever the votes.
    let r = resolution(199, 0, 0, 300, 199, &Threshold::QUORUM, &Threshold::PASS);
    assert!(!r.quorum && !r.passed);
}

fn c(yes: u64, no: u64) -> CandidateCounts {
    CandidateCounts {
        yes,
        no,
        abstain: 0,
    }
}

#[test]
fn election_of_five_from_seven() {
    // N = 300, P = 240: a candidate needs 151 votes for.
    let candidates = [
        c(200, 20),
        c(160, 50),
        c(151, 60),
        c(150, 70),
        c(190, 30),
        c(230, 5),
        c(175, 40),
    ];
    let out = election(
        &candidates,
        5,
        300,
        240,
        &Threshold::QUORUM,
        &Threshold::PASS,
        TiePolicy::Runoff,
        ShortfallPolicy::Runoff,
    )
    .unwrap();
    assert_eq!(out.qualified, vec![0, 1, 2, 4, 5, 6]);
    assert_eq!(out.elected, vec![5, 0, 4, 6, 1]);
    assert_eq!(out.pending, None);
}

#[test]
fn ties_at_the_last_seat_follow_the_policy() {
    let candidates = [c(200, 20), c(180, 30), c(180, 10), c(180, 30), c(100, 0)];
    let run = |tie| {
        election(
            &candidates,
            2,
            300,
            240,
            &Threshold::QUORUM,
            &Threshold::PASS,
            tie,
            ShortfallPolicy::Runoff,
        )
        .unwrap()
    };
    let out = run(TiePolicy::Runoff);
    assert_eq!(out.elected, vec![0]);
    assert_eq!(
        out.pending,
        Some(Pending::Runoff {
            candidates: vec![1, 2, 3],
            seats: 1
        })
    );
    let out = run(TiePolicy::Lot);
    assert_eq!(
        out.pending,
        Some(Pending::Lot {
            candidates: vec![1, 2, 3],
            seats: 1
        })
    );
    // Fewest against: candidate 2 (10 against) takes the seat.
    let out = run(TiePolicy::FewestAgainst);
    assert_eq!(out.elected, vec![0, 2]);
    assert_eq!(out.pending, None);
    // Fewest against still tied: run-off among the remaining tie.
    let out = election(
        &candidates,
        3,
        300,
        240,
        &Threshold::QUORUM,
        &Threshold::PASS,
        TiePolicy::FewestAgainst,
        ShortfallPolicy::Runoff,
    )
    .unwrap();
    assert_eq!(out.elected, vec![0, 2]);
    assert_eq!(
        out.pending,
        Some(Pending::Runoff {
            candidates: vec![1, 3],
            seats: 1
        })
    );
}

#[test]
fn shortfalls_and_missing_quorum() {
    let candidates = [c(200, 0), c(120, 0), c(151, 0)];
    let out = election(
        &candidates,
        3,
        300,
        240,
        &Threshold::QUORUM,
        &Threshold::PASS,
        TiePolicy::Runoff,
        ShortfallPolicy::Runoff,
    )
    .unwrap();
    assert_eq!(out.elected, vec![0, 2]);
    assert_eq!(out.pending, Some(Pending::ShortfallRunoff { seats: 1 }));
    let out = election(
        &candidates,
        3,
        300,
        240,
        &Threshold::QUORUM,
        &Threshold::PASS,
        TiePolicy::Runoff,
        ShortfallPolicy::LeaveVacant,
    )
    .unwrap();
    assert_eq!((out.pending, out.vacant), (None, 1));
    let out = election(
        &candidates,
        3,
        300,
        199,
        &Threshold::QUORUM,
        &Threshold::PASS,
        TiePolicy::Runoff,
        ShortfallPolicy::Runoff,
    )
    .unwrap();
    assert!(!out.quorum && out.elected.is_empty());
    assert!(
        election(
            &candidates,
            0,
            300,
            240,
            &Threshold::QUORUM,
            &Threshold::PASS,
            TiePolicy::Runoff,
            ShortfallPolicy::Runoff
        )
        .is_err()
    );
}

#[test]
fn evaluations_report_ratios_with_their_denominator() {
    // Satisfied / basically satisfied / dissatisfied, plus blanks.
    let counts = EvaluationCounts {
        levels: vec![120, 80, 33],
        blank: 7,
    };
    assert_eq!(counts.valid(), 233);
    let satisfaction = counts.indicator(&[0, 1]).unwrap();
    assert_eq!(
        satisfaction,
        Ratio {
            numerator: 200,
            denominator: 233
        }
    );
    assert_eq!(satisfaction.basis_points(), Some(8584)); // 85.836… % → 85.84 %
    assert_eq!(counts.level_ratio(2).unwrap().basis_points(), Some(1416));
    assert!(counts.indicator(&[3]).is_err());
    assert!(counts.indicator(&[0, 0]).is_err());
    let empty = EvaluationCounts {
        levels: vec![0, 0, 0],
        blank: 5,
    };
    assert_eq!(empty.indicator(&[0]).unwrap().basis_points(), None);
    // Half up: 1/8 = 12.5 % = 1250 bp exactly; 1/3 = 3333.33 bp → 3333; 2/3 → 6667.
    assert_eq!(
        Ratio {
            numerator: 1,
            denominator: 8
        }
        .basis_points(),
        Some(1250)
    );
    assert_eq!(
        Ratio {
            numerator: 2,
            denominator: 3
        }
        .basis_points(),
        Some(6667)
    );
}
