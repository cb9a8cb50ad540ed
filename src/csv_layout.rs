//! The CSV export's column layout, cells and codebook: one row per response, a header of
//! stable codes, one 0/1 column per option of a multiple choice (`purposes.feedback`),
//! one column per matrix row (`channels.twitter`). Contact details never appear.
//!
//! Pure functions of a definition and stored answers, so the command line and the HTTP
//! export write the same bytes.

use std::collections::BTreeMap;

use crate::answers::{is_shown, Answer};
use crate::definition::{Choice, Definition, Kind, Question};

/// What a column holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    ResponseId,
    SubmittedAt,
    Version,
    /// The chosen option of a single choice.
    Single { question: String },
    /// 1 when this option was chosen, else 0.
    Option { question: String, code: String },
    /// The column chosen for this row of a matrix.
    Row { question: String, row: String },
    /// A number or free text, as given.
    Value { question: String },
}

/// The stored facts of one response besides its answers.
pub struct ResponseMeta<'a> {
    pub response_id: &'a str,
    pub submitted_at: &'a str,
    pub version: u32,
}

/// Every column, in question order. Contact questions are left out.
pub fn columns(definition: &Definition) -> Vec<(String, Column)> {
    let mut columns = vec![
        ("response_id".to_string(), Column::ResponseId),
        ("submitted_at".to_string(), Column::SubmittedAt),
        ("version".to_string(), Column::Version),
    ];
    for q in definition.questions().filter(|q| !q.kind.is_contact()) {
        let id = q.id.clone();
        match &q.kind {
            Kind::Single { .. } => columns.push((id.clone(), Column::Single { question: id })),
            Kind::Multiple { options, .. } => columns.extend(options.iter().map(|o| {
                (format!("{id}.{}", o.code), Column::Option { question: id.clone(), code: o.code.clone() })
            })),
            Kind::Matrix { rows, .. } => columns.extend(
                rows.iter().map(|r| (format!("{id}.{}", r.code), Column::Row { question: id.clone(), row: r.code.clone() })),
            ),
            _ => columns.push((id.clone(), Column::Value { question: id })),
        }
    }
    columns
}

/// One response's cells, as codes or (with `labels`) as the labels respondents read.
pub fn cells(
    definition: &Definition,
    columns: &[(String, Column)],
    meta: &ResponseMeta<'_>,
    answers: &BTreeMap<String, Answer>,
    labels: bool,
) -> Vec<String> {
    let label = |question: &str, code: &str, pick: fn(&Kind) -> Option<&[Choice]>| -> String {
        if !labels {
            return code.to_string();
        }
        definition
            .question(question)
            .and_then(|q| pick(&q.kind))
            .and_then(|choices| Choice::find(choices, code))
            .map(|c| c.label.clone())
            .unwrap_or_else(|| code.to_string())
    };
    columns
        .iter()
        .map(|(_, column)| match column {
            Column::ResponseId => meta.response_id.to_string(),
            Column::SubmittedAt => meta.submitted_at.to_string(),
            Column::Version => meta.version.to_string(),
            Column::Single { question } => match answers.get(question) {
                Some(Answer::Text(code)) => label(question, code, Kind::options),
                _ => String::new(),
            },
            Column::Option { question, code } => match answers.get(question) {
                Some(Answer::List(chosen)) => if chosen.contains(code) { "1" } else { "0" }.to_string(),
                // Unanswered reads as zeros when the question was asked, and as empty cells
                // when its condition hid it, so analysts can tell "none" from "not asked".
                _ if definition.question(question).is_some_and(|q| is_shown(q, answers)) => "0".to_string(),
                _ => String::new(),
            },
            Column::Row { question, row } => match answers.get(question) {
                Some(Answer::Map(rows)) => rows.get(row).map(|c| label(question, c, matrix_columns)).unwrap_or_default(),
                _ => String::new(),
            },
            Column::Value { question } => match answers.get(question) {
                Some(Answer::Number(n)) => n.to_string(),
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            },
        })
        .collect()
}

fn matrix_columns(kind: &Kind) -> Option<&[Choice]> {
    match kind {
        Kind::Matrix { columns, .. } => Some(columns),
        _ => None,
    }
}

/// One CSV line (with CRLF, per RFC 4180). Cells from respondents' text are neutralised
/// so a spreadsheet never runs them as formulas (OWASP CSV injection).
pub fn line(cells: &[String]) -> String {
    let mut out = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(&neutralise(cell)));
    }
    out.push_str("\r\n");
    out
}

/// Prefixes `'` to a cell a spreadsheet would treat as a formula.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The codebook: every column with its question text, kind, and each code's meaning.
/// Header: `column, question, kind, code, label`.
pub fn codebook(definition: &Definition) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["column", "question", "kind", "code", "label"].into_iter().map(String::from).collect()];
    let fixed = [
        ("response_id", "Identifier of the response", "id"),
        ("submitted_at", "When the response was stored (RFC 3339, UTC)", "timestamp"),
        ("version", "Version of the survey definition the response answered", "integer"),
    ];
    for (column, text, kind) in fixed {
        rows.push(vec![column.into(), text.into(), kind.into(), String::new(), String::new()]);
    }
    let entry = |column: String, q: &Question, kind: &str, code: &str, label: &str| {
        vec![column, q.text.clone(), kind.to_string(), code.to_string(), label.to_string()]
    };
    for (column, c) in columns(definition).into_iter().skip(3) {
        let Some(q) = (match &c {
            Column::Single { question } | Column::Option { question, .. } | Column::Row { question, .. } | Column::Value { question } => {
                definition.question(question)
            }
            _ => None,
        }) else {
            continue;
        };
        match (&c, &q.kind) {
            (Column::Single { .. }, Kind::Single { options }) => {
                rows.extend(options.iter().map(|o| entry(column.clone(), q, "single", &o.code, &o.label)))
            }
            (Column::Option { code, .. }, Kind::Multiple { options, .. }) => {
                let label = Choice::find(options, code).map(|o| o.label.as_str()).unwrap_or_default();
                rows.push(entry(column.clone(), q, "multiple", "1", &format!("chose “{label}”")));
                rows.push(entry(column, q, "multiple", "0", &format!("did not choose “{label}”")));
            }
            (Column::Row { row, .. }, Kind::Matrix { rows: matrix_rows, columns }) => {
                let row_label = Choice::find(matrix_rows, row).map(|r| r.label.as_str()).unwrap_or_default();
                rows.extend(columns.iter().map(|c| entry(column.clone(), q, "matrix", &c.code, &format!("{row_label}: {}", c.label))))
            }
            (_, Kind::Number { min, max, unit }) => rows.push(entry(
                column,
                q,
                "number",
                "",
                &format!("whole number from {min} to {max}{}", unit.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()),
            )),
            (_, Kind::Text { max_length }) => rows.push(entry(column, q, "text", "", &format!("free text, at most {max_length} characters"))),
            _ => {}
        }
    }
    rows
}
