//! `secret-ballot demo`: a whole congress, simulated through the real protocol steps,
//! published as an election record, verified, and printed as a result sheet.

mod congress;
mod sitting;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use secret_ballot::credential::{IssuerKeypair, ReportKeypair};
use secret_ballot::elgamal::SecretKey;

use self::congress::{Agenda, Authorities};
use self::sitting::Plan;
use crate::Format;
use crate::failure::Failure;
use crate::manifest_file::ManifestFile;
use crate::rng::Entropy;
use crate::sheet::Sheet;
use crate::verify::{self, grouped};

/// Options of `secret-ballot demo`.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// N: representatives holding a mandate (应到).
    #[arg(long, default_value_t = 300, value_name = "N")]
    representatives: u32,
    /// P: representatives present (实到), online and on paper.
    #[arg(long, default_value_t = 240, value_name = "P")]
    present: u32,
    /// Of those present, how many vote on paper [default: 5 % of P].
    #[arg(long, value_name = "K")]
    paper: Option<u32>,
    /// Online representatives who take a credential but cast no ballot [default: 1 % of P].
    #[arg(long, value_name = "K")]
    no_ballot: Option<u32>,
    /// Voters who first spoil a ballot to audit their device, then cast [default: 2 % of P, at least 1].
    #[arg(long, value_name = "K")]
    spoil: Option<u32>,
    /// Voters who vote a second time: the later ballot replaces the earlier if revoting is
    /// allowed, and is refused otherwise [default: 2 % of P].
    #[arg(long, value_name = "K")]
    revotes: Option<u32>,
    /// The manifest forbids revoting.
    #[arg(long)]
    no_revoting: bool,
    /// Motions on the agenda.
    #[arg(long, default_value_t = 3, value_name = "K")]
    motions: u8,
    /// Add a choice question with this many options (choose one or two); 0 for none.
    #[arg(long, default_value_t = 0, value_name = "K")]
    choice_options: u16,
    /// Candidates in the election.
    #[arg(long, default_value_t = 7, value_name = "K")]
    candidates: u16,
    /// Seats to fill in the election.
    #[arg(long, default_value_t = 5, value_name = "K")]
    seats: u16,
    /// Managers in the democratic evaluation.
    #[arg(long, default_value_t = 4, value_name = "K")]
    managers: u16,
    /// Trustees (scrutineers holding key shares).
    #[arg(long, default_value_t = 5, value_name = "n")]
    trustees: u16,
    /// Trustees needed to decrypt.
    #[arg(long, default_value_t = 3, value_name = "t")]
    threshold: u16,
    /// Trustees absent at the count: they neither sign the paper count nor decrypt.
    #[arg(long, default_value_t = 1, value_name = "K")]
    absent_trustees: u16,
    /// Fewest online ballots before the aggregate may be decrypted.
    #[arg(long, default_value_t = 10, value_name = "K")]
    privacy_floor: u32,
    /// Seed for a reproducible run [default: the operating system's randomness].
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Where to write the election record.
    #[arg(long, short, default_value = "congress.record", value_name = "PATH")]
    record: PathBuf,
    /// Also write the manifest as JSON.
    #[arg(long, value_name = "PATH")]
    manifest: Option<PathBuf>,
    /// Also write the result sheet as a printable HTML page.
    #[arg(long, value_name = "PATH")]
    html: Option<PathBuf>,
    /// Also write the result sheet as JSON.
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Also write the result sheet as CSV.
    #[arg(long, value_name = "PATH")]
    csv: Option<PathBuf>,
    /// Threads playing the representatives' devices [default: one per core].
    #[arg(long, value_name = "K")]
    threads: Option<usize>,
}

/// `part` percent of `whole`, rounded down.
fn percent_of(whole: u32, part: u32) -> u32 {
    u32::try_from(u64::from(whole) * u64::from(part) / 100).unwrap_or(u32::MAX)
}

