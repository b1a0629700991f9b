//! A whole sitting through the real protocol steps, published as an election record:
//! the key ceremony, check-in with blind issuance, online voting (spoiled ballots,
//! revotes), a paper count signed by the scrutineers present, the close, the count by
//! aggregate-only threshold decryption, totals and outcomes.
//!
//! Representatives' devices work in parallel (each with its own random stream), while
//! the ballot box, as in a real deployment, verifies and accepts ballots one at a time.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use secret_ballot::Error;
use secret_ballot::ballot::{Ballot, ElectionKeys, SpoiledBallot, Vote};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, PseudonymSecret, VoterAwaitingCommit, VoterId,
};
use secret_ballot::manifest::Manifest;
use secret_ballot::record::RecordWriter;
use secret_ballot::tally::{Close, Outcomes, PaperTally, Totals};
use secret_ballot::threshold::dkg::{self, round1, round2};
use secret_ballot::threshold::{KeyShare, PublicKeyPackage, combine};
use secret_ballot::verify;

use super::congress::{self, Agenda, Authorities};
use crate::failure::{Failure, library};
use crate::progress;
use crate::rng::{DemoRng, Entropy};

/// Who does what at the sitting.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) agenda: Agenda,
    /// Representatives who check in online (representatives `0 .. online`).
    pub(crate) online: u32,
    /// Of those, the last `no_ballot` take a credential and cast nothing.
    pub(crate) no_ballot: u32,
    /// The first `spoil` voters spoil one ballot (a Benaloh challenge), then cast.
    pub(crate) spoil: u32,
    /// The last `revotes` voters cast a second ballot.
    pub(crate) revotes: u32,
    /// Representatives who vote on paper (none of them takes a credential).
    pub(crate) paper: u32,
    /// Trustees (1-based) absent at the count: they neither sign nor decrypt.
    pub(crate) absent: Vec<u16>,
    /// Threads that play the representatives' devices.
    pub(crate) threads: usize,
    /// When voting closes, in seconds since the Unix epoch.
    pub(crate) closed_at: u64,
}

/// What the sitting did, for the demo's log.
#[derive(Debug)]
pub(crate) struct Sitting {
    pub(crate) record: Vec<u8>,
    pub(crate) complaints: usize,
    pub(crate) election_key: [u8; 32],
    pub(crate) credentials: usize,
    pub(crate) accepted: usize,
    pub(crate) spoiled: usize,
    pub(crate) replaced: u32,
    pub(crate) refused: u32,
    pub(crate) paper_signers: Vec<u16>,
    pub(crate) closed_head: [u8; 32],
    pub(crate) present: u32,
    pub(crate) shares_from: Vec<u16>,
    pub(crate) decrypted_by: Vec<u16>,
    pub(crate) ceremony_time: Duration,
    pub(crate) voting_time: Duration,
    pub(crate) count_time: Duration,
}

/// Stream numbers: 0 for the authorities, then one per representative.
fn stream_of(representative: u32) -> u64 {
    1 + u64::from(representative)
}

/// Trustee `i` draws from stream `TRUSTEE_STREAMS + i` (far above any representative's).
const TRUSTEE_STREAMS: u64 = 1 << 40;

struct Ceremony {
    round1: Vec<round1::Package>,
    round2: Vec<round2::Package>,
    shares: Vec<KeyShare>,
    public: PublicKeyPackage,
    complaints: usize,
}

/// Every trustee's rounds of the key ceremony (SPEC.md §7), run in one process.
fn ceremony(
    manifest: &Manifest,
    authorities: &Authorities,
    rng: &mut DemoRng,
) -> Result<Ceremony, Failure> {
    let params = manifest
        .ceremony_parameters()
        .map_err(|e| library("key ceremony", &e))?;
    let mut secrets = Vec::new();
    let mut round1 = Vec::new();
    for i in params.indices() {
        let (s, p) = dkg::part1(&params, i, rng).map_err(|e| library("ceremony round 1", &e))?;
        secrets.push(s);
        round1.push(p);
    }
    let mut kept = Vec::new();
    let mut round2 = Vec::new();
    for (s, key) in secrets.into_iter().zip(&authorities.trustees) {
        let (s2, packages) =
            dkg::part2(s, &params, key).map_err(|e| library("ceremony round 2", &e))?;
        kept.push(s2);
        round2.extend(packages);
    }
    round2.sort_by_key(|p| (p.sender(), p.recipient()));
    let complaints: Vec<_> = kept
        .iter()
        .zip(&authorities.trustees)
        .flat_map(|(s, key)| dkg::check_shares(s, &params, key, &round1, &round2))
        .collect();
    let resolution = dkg::resolve(&params, &round1, &complaints, &[])
        .map_err(|e| library("ceremony resolution", &e))?;
    let shares: Vec<KeyShare> = kept
        .iter()
        .zip(&authorities.trustees)
        .map(|(s, key)| dkg::part3(s, &params, key, &round1, &round2, &resolution))
        .collect::<Result<_, _>>()
        .map_err(|e| library("ceremony round 3", &e))?;
    let public = dkg::public_key_package(&params, &round1, &resolution)
        .map_err(|e| library("ceremony public keys", &e))?;
    Ok(Ceremony {
        round1,
        round2,
        shares,
        public,
        complaints: complaints.len(),
    })
}

