//! What the builder's overview says about a survey being built: its sections in order,
//! and for each question its wording, kind, whether it is required, its condition in
//! words, whether it has benchmarks and whether each further language has all its texts.

use crate::definition::{Condition, Definition, Kind, Question};

/// The kinds of question the builder offers, by definition name, with the words the
/// "Kind of question" choice shows.
pub const KINDS: [(&str, &str, &str); 7] = [
    ("single", "One choice", "Respondents choose one answer from a list"),
    ("multiple", "Several choices", "Respondents choose any number of answers from a list, or up to a limit"),
    ("matrix", "Grid", "Rows (such as channels), each answered by choosing one column (such as Using now)"),
    ("number", "Number", "A whole number between a minimum and a maximum, with a unit such as £"),
    ("text", "Text", "Free text up to a length"),
    ("email", "Email address", "An address to send the findings to, kept apart from the answers"),
    ("consent", "Consent", "A box to tick, such as agreeing to be contacted"),
];

/// The builder's words for a kind ("One choice").
pub fn kind_words(kind: &Kind) -> &'static str {
    KINDS.iter().find(|(name, _, _)| *name == kind.name()).map_or("Question", |(_, words, _)| words)
}

/// The overview of a survey being built.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub sections: Vec<SectionRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionRow {
    pub title: String,
    pub questions: Vec<QuestionRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct QuestionRow {
    pub id: String,
    pub text: String,
    /// The kind in words ("Several choices").
    pub kind: &'static str,
    pub required: bool,
    /// Whether it has choices to count (and so may have benchmarks).
    pub closed: bool,
    /// "Asked only if “…” is “Yes”", when the question has a condition.
    pub condition: Option<String>,
    pub benchmarks: bool,
    /// For each further language, by name, the texts of this question it still lacks.
    pub untranslated: Vec<(String, usize)>,
}

/// The overview of `definition` (checked for structure; translations may be unfinished).
pub fn overview(definition: &Definition) -> Overview {
    let keys = crate::translation::text_keys(definition);
    let sections = definition
        .sections
        .iter()
        .map(|section| SectionRow {
            title: section.title.clone(),
            questions: section
                .questions
                .iter()
                .map(|q| {
                    let prefix = format!("{}.", q.id);
                    let untranslated = definition
                        .languages
                        .iter()
                        .skip(1)
                        .map(|code| {
                            let table = definition.translations.get(code);
                            let missing = keys
                                .iter()
                                .filter(|(key, _)| key.starts_with(&prefix))
                                .filter(|(key, _)| table.and_then(|t| t.get(key)).is_none_or(|v| v.trim().is_empty()))
                                .count();
                            (crate::translation::language_name(code).to_string(), missing)
                        })
                        .collect();
                    QuestionRow {
                        id: q.id.clone(),
                        text: q.text.clone(),
                        kind: kind_words(&q.kind),
                        required: q.required,
                        closed: q.kind.is_closed(),
                        condition: q.show_if.as_ref().map(|c| condition_words(definition, c)),
                        benchmarks: has_benchmarks(q),
                        untranslated,
                    }
                })
                .collect(),
        })
        .collect();
    Overview { sections }
}

/// A condition as the organiser reads it: "Asked only if “Does …?” is “Yes”".
pub fn condition_words(definition: &Definition, condition: &Condition) -> String {
    let Some(question) = definition.question(&condition.question) else {
        return format!("Asked only if `{}` is `{}`", condition.question, condition.equals);
    };
    let answer = question.kind.options().and_then(|options| crate::definition::Choice::find(options, &condition.equals));
    let answer = answer.map_or(condition.equals.as_str(), |choice| choice.label.as_str());
    let verb = if matches!(question.kind, Kind::Multiple { .. }) { "includes" } else { "is" };
    format!("Asked only if “{}” {verb} “{answer}”", question.text)
}

fn has_benchmarks(question: &Question) -> bool {
    let lists: Vec<&[crate::definition::Choice]> = match &question.kind {
        Kind::Single { options } | Kind::Multiple { options, .. } => vec![options],
        Kind::Matrix { rows, columns } => vec![rows, columns],
        _ => vec![],
    };
    lists.iter().any(|list| list.iter().any(|choice| !choice.benchmarks.is_empty()))
}
