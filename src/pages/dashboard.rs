//! What the organisers' overview (`/admin`) and a survey's Results page
//! (`/admin/surveys/{slug}/results`) show besides the live totals.

use serde::{Deserialize, Serialize};

use crate::panel_counts::{rate, PanelCounts, QueueCounts};
use crate::{Results, SurveyState};

/// Free-text answers shown per page on a survey's Responses page.
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

/// What a survey's Results page shows besides the live totals, re-read while responses
/// arrive: only what it draws (the state, the panel and the warnings are the workspace's
/// other pages' own reads).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// As shown, in the organisers' zone and naming it.
    pub last_response_at: Option<String>,
    /// (day `YYYY-MM-DD` in the organisers' zone, responses that day), oldest first.
    pub per_day: Vec<(String, u64)>,
    /// The organisers' time zone (`Europe/London`), named beside the days.
    #[serde(default)]
    pub zone: String,
}

/// One group's row of panel rates: (name, invited, responded, rate as "42%").
pub type RateRow = (String, u64, u64, String);

/// A survey's panel on the dashboard: storage's counts, as `canvass invite status` shows
/// them too, and what the dashboard adds. On an anonymous survey "responded" counts
/// released marks only (in groups of 5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PanelView {
    pub panel: PanelCounts,
    pub queue: QueueCounts,
    /// This server has an SMTP relay: queued mail goes out.
    pub mail_configured: bool,
    pub anonymous: bool,
    /// Respondents who gave an address and asked for the findings.
    pub findings_recipients: u64,
    /// The findings were sent already (once per survey).
    pub findings_sent: bool,
}

impl PanelView {
    /// The response rate: "42%", or "–" before anyone is invited.
    pub fn rate(&self) -> String {
        rate(self.panel.responded, self.panel.invited)
    }

    /// By organisation, with rates; groups under 5 folded when anonymous. Empty when no
    /// organisation shown on its own has more than one contact invited: a rate of 0% or
    /// 100% per organisation says nothing.
    pub fn by_organisation(&self) -> Vec<RateRow> {
        if !self.panel.organisations_shared {
            return Vec::new();
        }
        self.panel.by_organisation.iter().map(|(o, i, r)| (o.clone(), *i, *r, rate(*r, *i))).collect()
    }

    /// (column of the contact list, its rows as [`PanelView::by_organisation`]'s): by
    /// organisation type, region, … (`crate::panel_rates`).
    pub fn by_column(&self) -> Vec<(String, Vec<RateRow>)> {
        let rows = |groups: &[(String, u64, u64)]| groups.iter().map(|(v, i, r)| (v.clone(), *i, *r, rate(*r, *i))).collect();
        self.panel.by_column.iter().map(|c| (c.column.clone(), rows(&c.groups))).collect()
    }

    /// Messages waiting to go: queued, or being handed to the mail server.
    pub fn waiting(&self) -> u64 {
        self.queue.queued + self.queue.sending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel_rates::ByColumn;

    #[test]
    fn the_panel_shows_rates_per_organisation_only_where_organisations_are_shared() {
        let mut view = PanelView {
            panel: PanelCounts {
                invited: 4,
                responded: 1,
                by_organisation: vec![("Leeds".into(), 3, 1), ("York".into(), 1, 0)],
                by_column: vec![ByColumn { column: "region".into(), groups: vec![("North".into(), 4, 1)] }],
                ..PanelCounts::default()
            },
            queue: QueueCounts { queued: 2, sending: 1, ..QueueCounts::default() },
            ..PanelView::default()
        };
        assert_eq!(view.rate(), "25%");
        assert_eq!(view.waiting(), 3, "queued and being sent both wait");
        assert_eq!(view.by_column(), vec![("region".to_string(), vec![("North".to_string(), 4, 1, "25%".to_string())])]);
        assert!(view.by_organisation().is_empty(), "no organisation has several contacts invited: a rate each says nothing");
        view.panel.organisations_shared = true;
        assert_eq!(view.by_organisation()[0], ("Leeds".to_string(), 3, 1, "33%".to_string()));
        assert_eq!(PanelView::default().rate(), "–", "before anyone is invited");
    }
}
