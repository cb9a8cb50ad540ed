//! What respondents' pages show from the server besides the definition and the totals.

use serde::{Deserialize, Serialize};

use crate::{Chosen, FieldErrors};

/// A survey's schedule as respondents read it, in the organisers' zone with the zone named.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScheduleText {
    /// Set only while it is not yet open: when it opens.
    pub opens: Option<String>,
    /// When it closes, if it has a `closes_at`.
    pub closes: Option<String>,
}

/// A stored response as the holder of its receipt sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipted {
    /// The first eight characters of the response's id (as the export's `response_id`
    /// begins), to quote to the organisers.
    pub reference: String,
    /// What it chose, to mark "Your answer" on the results.
    pub chosen: Chosen,
}

/// A refused form, sent back so nothing the respondent typed is lost: the server's form
/// handler provides it as context when it renders the survey page again.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormEcho {
    pub values: Vec<(String, String)>,
    pub errors: FieldErrors,
}
