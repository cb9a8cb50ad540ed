//! A survey's state, worked out in one place for every page, message, command and API:
//! scheduled, open, closed or archived. Each surface used to decide for itself, and a
//! scheduled survey's dashboard said "Open… Respondents can answer" while respondents were
//! told it opens on 10 January and the API called it closed.

use serde::{Deserialize, Serialize};

use crate::schedule::Phase;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyState {
    /// Before its `opens_at`: respondents see when it opens.
    Scheduled,
    #[default]
    Open,
    /// Closed by its organisers (Reopen undoes it).
    Closed,
    /// Past its `closes_at`: closed by its schedule, which Reopen cannot undo.
    Ended,
    /// Closed by its organisers and listed apart.
    Archived,
}

impl SurveyState {
    /// The rule. The organisers' Close wins over the schedule (a survey closed before it
    /// opens stays closed at its opening time); archiving applies only to a closed survey.
    pub fn of(phase: Phase, closed_by_organisers: bool, archived: bool) -> SurveyState {
        match (closed_by_organisers, archived, phase) {
            (true, true, _) => SurveyState::Archived,
            (true, false, _) => SurveyState::Closed,
            (false, _, Phase::NotYetOpen) => SurveyState::Scheduled,
            (false, _, Phase::Ended) => SurveyState::Ended,
            (false, _, Phase::Open) => SurveyState::Open,
        }
    }

    /// Whether a response sent now is taken.
    pub fn takes_responses(self) -> bool {
        self == SurveyState::Open
    }

    /// Whether its figures may still change: open, or not yet open.
    pub fn figures_provisional(self) -> bool {
        matches!(self, SurveyState::Open | SurveyState::Scheduled)
    }

    /// The machine name, in APIs and `canvass survey list`: an ended survey is `closed`.
    pub fn code(self) -> &'static str {
        match self {
            SurveyState::Scheduled => "scheduled",
            SurveyState::Open => "open",
            SurveyState::Closed | SurveyState::Ended => "closed",
            SurveyState::Archived => "archived",
        }
    }

    /// For organisers, with the times as they read them (already in their zone): what
    /// the dashboard, the surveys page and `canvass survey list` say.
    pub fn describe(self, opens: Option<&str>, closes: Option<&str>) -> String {
        match (self, opens, closes) {
            (SurveyState::Scheduled, Some(opens), _) => format!("Scheduled: opens {opens}"),
            (SurveyState::Scheduled, None, _) => "Scheduled".into(),
            (SurveyState::Open, _, Some(closes)) => format!("Open until {closes}"),
            (SurveyState::Open, _, None) => "Open".into(),
            (SurveyState::Closed, _, _) => "Closed".into(),
            (SurveyState::Ended, _, Some(closes)) => format!("Closed: its closing time ({closes}) has passed"),
            (SurveyState::Ended, _, None) => "Closed: its closing time has passed".into(),
            (SurveyState::Archived, _, _) => "Archived (closed)".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_gives_each_state_from_the_schedule_and_the_organisers_choices() {
        assert_eq!(SurveyState::of(Phase::NotYetOpen, false, false), SurveyState::Scheduled);
        assert_eq!(SurveyState::of(Phase::Open, false, false), SurveyState::Open);
        assert_eq!(SurveyState::of(Phase::Ended, false, false), SurveyState::Ended);
        assert_eq!(SurveyState::of(Phase::NotYetOpen, true, false), SurveyState::Closed, "Close wins over the schedule");
        assert_eq!(SurveyState::of(Phase::Open, true, true), SurveyState::Archived);
        assert_eq!(SurveyState::of(Phase::Open, false, true), SurveyState::Open, "archived only means anything when closed");
        let taking: Vec<_> = [SurveyState::Scheduled, SurveyState::Open, SurveyState::Closed, SurveyState::Ended, SurveyState::Archived]
            .into_iter()
            .filter(|s| s.takes_responses())
            .collect();
        assert_eq!(taking, [SurveyState::Open], "only an open survey takes responses");
    }

    #[test]
    fn each_state_is_named_for_machines_and_described_for_organisers() {
        assert_eq!(SurveyState::Scheduled.code(), "scheduled");
        assert_eq!(SurveyState::Ended.code(), "closed");
        assert_eq!(SurveyState::Scheduled.describe(Some("10 January 2027, 09:00 GMT"), None), "Scheduled: opens 10 January 2027, 09:00 GMT");
        assert_eq!(SurveyState::Open.describe(None, Some("31 January 2027, 17:00 GMT")), "Open until 31 January 2027, 17:00 GMT");
        assert!(SurveyState::Ended.describe(None, Some("31 January")).contains("closing time (31 January) has passed"));
    }
}