/// Checks the options against each other and makes the plan.
fn plan(o: &Options) -> Result<(Plan, Agenda), Failure> {
    let bad = |m: String| Err(Failure::new(m));
    if o.representatives == 0 {
        return bad("--representatives must be at least 1".into());
    }
    if o.present == 0 || o.present > o.representatives {
        return bad(format!(
            "--present must be between 1 and --representatives ({}), got {}",
            o.representatives, o.present
        ));
    }
    let paper = o.paper.unwrap_or(percent_of(o.present, 5));
    if paper >= o.present {
        return bad(format!(
            "--paper ({paper}) must leave someone to vote online of the {} present",
            o.present
        ));
    }
    let online = o.present - paper;
    let no_ballot = o.no_ballot.unwrap_or(percent_of(o.present, 1));
    let voting = online.saturating_sub(no_ballot);
    if voting < o.privacy_floor.max(1) {
        return bad(format!(
            "{voting} online ballots ({} present − {paper} on paper − {no_ballot} without a ballot) is below the privacy floor of {}: nothing could be decrypted",
            o.present, o.privacy_floor
        ));
    }
    let spoil = o.spoil.unwrap_or(percent_of(o.present, 2).max(1));
    let revotes = o.revotes.unwrap_or(percent_of(o.present, 2));
    if spoil > voting || revotes > voting {
        return bad(format!(
            "--spoil ({spoil}) and --revotes ({revotes}) must each be at most the {voting} online voters"
        ));
    }
    if o.seats == 0 || o.seats > o.candidates {
        return bad(format!(
            "--seats must be between 1 and --candidates ({}), got {}",
            o.candidates, o.seats
        ));
    }
    if o.managers == 0 {
        return bad("--managers must be at least 1".into());
    }
    if o.trustees == 0 || o.trustees > 255 {
        return bad(format!(
            "--trustees must be between 1 and 255, got {}",
            o.trustees
        ));
    }
    if o.threshold == 0 || o.threshold > o.trustees {
        return bad(format!(
            "--threshold must be between 1 and --trustees ({}), got {}",
            o.trustees, o.threshold
        ));
    }
    if o.absent_trustees > o.trustees - o.threshold {
        return bad(format!(
            "--absent-trustees ({}) leaves fewer than the threshold of {} of {} trustees to decrypt",
            o.absent_trustees, o.threshold, o.trustees
        ));
    }
    // The absent: even indices first (2, 4, …), so the decryption shows a gap.
    let mut order: Vec<u16> = (1..=o.trustees).collect();
    order.sort_by_key(|i| (i % 2 == 1, *i));
    let mut absent: Vec<u16> = order
        .into_iter()
        .take(usize::from(o.absent_trustees))
        .collect();
    absent.sort_unstable();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // The ballot box's verification in this thread is lighter than casting, so every
    // core gets a device thread too.
    let threads = o.threads.unwrap_or(cores).clamp(1, 64);
    if o.choice_options > 256 {
        return bad(format!(
            "--choice-options must be at most 256, got {}",
            o.choice_options
        ));
    }
    let agenda = Agenda {
        motions: o.motions,
        choice_options: o.choice_options,
        candidates: o.candidates,
        seats: o.seats,
        managers: o.managers,
    };
    Ok((
        Plan {
            agenda,
            online,
            no_ballot,
            spoil,
            revotes,
            paper,
            absent,
            threads,
            // A seeded demo repeats byte for byte, so it closes at a fixed time
            // (2026-06-18T09:30:00Z); otherwise now.
            closed_at: match o.seed {
                Some(_) => 1_781_775_000,
                None => std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs()),
            },
        },
        agenda,
    ))
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn list(items: &[u16]) -> String {
    crate::sheet::list(items)
}

