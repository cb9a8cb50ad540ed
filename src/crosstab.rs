//! Every closed question broken down by the survey's segments (its `segment_by` question,
//! organisation type in the default survey): counts and column percentages, each column
//! being one segment's respondents who answered the question. A segment with fewer than
//! [`MIN_SEGMENT`] responses is left out whole, as everywhere else, so no small group's
//! answers can be read off.

use std::collections::BTreeMap;

use crate::csv_layout::{Cell, Lines};
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
        Some(Crosstab {
            all: Tally::new(definition),
            segments: options.iter().map(|o| (o.clone(), Tally::new(definition))).collect(),
        })
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

    /// The table as CSV: `question, option, label`, then for each segment shown and for
    /// all respondents its count and column percentage (one decimal). Matrix questions
    /// give a line per row and column ("channels.twitter", "using").
    pub fn csv(&self, definition: &Definition) -> Vec<u8> {
        let shown: Vec<(&Choice, crate::Results)> = self
            .segments
            .iter()
            .filter(|(_, tally)| tally.responses() >= MIN_SEGMENT)
            .map(|(choice, tally)| (choice, tally.results(definition)))
            .collect();
        let all = self.all.results(definition);
        let mut lines = Lines::new();
        let mut header = vec![Cell::Plain("question".into()), Cell::Plain("option".into()), Cell::Plain("label".into())];
        for (choice, results) in &shown {
            header.push(Cell::Text(format!("{} (n={}): count", choice.label, results.responses)));
            header.push(Cell::Text(format!("{}: %", choice.label)));
        }
        header.push(Cell::Text(format!("All (n={}): count", all.responses)));
        header.push(Cell::Text("All: %".into()));
        lines.push(&header);
        for (q, question) in all.questions.iter().enumerate() {
            // (column name, option code, label, index of the row or None, index of the option)
            let mut entries: Vec<(String, String, String, Option<usize>, usize)> = question
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| (question.id.clone(), o.code.clone(), o.label.clone(), None, i))
                .collect();
            for (r, row) in question.rows.iter().enumerate() {
                for (c, cell) in row.cells.iter().enumerate() {
                    entries.push((format!("{}.{}", question.id, row.code), cell.code.clone(), format!("{}: {}", row.label, cell.label), Some(r), c));
                }
            }
            for (column, code, label, row, i) in entries {
                let mut line = vec![Cell::Plain(column), Cell::Plain(code), Cell::Text(label)];
                for results in shown.iter().map(|(_, r)| r).chain(std::iter::once(&all)) {
                    let totals = &results.questions[q];
                    let total = match row {
                        Some(r) => totals.rows.get(r).and_then(|row| row.cells.get(i)),
                        None => totals.options.get(i),
                    };
                    match total.and_then(|t| t.count.zip(t.percent)) {
                        Some((count, percent)) if totals.answered > 0 => {
                            line.push(Cell::Number(count as i64));
                            line.push(Cell::Plain(format!("{percent:.1}")));
                        }
                        _ => line.extend([Cell::Blank, Cell::Blank]),
                    }
                }
                lines.push(&line);
            }
        }
        lines.into_bytes()
    }
}
