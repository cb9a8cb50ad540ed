//! Text made safe to put inside HTML, for the pages the server writes by hand and the
//! HTML part of emails: one escape, so neither can forget a character.

/// `&`, `<`, `>` and `"` as entities: safe in element content and in quoted attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(super::escape(r#"<a href="x">Tom & Jerry</a>"#), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;");
    }
}
