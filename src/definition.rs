//! The shape of a questionnaire once it has been parsed and checked.
//!
//! A `Definition` is only ever built by [`crate::parse_definition`], which refuses files
//! with broken references, so everything downstream (validation, tallies, rendering) can
//! trust that every `show_if` points at a real option and every code is unique.
//! The same types travel to the browser as JSON, hence `Serialize`/`Deserialize`.

use serde::{Deserialize, Serialize};

use crate::identity::Slug;

/// A survey as published: its stable slug, the version responses record, and its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub slug: Slug,
    /// Numbered by Canvass when published (1, 2, …; 0 before): each changed content is
    /// the next version, and each response stores the version it answered.
    pub version: u32,
    pub title: String,
    pub intro: String,
    pub time_needed: String,
    pub privacy: String,
    pub sections: Vec<Section>,
    /// A single choice question whose options split results into segments (e.g.
    /// organisation type). Segments with too few responses are never shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_by: Option<String>,
    /// A comparison of what organisations use against what their users use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    /// When it starts and stops taking responses (UTC, `YYYY-MM-DDTHH:MM:SSZ`; see
    /// [`crate::schedule`]). Without them it is open until an organiser closes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    /// How many organisations there are to survey, when known: intervals then shrink by
    /// the finite population correction (`canvass::stats::wilson_in_population`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// Who may answer: anyone with the address, or only through an invitation link.
    #[serde(default)]
    pub access: crate::mail_text::Access,
    /// Whether responses are kept apart from who sent them: no invitation or contact
    /// with a response, no time finer than the day, and "responded" shown to organisers
    /// only in groups of at least 5 (see `canvass invite`). True unless the file says not.
    #[serde(default = "anonymous_by_default")]
    pub anonymous: bool,
    /// Whether the front page (`/`) lists it while it is open. False: reachable only by
    /// its address or an invitation link (a pilot, a panel survey).
    #[serde(default = "listed_by_default", skip_serializing_if = "is_listed")]
    pub listed: bool,
    /// The invitation and reminder emails; the defaults when the file has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<crate::mail_text::MailText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<crate::mail_text::MailText>,
    /// The languages respondents may answer in, the definition's own (English) first.
    #[serde(default = "english_only", skip_serializing_if = "is_english_only")]
    pub languages: Vec<String>,
    /// Every text in each further language, by key (see [`crate::translation`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub translations: crate::translation::Translations,
    /// How long responses, contact details and drafts are kept (see [`crate::retention`]).
    #[serde(default, skip_serializing_if = "crate::retention::Retention::is_empty")]
    pub retention: crate::retention::Retention,
    /// Who is responsible for the data and why it is collected: the privacy notice's
    /// facts (see [`crate::data_protection`]).
    #[serde(default, skip_serializing_if = "crate::data_protection::DataProtection::is_empty")]
    pub data_protection: crate::data_protection::DataProtection,
}

fn english_only() -> Vec<String> {
    vec!["en".into()]
}

fn is_english_only(languages: &[String]) -> bool {
    languages.len() == 1 && languages[0] == "en"
}

fn anonymous_by_default() -> bool {
    true
}

fn listed_by_default() -> bool {
    true
}

fn is_listed(listed: &bool) -> bool {
    *listed
}

/// "The channels organisations use" (a matrix column) against "the channels their
/// service users use" (a multiple choice), matched by code: row `twitter` of the matrix
/// against option `twitter` of the multiple choice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub title: String,
    /// The matrix question and the column that means "uses it".
    pub organisations: String,
    pub column: String,
    /// The multiple choice question of what users use.
    pub users: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable code: the answer key in the API and the CSV column prefix.
    pub id: String,
    pub text: String,
    /// A short noun phrase used inside error messages ("purposes" → "Choose at most 3 purposes").
    pub short: String,
    pub hint: Option<String>,
    pub required: bool,
    pub show_if: Option<Condition>,
    pub kind: Kind,
}

