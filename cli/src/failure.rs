//! What ends a command early: one or more lines for stderr, each printed as `error: …`.

use std::fmt;
use std::path::Path;

/// A failed command: the message (a line, or several for `manifest check`).
#[derive(Debug)]
pub(crate) struct Failure {
    lines: Vec<String>,
}

impl Failure {
    /// A failure with one line.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Failure {
            lines: vec![message.into()],
        }
    }

    /// A failure with one line per problem.
    pub(crate) fn many(lines: Vec<String>) -> Self {
        if lines.is_empty() {
            return Failure::new("failed");
        }
        Failure { lines }
    }

    /// Prints every line to stderr with the `error: ` prefix.
    pub(crate) fn print(&self) {
        for line in &self.lines {
            eprintln!("error: {line}");
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines.join("; "))
    }
}

/// A library error with what was being done.
pub(crate) fn library(what: &str, error: &secret_ballot::Error) -> Failure {
    Failure::new(format!("{what}: {error}"))
}

/// Reads a whole file, or fails with a line naming it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::new(format!("cannot read {}: {e}", path.display())))
}
