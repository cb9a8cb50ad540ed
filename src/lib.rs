//! Canvass domain core: survey definitions, answers, validation and tallies.
//!
//! Pure Rust with no I/O, compiled natively for the server and to WebAssembly for the
//! browser, so both sides apply exactly the same rules.

pub mod answers;
#[cfg(feature = "builder")]
pub mod builder;
pub mod changes;
pub mod chart_svg;
pub mod chosen;
pub mod contacts;
pub mod continual;
pub mod crosstab;
#[cfg(feature = "export")]
pub mod csv_layout;
pub mod data_protection;
pub mod definition;
pub mod findings;
pub mod gap;
pub mod headlines;
#[cfg(feature = "export")]
pub mod history;
pub mod html;
pub mod identity;
pub mod keys;
pub mod language;
pub mod located;
pub mod mail_text;
pub mod messages;
pub mod noise;
pub mod number_summary;
pub mod pages;
pub mod panel_counts;
pub mod panel_rates;
pub mod parse;
pub mod privacy;
pub mod relabel;
pub mod retention;
pub mod roles;
pub mod schedule;
pub mod stats;
pub mod survey_state;
pub mod tally;
pub mod translated_from;
pub mod translation;
pub mod validate;
pub mod visible;
pub mod web;
pub mod wording;
pub mod words;

pub use answers::{answers_from_form, is_shown, is_shown_given, replace_section_fields, Answer, RawAnswer, RawAnswers, ValidResponse};
pub use chosen::Chosen;
pub use definition::{Benchmark, Choice, Condition, Definition, Gap, Kind, Question, Section};
pub use identity::{OrganiserId, Receipt, ResponseId, Slug, SlugError, TokenError};
pub use keys::{KeyError, SubmissionKey};
pub use language::Lang;
pub use number_summary::{Bin, NumberSummary};
pub use parse::{parse_definition, parse_draft, parse_structure, DefinitionError};
pub use privacy::PublicResults;
pub use roles::{Access, Action, Role, Scope};
pub use survey_state::SurveyState;
pub use tally::{segment_size, GapRow, GapTotals, OptionTotal, QuestionTotals, Results, RowTotals, SegmentGroup, SegmentTotals, Tally, MIN_SEGMENT};
pub use validate::{is_email, is_email_light, section_errors, validate, FieldErrors};
