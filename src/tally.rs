//! Counting responses: a tally that grows one response at a time, and the totals it
//! yields for a definition (what the results page and the results API show).
//!
//! Tallies count by stable codes, so responses to older definition versions count under
//! the same options. Free text and contact details are never counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answers::Answer;
use crate::definition::{Benchmark, Choice, Definition, Kind};

/// Counts per question, option and matrix cell. Rebuildable at any time from the stored
/// responses, which stay the truth.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    responses: u64,
    /// Respondents who answered each question.
    answered: BTreeMap<String, u64>,
    /// `(question, option)` or `(question, "row.column")` → count.
    counts: BTreeMap<(String, String), u64>,
}

impl Tally {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn responses(&self) -> u64 {
        self.responses
    }

    /// Adds one stored response's answers.
    pub fn add(&mut self, answers: &BTreeMap<String, Answer>) {
        self.responses += 1;
        for (question, answer) in answers {
            let codes: Vec<String> = match answer {
                Answer::Text(code) => vec![code.clone()],
                Answer::List(codes) => codes.clone(),
                Answer::Map(rows) => rows.iter().map(|(r, c)| format!("{r}.{c}")).collect(),
                Answer::Number(_) | Answer::Flag(_) => Vec::new(),
            };
            *self.answered.entry(question.clone()).or_default() += 1;
            for code in codes {
                *self.counts.entry((question.clone(), code)).or_default() += 1;
            }
        }
    }

    fn count(&self, question: &str, code: &str) -> u64 {
        self.counts.get(&(question.to_string(), code.to_string())).copied().unwrap_or(0)
    }

    /// Totals for every closed question of `definition`, as percentages of all responses.
    pub fn results(&self, definition: &Definition) -> Results {
        let total = |count: u64, c: &Choice, benchmarks: Vec<Benchmark>| OptionTotal {
            code: c.code.clone(),
            label: c.label.clone(),
            count,
            percent: percent(count, self.responses),
            benchmarks,
        };
        let questions = definition
            .questions()
            .filter(|q| q.kind.is_closed())
            .map(|q| {
                let (options, rows) = match &q.kind {
                    Kind::Matrix { rows, columns } => (
                        Vec::new(),
                        rows.iter()
                            .map(|r| RowTotals {
                                code: r.code.clone(),
                                label: r.label.clone(),
                                cells: columns
                                    .iter()
                                    .map(|c| {
                                        let marks = r
                                            .benchmarks
                                            .iter()
                                            .filter(|b| b.column.as_deref() == Some(c.code.as_str()))
                                            .cloned()
                                            .collect();
                                        total(self.count(&q.id, &format!("{}.{}", r.code, c.code)), c, marks)
                                    })
                                    .collect(),
                            })
                            .collect(),
                    ),
                    other => (
                        other
                            .options()
                            .unwrap_or_default()
                            .iter()
                            .map(|o| total(self.count(&q.id, &o.code), o, o.benchmarks.clone()))
                            .collect(),
                        Vec::new(),
                    ),
                };
                QuestionTotals {
                    id: q.id.clone(),
                    text: q.text.clone(),
                    kind: q.kind.name().to_string(),
                    answered: self.answered.get(&q.id).copied().unwrap_or(0),
                    options,
                    rows,
                }
            })
            .collect();
        Results { slug: definition.slug.clone(), title: definition.title.clone(), responses: self.responses, questions }
    }
}

fn percent(count: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        count as f64 * 100.0 / of as f64
    }
}

/// Aggregate totals: the same numbers on the results page and in the results API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub slug: String,
    pub title: String,
    /// The number of stored responses.
    pub responses: u64,
    pub questions: Vec<QuestionTotals>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionTotals {
    pub id: String,
    pub text: String,
    pub kind: String,
    pub answered: u64,
    /// For single and multiple choice questions.
    pub options: Vec<OptionTotal>,
    /// For matrix questions: one entry per row, one cell per column.
    pub rows: Vec<RowTotals>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionTotal {
    pub code: String,
    pub label: String,
    pub count: u64,
    /// Share of all stored responses, 0–100.
    pub percent: f64,
    pub benchmarks: Vec<Benchmark>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowTotals {
    pub code: String,
    pub label: String,
    pub cells: Vec<OptionTotal>,
}
