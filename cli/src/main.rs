//! `secret-ballot`: run a simulated congress vote end to end.

// A command-line tool prints by design.
#![allow(clippy::print_stdout)]
//!
//! Until the election record exists (manifest, ballot format, record verification), the
//! `demo` subcommand runs the complete cryptographic flow of a yes/no motion with the
//! library's building blocks: a 3-of-5 scrutineer key ceremony, blind credentials at
//! check-in, encrypted ballots with validity proofs signed under each voter's pseudonym,
//! batch verification, the homomorphic tally, and aggregate-only threshold decryption.

use std::process::ExitCode;
use std::time::Instant;

use rand_core::OsRng;
use secret_ballot::credential::{
    Credential, InMemorySessionStore, Issuer, IssuerKeypair, PseudonymSecret, VoterAwaitingCommit,
    VoterId, credential_generator,
};
use secret_ballot::elgamal::{Ciphertext, PublicKey, SecretKey};
use secret_ballot::merlin::Transcript;
use secret_ballot::proofs::{
    BatchVerifier, RangeProof, RangeStatement, SchnorrProof, SchnorrStatement, ValueRange,
    Verifiable,
};
use secret_ballot::threshold::{Aggregate, CeremonyParameters, KeyShare, combine, dkg};
use secret_ballot::transcript::election_transcript;

const USAGE: &str = "\
secret-ballot — anonymous, verifiable secret ballots

USAGE:
    secret-ballot demo [--voters N] [--roster N]
    secret-ballot --help | --version

demo: a simulated congress votes on one motion. 5 scrutineers run a 3-of-5 key
ceremony; each attending representative checks in and receives a blind credential;
each casts an encrypted yes/no ballot with a validity proof, signed with the
credential's pseudonym; everything is verified in one batch; only the sum is
decrypted, by 3 scrutineers. The full congress flow (manifest, election record,
quorum and majority rules, record verification) arrives with the election record.

    --voters N   representatives who attend and vote (default 25)
    --roster N   representatives on the roster (default 30; quorum: more than 2/3)
";

/// A cast ballot: pseudonym, credential, encrypted vote, validity proof, signature.
struct Ballot {
    credential: Credential,
    ciphertext: Ciphertext,
    proof: RangeProof,
    signature: SchnorrProof,
}

fn ballot_transcript(
    context: &[u8; 32],
    credential: &Credential,
    ciphertext: &Ciphertext,
) -> Transcript {
    let mut t = election_transcript(context);
    t.append_message(b"demo-ballot", &credential.pseudonym().to_bytes());
    t.append_message(b"ciphertext", &ciphertext.to_bytes());
    t
}

