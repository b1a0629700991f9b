//! Progress bars on stderr, drawn only when stderr is a terminal (so tests, pipes and CI
//! logs stay clean).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

fn visible() -> bool {
    std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A bar counting `len` items of a phase.
pub(crate) fn items(phase: &str, len: u64) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(style(
        "{prefix:>12} [{bar:32}] {pos}/{len} {msg} ({elapsed}, {eta} left)",
    ));
    bar.set_prefix(phase.to_owned());
    bar
}

/// A bar counting the bytes of a record as it is read.
pub(crate) fn bytes(phase: &str, len: u64) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(style(
        "{prefix:>12} [{bar:32}] {binary_bytes}/{binary_total_bytes} {msg} ({elapsed}, {eta} left)",
    ));
    bar.set_prefix(phase.to_owned());
    bar
}

/// A spinner for a phase whose length is not known in advance.
pub(crate) fn spinner(phase: &str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{prefix:>12} {spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_prefix(phase.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
