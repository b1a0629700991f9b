//! The `secret-ballot` command (placeholder until issue 6: prints the version).
fn main() {}
