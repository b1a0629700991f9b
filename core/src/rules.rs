//! Congress rules as exact integer arithmetic (SPEC.md §10; the domain in
//! `shared/DOMAIN.md`).
//!
//! Nothing here is cryptographic: the module turns counts (the roster size `N`, the
//! attendance `P`, decrypted totals) into outcomes, with no floating point anywhere. A
//! threshold is a fraction, a base and a strictness; Chinese legal wording decides the
//! strictness (以上 includes the number, 超过 excludes it):
//!
//! | phrase | rule | inequality |
//! |---|---|---|
//! | 三分之二以上 (quorum, default) | [`Threshold::QUORUM`] | `3·P ≥ 2·N` |
//! | 超过三分之二 | `Threshold::new(2, 3, Base::Roster, Strictness::Strict)` | `3·P > 2·N` |
//! | 过半数 (pass, default) | [`Threshold::PASS`] | `2·Y > N` |
//! | 半数以上 (Shanghai literal) | `Threshold::new(1, 2, Base::Roster, Strictness::Inclusive)` | `2·Y ≥ N` |

use alloc::vec::Vec;

use crate::error::Error;

/// What a threshold's fraction is taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base {
    /// All representatives holding a mandate, `N` (the default for quorum and passing).
    Roster,
    /// The representatives present, `P`.
    Present,
    /// The valid votes cast on the item (yes + no + abstain).
    VotesCast,
}

/// Whether reaching the fraction exactly is enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// `den·count ≥ num·base` (以上).
    Inclusive,
    /// `den·count > num·base` (超过, 过半数).
    Strict,
}

/// A threshold `count (>|≥) num/den · base`, evaluated as `den·count (>|≥) num·base` in
/// 128-bit integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Threshold {
    numerator: u32,
    denominator: u32,
    base: Base,
    strictness: Strictness,
}

/// The counts a threshold can be taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bases {
    /// `N`: representatives holding a mandate.
    pub roster: u64,
    /// `P`: representatives present.
    pub present: u64,
    /// Valid votes cast on the item.
    pub votes_cast: u64,
}

impl Threshold {
    /// The default quorum: at least two thirds of all representatives, `3·P ≥ 2·N`.
    pub const QUORUM: Threshold = Threshold {
        numerator: 2,
        denominator: 3,
        base: Base::Roster,
        strictness: Strictness::Inclusive,
    };
    /// The default pass rule: more than half of all representatives, `2·Y > N`.
    pub const PASS: Threshold = Threshold {
        numerator: 1,
        denominator: 2,
        base: Base::Roster,
        strictness: Strictness::Strict,
    };

    /// A threshold of `numerator/denominator` of `base`.
    ///
    /// # Errors
    /// [`Error::InvalidRule`] unless `0 < numerator ≤ denominator`.
    pub fn new(
        numerator: u32,
        denominator: u32,
        base: Base,
        strictness: Strictness,
    ) -> Result<Self, Error> {
        if numerator == 0 || denominator == 0 || numerator > denominator {
            return Err(Error::InvalidRule(
                "threshold fraction must satisfy 0 < num ≤ den",
            ));
        }
        Ok(Threshold {
            numerator,
            denominator,
            base,
            strictness,
        })
    }

    /// The fraction's numerator.
    pub fn numerator(&self) -> u32 {
        self.numerator
    }

    /// The fraction's denominator.
    pub fn denominator(&self) -> u32 {
        self.denominator
    }

    /// The base.
    pub fn base(&self) -> Base {
        self.base
    }

    /// The strictness.
    pub fn strictness(&self) -> Strictness {
        self.strictness
    }

    fn base_value(&self, bases: &Bases) -> u64 {
        match self.base {
            Base::Roster => bases.roster,
            Base::Present => bases.present,
            Base::VotesCast => bases.votes_cast,
        }
    }

    /// Whether `count` meets the threshold.
    ///
    /// Implements `Rules.Meets` (SPEC.md §10.1).
    pub fn is_met(&self, count: u64, bases: &Bases) -> bool {
        let lhs = u128::from(self.denominator) * u128::from(count);
        let rhs = u128::from(self.numerator) * u128::from(self.base_value(bases));
        match self.strictness {
            Strictness::Inclusive => lhs >= rhs,
            Strictness::Strict => lhs > rhs,
        }
    }

    /// The smallest count that meets the threshold.
    pub fn minimum(&self, bases: &Bases) -> u64 {
        let product = u128::from(self.numerator) * u128::from(self.base_value(bases));
        let den = u128::from(self.denominator);
        let needed = match self.strictness {
            Strictness::Inclusive => product.div_ceil(den),
            Strictness::Strict => product / den + 1,
        };
        // num ≤ den, so needed ≤ base + 1 ≤ u64::MAX + 1; saturate the single overflow case.
        u64::try_from(needed).unwrap_or(u64::MAX)
    }