/// What one representative's device hands the ballot box.
struct Submission {
    spoiled: Option<Vec<u8>>,
    /// Ballots in the order cast, with the votes each encrypts.
    ballots: Vec<(Vec<u8>, Vec<Vote>)>,
}

/// The check-in: the blind issuance of one credential (SPEC.md §9.3).
fn check_in(
    issuer: &Issuer<InMemorySessionStore>,
    manifest: &Manifest,
    context: &[u8; 32],
    representative: u32,
    rng: &mut DemoRng,
) -> Result<Credential, Error> {
    let id = VoterId::new(format!("rep-{representative:05}").as_bytes())?;
    let commit = issuer.commit(context, &id, 0, rng)?;
    let request = VoterAwaitingCommit::new(
        manifest.issuer_key,
        *context,
        PseudonymSecret::generate(rng),
    );
    let (pending, challenge) = request.challenge(&commit, rng)?;
    pending.finalize(&issuer.respond(&challenge, &id, 1)?)
}

struct Device<'a> {
    manifest: &'a Manifest,
    keys: &'a ElectionKeys,
    issuer: &'a Issuer<InMemorySessionStore>,
    context: [u8; 32],
    plan: &'a Plan,
}

impl Device<'_> {
    /// Representative `v` checks in and votes.
    fn vote(&self, v: u32, rng: &mut DemoRng) -> Result<Submission, Failure> {
        let credential = check_in(self.issuer, self.manifest, &self.context, v, rng)
            .map_err(|e| library("check-in", &e))?;
        let voting = self.plan.online - self.plan.no_ballot;
        if v >= voting {
            return Ok(Submission {
                spoiled: None,
                ballots: Vec::new(),
            });
        }
        let cast = |votes: &[Vote], rng: &mut DemoRng| {
            Ballot::cast(self.manifest, self.keys, &credential, votes, rng)
                .map_err(|e| library("casting a ballot", &e))
        };
        let spoiled = if v < self.plan.spoil {
            let decoy = congress::votes(self.plan.agenda, rng);
            let (ballot, secrets) = cast(&decoy, rng)?;
            Some(SpoiledBallot::new(ballot, secrets).to_bytes())
        } else {
            None
        };
        let mut ballots = Vec::new();
        let votes = congress::votes(self.plan.agenda, rng);
        let (ballot, _) = cast(&votes, rng)?;
        ballots.push((ballot.to_bytes(), votes));
        if v + self.plan.revotes >= voting {
            let votes = congress::votes(self.plan.agenda, rng);
            let (ballot, _) = cast(&votes, rng)?;
            ballots.push((ballot.to_bytes(), votes));
        }
        Ok(Submission { spoiled, ballots })
    }
}

/// Adds the 0/1 values of `votes` to `totals`; `None` is an invalid paper answer, which
/// marks nothing.
fn add_votes(
    totals: &mut [u64],
    manifest: &Manifest,
    votes: &[Option<Vote>],
) -> Result<(), Failure> {
    let mut offset = 0;
    for (q, (question, vote)) in manifest.questions.iter().zip(votes).enumerate() {
        if let Some(vote) = vote {
            let bits = vote.bits(question, q).map_err(|e| library("a vote", &e))?;
            for (k, bit) in bits.into_iter().enumerate() {
                if let Some(t) = totals.get_mut(offset + k) {
                    *t += bit;
                }
            }
        }
        offset += question.width();
    }
    Ok(())
}

/// Voting: devices in parallel, the ballot box in this thread.
struct Voting {
    accepted_votes: Vec<u64>,
    replaced: u32,
    refused: u32,
}

