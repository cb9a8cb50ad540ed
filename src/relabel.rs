//! A survey's totals in another language.
//!
//! Totals are counted once, by code, and carry the labels of the definition's own
//! language; everyone watching a survey gets the same live events. A page in Welsh puts
//! its words on them: [`Labels::of`] the survey `localized` to Welsh, applied to each
//! snapshot, on the server for the first render and in the browser (the results island
//! gets the labels as a prop) for every live update. Codes never change, so neither do
//! the figures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::definition::{Definition, Kind};
use crate::tally::Results;

/// Every label a survey's totals show, by where it sits: `title`, `{question}` (its
/// text), `{question}.{code}` (an option or a matrix row), `{question}/{code}` (a matrix
/// column), `{question}.unit` (a number's unit), `gap` (the gap view's title),
/// `gap.{code}` (its channels).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Labels(BTreeMap<String, String>);

impl Labels {
    /// The labels of `definition` as it reads (localize it first for another language).
    pub fn of(definition: &Definition) -> Labels {
        let mut labels = BTreeMap::new();
        labels.insert("title".to_string(), definition.title.clone());
        if let Some(gap) = &definition.gap {
            labels.insert("gap".to_string(), gap.title.clone());
            // The gap's channels are the rows of the matrix of what organisations use.
            if let Some(Kind::Matrix { rows, .. }) = definition.question(&gap.organisations).map(|q| &q.kind) {
                labels.extend(rows.iter().map(|r| (format!("gap.{}", r.code), r.label.clone())));
            }
        }
        for question in definition.questions() {
            let id = &question.id;
            labels.insert(id.clone(), question.text.clone());
            match &question.kind {
                Kind::Single { options } | Kind::Multiple { options, .. } => {
                    labels.extend(options.iter().map(|o| (format!("{id}.{}", o.code), o.label.clone())));
                }
                Kind::Matrix { rows, columns } => {
                    labels.extend(rows.iter().map(|r| (format!("{id}.{}", r.code), r.label.clone())));
                    labels.extend(columns.iter().map(|c| (format!("{id}/{}", c.code), c.label.clone())));
                }
                Kind::Number { unit: Some(unit), .. } => {
                    labels.insert(format!("{id}.unit"), unit.clone());
                }
                _ => {}
            }
        }
        Labels(labels)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Puts these labels on `results`; anything they do not name keeps its label.
    pub fn apply(&self, results: &mut Results) {
        let put = |text: &mut String, key: &str| {
            if let Some(label) = self.0.get(key) {
                label.clone_into(text);
            }
        };
        put(&mut results.title, "title");
        for question in &mut results.questions {
            let id = question.id.clone();
            put(&mut question.text, &id);
            for option in &mut question.options {
                put(&mut option.label, &format!("{id}.{}", option.code));
            }
            for row in &mut question.rows {
                put(&mut row.label, &format!("{id}.{}", row.code));
                for cell in &mut row.cells {
                    put(&mut cell.label, &format!("{id}/{}", cell.code));
                }
            }
            if let Some(unit) = question.summary.as_mut().and_then(|s| s.unit.as_mut()) {
                put(unit, &format!("{id}.unit"));
            }
        }
        if let Some(segments) = &mut results.segments {
            let id = segments.question.clone();
            put(&mut segments.text, &id);
            for group in &mut segments.groups {
                put(&mut group.label, &format!("{id}.{}", group.code));
            }
        }
        if let Some(gap) = &mut results.gap {
            put(&mut gap.title, "gap");
            for row in &mut gap.rows {
                put(&mut row.label, &format!("gap.{}", row.code));
            }
        }
    }
}
