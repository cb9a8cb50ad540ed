//! What the organisers' editor opens with, and what it shows after a post.

use serde::{Deserialize, Serialize};

use crate::located::Problem;

/// The text the editor opens with.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorSource {
    pub source: String,
    /// The live version the text starts from (0 for a new survey).
    pub base_version: u32,
    /// When the text is a saved draft: when it was saved, as shown.
    pub draft_saved_at: Option<String>,
}

/// What the server made of a post, rendered back with the text as it was sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EditorEcho {
    pub source: String,
    pub base_version: u32,
    pub problems: Vec<Problem>,
    /// A sentence on what happened ("Draft saved at 14:05 GMT.").
    pub notice: Option<String>,
    /// Publish was pressed and the live version differs: these changes await a confirm.
    pub pending: Option<PendingChanges>,
}

/// What publishing would change against the live version, shown for a confirm.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PendingChanges {
    pub version: u32,
    pub wording: Vec<String>,
    pub structure: Vec<String>,
    /// For a new survey: where respondents will find it and from when (listed on the
    /// front page or not), said before it goes public.
    #[serde(default)]
    pub going_public: Option<String>,
}
