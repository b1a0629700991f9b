//! Which ciphertexts of a ballot are sent and which are derived (SPEC.md §12.2,
//! "Derived positions").
//!
//! An "exactly `k`" group (`min = max = k`) of two or more positions whose last position
//! belongs to no other group needs neither its last ciphertext nor a range proof of its
//! sum: the last ciphertext is `(0, [k]G)` minus the group's others, so the group's sum
//! encrypts `k` by construction, and the bit proof of the derived ciphertext shows that
//! the last position is a bit. Every motion, every candidate's for/against/abstain, every
//! evaluated subject and every "exactly `k` of" choice is such a group.

use alloc::sync::Arc;
use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

use crate::elgamal::{Ciphertext, Randomness};
use crate::error::Error;
use crate::manifest::{Group, Manifest, Question};

/// A ballot's layout: per question, its width, its groups and which groups are derived.
/// Built once per election from the manifest (public data); cheap to clone (every
/// decoded ballot keeps one, to encode itself and to be checked against its election).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotLayout {
    questions: Arc<[QuestionLayout]>,
}

/// One question's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionLayout {
    width: usize,
    groups: Vec<Group>,
    /// Per group: `Some([k]G)` if the group is derived.
    derived: Vec<Option<RistrettoPoint>>,
    /// Per position: whether its ciphertext is derived (not sent).
    omitted: Vec<bool>,
}

impl BallotLayout {
    /// The layout of a manifest's ballots.
    pub fn new(manifest: &Manifest) -> Self {
        BallotLayout {
            questions: manifest
                .questions
                .iter()
                .map(QuestionLayout::new)
                .collect::<Vec<_>>()
                .into(),
        }
    }

    /// The questions' layouts, in order.
    pub fn questions(&self) -> &[QuestionLayout] {
        &self.questions
    }

    /// The number of positions (ciphertexts in the aggregate) of a ballot.
    pub fn width(&self) -> usize {
        self.questions.iter().map(|q| q.width).sum()
    }

    /// The number of ciphertexts a ballot carries on the wire.
    pub fn sent(&self) -> usize {
        self.questions.iter().map(QuestionLayout::sent).sum()
    }
}

impl QuestionLayout {
    fn new(question: &Question) -> Self {
        let width = question.width();
        let groups = question.groups();
        let derived: Vec<Option<RistrettoPoint>> = groups
            .iter()
            .enumerate()
            .map(|(g, group)| {
                let last = group.positions.last()?;
                let alone = groups
                    .iter()
                    .enumerate()
                    .all(|(h, other)| h == g || !other.positions.contains(last));
                (group.min == group.max && group.positions.len() >= 2 && alone)
                    .then(|| RISTRETTO_BASEPOINT_TABLE * &Scalar::from(group.min))
            })
            .collect();
        let mut omitted = alloc::vec![false; width];
        for (group, d) in groups.iter().zip(&derived) {
            if let (Some(_), Some(slot)) =
                (d, group.positions.last().and_then(|&p| omitted.get_mut(p)))
            {
                *slot = true;
            }
        }
        QuestionLayout {
            width,
            groups,
            derived,
            omitted,
        }
    }

    /// The number of positions.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The number of ciphertexts sent.
    pub fn sent(&self) -> usize {
        self.omitted.iter().filter(|&&o| !o).count()
    }

    /// Whether position `p`'s ciphertext is derived rather than sent.
    pub fn is_derived(&self, p: usize) -> bool {
        self.omitted.get(p).copied().unwrap_or(false)
    }

