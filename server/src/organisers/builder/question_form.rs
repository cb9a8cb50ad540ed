//! A question as its builder page holds it: every field as typed, so a page shown again
//! after a problem keeps everything; read from a posted form or from the question being
//! edited, and made into a `canvass::Question` with each problem at its field.

use std::collections::HashMap;

use canvass::builder::{code_from_label, Part};
use canvass::definition::{Choice, Condition, Kind, Question};

use super::page_parts::Problem;

/// One choice as its row shows it.
#[derive(Clone, Debug, Default)]
pub(super) struct ChoiceRow {
    pub(super) code: String,
    pub(super) label: String,
    /// The code the choice had when the page was opened (none for one added on the page):
    /// once responses exist, codes stay what they were.
    pub(super) was: Option<String>,
}

/// A list of choices: its rows, and lines pasted to add, one a line.
#[derive(Clone, Debug)]
pub(super) struct ChoiceList {
    pub(super) part: Part,
    pub(super) rows: Vec<ChoiceRow>,
    pub(super) paste: String,
}

impl ChoiceList {
    fn empty(part: Part) -> Self {
        ChoiceList { part, rows: Vec::new(), paste: String::new() }
    }

    /// The field name of row `i`'s `what` (`options_code_0`).
    pub(super) fn field(&self, what: &str, i: usize) -> String {
        format!("{}_{what}_{i}", self.part.key())
    }

    pub(super) fn paste_field(&self) -> String {
        format!("{}_paste", self.part.key())
    }

    /// The rows kept (a row whose label was emptied goes), then each pasted line as a new
    /// row with a code made from its label.
    fn choices(&self) -> Vec<ChoiceRow> {
        let mut rows: Vec<ChoiceRow> = self.rows.iter().filter(|r| !r.label.trim().is_empty()).cloned().collect();
        for row in &mut rows {
            row.label = row.label.trim().to_string();
            row.code = row.code.trim().to_string();
        }
        for line in self.paste.lines().map(str::trim).filter(|l| !l.is_empty()) {
            rows.push(ChoiceRow { code: String::new(), label: line.to_string(), was: None });
        }
        let mut taken: Vec<String> = rows.iter().map(|r| r.code.clone()).filter(|c| !c.is_empty()).collect();
        for row in rows.iter_mut().filter(|r| r.code.is_empty()) {
            row.code = code_from_label(&row.label, &taken);
            taken.push(row.code.clone());
        }
        rows
    }
}

/// Everything a question's page holds.
#[derive(Clone, Debug)]
pub(super) struct QuestionForm {
    /// The id of the question being edited; `None` for a new one.
    pub(super) existing: Option<String>,
    /// Where a new question goes: its section (from 0) and the question it follows.
    pub(super) section: usize,
    pub(super) after: Option<String>,
    pub(super) kind: String,
    /// A new question's id (its CSV column), made from its short name or text when empty.
    pub(super) code: String,
    pub(super) text: String,
    pub(super) hint: String,
    pub(super) short: String,
    pub(super) required: bool,
    /// `""` (everyone), or `question=code`.
    pub(super) condition: String,
    pub(super) lists: Vec<ChoiceList>,
    pub(super) min: String,
    pub(super) max: String,
    pub(super) unit: String,
    pub(super) max_length: String,
    pub(super) at_most: String,
    pub(super) required_with: String,
}

fn parts_of(kind: &str) -> Vec<Part> {
    match kind {
        "single" | "multiple" => vec![Part::Options],
        "matrix" => vec![Part::Rows, Part::Columns],
        _ => vec![],
    }
}

