//! The CSV export's column layout, cells and codebook: one row per response, a header of
//! stable codes, one 0/1 column per option of a multiple choice (`purposes.feedback`),
//! one column per matrix row (`channels.twitter`). Contact details never appear.
//!
//! Pure functions of a definition and stored answers, so the command line and the HTTP
//! export write the same bytes. Each cell carries its kind ([`Cell`]): only text is
//! guarded against spreadsheet formulas, and a missing answer is always an empty cell.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::answers::Answer;
use crate::definition::{Choice, Definition, Kind, Question};

/// What a column holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    ResponseId,
    SubmittedAt,
    Version,
    /// The language the response was given in (`en`, `cy`): answers are codes whatever it
    /// was, so this is the only trace of it.
    Language,
    /// The chosen option of a single choice.
    Single {
        question: String,
    },
    /// 1 when this option was chosen, 0 when the question was answered without it, and
    /// empty when it was not answered (skipped, or hidden by its condition).
    Option {
        question: String,
        code: String,
    },
    /// The column chosen for this row of a matrix.
    Row {
        question: String,
        row: String,
    },
    /// A number (written as a number) or free text (neutralised), as given.
    Value {
        question: String,
    },
}

/// The stored facts of one response besides its answers.
pub struct ResponseMeta<'a> {
    pub response_id: &'a str,
    pub submitted_at: &'a str,
    pub version: u32,
    /// The language it was answered in.
    pub language: &'a str,
    /// When the export spans versions: for each column of the layout, whether the
    /// response's own version has it. Any other column is blank for it, never a "0" for
    /// an option it was not offered. (A mask by position, so no cell looks up a name.)
    pub offered: Option<&'a [bool]>,
}

/// Every column, in question order. Contact questions are left out.
pub fn columns(definition: &Definition) -> Vec<(String, Column)> {
    let mut columns = vec![
        ("response_id".to_string(), Column::ResponseId),
        ("submitted_at".to_string(), Column::SubmittedAt),
        ("version".to_string(), Column::Version),
        ("language".to_string(), Column::Language),
    ];
    for q in definition.questions().filter(|q| !q.kind.is_contact()) {
        let id = q.id.clone();
        match &q.kind {
            Kind::Single { .. } => columns.push((id.clone(), Column::Single { question: id })),
            Kind::Multiple { options, .. } => {
                columns.extend(options.iter().map(|o| (format!("{id}.{}", o.code), Column::Option { question: id.clone(), code: o.code.clone() })))
            }
            Kind::Matrix { rows, .. } => {
                columns.extend(rows.iter().map(|r| (format!("{id}.{}", r.code), Column::Row { question: id.clone(), row: r.code.clone() })))
            }
            _ => columns.push((id.clone(), Column::Value { question: id })),
        }
    }
    columns
}

/// One cell of the export, carrying what kind of value it is, because that decides how
/// it is written: only text people typed can be a spreadsheet formula in disguise, and
/// neutralising anything else would corrupt it (a number `-5` would become the text
/// `'-5`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Missing: not answered, or not asked because a condition hid the question. Always
    /// an empty cell, never a made-up value such as 0, so analysts can tell it apart.
    Blank,
    /// Words a respondent typed (free-text answers) or an organiser wrote (labels, the
    /// codebook): neutralised, see [`neutralise`].
    Text(String),
    /// A value the app produces from a closed set: response ids, timestamps, option codes
    /// (lowercase letters, digits and underscores, checked when a definition is parsed)
    /// and the 0/1 of a multiple choice. Written as it is.
    Plain(String),
    /// A whole number, written as digits with a leading `-` when negative, so a
    /// spreadsheet reads it as the number it is.
    Number(i64),
}

