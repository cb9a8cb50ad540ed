//! What a survey's report (`/admin/surveys/{slug}/report`) is written from.

use serde::{Deserialize, Serialize};

use crate::Results;

/// What a survey's report is written from (organisers only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    /// Every response's totals, as the dashboard shows them, less the small groups.
    pub results: Results,
    /// Still taking responses: the report's findings are provisional.
    pub open: bool,
    /// The first and last days a response arrived, in words (`1 July 2026`, organisers' zone).
    pub fieldwork: Option<(String, String)>,
    /// The organisers' time zone, named beside the days.
    pub zone: String,
    /// The size of the population surveyed, when the definition gives it.
    pub population: Option<u64>,
    /// Responses are not linked to the people invited.
    pub anonymous: bool,
    /// Anyone with the address may answer (`access = "open"`): the methodology says what
    /// such a sample cannot show.
    pub open_access: bool,
    /// Every closed question by organisation type (`segment_by`), segments under 5 left out.
    pub breakdown: Option<crate::crosstab::CrossTable>,
    /// The question the breakdown is by.
    pub segment_question: Option<String>,
    /// Free-text questions: never in the report (their count, for the methodology).
    pub free_text_questions: usize,
}
