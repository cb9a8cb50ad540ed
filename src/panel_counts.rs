//! A survey panel's numbers as storage counts them: who is on it, who was invited and
//! what became of it, and where its email stands. The dashboard (`pages::PanelView`) and
//! `canvass invite status` show the same counts, with the same rates.

use serde::{Deserialize, Serialize};

use crate::panel_rates::ByColumn;

/// The panel's numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelCounts {
    pub contacts: u64,
    pub invited: u64,
    /// Released marks only (on an anonymous survey, in groups of 5). How many responses
    /// wait unreleased is never counted for organisers: it would move by one as each
    /// invitee answered.
    pub responded: u64,
    pub bounced: u64,
    pub unsubscribed: u64,
    /// Per organisation: (organisation, invited, responded), by name; groups under 5
    /// folded when anonymous.
    pub by_organisation: Vec<(String, u64, u64)>,
    /// Whether some organisation shown on its own has several contacts invited
    /// (`panel_rates::organisations_shared`): else the rate per organisation says nothing.
    pub organisations_shared: bool,
    /// Per value of each closed column of the contact list (`panel_rates`).
    pub by_column: Vec<ByColumn>,
}

/// How many of a survey's messages are in each state of the mail queue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
    /// A server stopped while handing these to the mail server: they may or may not have
    /// arrived, and are not sent again on their own.
    pub uncertain: u64,
}

/// The response rate as people read it: "42%", or "–" before anyone is invited.
pub fn rate(responded: u64, invited: u64) -> String {
    match (responded * 100 + invited / 2).checked_div(invited) {
        Some(percent) => format!("{percent}%"),
        None => "–".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_to_whole_percents_and_say_nothing_before_anyone_is_invited() {
        assert_eq!(rate(0, 0), "–");
        assert_eq!(rate(1, 3), "33%");
        assert_eq!(rate(2, 3), "67%");
        assert_eq!(rate(5, 5), "100%");
    }
}
