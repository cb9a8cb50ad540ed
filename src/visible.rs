//! Text typed by respondents, made safe to show: characters that are invisible yet
//! change what a reader sees are replaced by a visible code (`[U+202E]`).
//!
//! A right-to-left override (U+202E) makes `exe.txt` read as `txt.exe`; a NUL truncates
//! a cell in some spreadsheets and readers. Neither has any place in a survey answer, but
//! what is stored is kept as it was sent: only what is shown (the dashboard, the CSV
//! export) is escaped, so nothing a respondent wrote is lost.

use std::borrow::Cow;

/// Whether `c` is hidden from a reader yet changes what they see: C0 controls other
/// than tab and line breaks, DEL, C1 controls, and the bidirectional formatting marks.
pub fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidirectional marks, embeddings, overrides and isolates.
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with each hidden control written as `[U+XXXX]`; borrowed when there is none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden_control(c) {
            out.push_str(&format!("[U+{:04X}]", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_bidi_overrides_are_shown_as_codes() {
        assert_eq!(visible("invoice\u{202E}txt.exe"), "invoice[U+202E]txt.exe");
        assert_eq!(visible("a\u{0}b"), "a[U+0000]b");
        assert_eq!(visible("\u{2066}x\u{2069}"), "[U+2066]x[U+2069]");
    }

    #[test]
    fn ordinary_text_line_breaks_and_other_scripts_are_untouched() {
        for text in ["Plain", "two\nlines\r\nand\ttab", "Cymraeg: ŵ ŷ", "עברית", "emoji 🎉"] {
            assert!(matches!(visible(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
