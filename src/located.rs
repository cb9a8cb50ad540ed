//! Where in a definition's text each problem is: the editor lists every problem with its
//! line and column, and `canvass survey publish` prints them the same way.
//!
//! TOML syntax errors carry their own position. The checker's messages name what they are
//! about (`question `channels`: …`, `segment_by …`, `slug …`): the position is that of
//! the line that defines it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based; `None` when the problem is about the whole file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Problem {
    /// A problem about the whole text, not one place in it.
    pub fn general(message: impl Into<String>) -> Self {
        Problem { line: None, column: None, message: message.into() }
    }

    /// `line 12, column 1: …`, or the message alone.
    pub fn to_line(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {}", self.message),
            (Some(line), None) => format!("line {line}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Positions the problems `parse_definition` found in `text`.
pub fn locate(text: &str, problems: &[String]) -> Vec<Problem> {
    problems
        .iter()
        .map(|message| {
            let (line, column) = syntax_position(message).or_else(|| subject_position(text, message)).unzip();
            Problem { line, column, message: one_line(message) }
        })
        .collect()
}

/// A message on one line: for a TOML error, its reason without the position line and
/// the excerpt of the text (the editor shows the text itself, and the position apart).
fn one_line(message: &str) -> String {
    let mut lines = message.lines();
    let head = lines.next().unwrap_or(message).trim_end();
    let reason: Vec<&str> = lines
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.split_once('|').is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit())))
        .collect();
    match (head.find("TOML parse error at line"), reason.is_empty()) {
        (Some(at), false) => format!("{}{}", &head[..at], reason.join(" ")),
        _ => head.to_string(),
    }
}

/// `… at line 3, column 7` in a TOML error.
fn syntax_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("at line ")? + "at line ".len()..];
    let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let rest = &rest[line.len()..];
    let column: String = rest.strip_prefix(", column ")?.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The line defining what the message is about.
fn subject_position(text: &str, message: &str) -> Option<(usize, usize)> {
    let quoted = |after: &str| -> Option<String> {
        let rest = message.strip_prefix(after)?;
        let rest = rest.strip_prefix('`')?;
        Some(rest[..rest.find('`')?].to_string())
    };
    if let Some(id) = quoted("question ") {
        return key_line(text, "id", Some(&id));
    }
    for key in ["slug", "segment_by", "title", "opens_at", "closes_at"] {
        if message.starts_with(key) {
            return key_line(text, key, None);
        }
    }
    if message.starts_with("gap") || message.starts_with("the gap") {
        return text.lines().position(|l| l.trim() == "[gap]").map(|i| (i + 1, 1));
    }
    None
}

/// The first line `key = …` (with `value` as its quoted value, if given), and the
/// column where the key starts.
fn key_line(text: &str, key: &str, value: Option<&str>) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        let rest = trimmed.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
        let matches = match value {
            Some(v) => rest.trim_matches('"') == v,
            None => true,
        };
        matches.then(|| (i + 1, line.len() - trimmed.len() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_definition;

    fn problems_of(text: &str) -> Vec<Problem> {
        let error = parse_definition("editor", text).unwrap_err();
        locate(text, &error.problems)
    }

    #[test]
    fn a_syntax_error_is_placed_where_toml_says() {
        let problems = problems_of("slug = \"a\"\ntitle = \"A\n");
        assert_eq!((problems[0].line, problems[0].column), (Some(2), Some(11)), "{problems:?}");
        assert_eq!(problems[0].to_line(), "line 2, column 11: not a valid definition: invalid basic string, expected `\"`");
    }

    #[test]
    fn a_question_problem_is_placed_on_its_id_line() {
        let text = include_str!("../surveys/public-sector-social-media.toml").replace("kind = \"matrix\"", "kind = \"grid\"");
        let problems = problems_of(&text);
        let line = text.lines().position(|l| l == "id = \"channels\"").unwrap() + 1;
        assert_eq!(
            problems[0].to_line(),
            format!("line {line}, column 1: question `channels`: unknown kind `grid`; use one of single, multiple, matrix, number, text, email, consent")
        );
    }

    #[test]
    fn a_bad_slug_is_placed_on_the_slug_line() {
        let text = include_str!("../surveys/public-sector-social-media.toml").replace("slug = \"public-sector-social-media\"", "  slug = \"Bad Slug\"");
        let problems = problems_of(&text);
        let line = text.lines().position(|l| l.contains("Bad Slug")).unwrap() + 1;
        assert_eq!((problems[0].line, problems[0].column), (Some(line), Some(3)), "{problems:?}");
    }
}
