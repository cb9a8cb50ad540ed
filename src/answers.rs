//! Answers before and after validation, and the mapping from an HTML form to raw answers.
//!
//! [`RawAnswer`] is whatever a client sent (JSON API or form), in any shape; only
//! [`crate::validate`] turns raw answers into a [`ValidResponse`], which is what gets stored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::definition::{Definition, Kind, Question};

/// One answer as sent by a client. The JSON API shapes are: single `"code"`, multiple
/// `["code", …]`, matrix `{"row": "column"}`, number an integer, text/email a string,
/// consent a boolean. Anything else lands in `Other` so validation can say what to send
/// instead of the whole request failing to parse.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawAnswer {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
    Other(serde::de::IgnoredAny),
}

pub type RawAnswers = BTreeMap<String, RawAnswer>;

impl RawAnswer {
    /// An empty field means "not answered", whichever way the client sent it.
    pub fn is_blank(&self) -> bool {
        match self {
            RawAnswer::Null => true,
            RawAnswer::Text(s) => s.trim().is_empty(),
            RawAnswer::List(l) => l.iter().all(|s| s.trim().is_empty()),
            RawAnswer::Map(m) => m.values().all(|s| s.trim().is_empty()),
            _ => false,
        }
    }
}

/// A validated answer. Serialised untagged, so stored answers read like the API input.
/// Deserialised by hand (see below): restart reads every stored answer, and serde's
/// untagged path buffers each value and retries variant by variant, several times slower.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Flag(bool),
    Number(i64),
    Text(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

/// A response the core has accepted: answers to shown questions only, with contact
/// details (email, consent) held apart so they are never exported or counted.
///
/// Only [`crate::validate`] makes one (its fields are private and it cannot be
/// deserialised), and storage takes nothing else: whatever is stored has passed the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidResponse {
    pub(crate) answers: BTreeMap<String, Answer>,
    pub(crate) contact: BTreeMap<String, Answer>,
    /// The language it was answered in: that of the definition it was checked against.
    /// Stored beside the answers, never part of them (codes are the same in every one).
    #[serde(skip)]
    pub(crate) language: crate::Lang,
}

impl ValidResponse {
    pub(crate) fn empty(language: crate::Lang) -> Self {
        Self { answers: BTreeMap::new(), contact: BTreeMap::new(), language }
    }

    /// The language the respondent answered in.
    pub fn language(&self) -> crate::Lang {
        self.language
    }

    /// The answers that are stored, counted and exported.
    pub fn answers(&self) -> &BTreeMap<String, Answer> {
        &self.answers
    }

    /// The answers alone, once the response has been serialised for storage.
    pub fn into_answers(self) -> BTreeMap<String, Answer> {
        self.answers
    }

    /// Contact details, stored apart and never exported or counted.
    pub fn contact(&self) -> &BTreeMap<String, Answer> {
        &self.contact
    }
}

/// Whether `question` is asked, given the answers before it: the one `show_if` rule,
/// used by validation (hidden answers are discarded, so they are never stored or
/// counted), and through [`is_shown_given`] by the survey page and its island.
pub fn is_shown(question: &Question, answers: &BTreeMap<String, Answer>) -> bool {
    is_shown_given(question, |asked, code| match answers.get(asked) {
        Some(Answer::Text(chosen)) => chosen == code,
        Some(Answer::List(chosen)) => chosen.iter().any(|c| c == code),
        _ => false,
    })
}

/// The `show_if` rule over any form of the answers so far: `chose(question, code)` says
/// whether that option of that question is chosen. A question with no condition is
/// always asked; one with a condition only while its option is chosen.
pub fn is_shown_given(question: &Question, chose: impl Fn(&str, &str) -> bool) -> bool {
    question.show_if.as_ref().is_none_or(|c| chose(&c.question, &c.equals))
}

/// Turns the name/value pairs of a submitted HTML form into raw answers.
///
/// Forms can only send strings, so the definition decides the shape: a multiple choice
/// collects every checked box into a list, a matrix row arrives as `question.row`, and a
/// consent box counts as ticked when it is present. Empty fields are dropped. Unknown
/// names are kept, so validation reports them rather than silently ignoring them.
/// Replaces one section's fields in the answers so far with the fields just posted for
/// it (a multi-page form sends one section at a time; an unticked box is simply absent,
/// so the section's old fields all go first). Posted fields of other sections are
/// ignored, so a hand-made post cannot overwrite answers it was not showing.
pub fn replace_section_fields(definition: &Definition, section: usize, so_far: &mut Vec<(String, String)>, posted: Vec<(String, String)>) {
    so_far.retain(|(name, _)| definition.section_of_field(name) != Some(section));
    so_far.extend(posted.into_iter().filter(|(name, _)| definition.section_of_field(name) == Some(section)));
}

pub fn answers_from_form<I>(definition: &Definition, pairs: I) -> RawAnswers
where
    I: IntoIterator<Item = (String, String)>,
{
    let mut raw = RawAnswers::new();
    for (name, value) in pairs {
        if value.trim().is_empty() {
            continue;
        }
        if let Some((question, row)) = name.split_once('.') {
            if let Some(Kind::Matrix { .. }) = definition.question(question).map(|q| &q.kind) {
                match raw.entry(question.to_string()).or_insert_with(|| RawAnswer::Map(BTreeMap::new())) {
                    RawAnswer::Map(m) => {
                        m.insert(row.to_string(), value);
                    }
                    other => *other = RawAnswer::Other(serde::de::IgnoredAny),
                }
                continue;
            }
        }
        let kind = definition.question(&name).map(|q| &q.kind);
        match kind {
            Some(Kind::Consent { .. }) => {
                raw.insert(name, RawAnswer::Bool(true));
            }
            Some(Kind::Multiple { .. }) => match raw.entry(name).or_insert_with(|| RawAnswer::List(Vec::new())) {
                RawAnswer::List(l) => l.push(value),
                other => *other = RawAnswer::Other(serde::de::IgnoredAny),
            },
            _ => {
                // A second value for a one-value field (two radios of one question sent
                // by a hand-made form) becomes a list, which validation then refuses.
                match raw.remove(&name) {
                    None => raw.insert(name, RawAnswer::Text(value)),
                    Some(RawAnswer::Text(first)) => raw.insert(name, RawAnswer::List(vec![first, value])),
                    Some(RawAnswer::List(mut l)) => {
                        l.push(value);
                        raw.insert(name, RawAnswer::List(l))
                    }
                    Some(other) => raw.insert(name, other),
                };
            }
        }
    }
    raw
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;

        impl<'de> serde::de::Visitor<'de> for AnswerVisitor {
            type Value = Answer;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a stored answer: boolean, integer, string, list of strings or map of strings")
            }

            fn visit_bool<E>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::Flag(v))
            }

            fn visit_i64<E>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer::Number(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Answer, E> {
                i64::try_from(v).map(Answer::Number).map_err(E::custom)
            }

            fn visit_str<E>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_string()))
            }

            fn visit_string<E>(self, v: String) -> Result<Answer, E> {
                Ok(Answer::Text(v))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(item) = seq.next_element::<String>()? {
                    list.push(item);
                }
                Ok(Answer::List(list))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
                let mut rows = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    rows.insert(k, v);
                }
                Ok(Answer::Map(rows))
            }
        }

        deserializer.deserialize_any(AnswerVisitor)
    }
}
