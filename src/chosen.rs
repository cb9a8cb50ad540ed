//! What one respondent chose, so the results they see can mark "Your answer" beside the
//! totals: the comparison the survey's introduction promises.
//!
//! Only closed questions' codes are kept (never free text or contact details), keyed the
//! way the tally counts them: by question, and `"row.column"` for a matrix cell. The
//! server works it out from the response behind a receipt and hands it to that receipt's
//! holder only; it never goes into an address.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answers::Answer;
use crate::definition::Definition;
use crate::tally::cell_key;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen(BTreeMap<String, Vec<String>>);

impl Chosen {
    /// The codes `answers` chose for each closed question of `definition`.
    pub fn of(definition: &Definition, answers: &BTreeMap<String, Answer>) -> Self {
        let chosen = definition
            .questions()
            .filter(|q| q.kind.is_closed())
            .filter_map(|q| {
                let codes = match answers.get(&q.id)? {
                    Answer::Text(code) => vec![code.clone()],
                    Answer::List(codes) => codes.clone(),
                    Answer::Map(rows) => rows.iter().map(|(row, column)| cell_key(row, column)).collect(),
                    Answer::Number(_) | Answer::Flag(_) => return None,
                };
                Some((q.id.clone(), codes))
            })
            .collect();
        Self(chosen)
    }

    /// Whether the respondent chose option `code` of `question`.
    pub fn option(&self, question: &str, code: &str) -> bool {
        self.0.get(question).is_some_and(|codes| codes.iter().any(|c| c == code))
    }

    /// Whether the respondent chose `column` in `row` of matrix `question`.
    pub fn cell(&self, question: &str, row: &str, column: &str) -> bool {
        self.option(question, &cell_key(row, column))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition() -> Definition {
        crate::parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).expect("the default survey")
    }

    fn answers(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        pairs.iter().map(|(q, a)| (q.to_string(), a.clone())).collect()
    }

    #[test]
    fn marks_single_multiple_and_matrix_choices() {
        let chosen = Chosen::of(
            &definition(),
            &answers(&[
                ("org_type", Answer::Text("health".into())),
                ("purposes", Answer::List(vec!["communities".into(), "news".into()])),
                ("channels", Answer::Map([("twitter".to_string(), "planning".to_string())].into())),
            ]),
        );
        assert!(chosen.option("org_type", "health"));
        assert!(!chosen.option("org_type", "local"));
        assert!(chosen.option("purposes", "communities") && chosen.option("purposes", "news") && !chosen.option("purposes", "feedback"));
        assert!(chosen.cell("channels", "twitter", "planning"));
        assert!(!chosen.cell("channels", "twitter", "using") && !chosen.cell("channels", "facebook", "planning"));
    }

    #[test]
    fn never_keeps_free_text_or_unknown_questions() {
        let chosen = Chosen::of(
            &definition(),
            &answers(&[
                ("obstacle", Answer::Text("a secret reason".into())),
                ("email", Answer::Text("a@b.example".into())),
                ("gone", Answer::Text("x".into())),
            ]),
        );
        assert!(chosen.is_empty(), "free text and questions no longer asked are not marked: {chosen:?}");
    }
}
