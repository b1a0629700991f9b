//! `secret-ballot`: run a simulated congress vote end to end.

// A command-line tool prints by design.
#![allow(clippy::print_stdout)]
//!
//! Until the election record exists, the `demo` subcommand runs a motion through the
//! library's protocol steps: a manifest, a 3-of-5 scrutineer key ceremony, blind
//! credentials at check-in, ballots verified by the ballot box, the homomorphic tally,
//! aggregate-only threshold decryption, and the quorum and majority rules.

use std::process::ExitCode;
use std::time::Instant;

use rand_core::OsRng;
use secret_ballot::ballot::{Ballot, ElectionKeys, MotionVote, Vote};
use secret_ballot::ballot_box::BallotBox;
use secret_ballot::credential::{
    InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, ReportKeypair,
    VoterAwaitingCommit, VoterId,
};
use secret_ballot::elgamal::SecretKey;
use secret_ballot::manifest::{Manifest, Question};
use secret_ballot::rules::{self, Bases, ShortfallPolicy, Threshold, TiePolicy};
use secret_ballot::threshold::{KeyShare, combine, dkg};

const USAGE: &str = "\
secret-ballot — anonymous, verifiable secret ballots

USAGE:
    secret-ballot demo [--voters N] [--roster N]
    secret-ballot --help | --version

demo: a simulated congress votes on one motion. 5 scrutineers run a 3-of-5 key
ceremony; each attending representative checks in and receives a blind credential,
then casts an encrypted ballot (for / against / abstain) with validity proofs, signed
with the credential's pseudonym; the ballot box verifies each one; only the sum is
decrypted, by 3 scrutineers; the quorum and majority rules decide. Publishing and
verifying the complete election record arrives with the election record.

    --voters N   representatives who attend and vote (default 25)
    --roster N   representatives on the roster (default 30; quorum: more than 2/3)
";