/// Runs `secret-ballot demo`.
pub(crate) fn run(o: &Options) -> Result<(), Failure> {
    let started = Instant::now();
    let (plan, agenda) = plan(o)?;
    for path in [
        Some(&o.record),
        o.manifest.as_ref(),
        o.html.as_ref(),
        o.json.as_ref(),
        o.csv.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return Err(Failure::new(format!(
                "cannot write {}: its directory does not exist",
                path.display()
            )));
        }
    }
    let entropy = Entropy::new(o.seed);
    let mut rng = entropy.stream(0);
    let authorities = Authorities {
        trustees: (0..o.trustees)
            .map(|_| SecretKey::generate(&mut rng))
            .collect(),
        issuer: IssuerKeypair::generate(&mut rng),
        report: ReportKeypair::generate(&mut rng),
    };
    let manifest = congress::manifest(
        o.representatives,
        agenda,
        &authorities,
        o.threshold,
        o.privacy_floor,
        !o.no_revoting,
    );
    let context = manifest
        .context()
        .map_err(|e| crate::failure::library("manifest", &e))?;
    println!(
        "secret-ballot demo: {} representatives, {} present ({} online, {} on paper){}",
        o.representatives,
        o.present,
        plan.online,
        plan.paper,
        o.seed
            .map_or_else(|| ", OS randomness".to_owned(), |s| format!(", seed {s}"))
    );
    println!(
        "manifest       {} questions, {} ballot positions, revoting {}, manifest hash {}",
        manifest.questions.len(),
        manifest.width(),
        if manifest.revoting { "allowed" } else { "off" },
        hex::encode(context)
    );
    if let Some(path) = &o.manifest {
        let text = ManifestFile::from_manifest(&manifest).to_json()?;
        std::fs::write(path, text)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
        println!("               written to {}", path.display());
    }

    let s = sitting::run(&manifest, &authorities, &plan, entropy, &mut rng)?;
    println!(
        "key ceremony   {} of {} trustees, {} complaints, election key {}  ({})",
        o.threshold,
        o.trustees,
        s.complaints,
        hex::encode(s.election_key),
        seconds(s.ceremony_time)
    );
    let revotes = if manifest.revoting {
        format!("{} revotes replaced an earlier ballot", s.replaced)
    } else {
        format!("{} second ballots refused (revoting is off)", s.refused)
    };
    println!(
        "check-in       {} credentials issued by blind signature to the {} representatives present online",
        s.credentials, plan.online
    );
    println!(
        "voting         {} ballots accepted, each credential, signature and proof verified; {} spoiled and opened (device audits); {revotes}; {} took a credential and cast no ballot  ({})",
        s.accepted,
        s.spoiled,
        plan.no_ballot,
        seconds(s.voting_time)
    );
    if plan.paper > 0 {
        println!(
            "paper          {} paper ballots counted in the room; the count enters the record encrypted, checked and signed by trustees {}",
            plan.paper,
            list(&s.paper_signers)
        );
    }
    println!(
        "close          {} present; head at close {}",
        s.present,
        hex::encode(s.closed_head)
    );
    println!(
        "count          trustees {} each verified the closed record and decrypted the sum they recomputed (absent: {}); combined {}; totals match the votes cast  ({})",
        list(&s.shares_from),
        if plan.absent.is_empty() {
            "none".to_owned()
        } else {
            list(&plan.absent)
        },
        list(&s.decrypted_by),
        seconds(s.count_time)
    );

    let verify_started = Instant::now();
    let verified = verify::verify_bytes(&s.record);
    if let Some(failure) = verify::refusal(&verified, "the demo's record") {
        print!("{}", verify::render(&verified, "the demo's record"));
        return Err(failure);
    }
    println!(
        "verification   valid and tallied: every check of {} entries passed  ({})",
        verified.report.entries,
        seconds(verify_started.elapsed())
    );
    std::fs::write(&o.record, &s.record)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", o.record.display())))?;
    println!(
        "record         {} ({} bytes), head {}",
        o.record.display(),
        grouped(s.record.len() as u64),
        hex::encode(verified.report.head)
    );
    let sheet = Sheet::new(&verified)?;
    for (path, format) in [
        (&o.html, Format::Html),
        (&o.json, Format::Json),
        (&o.csv, Format::Csv),
    ] {
        if let Some(path) = path {
            std::fs::write(path, sheet.render(format)?)
                .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?;
            println!("result sheet   {}", path.display());
        }
    }
    println!("done in {}\n", seconds(started.elapsed()));
    print!("{}", sheet.render(Format::Text)?);
    Ok(())
}