    /// `count − minimum`: how far above (≥ 0: met) or below (< 0: not met) the threshold.
    pub fn margin(&self, count: u64, bases: &Bases) -> i128 {
        i128::from(count) - i128::from(self.minimum(bases))
    }
}

/// The outcome of one resolution (motion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolutionOutcome {
    /// Yes, no, abstain.
    pub yes: u64,
    /// Votes against.
    pub no: u64,
    /// Abstentions.
    pub abstain: u64,
    /// Whether the quorum held for this vote.
    pub quorum: bool,
    /// Whether the motion passed (requires the quorum).
    pub passed: bool,
    /// `yes − minimum yes needed`.
    pub margin: i128,
}

/// Decides a resolution: passes iff the quorum held and `yes` meets the pass rule.
/// Abstentions and absentees count as "not yes"; nothing is subtracted from `N`.
///
/// Implements `Rules.Resolution` (SPEC.md §10.2).
pub fn resolution(
    yes: u64,
    no: u64,
    abstain: u64,
    roster: u64,
    present: u64,
    quorum: &Threshold,
    pass: &Threshold,
) -> ResolutionOutcome {
    let bases = Bases {
        roster,
        present,
        votes_cast: yes.saturating_add(no).saturating_add(abstain),
    };
    let quorum_met = quorum.is_met(present, &bases);
    ResolutionOutcome {
        yes,
        no,
        abstain,
        quorum: quorum_met,
        passed: quorum_met && pass.is_met(yes, &bases),
        margin: pass.margin(yes, &bases),
    }
}

/// How a tie at the last seat is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TiePolicy {
    /// A run-off among the tied candidates (the default).
    Runoff,
    /// The fewest votes against wins; a remaining tie goes to a run-off.
    FewestAgainst,
    /// A lot drawn from a public random beacon among the tied candidates.
    Lot,
}

/// What happens when fewer candidates qualify than there are seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShortfallPolicy {
    /// A run-off for the remaining seats (the default).
    Runoff,
    /// The remaining seats stay vacant.
    LeaveVacant,
}

/// One candidate's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CandidateCounts {
    /// Votes for.
    pub yes: u64,
    /// Votes against.
    pub no: u64,
    /// Abstentions.
    pub abstain: u64,
}

/// A decision that the counts alone cannot make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    /// A run-off among `candidates` for `seats` seats.
    Runoff {
        /// Candidate indices (increasing).
        candidates: Vec<usize>,
        /// Seats to fill.
        seats: usize,
    },
    /// A lot among `candidates` for `seats` seats.
    Lot {
        /// Candidate indices (increasing).
        candidates: Vec<usize>,
        /// Seats to fill.
        seats: usize,
    },
    /// A run-off for `seats` seats no qualified candidate filled.
    ShortfallRunoff {
        /// Seats to fill.
        seats: usize,
    },
}

/// The outcome of an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionOutcome {
    /// Whether the quorum held (if not, nobody is elected).
    pub quorum: bool,
    /// Candidates who met the pass rule (increasing index).
    pub qualified: Vec<usize>,
    /// Elected candidates, by decreasing votes for (ties by index).
    pub elected: Vec<usize>,
    /// What is left to decide.
    pub pending: Option<Pending>,
    /// Seats left vacant by the shortfall policy.
    pub vacant: usize,
}