impl Cell {
    /// The bytes that go between the delimiters (before CSV quoting).
    fn content(&self) -> Cow<'_, str> {
        match self {
            Cell::Blank => Cow::Borrowed(""),
            Cell::Text(text) => neutralise(text),
            Cell::Plain(value) => Cow::Borrowed(value),
            Cell::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

/// The header row: each column's stable code.
pub fn header(columns: &[(String, Column)]) -> Vec<Cell> {
    columns.iter().map(|(name, _)| Cell::Plain(name.clone())).collect()
}

/// One response's cells, as codes or (with `labels`) as the labels respondents read.
///
/// A question absent from `answers` gives empty cells whatever its kind, whether the
/// respondent skipped it or its condition hid it. In particular a multiple choice has 0s
/// only when it was answered (a list was stored, even an empty one): a skipped question
/// is not the same as choosing none of the options.
pub fn cells(
    definition: &Definition,
    columns: &[(String, Column)],
    meta: &ResponseMeta<'_>,
    answers: &BTreeMap<String, Answer>,
    labels: bool,
) -> Vec<Cell> {
    // A code is written as it is; a label is organiser text, so it goes out as text.
    let label = |question: &str, code: &str, pick: fn(&Kind) -> Option<&[Choice]>| -> Cell {
        if !labels {
            return Cell::Plain(code.to_string());
        }
        definition
            .question(question)
            .and_then(|q| pick(&q.kind))
            .and_then(|choices| Choice::find(choices, code))
            .map(|c| Cell::Text(c.label.clone()))
            .unwrap_or_else(|| Cell::Plain(code.to_string()))
    };
    columns
        .iter()
        .enumerate()
        .map(|(at, (_, column))| match column {
            Column::ResponseId => Cell::Plain(meta.response_id.to_string()),
            Column::SubmittedAt => Cell::Plain(meta.submitted_at.to_string()),
            Column::Version => Cell::Number(i64::from(meta.version)),
            Column::Language => Cell::Plain(meta.language.to_string()),
            // Not asked in the version this response answered.
            _ if meta.offered.is_some_and(|offered| !offered.get(at).copied().unwrap_or(false)) => Cell::Blank,
            Column::Single { question } => match answers.get(question) {
                Some(Answer::Text(code)) => label(question, code, Kind::options),
                _ => Cell::Blank,
            },
            Column::Option { question, code } => match answers.get(question) {
                Some(Answer::List(chosen)) => Cell::Plain(if chosen.contains(code) { "1" } else { "0" }.to_string()),
                // Skipped or hidden: nothing was chosen or refused, so nothing is claimed.
                _ => Cell::Blank,
            },
            Column::Row { question, row } => match answers.get(question) {
                Some(Answer::Map(rows)) => rows.get(row).map(|c| label(question, c, matrix_columns)).unwrap_or(Cell::Blank),
                _ => Cell::Blank,
            },
            Column::Value { question } => match answers.get(question) {
                Some(Answer::Number(n)) => Cell::Number(*n),
                Some(Answer::Text(t)) => Cell::Text(t.clone()),
                _ => Cell::Blank,
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

/// CSV lines written into memory: RFC 4180 with CRLF line ends, quotes doubled inside
/// quoted fields.
///
/// Every [`Cell::Text`] is quoted, whatever it holds: a spreadsheet that splits lines on
/// `;` (the default in many locales) ignores separators inside quotes, so typed text can
/// never spill into a cell of its own. Other cells are quoted only if they need it (they
/// never do: codes, ids, timestamps and numbers hold no separator), so a number stays a
/// number and a blank stays an empty, unquoted cell — missing, not an empty string.
///
/// One `Lines` can take many rows, so a chunk of the export is formatted into one
/// growing buffer rather than a buffer per row.
#[derive(Default)]
pub struct Lines {
    out: Vec<u8>,
}

impl Lines {
    pub fn new() -> Self {
        Lines::default()
    }

    /// Starts with room for `bytes` bytes of output.
    pub fn with_capacity(bytes: usize) -> Self {
        Lines { out: Vec::with_capacity(bytes) }
    }

    /// Appends one row and its CRLF.
    pub fn push(&mut self, cells: &[Cell]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let content = cell.content();
            let quote = match cell {
                Cell::Text(_) => !content.is_empty(),
                _ => content.contains([',', '"', '\r', '\n']),
            };
            if quote {
                self.out.push(b'"');
                self.out.extend_from_slice(content.replace('"', "\"\"").as_bytes());
                self.out.push(b'"');
            } else {
                self.out.extend_from_slice(content.as_bytes());
            }
        }
        self.out.extend_from_slice(b"\r\n");
    }

    /// The bytes of every row pushed, UTF-8 when the cells were.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }
}

/// The bytes of one CSV line, CRLF included; see [`Lines`].
pub fn line(cells: &[Cell]) -> Vec<u8> {
    let mut lines = Lines::new();
    lines.push(cells);
    lines.into_bytes()
}

/// What starts a spreadsheet formula (OWASP CSV injection): `=`, `+`, `-`, `@`, and a
/// tab or carriage return before one.
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Characters some spreadsheet may split a line on when it ignores the quoting.
fn is_separator(c: char) -> bool {
    matches!(c, ',' | ';' | '\t' | '|')
}

/// Text as it may go into a spreadsheet: hidden controls shown as codes
/// ([`crate::visible::visible`]), a `'` before a formula start at the beginning, and one
/// after every separator that a formula start follows (`safe;=1+1` becomes
/// `safe;'=1+1`), so no part of it runs as a formula however the line is split. Only for
/// [`Cell::Text`]: numbers, codes and ids are written as they are.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let shown = crate::visible::visible(text);
    let mut previous: Option<char> = None;
    let risky = shown.chars().any(|c| {
        let risky = starts_formula(c) && previous.is_none_or(is_separator);
        previous = Some(c);
        risky
    });
    if !risky {
        return shown;
    }
    let mut out = String::with_capacity(shown.len() + 4);
    let mut previous: Option<char> = None;
    for c in shown.chars() {
        if starts_formula(c) && previous.is_none_or(is_separator) {
            out.push('\'');
        }
        out.push(c);
        previous = Some(c);
    }
    Cow::Owned(out)
}

/// When `q` is asked, in words: "always", or the answer that brings it up
/// (`paid_tools = yes (“Yes”)`), so an analyst can follow the routing.
fn asked_when(definition: &Definition, q: &Question) -> String {
    let Some(condition) = &q.show_if else { return "always".into() };
    let label = definition
        .question(&condition.question)
        .and_then(|c| c.kind.options())
        .and_then(|options| Choice::find(options, &condition.equals))
        .map(|o| format!(" (“{}”)", o.label))
        .unwrap_or_default();
    format!("when {} = {}{label}", condition.question, condition.equals)
}

/// What an empty cell in `q`'s columns means, for the codebook. Only a question with a
/// condition can be hidden; any question can be skipped (or absent from an older
/// version of the survey).
fn blank_meaning(q: &Question, lang: crate::Lang) -> &'static str {
    match (q.show_if.is_some(), lang) {
        (true, crate::Lang::En) => "empty cell: not answered, or not asked (hidden by its condition)",
        (false, crate::Lang::En) => "empty cell: not answered",
        (true, crate::Lang::Cy) => "cell gwag: heb ei ateb, neu heb ei ofyn (wedi’i guddio gan ei amod)",
        (false, crate::Lang::Cy) => "cell gwag: heb ei ateb",
    }
}

/// The codebook's own words (not the organisers'), in the language of its columns: the
/// fixed columns' descriptions and how each code reads. `anonymous`: `submitted_at` then
/// holds the day only.
struct CodebookWords {
    response_id: &'static str,
    submitted_at: &'static str,
    version: &'static str,
    language: &'static str,
    chose: &'static str,
    did_not_choose: &'static str,
    whole_number: &'static str,
    free_text: &'static str,
}

impl CodebookWords {
    fn of(lang: crate::Lang, anonymous: bool) -> CodebookWords {
        match lang {
            crate::Lang::En => CodebookWords {
                response_id: "Identifier of the response",
                submitted_at: if anonymous {
                    "The day the response was stored (YYYY-MM-DD, UTC): an anonymous survey keeps no finer time"
                } else {
                    "When the response was stored (RFC 3339, UTC)"
                },
                version: "Version of the survey definition the response answered",
                language: "Language the response was given in",
                chose: "chose “{label}”",
                did_not_choose: "answered, but did not choose “{label}”",
                whole_number: "whole number from {min} to {max}{unit}; {blank}",
                free_text: "free text, at most {max} characters; {blank}",
            },
            crate::Lang::Cy => CodebookWords {
                response_id: "Dynodydd yr ymateb",
                submitted_at: if anonymous {
                    "Y diwrnod y cadwyd yr ymateb (BBBB-MM-DD, UTC): nid yw arolwg dienw yn cadw amser manylach"
                } else {
                    "Pryd y cadwyd yr ymateb (RFC 3339, UTC)"
                },
                version: "Fersiwn diffiniad yr arolwg a atebodd yr ymateb",
                language: "Yr iaith y rhoddwyd yr ymateb ynddi",
                chose: "dewisodd “{label}”",
                did_not_choose: "atebodd, ond ni ddewisodd “{label}”",
                whole_number: "rhif cyfan o {min} i {max}{unit}; {blank}",
                free_text: "testun rhydd, {max} nod ar y mwyaf; {blank}",
            },
        }
    }
}

/// The codebook: every column with its question text, kind, each code's meaning, whether
/// the question must be answered, and when it is asked (its routing).
/// Header: `column, question, kind, code, label, required, asked_when`, then for a
/// survey in more languages `question_cy, label_cy` (each further language's words).
///
/// Columns of codes (single, multiple, matrix) also get a row whose code is empty,
/// saying what an empty cell means; number and text columns, whose one row already has
/// an empty code, say it in that row's label.
///
/// Every cell is organiser-authored text, written as [`Cell::Text`] by [`codebook_csv`].
pub fn codebook(definition: &Definition) -> Vec<Vec<String>> {
    let languages = definition.offered_languages();
    let mut rows = codebook_rows(definition, &languages, definition.language());
    in_other_languages(definition, &languages, &mut rows);
    rows
}

/// The codebook's rows, in `definition`'s own words and Canvass's in `lang`; `languages`,
/// the survey's, are the codes of the `language` column.
fn codebook_rows(definition: &Definition, languages: &[crate::Lang], lang: crate::Lang) -> Vec<Vec<String>> {
    let words = CodebookWords::of(lang, definition.anonymous);
    let mut rows = vec![vec!["column", "question", "kind", "code", "label", "required", "asked_when"].into_iter().map(String::from).collect()];
    let fixed = [
        ("response_id", words.response_id, "id"),
        ("submitted_at", words.submitted_at, if definition.anonymous { "date" } else { "timestamp" }),
        ("version", words.version, "integer"),
    ];
    for (column, text, kind) in fixed {
        rows.push(vec![column.into(), text.into(), kind.into(), String::new(), String::new(), String::new(), "always".into()]);
    }
    for lang in languages {
        let text = words.language;
        rows.push(vec!["language".into(), text.into(), "code".into(), lang.code().into(), lang.own_name().into(), String::new(), "always".into()]);
    }
    let entry = |column: String, q: &Question, kind: &str, code: &str, label: &str| {
        let required = if q.required { "yes" } else { "no" };
        vec![column, q.text.clone(), kind.to_string(), code.to_string(), label.to_string(), required.into(), asked_when(definition, q)]
    };
    for (column, c) in columns(definition).into_iter().skip(FIXED_COLUMNS) {
        let Some(q) = (match &c {
            Column::Single { question } | Column::Option { question, .. } | Column::Row { question, .. } | Column::Value { question } => {
                definition.question(question)
            }
            _ => None,
        }) else {
            continue;
        };
        let blank = blank_meaning(q, lang);
        match (&c, &q.kind) {
            (Column::Single { .. }, Kind::Single { options }) => {
                rows.extend(options.iter().map(|o| entry(column.clone(), q, "single", &o.code, &o.label)));
                rows.push(entry(column, q, "single", "", blank));
            }
            (Column::Option { code, .. }, Kind::Multiple { options, .. }) => {
                let label = Choice::find(options, code).map(|o| o.label.as_str()).unwrap_or_default();
                rows.push(entry(column.clone(), q, "multiple", "1", &words.chose.replace("{label}", label)));
                rows.push(entry(column.clone(), q, "multiple", "0", &words.did_not_choose.replace("{label}", label)));
                rows.push(entry(column, q, "multiple", "", blank));
            }
            (Column::Row { row, .. }, Kind::Matrix { rows: matrix_rows, columns }) => {
                let row_label = Choice::find(matrix_rows, row).map(|r| r.label.as_str()).unwrap_or_default();
                rows.extend(columns.iter().map(|c| entry(column.clone(), q, "matrix", &c.code, &format!("{row_label}: {}", c.label))));
                rows.push(entry(column, q, "matrix", "", &format!("{row_label}: {blank}")));
            }
            (_, Kind::Number { min, max, unit }) => rows.push(entry(
                column,
                q,
                "number",
                "",
                &words
                    .whole_number
                    .replace("{min}", &min.to_string())
                    .replace("{max}", &max.to_string())
                    .replace("{unit}", &unit.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())
                    .replace("{blank}", blank),
            )),
            (_, Kind::Text { max_length }) => {
                rows.push(entry(column, q, "text", "", &words.free_text.replace("{max}", &max_length.to_string()).replace("{blank}", blank)))
            }
            _ => {}
        }
    }
    rows
}

/// The columns every export starts with: response id, time, version and language.
const FIXED_COLUMNS: usize = 4;

/// A bilingual survey's codebook gives each text in its other languages too: a
/// `question_cy` and a `label_cy` column from the same codebook of the survey in Welsh,
/// whose rows match these one for one (the structure is the same, only the words differ).
fn in_other_languages(definition: &Definition, languages: &[crate::Lang], rows: &mut [Vec<String>]) {
    for lang in languages.iter().skip(1) {
        let other = codebook_rows(&crate::translation::localized(definition, lang.code()), languages, *lang);
        for (i, row) in rows.iter_mut().enumerate() {
            let (question, label) = match (i, other.get(i)) {
                (0, _) => (format!("question_{lang}"), format!("label_{lang}")),
                (_, Some(theirs)) if theirs[0] == row[0] && theirs[3] == row[3] => (theirs[1].clone(), theirs[4].clone()),
                _ => (String::new(), String::new()),
            };
            row.push(question);
            row.push(label);
        }
    }
}

/// The codebook of every published version of a survey (oldest first): the columns of
/// [`crate::history::merged`], each row saying in a last column `versions` which versions'
/// exports have that column ("1–3, 5").
pub fn codebook_across(versions: &[Definition]) -> Vec<Vec<String>> {
    let Some(merged) = crate::history::merged(versions) else { return Vec::new() };
    let mut rows = codebook(&merged);
    for (i, row) in rows.iter_mut().enumerate() {
        let versions = if i == 0 { "versions".to_string() } else { crate::history::versions_with(versions, &row[0]) };
        row.push(versions);
    }
    rows
}

/// A codebook as a CSV file: under a header of our own column names, every cell is
/// text an organiser wrote, so every one is written as [`Cell::Text`].
pub fn codebook_csv(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut lines = Lines::new();
    for (i, row) in rows.into_iter().enumerate() {
        // The header row is our own column names, written as they are, like the export's.
        let cell = if i == 0 { Cell::Plain } else { Cell::Text };
        lines.push(&row.into_iter().map(cell).collect::<Vec<_>>());
    }
    lines.into_bytes()
}

/// The most characters Stata (and SPSS) take in a variable name.
pub const STATA_NAME_MAX: usize = 32;

/// Column names Stata and SPSS accept, in the same order: letters, digits and `_` only
/// (`channels.twitter` → `channels_twitter`), starting with a letter or `_`, at most
/// [`STATA_NAME_MAX`] characters, and unique (a name cut short that meets another gets
/// `_2`, `_3`, …). The codebook maps each back to its column.
pub fn stata_names(names: &[String]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    names
        .iter()
        .map(|name| {
            let mut base: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
            if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                base.insert(0, '_');
            }
            base.truncate(STATA_NAME_MAX);
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.to_ascii_lowercase()) {
                let suffix = format!("_{n}");
                let mut stem = base.clone();
                stem.truncate(STATA_NAME_MAX - suffix.len());
                candidate = format!("{stem}{suffix}");
                n += 1;
            }
            candidate
        })
        .collect()
}