impl QuestionForm {
    /// A new question of `kind` for `section`, after `after`.
    pub(super) fn new(kind: &str, section: usize, after: Option<String>) -> Self {
        let (min, max, max_length) = match kind {
            "number" => ("0", "", ""),
            "text" => ("", "", "2000"),
            _ => ("", "", ""),
        };
        QuestionForm {
            existing: None,
            section,
            after,
            kind: kind.to_string(),
            code: String::new(),
            text: String::new(),
            hint: String::new(),
            short: String::new(),
            required: false,
            condition: String::new(),
            lists: parts_of(kind).into_iter().map(ChoiceList::empty).collect(),
            min: min.into(),
            max: max.into(),
            unit: String::new(),
            max_length: max_length.into(),
            at_most: String::new(),
            required_with: String::new(),
        }
    }

    /// The page for editing `question`.
    pub(super) fn of(question: &Question) -> Self {
        let mut form = QuestionForm::new(question.kind.name(), 0, None);
        form.existing = Some(question.id.clone());
        form.code = question.id.clone();
        form.text = question.text.clone();
        form.hint = question.hint.clone().unwrap_or_default();
        form.short = question.short.clone();
        form.required = question.required;
        form.condition = question.show_if.as_ref().map(|c| format!("{}={}", c.question, c.equals)).unwrap_or_default();
        let rows =
            |choices: &[Choice]| choices.iter().map(|c| ChoiceRow { code: c.code.clone(), label: c.label.clone(), was: Some(c.code.clone()) }).collect();
        match &question.kind {
            Kind::Single { options } => form.lists = vec![ChoiceList { part: Part::Options, rows: rows(options), paste: String::new() }],
            Kind::Multiple { options, max } => {
                form.lists = vec![ChoiceList { part: Part::Options, rows: rows(options), paste: String::new() }];
                form.at_most = max.map(|m| m.to_string()).unwrap_or_default();
            }
            Kind::Matrix { rows: matrix_rows, columns } => {
                form.lists = vec![
                    ChoiceList { part: Part::Rows, rows: rows(matrix_rows), paste: String::new() },
                    ChoiceList { part: Part::Columns, rows: rows(columns), paste: String::new() },
                ]
            }
            Kind::Number { min, max, unit } => {
                (form.min, form.max) = (min.to_string(), max.to_string());
                form.unit = unit.clone().unwrap_or_default();
            }
            Kind::Text { max_length } => form.max_length = max_length.to_string(),
            Kind::Email => {}
            Kind::Consent { required_with } => form.required_with = required_with.clone().unwrap_or_default(),
        }
        form
    }

    /// The page's fields as posted.
    pub(super) fn posted(fields: &HashMap<String, String>) -> Self {
        let get = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let existing = Some(get("existing")).filter(|e| !e.is_empty());
        let kind = get("kind");
        let mut form = QuestionForm::new(&kind, get("section").parse().unwrap_or(0), Some(get("after")).filter(|a| !a.is_empty()));
        form.existing = existing;
        form.code = get("code").trim().to_string();
        form.text = get("text").replace("\r\n", "\n").trim().to_string();
        form.hint = get("hint").trim().to_string();
        form.short = get("short").trim().to_string();
        form.required = fields.contains_key("required");
        form.condition = get("show_if");
        for list in &mut form.lists {
            // Rows are numbered from 0; the first number missing ends the list.
            let mut rows = Vec::new();
            for i in 0.. {
                let Some(label) = fields.get(&list.field("label", i)) else { break };
                let was = fields.get(&list.field("was", i)).filter(|w| !w.is_empty()).cloned();
                rows.push(ChoiceRow { code: get(&list.field("code", i)), label: label.clone(), was });
            }
            list.rows = rows;
            list.paste = get(&list.paste_field()).replace("\r\n", "\n");
        }
        (form.min, form.max, form.unit) = (get("min"), get("max"), get("unit").trim().to_string());
        (form.max_length, form.at_most, form.required_with) = (get("max_length"), get("at_most"), get("required_with"));
        form
    }

