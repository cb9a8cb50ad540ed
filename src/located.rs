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
        .map(|message| match syntax_position(message) {
            Some(at) => match unclosed_string(text, at.0) {
                // TOML reads on past a string left open (in an inline table or array) and
                // fails on a later line: the mistake is where the string opened.
                Some((line, column)) => Problem {
                    line: Some(line),
                    column: Some(column),
                    message: "not a valid definition: the text that starts here has no closing quote on this line: add the missing `\"`".into(),
                },
                None => Problem { line: Some(at.0), column: Some(at.1), message: one_line(message) },
            },
            None => {
                let (line, column) = subject_position(text, message).unzip();
                Problem { line, column, message: one_line(message) }
            }
        })
        .collect()
}

/// The first line before `before` (1-based) that ends inside a one-line string (`"…` or
/// `'…` with no closing quote): its line and the opening quote's column. Multi-line
/// strings (`"""`, `'''`) and comments are stepped over.
fn unclosed_string(text: &str, before: usize) -> Option<(usize, usize)> {
    let mut multi: Option<&str> = None;
    for (i, line) in text.lines().enumerate().take(before.saturating_sub(1)) {
        let mut rest = line;
        let mut column = 1;
        loop {
            if let Some(close) = multi {
                let Some(at) = rest.find(close) else { break };
                multi = None;
                column += at + 3;
                rest = &rest[at + 3..];
                continue;
            }
            let Some(at) = rest.find(['"', '\'', '#']) else { break };
            column += rest[..at].chars().count();
            rest = &rest[at..];
            if rest.starts_with('#') {
                break;
            }
            if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
                multi = Some(&rest[..3]);
                column += 3;
                rest = &rest[3..];
                continue;
            }
            let quote = rest.chars().next().unwrap_or('"');
            let body = &rest[1..];
            let end = match quote {
                '"' => closing_basic_quote(body),
                _ => body.find('\''),
            };
            match end {
                Some(end) => {
                    column += 1 + body[..=end].chars().count();
                    rest = &body[end + 1..];
                }
                None => return Some((i + 1, column)),
            }
        }
    }
    None
}

/// Where a basic string's closing `"` is in `body` (what follows its opening quote),
/// stepping over escapes.
fn closing_basic_quote(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(at),
            _ => {}
        }
    }
    None
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
    fn a_missing_quote_is_placed_on_the_line_that_lacks_it_not_the_next() {
        let survey = include_str!("../surveys/public-sector-social-media.toml");
        let (at, line) = survey.lines().enumerate().find(|(_, l)| l.starts_with("text = \"What type")).map(|(i, l)| (i + 1, l)).unwrap();
        for broken in [line.trim_end_matches('"').to_string(), line.replacen("= \"", "= ", 1)] {
            let text = survey.replacen(line, &broken, 1);
            let problems = problems_of(&text);
            assert_eq!(problems[0].line, Some(at), "`{broken}`: {problems:?}");
        }
        let (at, line) = survey.lines().enumerate().find(|(_, l)| l.contains("label = \"Local authority\"")).map(|(i, l)| (i + 1, l)).unwrap();
        let problems = problems_of(&survey.replacen(line, &line.replacen("Local authority\"", "Local authority", 1), 1));
        assert_eq!(problems[0].line, Some(at), "a label in an inline table: {problems:?}");
        assert!(problems[0].message.contains("no closing quote"), "{problems:?}");
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