/// Decides an election of `seats` among `candidates`: a candidate qualifies iff its votes
/// for meet `pass`; if more qualify than seats, the most votes for win; ties at the last
/// seat and shortfalls follow the policies.
///
/// Implements `Rules.Election` (SPEC.md §10.3).
///
/// # Errors
/// [`Error::InvalidRule`] if `seats` is 0.
#[allow(clippy::too_many_arguments)]
pub fn election(
    candidates: &[CandidateCounts],
    seats: usize,
    roster: u64,
    present: u64,
    quorum: &Threshold,
    pass: &Threshold,
    tie: TiePolicy,
    shortfall: ShortfallPolicy,
) -> Result<ElectionOutcome, Error> {
    if seats == 0 {
        return Err(Error::InvalidRule("an election needs at least one seat"));
    }
    let quorum_met = quorum.is_met(
        present,
        &Bases {
            roster,
            present,
            votes_cast: 0,
        },
    );
    let qualified: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let cast = c.yes.saturating_add(c.no).saturating_add(c.abstain);
            pass.is_met(
                c.yes,
                &Bases {
                    roster,
                    present,
                    votes_cast: cast,
                },
            )
        })
        .map(|(i, _)| i)
        .collect();
    if !quorum_met {
        return Ok(ElectionOutcome {
            quorum: false,
            qualified,
            elected: Vec::new(),
            pending: None,
            vacant: 0,
        });
    }
    let yes = |i: &usize| candidates.get(*i).map_or(0, |c| c.yes);
    let no = |i: &usize| candidates.get(*i).map_or(0, |c| c.no);
    let mut ranked = qualified.clone();
    ranked.sort_by(|a, b| yes(b).cmp(&yes(a)).then(a.cmp(b)));

    if ranked.len() <= seats {
        let remaining = seats - ranked.len();
        let (pending, vacant) = match (remaining, shortfall) {
            (0, _) => (None, 0),
            (n, ShortfallPolicy::Runoff) => (Some(Pending::ShortfallRunoff { seats: n }), 0),
            (n, ShortfallPolicy::LeaveVacant) => (None, n),
        };
        return Ok(ElectionOutcome {
            quorum: true,
            qualified,
            elected: ranked,
            pending,
            vacant,
        });
    }
    let cutoff = ranked.get(seats - 1).map_or(0, yes);
    let mut elected: Vec<usize> = ranked.iter().copied().filter(|i| yes(i) > cutoff).collect();
    let mut tied: Vec<usize> = ranked
        .iter()
        .copied()
        .filter(|i| yes(i) == cutoff)
        .collect();
    let mut slots = seats - elected.len();
    if tied.len() == slots {
        elected.extend(tied);
        return Ok(ElectionOutcome {
            quorum: true,
            qualified,
            elected,
            pending: None,
            vacant: 0,
        });
    }
    let pending = match tie {
        TiePolicy::Lot => Some(Pending::Lot {
            candidates: tied,
            seats: slots,
        }),
        TiePolicy::Runoff => Some(Pending::Runoff {
            candidates: tied,
            seats: slots,
        }),
        TiePolicy::FewestAgainst => {
            tied.sort_by(|a, b| no(a).cmp(&no(b)).then(a.cmp(b)));
            let boundary = tied.get(slots - 1).map_or(0, no);
            let clear: Vec<usize> = tied.iter().copied().filter(|i| no(i) < boundary).collect();
            slots -= clear.len();
            elected.extend(clear);
            let still: Vec<usize> = tied.iter().copied().filter(|i| no(i) == boundary).collect();
            if still.len() == slots {
                elected.extend(still);
                None
            } else {
                let mut still = still;
                still.sort_unstable();
                Some(Pending::Runoff {
                    candidates: still,
                    seats: slots,
                })
            }
        }
    };
    Ok(ElectionOutcome {
        quorum: true,
        qualified,
        elected,
        pending,
        vacant: 0,
    })
}

/// An exact ratio with its denominator stated, for percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    /// Numerator.
    pub numerator: u64,
    /// Denominator (0 when nothing was counted; then the ratio is undefined).
    pub denominator: u64,
}

impl Ratio {
    /// The ratio in basis points (1/100 of a percent), rounded half up; `None` if the
    /// denominator is 0.
    pub fn basis_points(&self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let n = u128::from(self.numerator) * 10_000;
        let d = u128::from(self.denominator);
        u64::try_from((2 * n + d) / (2 * d)).ok()
    }
}

/// The counts of one evaluation subject: one count per level of the ordered scale, and
/// blanks ("don't know"), which are not valid answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvaluationCounts {
    /// Count per level, best first.
    pub levels: Vec<u64>,
    /// Blank or "don't know" answers.
    pub blank: u64,
}

impl EvaluationCounts {
    /// The number of valid answers (all levels, no blanks).
    pub fn valid(&self) -> u64 {
        self.levels.iter().sum()
    }

    /// The share of one level among valid answers.
    pub fn level_ratio(&self, level: usize) -> Option<Ratio> {
        self.levels.get(level).map(|&n| Ratio {
            numerator: n,
            denominator: self.valid(),
        })
    }

    /// A named indicator: the share of the given levels among valid answers (e.g.
    /// satisfaction = (satisfied + basically satisfied) / valid).
    ///
    /// Implements `Rules.Indicator` (SPEC.md §10.4).
    ///
    /// # Errors
    /// [`Error::InvalidRule`] if a level does not exist or repeats.
    pub fn indicator(&self, levels: &[usize]) -> Result<Ratio, Error> {
        let mut seen = Vec::with_capacity(levels.len());
        let mut numerator = 0u64;
        for &level in levels {
            let count = self
                .levels
                .get(level)
                .ok_or(Error::InvalidRule("indicator names an unknown level"))?;
            if seen.contains(&level) {
                return Err(Error::InvalidRule("indicator repeats a level"));
            }
            seen.push(level);
            numerator += count;
        }
        Ok(Ratio {
            numerator,
            denominator: self.valid(),
        })
    }
}
