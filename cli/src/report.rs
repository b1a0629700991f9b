//! `secret-ballot report RECORD`: the result sheet, only for a record that verifies.

use std::path::PathBuf;

use crate::failure::Failure;
use crate::sheet::Sheet;
use crate::{Format, verify, write_output};

/// Options of `secret-ballot report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The election record (it is verified first).
    record: PathBuf,
    /// The format of the sheet.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Where to write the sheet (default: standard output).
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// Verifies the record in `path` and builds its sheet, or refuses.
pub(crate) fn sheet_of(path: &std::path::Path) -> Result<Sheet, Failure> {
    let verified = verify::verify_file(path)?;
    let source = path.display().to_string();
    if let Some(refusal) = verify::refusal(&verified, &source) {
        return Err(Failure::new(format!(
            "{refusal}; no result sheet for a record that does not verify (`secret-ballot verify {source}` lists every check)"
        )));
    }
    if !verified.report.is_valid_and_tallied() {
        return Err(Failure::new(format!(
            "{source} is valid but not tallied (it stops at stage {}): no result sheet yet",
            verified.report.stage.name()
        )));
    }
    Sheet::new(&verified)
}

/// Runs `secret-ballot report`.
pub(crate) fn run(options: &Options) -> Result<(), Failure> {
    let sheet = sheet_of(&options.record)?;
    let text = sheet.render(options.format)?;
    write_output(options.output.as_ref(), &text)
}