    /// The groups (SPEC.md §11.2), derived or proved.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The groups that carry a range proof, with their indices, in order.
    pub fn proved_groups(&self) -> impl Iterator<Item = (usize, &Group)> + '_ {
        self.groups
            .iter()
            .zip(&self.derived)
            .enumerate()
            .filter_map(|(g, (group, d))| d.is_none().then_some((g, group)))
    }

    /// The derived groups (SPEC.md §12.2), in order: each one's last position is derived.
    pub fn derived_groups(&self) -> impl Iterator<Item = &Group> + '_ {
        self.groups
            .iter()
            .zip(&self.derived)
            .filter_map(|(group, d)| d.is_some().then_some(group))
    }

    /// Each derived group's derived position and its ciphertext computed from `all`:
    /// `(−Σ Aₚ, [k]G − Σ Bₚ)` over the group's other positions (point additions only).
    fn derivations<'a>(
        &'a self,
        all: &'a [Ciphertext],
    ) -> impl Iterator<Item = (usize, RistrettoPoint, RistrettoPoint)> + 'a {
        self.groups
            .iter()
            .zip(&self.derived)
            .filter_map(move |(group, d)| {
                let kg = d.as_ref()?;
                let (&last, others) = group.positions.split_last()?;
                let (a, b) = others
                    .iter()
                    .filter_map(|&p| all.get(p))
                    .fold((RistrettoPoint::identity(), *kg), |(a, b), c| {
                        (a - c.a().point(), b - c.b().point())
                    });
                Some((last, a, b))
            })
    }

    /// The number of groups that carry a range proof.
    pub fn proved(&self) -> usize {
        self.derived.iter().filter(|d| d.is_none()).count()
    }

    /// Every position's ciphertext from the sent ones, in order: each derived position's
    /// is `(0, [k]G) − Σ` of its group's others (SPEC.md §12.2). Public data only.
    ///
    /// # Errors
    /// [`Error::BallotShape`] if `sent` has another length than [`sent`](Self::sent).
    pub fn complete(&self, sent: &[Ciphertext]) -> Result<Vec<Ciphertext>, Error> {
        if sent.len() != self.sent() {
            return Err(Error::BallotShape);
        }
        let mut sent = sent.iter();
        let mut all: Vec<Ciphertext> = self
            .omitted
            .iter()
            .map(|&o| if o { None } else { sent.next().copied() })
            .map(|c| c.unwrap_or_else(Ciphertext::zero))
            .collect();
        // A derived position's others are all sent (it is in no other group), so each
        // derivation reads only sent ciphertexts.
        let derived: Vec<(usize, RistrettoPoint, RistrettoPoint)> =
            self.derivations(&all).collect();
        for (last, a, b) in derived {
            if let Some(slot) = all.get_mut(last) {
                *slot = Ciphertext::from_points(a, b);
            }
        }
        Ok(all)
    }

    /// The entries of `all` (one per position) at the sent positions, in order.
    pub fn sent_of<T: Copy>(&self, all: &[T]) -> Vec<T> {
        all.iter()
            .zip(&self.omitted)
            .filter(|(_, omitted)| !**omitted)
            .map(|(x, _)| *x)
            .collect()
    }

    /// Every position's randomness from the sent ones', in order: a derived position's is
    /// `−Σ r` of its group's others, the randomness of the ciphertext
    /// [`complete`](Self::complete) derives (SPEC.md §12.2). Scalar arithmetic only,
    /// constant time in the randomness; which positions are derived is public.
    ///
    /// # Errors
    /// [`Error::BallotShape`] if `sent` has another length than [`sent`](Self::sent).
    pub fn complete_randomness(&self, sent: Vec<Randomness>) -> Result<Vec<Randomness>, Error> {
        if sent.len() != self.sent() {
            return Err(Error::BallotShape);
        }
        let mut sent = sent.into_iter();
        let mut all: Vec<Option<Randomness>> = self
            .omitted
            .iter()
            .map(|&o| if o { None } else { sent.next() })
            .collect();
        for group in self.derived_groups() {
            let Some((&last, others)) = group.positions.split_last() else {
                continue;
            };
            let derived =
                Randomness::sum(others.iter().filter_map(|&p| all.get(p)?.as_ref())).negated();
            if let Some(slot) = all.get_mut(last) {
                *slot = Some(derived);
            }
        }
        all.into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or(Error::Internal("a derived position's randomness"))
    }

    /// Checks that every derived position's ciphertext in `all` (every position's, as
    /// [`complete`](Self::complete) gives them) is what the sent ones make it. Point
    /// additions and equality only: no encoding. Public data only.
    ///
    /// # Errors
    /// [`Error::BallotShape`] for another number of ciphertexts or a derived ciphertext
    /// that is not `(0, [k]G) − Σ` of its group's others (ciphertexts completed with
    /// another election's layout).
    pub fn check_complete(&self, all: &[Ciphertext]) -> Result<(), Error> {
        if all.len() != self.width {
            return Err(Error::BallotShape);
        }
        for (last, a, b) in self.derivations(all) {
            match all.get(last) {
                Some(c) if c.a().point() == &a && c.b().point() == &b => {}
                _ => return Err(Error::BallotShape),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(question: Question) -> QuestionLayout {
        QuestionLayout::new(&question)
    }

    fn texts(n: usize) -> Vec<alloc::string::String> {
        (0..n).map(|i| alloc::format!("item {i}")).collect()
    }

    /// A choice of `min` to `max` of `options` options.
    fn choice(options: usize, min: u16, max: u16) -> Question {
        Question::Choice {
            title: "c".into(),
            options: texts(options),
            min,
            max,
        }
    }

    #[test]
    fn exact_groups_are_derived_and_ranges_are_proved() {
        let motion = layout(Question::Motion { title: "m".into() });
        assert_eq!((motion.sent(), motion.proved()), (2, 0));
        assert!(motion.is_derived(2));

        let one_of_four = layout(choice(4, 1, 1));
        assert_eq!((one_of_four.sent(), one_of_four.proved()), (3, 0));

        let two_to_three = layout(choice(4, 2, 3));
        assert_eq!((two_to_three.sent(), two_to_three.proved()), (4, 1));

        let single = layout(choice(1, 1, 1));
        assert_eq!((single.sent(), single.proved()), (1, 1));

        // Each candidate's abstain is derived; the "for" group is a range.
        let election = layout(Question::Election {
            title: "e".into(),
            candidates: texts(3),
            seats: 2,
        });
        assert_eq!((election.sent(), election.proved()), (6, 1));
        assert_eq!(
            election.proved_groups().map(|(g, _)| g).collect::<Vec<_>>(),
            [3]
        );
        assert!((0..9).all(|p| election.is_derived(p) == (p % 3 == 2)));

        let evaluation = layout(Question::Evaluation {
            title: "v".into(),
            subjects: texts(2),
            levels: texts(3),
            allow_blank: true,
            indicators: Vec::new(),
        });
        assert_eq!((evaluation.sent(), evaluation.proved()), (6, 0));
        assert!(evaluation.is_derived(3) && evaluation.is_derived(7));
    }

    #[test]
    fn a_derived_ciphertext_completes_its_group_to_k() {
        use crate::elgamal::Keypair;
        use rand_chacha::ChaCha20Rng;
        use rand_core::SeedableRng;
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let keys = Keypair::generate(&mut rng);
        let q = layout(choice(4, 2, 2));
        let (sent, rs): (Vec<Ciphertext>, Vec<Randomness>) = [1, 0, 1]
            .iter()
            .map(|&v| keys.public().encrypt(v, &mut rng))
            .unzip();
        let all = q.complete(&sent).expect("three sent");
        // The derived ciphertext encrypts 2 − (1 + 0 + 1) = 0 with randomness −Σ r.
        let all_rs = q.complete_randomness(rs.clone()).expect("three sent");
        for (p, (c, r)) in all.iter().zip(&all_rs).enumerate() {
            let value = [1, 0, 1, 0][p];
            assert_eq!(keys.public().encrypt_with(value, r), *c, "position {p}");
        }
        assert_eq!(q.sent_of(&[10, 11, 12, 13]), [10, 11, 12]);
        assert!(q.complete_randomness(rs[..2].to_vec()).is_err());
        assert_eq!(all.len(), 4);
        assert_eq!(all.get(..3), Some(sent.as_slice()));
        let sum = Ciphertext::sum(&all);
        let two = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(2u8);
        assert_eq!(keys.secret().decrypt_to_point(&sum), two);
        assert!(sum.a().is_identity());
        let last = all.last().copied().expect("four");
        assert_eq!(
            keys.secret().decrypt_to_point(&last),
            RistrettoPoint::identity()
        );
        assert_eq!(q.check_complete(&all), Ok(()));
        // Completed for "exactly 1" instead of 2: refused.
        let one = layout(choice(4, 1, 1));
        let other = one.complete(&sent).expect("three sent");
        assert_eq!(q.check_complete(&other), Err(Error::BallotShape));
        assert_eq!(one.check_complete(&all), Err(Error::BallotShape));
        assert_eq!(q.check_complete(&sent), Err(Error::BallotShape));
        assert_eq!(q.complete(&all), Err(Error::BallotShape));
        assert_eq!(q.complete(&sent[..2]), Err(Error::BallotShape));
    }
}
