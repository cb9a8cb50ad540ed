//! What the organisers' overview (`/admin`) and a survey's dashboard
//! (`/admin/surveys/{slug}`) show besides the live totals.

use serde::{Deserialize, Serialize};

use crate::{Results, SurveyState};

/// Free-text answers shown per page on the dashboard.
pub const TEXTS_PER_PAGE: u32 = 20;

/// A survey's live totals, its state, and its recent activity.
pub type DashboardData = (Results, SurveyState, Activity);

/// One row of the `/admin` overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub slug: String,
    pub title: String,
    pub responses: u64,
    /// As shown, in the organisers' zone and naming it (`2026-07-01 10:41 BST`).
    pub last_response_at: Option<String>,
    /// Its state in words: "Open until 31 January 2027 at 17:00 GMT", "Opens …", "Closed".
    #[serde(default)]
    pub state: String,
    /// Closed and put away: listed apart, under "Archived".
    #[serde(default)]
    pub archived: bool,
}

/// A page of one free-text question's answers, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextAnswers {
    pub question: String,
    pub text: String,
    /// (when submitted, as shown in the organisers' zone; answer)
    pub answers: Vec<(String, String)>,
}

/// What `/admin/surveys/{slug}` shows besides the live totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// As shown, in the organisers' zone and naming it.
    pub last_response_at: Option<String>,
    /// (day `YYYY-MM-DD` in the organisers' zone, responses that day), oldest first.
    pub per_day: Vec<(String, u64)>,
    pub texts: Vec<TextAnswers>,
    /// Zero-based page of the free-text answers.
    pub page: u32,
    pub more: bool,
    /// Respondents part-way through (an unexpired draft): closing stops them submitting.
    #[serde(default)]
    pub drafts_in_progress: u64,
    /// The organisers' time zone (`Europe/London`), named beside the days.
    #[serde(default)]
    pub zone: String,
    /// Closed and archived (the dashboard offers to bring it back).
    #[serde(default)]
    pub archived: bool,
    /// The panel it is sent to, and the email queue.
    #[serde(default)]
    pub panel: PanelView,
    /// What the survey's retention deletes soon (`crate::retention`), in words.
    #[serde(default)]
    pub retention: Vec<String>,
    /// Webhook endpoints turned off (the receiver said 410, or failed for a day), in words.
    #[serde(default)]
    pub webhooks: Vec<String>,
    /// The survey's state in organisers' words ("Scheduled: opens …").
    #[serde(default)]
    pub state_words: String,
}

/// One group's row of panel rates: (name, invited, responded, rate as "42%").
pub type RateRow = (String, u64, u64, String);

/// A survey's panel on the dashboard: who was invited and what became of it. On an
/// anonymous survey "responded" counts released marks only (in groups of 5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PanelView {
    pub contacts: u64,
    pub invited: u64,
    pub responded: u64,
    pub bounced: u64,
    pub unsubscribed: u64,
    /// "42%", or "–" before anyone is invited.
    pub rate: String,
    /// By organisation; groups under 5 folded when anonymous.
    /// Empty when no organisation has more than one contact: a rate of 0% or 100% per
    /// organisation says nothing.
    pub by_organisation: Vec<RateRow>,
    /// (column of the contact list, its rows as `by_organisation`'s): by organisation
    /// type, region, … (`crate::panel_rates`).
    #[serde(default)]
    pub by_column: Vec<(String, Vec<RateRow>)>,
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
    pub uncertain: u64,
    /// This server has an SMTP relay: queued mail goes out.
    pub mail_configured: bool,
    pub anonymous: bool,
    /// Respondents who gave an address and asked for the findings.
    pub findings_recipients: u64,
    /// The findings were sent already (once per survey).
    pub findings_sent: bool,
}