    /// The question the page describes, with codes made for pasted choices; or what to
    /// fix, each problem at its field. `taken` are the survey's other questions' ids.
    pub(super) fn question(&mut self, taken: &[String]) -> Result<Question, Vec<Problem>> {
        let mut problems = Vec::new();
        if self.text.is_empty() {
            problems.push(Problem::at("text", "Enter the question text"));
        }
        let id = match &self.existing {
            Some(id) => id.clone(),
            None if !self.code.is_empty() => self.code.clone(),
            None => code_from_label(if self.short.is_empty() { &self.text } else { &self.short }, taken),
        };
        let mut lists = Vec::new();
        for list in &mut self.lists {
            let rows = list.choices();
            if rows.is_empty() {
                problems.push(Problem::at(&list.paste_field(), format!("Enter the {}, one per line", list_words(list.part))));
            }
            // Pasted lines become rows, so the page shows their codes from now on.
            list.rows = rows.clone();
            list.paste.clear();
            lists.push((list.part, rows.into_iter().map(|r| Choice { code: r.code, label: r.label, benchmarks: vec![] }).collect::<Vec<_>>()));
        }
        let list = |part: Part| lists.iter().find(|(p, _)| *p == part).map(|(_, c)| c.clone()).unwrap_or_default();
        let whole = |field: &str, value: &str, what: &str, problems: &mut Vec<Problem>| match value.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(Problem::at(field, format!("Enter the {what} as a whole number, such as 0 or 100")));
                None
            }
        };
        let kind = match self.kind.as_str() {
            "single" => Kind::Single { options: list(Part::Options) },
            "multiple" => {
                let max = match self.at_most.trim() {
                    "" => None,
                    n => match n.parse::<u32>() {
                        Ok(n) if n >= 1 => Some(n),
                        _ => {
                            problems.push(Problem::at("at_most", "Enter how many answers respondents may choose at most, such as 3, or leave it empty"));
                            None
                        }
                    },
                };
                Kind::Multiple { options: list(Part::Options), max }
            }
            "matrix" => Kind::Matrix { rows: list(Part::Rows), columns: list(Part::Columns) },
            "number" => {
                let min = whole("min", &self.min, "minimum", &mut problems).unwrap_or(0);
                let max = whole("max", &self.max, "maximum", &mut problems).unwrap_or(0);
                Kind::Number { min, max, unit: Some(self.unit.clone()).filter(|u| !u.is_empty()) }
            }
            "text" => match self.max_length.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Kind::Text { max_length: n },
                _ => {
                    problems.push(Problem::at("max_length", "Enter the most characters an answer may have, such as 2000"));
                    Kind::Text { max_length: 1 }
                }
            },
            "email" => Kind::Email,
            "consent" => Kind::Consent { required_with: Some(self.required_with.clone()).filter(|r| !r.is_empty()) },
            other => {
                problems.push(Problem::general(format!("“{other}” is not a kind of question: go back and choose one")));
                Kind::Email
            }
        };
        let show_if = self.condition.split_once('=').map(|(question, equals)| Condition { question: question.to_string(), equals: equals.to_string() });
        if !problems.is_empty() {
            return Err(problems);
        }
        self.code = id.clone();
        let short = if self.short.is_empty() { id.replace('_', " ") } else { self.short.clone() };
        Ok(Question {
            id,
            text: self.text.clone(),
            short,
            hint: Some(self.hint.clone()).filter(|h| !h.is_empty()),
            required: self.required,
            show_if,
            kind,
        })
    }

    /// Codes changed on the page (each `(list, was, now)`): refused once responses exist,
    /// else renamed in place so each keeps its benchmarks and translations.
    pub(super) fn changed_codes(&self) -> Vec<(Part, String, String)> {
        self.lists
            .iter()
            .flat_map(|l| l.rows.iter().map(move |r| (l.part, r)))
            .filter_map(|(part, r)| r.was.as_ref().filter(|w| **w != r.code).map(|w| (part, w.clone(), r.code.clone())))
            .collect()
    }
}

/// How the page names a list ("options", "rows", "columns").
pub(super) fn list_words(part: Part) -> &'static str {
    match part {
        Part::Options => "options",
        Part::Rows => "rows (such as channels)",
        Part::Columns => "columns (the answers each row takes)",
    }
}
