//! A small JSON writer for the crate's JSON texts (the verification report, SPEC.md
//! §14.9, and the record view, §14.10). Output only: nothing in the crate parses JSON.

use alloc::string::String;
use core::fmt::{Display, Write};

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped,
/// everything else as UTF-8.
pub(crate) fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends bytes as a lowercase hex string.
pub(crate) fn hex(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out.push('"');
}

/// Appends a number (or anything whose `Display` is a JSON literal).
pub(crate) fn number<T: Display>(out: &mut String, n: T) {
    let _ = write!(out, "{n}");
}

/// Appends an array of numbers.
pub(crate) fn numbers<T: Display>(out: &mut String, items: impl IntoIterator<Item = T>) {
    out.push('[');
    for (i, n) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        number(out, n);
    }
    out.push(']');
}

/// Appends a number, or `null`.
pub(crate) fn optional_number<T: Display>(out: &mut String, n: Option<T>) {
    match n {
        Some(n) => number(out, n),
        None => out.push_str("null"),
    }
}

/// Appends an array whose items `item` writes.
pub(crate) fn array<T>(
    out: &mut String,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut String, T),
) {
    out.push('[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item(out, x);
    }
    out.push(']');
}

/// An object being written: `key` starts each member.
pub(crate) struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    /// Opens an object.
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, first: true }
    }

    /// Starts a member and returns the output to write its value to.
    pub(crate) fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    /// Closes the object.
    pub(crate) fn finish(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        string(&mut out, "a\"b\\c\nd\u{1}职");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\u0001职\"");
    }

    #[test]
    fn objects_and_arrays() {
        let mut out = String::new();
        let mut o = Object::new(&mut out);
        numbers(o.key("n"), [1, 2]);
        hex(o.key("h"), &[0xab]);
        array(o.key("a"), ["x"], string);
        o.finish();
        assert_eq!(out, r#"{"n":[1,2],"h":"ab","a":["x"]}"#);
    }
}
