//! How long a survey keeps what it stores, from its definition's `[retention]` table:
//!
//! ```toml
//! [retention]
//! responses = "2 years"   # answers, counted from when each was submitted
//! contacts = "6 months"   # email addresses given for the findings, the panel and its invitations
//! drafts = "30 days"      # answers saved part-way, counted from the last save
//! ```
//!
//! Periods are a whole number of days, weeks, months (30 days) or years (365 days). A
//! missing entry keeps that data until an owner deletes it. A running server deletes
//! what has expired (see the server's `retention` job); the privacy notice states the
//! periods; the dashboard warns owners 30 days ahead.

use serde::{Deserialize, Serialize};

/// A length of time to keep data, in days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    pub days: u32,
}

/// The longest period accepted: longer is no retention limit at all.
pub const MAX_DAYS: u32 = 100 * 365;

impl Period {
    /// Reads `"30 days"`, `"6 months"`, `"2 years"`, `"1 week"`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let bad = || format!("`{text}` is not a period Canvass can read: write a whole number and a unit, like \"30 days\", \"6 months\" or \"2 years\"");
        let mut words = text.split_whitespace();
        let (Some(number), Some(unit), None) = (words.next(), words.next(), words.next()) else { return Err(bad()) };
        let n: u32 = number.parse().map_err(|_| bad())?;
        let per = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => 1,
            "week" => 7,
            "month" => 30,
            "year" => 365,
            _ => return Err(bad()),
        };
        if n == 0 {
            return Err(format!("`{text}` keeps nothing at all: give a period of at least 1 day, or leave the entry out to keep the data"));
        }
        let days = n
            .checked_mul(per)
            .filter(|d| *d <= MAX_DAYS)
            .ok_or_else(|| format!("`{text}` is longer than 100 years: leave the entry out to keep the data until an owner deletes it"))?;
        Ok(Period { days })
    }

    /// In words, for the dashboard ("30 days", "6 months", "2 years"): months from two
    /// of them, so a month reads as the 30 days it is.
    pub fn words(self) -> String {
        let (n, unit) = if self.days.is_multiple_of(365) {
            (self.days / 365, "year")
        } else if self.days.is_multiple_of(30) && self.days >= 60 {
            (self.days / 30, "month")
        } else if self.days.is_multiple_of(7) {
            (self.days / 7, "week")
        } else {
            (self.days, "day")
        };
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    }

    pub fn seconds(self) -> i64 {
        i64::from(self.days) * 24 * 60 * 60
    }
}

/// What a definition says about keeping data, as written (checked when it is parsed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responses: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafts: Option<String>,
}

/// The periods, read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Periods {
    pub responses: Option<Period>,
    pub contacts: Option<Period>,
    pub drafts: Option<Period>,
}

impl Retention {
    pub fn is_empty(&self) -> bool {
        self.responses.is_none() && self.contacts.is_none() && self.drafts.is_none()
    }

    /// Every entry that cannot be read, named (`retention.responses …`).
    pub fn problems(&self) -> Vec<String> {
        self.entries().into_iter().filter_map(|(key, value)| value.and_then(|v| Period::parse(v).err()).map(|e| format!("retention.{key} {e}"))).collect()
    }

    /// The periods; an entry that cannot be read counts as absent (a parsed definition
    /// has none: see [`Retention::problems`]).
    pub fn periods(&self) -> Periods {
        let read = |v: &Option<String>| v.as_deref().and_then(|v| Period::parse(v).ok());
        Periods { responses: read(&self.responses), contacts: read(&self.contacts), drafts: read(&self.drafts) }
    }

    /// How many days a draft saved part-way really lasts: the server's draft expiry
    /// (`--draft-expiry`, after which a draft no longer opens) or the survey's own
    /// `drafts` period (after which it is deleted), whichever ends first. The one figure
    /// the privacy notice, the saved page and the resume email all give.
    pub fn draft_days(&self, server_days: u64) -> u64 {
        match self.periods().drafts {
            Some(period) => server_days.min(u64::from(period.days)).max(1),
            None => server_days.max(1),
        }
    }

    fn entries(&self) -> [(&'static str, Option<&str>); 3] {
        [("responses", self.responses.as_deref()), ("contacts", self.contacts.as_deref()), ("drafts", self.drafts.as_deref())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_lasts_until_the_earlier_of_the_server_expiry_and_the_surveys_period() {
        let thirty = Retention { drafts: Some("30 days".into()), ..Default::default() };
        assert_eq!(thirty.draft_days(7), 7, "the server stops opening it after 7 days");
        let three = Retention { drafts: Some("3 days".into()), ..Default::default() };
        assert_eq!(three.draft_days(7), 3, "the survey deletes it after 3");
        assert_eq!(Retention::default().draft_days(7), 7);
        assert_eq!(Retention::default().draft_days(0), 1, "never \"0 days\"");
    }

    #[test]
    fn periods_read_in_days_weeks_months_and_years() {
        assert_eq!(Period::parse("30 days"), Ok(Period { days: 30 }));
        assert_eq!(Period::parse("1 week"), Ok(Period { days: 7 }));
        assert_eq!(Period::parse("6 Months"), Ok(Period { days: 180 }));
        assert_eq!(Period::parse(" 2 years "), Ok(Period { days: 730 }));
        assert_eq!(Period::parse("2 years").unwrap().words(), "2 years");
        assert_eq!(Period::parse("1 month").unwrap().words(), "30 days");
        assert_eq!(Period::parse("6 months").unwrap().words(), "6 months");
        assert_eq!(Period::parse("10 days").unwrap().words(), "10 days");
    }

    #[test]
    fn periods_that_cannot_be_read_say_how_to_write_one() {
        for bad in ["", "forever", "two years", "2", "2 fortnights", "-1 days", "1.5 years", "3 days later"] {
            let error = Period::parse(bad).unwrap_err();
            assert!(error.contains("like \"30 days\""), "{bad}: {error}");
        }
        assert!(Period::parse("0 days").unwrap_err().contains("at least 1 day"));
        assert!(Period::parse("200 years").unwrap_err().contains("longer than 100 years"));
        assert!(Period::parse("4294967295 years").is_err());
    }

    #[test]
    fn a_retention_table_names_each_entry_it_cannot_read() {
        let retention = Retention { responses: Some("2 years".into()), contacts: Some("soon".into()), drafts: Some("0 days".into()) };
        let problems = retention.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("retention.contacts `soon`"));
        assert!(problems[1].starts_with("retention.drafts `0 days`"));
        assert_eq!(retention.periods().responses, Some(Period { days: 730 }));
        assert_eq!(retention.periods().contacts, None);
    }
}