fn voting(
    device: &Device<'_>,
    ballot_box: &mut BallotBox,
    entropy: Entropy,
) -> Result<Voting, Failure> {
    let plan = device.plan;
    let bar = progress::items("voting", u64::from(plan.online));
    bar.set_message("representatives checked in and voted");
    let next = AtomicU32::new(0);
    let mut result = Voting {
        accepted_votes: vec![0; device.keys.width()],
        replaced: 0,
        refused: 0,
    };
    let outcome = std::thread::scope(|scope| -> Result<(), Failure> {
        let (tx, rx) = mpsc::sync_channel::<Result<Submission, Failure>>(64);
        for _ in 0..plan.threads.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let v = next.fetch_add(1, Ordering::Relaxed);
                    if v >= plan.online {
                        break;
                    }
                    let mut rng = entropy.stream(stream_of(v));
                    if tx.send(device.vote(v, &mut rng)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for submission in rx {
            let submission = submission?;
            if let Some(spoiled) = &submission.spoiled {
                ballot_box
                    .spoil(spoiled)
                    .map_err(|e| library("spoiling a ballot", &e))?;
            }
            let mut counted = None;
            for (bytes, votes) in submission.ballots {
                match ballot_box.accept(&bytes) {
                    Ok(receipt) => {
                        result.replaced += u32::from(receipt.replaced);
                        counted = Some(votes);
                    }
                    Err(Error::DuplicatePseudonym) => result.refused += 1,
                    Err(e) => return Err(library("the ballot box refused a ballot", &e)),
                }
            }
            if let Some(votes) = counted {
                let votes: Vec<Option<Vote>> = votes.into_iter().map(Some).collect();
                add_votes(&mut result.accepted_votes, device.manifest, &votes)?;
            }
            bar.inc(1);
        }
        Ok(())
    });
    bar.finish_and_clear();
    outcome.map(|()| result)
}

/// The votes of paper voter `p` (representatives `online + p`): every sixth paper answer
/// to the first question is invalid.
fn paper_votes(plan: &Plan, p: u32, entropy: Entropy) -> Vec<Option<Vote>> {
    let mut rng = entropy.stream(stream_of(plan.online + p));
    congress::votes(plan.agenda, &mut rng)
        .into_iter()
        .enumerate()
        .map(|(q, v)| if q == 0 && p % 6 == 5 { None } else { Some(v) })
        .collect()
}

/// Runs the sitting and publishes its record.
pub(crate) fn run(
    manifest: &Manifest,
    authorities: &Authorities,
    plan: &Plan,
    entropy: Entropy,
    rng: &mut DemoRng,
) -> Result<Sitting, Failure> {
    let append = |record: &mut RecordWriter, payload: &[u8]| {
        record
            .append(payload)
            .map(drop)
            .map_err(|e| library("writing the record", &e))
    };
    let context = manifest.context().map_err(|e| library("manifest", &e))?;
    let mut record = RecordWriter::new();
    append(
        &mut record,
        &manifest.to_bytes().map_err(|e| library("manifest", &e))?,
    )?;

    // Stage 1: the scrutineers' key ceremony, published before check-in.
    let started = Instant::now();
    let spinner = progress::spinner("ceremony");
    let c = ceremony(manifest, authorities, rng)?;
    spinner.finish_and_clear();
    for p in &c.round1 {
        append(&mut record, &p.to_bytes())?;
    }
    for p in &c.round2 {
        append(&mut record, &p.to_bytes())?;
    }
    let keys = ElectionKeys::new(manifest, *c.public.election_key())
        .map_err(|e| library("election keys", &e))?;
    let ceremony_time = started.elapsed();

    // Stage 2: check-in and voting, the paper count, the close.
    let started = Instant::now();
    let issuer = Issuer::new(authorities.issuer.clone(), InMemorySessionStore::new(), 600);
    let mut ballot_box = BallotBox::new(keys.clone(), manifest.revoting);
    let device = Device {
        manifest,
        keys: &keys,
        issuer: &issuer,
        context,
        plan,
    };
    let voted = voting(&device, &mut ballot_box, entropy)?;
    ballot_box.close();
    let voting_time = started.elapsed();

    let started = Instant::now();
    let spinner = progress::spinner("close");
    let report = issuer
        .report(&context, &authorities.report, rng)
        .map_err(|e| library("issuance report", &e))?;
    append(&mut record, &report.to_bytes())?;
    ballot_box
        .publish(&mut record)
        .map_err(|e| library("publishing the ballots", &e))?;
    let width = keys.width();
    let mut paper = vec![0u64; width];
    for p in 0..plan.paper {
        add_votes(&mut paper, manifest, &paper_votes(plan, p, entropy))?;
    }
    let present_trustees: Vec<u16> = (1..=u16::try_from(authorities.trustees.len()).unwrap_or(0))
        .filter(|i| !plan.absent.contains(i))
        .collect();
    // The paper count enters the record encrypted (SPEC.md §14.4): the first scrutineer
    // present encrypts the room's tally sheet, every scrutineer present checks the
    // opening against the sheet and signs; only the merged totals are ever decrypted.
    let mut paper_signers = Vec::new();
    let mut offline = None;
    if plan.paper > 0 {
        let sheet = PaperTally::new(manifest, plan.paper, paper.clone())
            .map_err(|e| library("paper count", &e))?;
        let election_key = *c.public.election_key();
        let (mut count, opening) = sheet
            .encrypt(&context, &election_key, rng)
            .map_err(|e| library("encrypting the paper count", &e))?;
        for &i in &present_trustees {
            let key = authorities
                .trustees
                .get(usize::from(i) - 1)
                .ok_or_else(|| Failure::new("internal error: no such trustee"))?;
            count
                .check_opening(&sheet, &opening, &election_key)
                .map_err(|e| library("checking the paper count", &e))?;
            count
                .sign(manifest, i, key, rng)
                .map_err(|e| library("signing the paper count", &e))?;
        }
        paper_signers = count.signers().collect();
        append(&mut record, &count.to_bytes())?;
        offline = Some(count);
    }
    let present = plan.online + plan.paper;
    let closed_at = plan.closed_at;
    append(&mut record, &Close { present, closed_at }.to_bytes())?;
    let closed_head = record.head();
    spinner.finish_and_clear();

    // Stage 3: the count. Each trustee present verifies the closed record itself and
    // decrypts only the aggregate it recomputed from the published ballots.
    let spinner = progress::spinner("count");
    spinner.set_message("each trustee present verifies the closed record, then decrypts its sum");
    let online = ballot_box
        .aggregate()
        .map_err(|e| library("aggregate", &e))?;
    let aggregate = match &offline {
        Some(count) => count
            .add_to(&online)
            .map_err(|e| library("aggregate", &e))?,
        None => online,
    };
    let closed = record.as_bytes().to_vec();
    let decrypting: Vec<&KeyShare> = c
        .shares
        .iter()
        .filter(|s| present_trustees.contains(&s.index()))
        .collect();
    let shares = std::thread::scope(|scope| {
        let workers: Vec<_> = decrypting
            .iter()
            .map(|share| {
                let closed = &closed;
                scope.spawn(move || {
                    let mut rng = entropy.stream(TRUSTEE_STREAMS + u64::from(share.index()));
                    verify::decrypt_record(share, closed, &mut rng)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or(Err(Error::Internal("a trustee's thread panicked")))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .map_err(|e| library("a trustee refused to decrypt", &e))?;
    append(&mut record, &aggregate.to_bytes())?;
    for share in &shares {
        append(&mut record, &share.to_bytes())?;
    }
    let tally =
        combine(&c.public, &context, &aggregate, &shares).map_err(|e| library("tally", &e))?;
    // Online and paper votes were merged before decryption.
    let totals = tally.totals;
    let expected: Vec<u64> = voted
        .accepted_votes
        .iter()
        .zip(&paper)
        .map(|(a, b)| a + b)
        .collect();
    if totals != expected {
        return Err(Failure::new(
            "internal error: the decrypted totals differ from the votes cast",
        ));
    }
    append(&mut record, &Totals(totals.clone()).to_bytes())?;
    let outcomes =
        Outcomes::compute(manifest, &totals, present).map_err(|e| library("outcomes", &e))?;
    append(&mut record, &outcomes.to_bytes())?;
    spinner.finish_and_clear();
    let count_time = started.elapsed();

    Ok(Sitting {
        record: record.into_bytes(),
        complaints: c.complaints,
        election_key: c.public.election_key().to_bytes(),
        credentials: report.count(),
        accepted: ballot_box.len(),
        spoiled: ballot_box.spoiled(),
        replaced: voted.replaced,
        refused: voted.refused,
        paper_signers,
        closed_head,
        present,
        shares_from: shares.iter().map(|s| s.trustee()).collect(),
        decrypted_by: tally.trustees,
        ceremony_time,
        voting_time,
        count_time,
    })
}
