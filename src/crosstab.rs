//! Every closed question broken down by the survey's segments (its `segment_by` question,
//! organisation type in the default survey): counts and column percentages, each column
//! being one segment's respondents who answered the question. A segment with fewer than
//! [`MIN_SEGMENT`] responses is left out whole, as everywhere else, so no small group's
//! answers can be read off.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Answer, Choice, Definition, Tally, MIN_SEGMENT};

/// One tally per segment, and one of everyone.
pub struct Crosstab {
    all: Tally,
    segments: Vec<(Choice, Tally)>,
}

impl Crosstab {
    /// `None` when the survey has no `segment_by` question to break down by.
    pub fn new(definition: &Definition) -> Option<Self> {
        let question = definition.question(definition.segment_by.as_deref()?)?;
        let options = question.kind.options()?;
        Some(Crosstab { all: Tally::new(definition), segments: options.iter().map(|o| (o.clone(), Tally::new(definition))).collect() })
    }

    /// Counts one response, in its segment's column and in "All".
    pub fn add(&mut self, definition: &Definition, answers: &BTreeMap<String, Answer>) {
        self.all.add(answers);
        let segment = definition.segment_by.as_deref().and_then(|q| answers.get(q));
        if let Some(Answer::Text(code)) = segment {
            if let Some((_, tally)) = self.segments.iter_mut().find(|(o, _)| &o.code == code) {
                tally.add(answers);
            }
        }
    }

    /// The table: the segments shown (those of at least [`MIN_SEGMENT`] responses) and
    /// all respondents as columns, every option of every closed question as a line.
    pub fn table(&self, definition: &Definition) -> CrossTable {
        let shown: Vec<(&Choice, crate::Results)> = self
            .segments
            .iter()
            .filter(|(_, tally)| tally.responses() >= MIN_SEGMENT)
            .map(|(choice, tally)| (choice, tally.results(definition).published()))
            .collect();
        let all = self.all.results(definition).published();
        let mut columns: Vec<(String, u64)> = shown.iter().map(|(c, r)| (c.label.clone(), r.responses)).collect();
        columns.push(("All".into(), all.responses));
        let questions = all
            .questions
            .iter()
            .enumerate()
            .map(|(q, question)| {
                // (column name, option code, label, index of the row or None, index of the option)
                let mut entries: Vec<(String, String, String, Option<usize>, usize)> =
                    question.options.iter().enumerate().map(|(i, o)| (question.id.clone(), o.code.clone(), o.label.clone(), None, i)).collect();
                for (r, row) in question.rows.iter().enumerate() {
                    for (c, cell) in row.cells.iter().enumerate() {
                        entries.push((format!("{}.{}", question.id, row.code), cell.code.clone(), format!("{}: {}", row.label, cell.label), Some(r), c));
                    }
                }
                let lines = entries
                    .into_iter()
                    .map(|(column, code, label, row, i)| {
                        let cells = shown
                            .iter()
                            .map(|(_, r)| r)
                            .chain(std::iter::once(&all))
                            .map(|results| {
                                let totals = &results.questions[q];
                                let total = match row {
                                    Some(r) => totals.rows.get(r).and_then(|row| row.cells.get(i)),
                                    None => totals.options.get(i),
                                };
                                total.and_then(|t| t.count.zip(t.percent)).filter(|_| totals.answered > 0)
                            })
                            .collect();
                        CrossLine { column, code, label, cells }
                    })
                    .collect();
                let bases = shown.iter().map(|(_, r)| r).chain(std::iter::once(&all)).map(|r| r.questions[q].answered).collect();
                CrossQuestion { id: question.id.clone(), text: question.text.clone(), lines, bases }
            })
            .collect();
        CrossTable { columns, questions }
    }

    /// The table as CSV: `question, option, label`, then for each segment shown and for
    /// all respondents its count, column percentage (one decimal) and the base that
    /// percentage is of: those in the column who answered the question, which differs
    /// from question to question (a follow-up is asked of some). Matrix questions give a
    /// line per row and column ("channels.twitter", "using").
    #[cfg(feature = "export")]
    pub fn csv(&self, definition: &Definition) -> Vec<u8> {
        use crate::csv_layout::{Cell, Lines};

        let table = self.table(definition);
        let mut lines = Lines::new();
        let mut header = vec![Cell::Plain("question".into()), Cell::Plain("option".into()), Cell::Plain("label".into())];
        for (label, _) in &table.columns {
            header.push(Cell::Text(format!("{label}: count")));
            header.push(Cell::Text(format!("{label}: % of base")));
            header.push(Cell::Text(format!("{label}: base (answered the question)")));
        }
        lines.push(&header);
        for question in &table.questions {
            for line in &question.lines {
                let mut cells = vec![Cell::Plain(line.column.clone()), Cell::Plain(line.code.clone()), Cell::Text(line.label.clone())];
                for (cell, base) in line.cells.iter().zip(&question.bases) {
                    match cell {
                        Some((count, percent)) => {
                            cells.push(Cell::Number(*count as i64));
                            cells.push(Cell::Plain(format!("{percent:.1}")));
                            cells.push(Cell::Number(*base as i64));
                        }
                        None => cells.extend([Cell::Blank, Cell::Blank, Cell::Blank]),
                    }
                }
                lines.push(&cells);
            }
        }
        lines.into_bytes()
    }
}

/// Every closed question by segment: what the report shows and the CSV holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossTable {
    /// (segment label, its responses), each segment shown, then "All".
    pub columns: Vec<(String, u64)>,
    pub questions: Vec<CrossQuestion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossQuestion {
    pub id: String,
    pub text: String,
    pub lines: Vec<CrossLine>,
    /// Per column (as [`CrossTable::columns`]): those in it who answered this question,
    /// what its percentages are of.
    #[serde(default)]
    pub bases: Vec<u64>,
}

/// One option (or matrix cell) across the columns: (count, column percentage), `None`
/// where no one in that column answered the question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossLine {
    /// The export's column name: the question id, or `question.row` for a matrix.
    pub column: String,
    pub code: String,
    pub label: String,
    pub cells: Vec<Option<(u64, f64)>>,
}