fn run_demo(voters: u32, roster: u32) -> Result<(), String> {
    let fail = |what: &str, e: secret_ballot::Error| format!("{what}: {e}");
    let mut rng = OsRng;
    let started = Instant::now();
    let mut context = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rng, &mut context);
    println!("election context  {}", hex(&context[..8]));

    // Scrutineers: a 3-of-5 key ceremony.
    let long_term: Vec<SecretKey> = (0..5).map(|_| SecretKey::generate(&mut rng)).collect();
    let params = CeremonyParameters::new(
        context,
        3,
        long_term.iter().map(SecretKey::public_key).collect(),
    )
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
    let election_key: PublicKey = *public.election_key();
    println!(
        "key ceremony      3 of 5 scrutineers, {} complaints, election key {}",
        complaints.len(),
        hex(&election_key.to_bytes()[..8])
    );

    // Check-in: one blind credential per attending representative.
    let issuer = Issuer::new(
        IssuerKeypair::generate(&mut rng),
        InMemorySessionStore::new(),
        600,
    );
    let issuer_key = *issuer.key().public();
    let mut credentials = Vec::new();
    for v in 0..voters {
        let id = VoterId::new(format!("rep-{v:04}").as_bytes()).map_err(|e| fail("roster", e))?;
        let commit = issuer
            .commit(&context, &id, 0, &mut rng)
            .map_err(|e| fail("check-in", e))?;
        let request =
            VoterAwaitingCommit::new(issuer_key, context, PseudonymSecret::generate(&mut rng));
        let (pending, challenge) = request
            .challenge(&commit, &mut rng)
            .map_err(|e| fail("check-in", e))?;
        let response = issuer
            .respond(&challenge, &id, 1)
            .map_err(|e| fail("check-in", e))?;
        credentials.push(
            pending
                .finalize(&response)
                .map_err(|e| fail("check-in", e))?,
        );
    }
    let quorum = u64::from(voters) * 3 > u64::from(roster) * 2;
    println!(
        "check-in          {voters} of {roster} representatives attend, quorum (> 2/3): {}",
        if quorum { "met" } else { "NOT met" }
    );

    // Voting: each encrypts yes (1) or no (0), proves it is a bit, signs with its pseudonym.
    let mut expected_yes = 0u64;
    let mut ballots = Vec::new();
    for (i, credential) in credentials.into_iter().enumerate() {
        let vote = u64::from(i % 3 != 2);
        expected_yes += vote;
        let (ciphertext, randomness) = election_key.encrypt(vote, &mut rng);
        let statement = RangeStatement {
            public_key: election_key,
            ciphertext,
            range: ValueRange::BIT,
        };
        let mut t = ballot_transcript(&context, &credential, &ciphertext);
        let proof = RangeProof::prove(&mut t.clone(), &statement, vote, &randomness, &mut rng)
            .map_err(|e| fail("ballot", e))?;
        t.append_message(b"proof", &proof.to_bytes());
        let signature = SchnorrProof::prove(
            &mut t,
            &SchnorrStatement {
                X: *credential.pseudonym().element(),
            },
            credential.pseudonym_secret().expose_scalar(),
            &mut rng,
        )
        .map_err(|e| fail("ballot", e))?;
        ballots.push(Ballot {
            credential,
            ciphertext,
            proof,
            signature,
        });
    }

    // The ballot box: every credential, proof and signature, in one multiscalar multiplication.
    let verify_started = Instant::now();
    let z = credential_generator(&context);
    let mut batch = BatchVerifier::new(&mut rng);
    for b in &ballots {
        b.credential
            .signature()
            .queue(
                &issuer_key,
                &context,
                &z,
                b.credential.pseudonym(),
                &mut batch,
            )
            .map_err(|e| fail("credential", e))?;
        let statement = RangeStatement {
            public_key: election_key,
            ciphertext: b.ciphertext,
            range: ValueRange::BIT,
        };
        let mut t = ballot_transcript(&context, &b.credential, &b.ciphertext);
        b.proof
            .queue(&mut t.clone(), &statement, &mut batch)
            .map_err(|e| fail("proof", e))?;
        t.append_message(b"proof", &b.proof.to_bytes());
        b.signature
            .queue(
                &mut t,
                &SchnorrStatement {
                    X: *b.credential.pseudonym().element(),
                },
                &mut batch,
            )
            .map_err(|e| fail("signature", e))?;
    }
    batch.vartime_verify().map_err(|e| fail("ballot box", e))?;
    println!(
        "ballot box        {} ballots, all credentials, proofs and signatures verified in one batch ({:.1} ms)",
        ballots.len(),
        verify_started.elapsed().as_secs_f64() * 1e3
    );

    // Tally: only the sum is decrypted, by 3 of the 5 scrutineers.
    let cast: Vec<[Ciphertext; 1]> = ballots.iter().map(|b| [b.ciphertext]).collect();
    let aggregate = Aggregate::from_ballots(&cast, 1).map_err(|e| fail("aggregate", e))?;
    let floor = 3;
    let decryption: Vec<_> = [0usize, 2, 4]
        .iter()
        .filter_map(|&i| shares.get(i))
        .map(|share| share.decrypt_aggregate(&cast, &aggregate, floor, &mut rng))
        .collect::<Result<_, _>>()
        .map_err(|e| fail("decryption share", e))?;
    let tally =
        combine(&public, &context, &aggregate, &decryption).map_err(|e| fail("tally", e))?;
    let yes = tally.totals.first().copied().ok_or("empty tally")?;
    let no = aggregate.ballots() - yes;
    // Motions need a majority of all representatives on the roster.
    let carried = quorum && yes * 2 > u64::from(roster);
    println!(
        "tally             yes {yes}, no {no} (decrypted by scrutineers {:?})",
        tally.trustees
    );
    println!(
        "result            motion {} (needs more than half of all {roster} representatives)",
        if carried { "CARRIED" } else { "NOT carried" }
    );
    if yes != expected_yes {
        return Err(format!(
            "tally mismatch: decrypted {yes}, cast {expected_yes}"
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