fn run_demo(voters: u32, roster: u32) -> Result<(), String> {
    let fail = |what: &str, e: secret_ballot::Error| format!("{what}: {e}");
    let mut rng = OsRng;
    let started = Instant::now();

    // The manifest: one motion, 3-of-5 scrutineers, the issuer's keys, the rules.
    let long_term: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let issuer_key = IssuerKeypair::generate(&mut rng);
    let report_key = ReportKeypair::generate(&mut rng);
    let manifest = Manifest {
        election_id: b"demo-congress".to_vec(),
        title: "Demo workers' congress".into(),
        roster,
        questions: vec![Question::Motion {
            title: "Adopt the 2026 pay scheme".into(),
        }],
        quorum: Threshold::QUORUM,
        pass: Threshold::PASS,
        tie: TiePolicy::Runoff,
        shortfall: ShortfallPolicy::Runoff,
        trustee_threshold: 3,
        trustee_keys: long_term.iter().map(SecretKey::public_key).collect(),
        issuer_key: *issuer_key.public(),
        report_key: report_key.public(),
        privacy_floor: 3,
        revoting: false,
    };
    let context = manifest.context().map_err(|e| fail("manifest", e))?;
    println!("election context  {}", hex(&context[..8]));

    // Scrutineers: the key ceremony.
    let params = manifest
        .ceremony_parameters()
        .map_err(|e| fail("parameters", e))?;
    let mut secrets = Vec::new();
    let mut round1 = Vec::new();
    for i in params.indices() {
        let (s, p) = dkg::part1(&params, i, &mut rng).map_err(|e| fail("round 1", e))?;
        secrets.push(s);
        round1.push(p);
    }
    let mut secrets2 = Vec::new();
    let mut round2 = Vec::new();
    for (s, key) in secrets.into_iter().zip(&long_term) {
        let (s2, packages) = dkg::part2(s, &params, key).map_err(|e| fail("round 2", e))?;
        secrets2.push(s2);
        round2.extend(packages);
    }
    let complaints: Vec<_> = secrets2
        .iter()
        .zip(&long_term)
        .flat_map(|(s, key)| dkg::check_shares(s, &params, key, &round1, &round2))
        .collect();
    let resolution =
        dkg::resolve(&params, &round1, &complaints, &[]).map_err(|e| fail("resolution", e))?;
    let shares: Vec<KeyShare> = secrets2
        .iter()
        .zip(&long_term)
        .map(|(s, key)| dkg::part3(s, &params, key, &round1, &round2, &resolution))
        .collect::<Result<_, _>>()
        .map_err(|e| fail("round 3", e))?;
    let public = shares.first().ok_or("no trustees")?.public().clone();
    let keys = ElectionKeys::new(&manifest, *public.election_key()).map_err(|e| fail("keys", e))?;
    println!(
        "key ceremony      3 of 5 scrutineers, {} complaints, election key {}",
        complaints.len(),
        hex(&public.election_key().to_bytes()[..8])
    );

    // Check-in (one blind credential each) and voting, through the ballot box.
    let issuer = Issuer::new(issuer_key, InMemorySessionStore::new(), 600);
    let mut ballot_box = BallotBox::new(keys.clone(), manifest.revoting);
    let mut expected_yes = 0u64;
    let voting_started = Instant::now();
    for v in 0..voters {
        let id = VoterId::new(format!("rep-{v:04}").as_bytes()).map_err(|e| fail("roster", e))?;
        let commit = issuer
            .commit(&context, &id, 0, &mut rng)
            .map_err(|e| fail("check-in", e))?;
        let request = VoterAwaitingCommit::new(
            manifest.issuer_key,
            context,
            PseudonymSecret::generate(&mut rng),
        );
        let (pending, challenge) = request
            .challenge(&commit, &mut rng)
            .map_err(|e| fail("check-in", e))?;
        let response = issuer
            .respond(&challenge, &id, 1)
            .map_err(|e| fail("check-in", e))?;
        let credential = pending
            .finalize(&response)
            .map_err(|e| fail("check-in", e))?;
        let vote = if v % 3 == 2 {
            MotionVote::Against
        } else {
            MotionVote::For
        };
        expected_yes += u64::from(vote == MotionVote::For);
        let (ballot, _) = Ballot::cast(
            &manifest,
            &keys,
            &credential,
            &[Vote::Motion(vote)],
            &mut rng,
        )
        .map_err(|e| fail("ballot", e))?;
        ballot_box
            .accept(&ballot.to_bytes())
            .map_err(|e| fail("ballot box", e))?;
    }
    ballot_box.close();
    let report = issuer
        .report(&context, &report_key, &mut rng)
        .map_err(|e| fail("issuance report", e))?;
    let quorum = u64::from(voters) * 3 >= u64::from(roster) * 2;
    println!(
        "check-in          {} of {roster} representatives took a credential, quorum (3·P ≥ 2·N): {}",
        report.count(),
        if quorum { "met" } else { "NOT met" }
    );
    println!(
        "ballot box        {} ballots accepted, each credential, signature and proof verified ({:.1} ms for check-in and voting)",
        ballot_box.len(),
        voting_started.elapsed().as_secs_f64() * 1e3
    );

    // Tally: only the aggregate is decrypted, by 3 of the 5 scrutineers.
    let aggregate = ballot_box.aggregate().map_err(|e| fail("aggregate", e))?;
    let rows = ballot_box.rows();
    let decryption: Vec<_> = [0usize, 2, 4]
        .iter()
        .filter_map(|&i| shares.get(i))
        .map(|share| {
            share.decrypt_aggregate(
                &rows,
                &aggregate,
                u64::from(manifest.privacy_floor),
                &mut rng,
            )
        })
        .collect::<Result<_, _>>()
        .map_err(|e| fail("decryption share", e))?;
    let tally =
        combine(&public, &context, &aggregate, &decryption).map_err(|e| fail("tally", e))?;
    let count = |k: usize| tally.totals.get(k).copied().unwrap_or(0);
    let outcome = rules::resolution(
        count(0),
        count(1),
        count(2),
        u64::from(roster),
        u64::from(voters),
        &manifest.quorum,
        &manifest.pass,
    );
    println!(
        "tally             yes {}, no {}, abstain {} (decrypted by scrutineers {:?})",
        outcome.yes, outcome.no, outcome.abstain, tally.trustees
    );
    println!(
        "result            motion {} (2·Y > N: needs {} of all {roster}, margin {})",
        if outcome.passed {
            "CARRIED"
        } else {
            "NOT carried"
        },
        Threshold::PASS.minimum(&Bases {
            roster: u64::from(roster),
            present: u64::from(voters),
            votes_cast: 0
        }),
        outcome.margin
    );
    if outcome.yes != expected_yes {
        return Err(format!(
            "tally mismatch: decrypted {}, cast {expected_yes}",
            outcome.yes
        ));
    }
    println!("done in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_count(value: Option<String>, flag: &str) -> Result<u32, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a number"))?;
    match value.parse::<u32>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "{flag}: expected a number from 1 to 100000, got {value:?}"
        )),
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        None | Some("--help") | Some("-h") | Some("help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some("--version") | Some("-V") => {
            println!("secret-ballot {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some("demo") => {
            let (mut voters, mut roster) = (25, 30);
            while let Some(flag) = args.next() {
                match flag.as_str() {
                    "--voters" => voters = parse_count(args.next(), "--voters")?,
                    "--roster" => roster = parse_count(args.next(), "--roster")?,
                    other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
                }
            }
            if voters > roster {
                return Err(format!(
                    "--voters ({voters}) cannot exceed --roster ({roster})"
                ));
            }
            if voters < 3 {
                return Err("the privacy floor is 3 ballots: use --voters 3 or more".into());
            }
            run_demo(voters, roster)
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