/// Show a question only when another question's answer includes `equals`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub equals: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Kind {
    Single {
        options: Vec<Choice>,
    },
    Multiple {
        options: Vec<Choice>,
        max: Option<u32>,
    },
    Matrix {
        rows: Vec<Choice>,
        columns: Vec<Choice>,
    },
    Number {
        min: i64,
        max: i64,
        unit: Option<String>,
    },
    Text {
        max_length: u32,
    },
    Email,
    /// A tick box. With `required_with`, it must be ticked whenever that question is answered
    /// (consent to contact is needed only when an email address is given).
    Consent {
        required_with: Option<String>,
    },
}

/// An option (or a matrix row/column): a stable code, what respondents read, and the
/// published figures of earlier waves to show beside the live totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub code: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benchmarks: Vec<Benchmark>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// The wave the figure comes from, e.g. "2013".
    pub wave: String,
    /// Percentage of that wave's respondents, 0–100.
    pub percent: f64,
    /// What the figure measures, in words.
    pub label: String,
    /// For a matrix row: the column the figure belongs to ("using", "planning").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// How many answered in that wave (its base), when published: with it, a change
    /// since that wave is tested against chance (`canvass::stats::change`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
}

impl Definition {
    /// The language of this definition's own texts (its first), which its messages use
    /// too: English, or the one a `localized` copy was made in.
    pub fn language(&self) -> crate::Lang {
        self.languages.first().and_then(|code| crate::Lang::parse(code)).unwrap_or_default()
    }

    /// The languages respondents may answer this survey in, its own first.
    pub fn offered_languages(&self) -> Vec<crate::Lang> {
        let mut offered: Vec<crate::Lang> = self.languages.iter().filter_map(|code| crate::Lang::parse(code)).collect();
        offered.dedup();
        if offered.is_empty() {
            offered.push(crate::Lang::En);
        }
        offered
    }

    /// Whether two definitions say the same thing, whatever their version numbers.
    pub fn same_content(&self, other: &Definition) -> bool {
        let mut other = other.clone();
        other.version = self.version;
        *self == other
    }

    /// The invitation email as sent: the file's `[invitation]`, or the default.
    pub fn invitation_text(&self) -> crate::mail_text::MailText {
        self.invitation.clone().unwrap_or_else(|| crate::mail_text::MailText::default_invitation(&self.title))
    }

    /// The reminder email as sent: the file's `[reminder]`, or the default.
    pub fn reminder_text(&self) -> crate::mail_text::MailText {
        self.reminder.clone().unwrap_or_else(|| crate::mail_text::MailText::default_reminder(&self.title))
    }

    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// The index of the section asking the question a form field belongs to (`channels`
    /// and `channels.twitter` both belong to the section asking `channels`).
    pub fn section_of_field(&self, field: &str) -> Option<usize> {
        let id = field.split_once('.').map_or(field, |(question, _)| question);
        self.sections.iter().position(|s| s.questions.iter().any(|q| q.id == id))
    }
}

impl Kind {
    /// The name used in definition files and error messages.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::Matrix { .. } => "matrix",
            Kind::Number { .. } => "number",
            Kind::Text { .. } => "text",
            Kind::Email => "email",
            Kind::Consent { .. } => "consent",
        }
    }

    /// The options of a single or multiple choice question.
    pub fn options(&self) -> Option<&[Choice]> {
        match self {
            Kind::Single { options } | Kind::Multiple { options, .. } => Some(options),
            _ => None,
        }
    }

    /// Contact details are kept apart from the answers: stored separately, never exported
    /// with the responses and never counted.
    pub fn is_contact(&self) -> bool {
        matches!(self, Kind::Email | Kind::Consent { .. })
    }

    /// Closed questions are the ones with a fixed set of answers worth counting.
    pub fn is_closed(&self) -> bool {
        matches!(self, Kind::Single { .. } | Kind::Multiple { .. } | Kind::Matrix { .. })
    }

    /// The questions whose answers the totals are made of: the closed ones, counted per
    /// option, and numbers, summarised (`crate::number_summary`). Never free text or
    /// contact details.
    pub fn is_counted(&self) -> bool {
        self.is_closed() || matches!(self, Kind::Number { .. })
    }
}

impl Choice {
    pub fn find<'a>(choices: &'a [Choice], code: &str) -> Option<&'a Choice> {
        choices.iter().find(|c| c.code == code)
    }
}
