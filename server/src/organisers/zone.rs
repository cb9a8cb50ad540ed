//! The organisers' time zone: the dashboard shows times and days as the organiser lives
//! them (Europe/London by default, so British Summer Time is an hour ahead of the UTC the
//! database keeps), always with the zone named. Stored times and the CSV export stay UTC.

use std::fmt;

use jiff::tz::TimeZone;
use jiff::Timestamp;

pub const DEFAULT_ZONE: &str = "Europe/London";

#[derive(Clone)]
pub struct OrganiserZone {
    name: String,
    zone: TimeZone,
}

impl fmt::Debug for OrganiserZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Default for OrganiserZone {
    fn default() -> Self {
        Self::parse(DEFAULT_ZONE).unwrap_or_else(|_| Self { name: "UTC".into(), zone: TimeZone::UTC })
    }
}

impl OrganiserZone {
    /// An IANA zone name (`Europe/London`, `UTC`), as `--time-zone` takes it.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        match TimeZone::get(name) {
            Ok(zone) => Ok(Self { name: name.to_string(), zone }),
            Err(_) => Err(format!("'{name}' is not a time zone Canvass knows: use an IANA name such as Europe/London, Europe/Dublin or UTC")),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A stored RFC 3339 time as the dashboard shows it: `2026-07-01 10:41 BST`. A value
    /// that is not a time is shown as it is rather than hidden.
    pub fn stamp(&self, rfc3339: &str) -> String {
        self.format(rfc3339, "%Y-%m-%d %H:%M %Z")
    }

    /// A stored UTC time as a form's `datetime-local` field holds it, in this zone
    /// (`2027-01-10T09:00`); empty for anything that is not a time.
    pub fn local_input(&self, rfc3339: &str) -> String {
        rfc3339.parse::<Timestamp>().map(|t| t.to_zoned_datetime(self.zone.clone()).strftime("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
    }

    /// What an organiser typed in a `datetime-local` field, a time in this zone, as the
    /// UTC time a definition keeps (`2027-01-10T09:00:00Z`); empty is none. A time the
    /// clocks skip or repeat is taken as the zone's rules place it.
    pub fn from_local_input(&self, text: &str) -> Result<Option<String>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let civil: jiff::civil::DateTime =
            text.parse().map_err(|_| format!("“{text}” is not a date and time: give it like 2027-01-10 09:00, in {} time", self.name))?;
        let zoned = civil.to_zoned_datetime(self.zone.clone()).map_err(|_| format!("“{text}” is not a time in {}: choose another", self.name))?;
        Ok(Some(zoned.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
    }

    /// A stored UTC time as respondents and organisers read it: `10 January 2027 at 09:00 GMT`.
    pub fn when(&self, rfc3339: &str) -> String {
        self.when_in(rfc3339, canvass::Lang::En)
    }

    /// [`Self::when`] in `lang`: `10 Ionawr 2027 am 09:00 GMT` in Welsh.
    pub fn when_in(&self, rfc3339: &str, lang: canvass::Lang) -> String {
        const WELSH_MONTHS: [&str; 12] =
            ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"];
        match (lang, rfc3339.parse::<Timestamp>()) {
            (canvass::Lang::Cy, Ok(t)) => {
                let local = t.to_zoned_datetime(self.zone.clone());
                let month = WELSH_MONTHS[(local.month() as usize).clamp(1, 12) - 1];
                format!("{} {month} {} am {}", local.day(), local.year(), local.strftime("%H:%M %Z"))
            }
            _ => self.format(rfc3339, "%-d %B %Y at %H:%M %Z"),
        }
    }

    /// A calendar day (`YYYY-MM-DD`, as [`OrganiserZone::day`] gives it) in words:
    /// `1 July 2026`. Anything else is shown as it is.
    pub fn long_day(&self, day: &str) -> String {
        match day.parse::<jiff::civil::Date>() {
            Ok(date) => date.strftime("%-d %B %Y").to_string(),
            Err(_) => day.to_string(),
        }
    }

    fn format(&self, rfc3339: &str, pattern: &str) -> String {
        match rfc3339.parse::<Timestamp>() {
            Ok(t) => t.to_zoned_datetime(self.zone.clone()).strftime(pattern).to_string(),
            Err(_) => rfc3339.to_string(),
        }
    }

    /// The organiser's calendar day (`YYYY-MM-DD`) at a UTC time.
    pub fn day(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.zone.clone()).strftime("%Y-%m-%d").to_string()
    }

    /// Responses per day in this zone, oldest first, from counts per UTC quarter hour
    /// (`YYYY-MM-DDTHH`, quarter 0–3, count): every zone's offset is a whole number of
    /// quarter hours, so each bucket falls on one local day.
    pub fn per_day(&self, quarters: &[(String, i64, i64)]) -> Vec<(String, u64)> {
        let mut days: Vec<(String, u64)> = Vec::new();
        for (hour, quarter, n) in quarters {
            if hour.len() == 10 {
                // An anonymous survey keeps the (UTC) day only: it is the day shown.
                add(&mut days, hour.clone(), *n);
                continue;
            }
            let Ok(start) = format!("{hour}:{:02}:00Z", quarter * 15).parse::<Timestamp>() else { continue };
            add(&mut days, self.day(start), *n);
        }
        days.sort();
        days
    }
}

fn add(days: &mut Vec<(String, u64)>, day: String, n: i64) {
    match days.iter_mut().find(|(d, _)| *d == day) {
        Some((_, total)) => *total += n as u64,
        None => days.push((day, n as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_dates_and_anything_else_is_left_alone() {
        let london = OrganiserZone::default();
        assert_eq!(london.long_day("2026-07-01"), "1 July 2026");
        assert_eq!(london.long_day("2026-12-31"), "31 December 2026");
        assert_eq!(london.long_day("2026-13-01"), "2026-13-01");
        assert_eq!(london.long_day("soon"), "soon");
    }

    #[test]
    fn summer_times_are_shown_in_british_summer_time_and_winter_times_in_gmt() {
        let london = OrganiserZone::default();
        assert_eq!(london.name(), "Europe/London");
        assert_eq!(london.stamp("2026-07-01T09:41:07.123Z"), "2026-07-01 10:41 BST");
        assert_eq!(london.stamp("2026-11-30T09:41:07Z"), "2026-11-30 09:41 GMT");
    }

    #[test]
    fn a_response_late_on_a_summer_evening_counts_on_the_next_day_in_london() {
        let london = OrganiserZone::default();
        let quarters = [
            ("2026-07-01T22".to_string(), 3, 2), // 23:45 BST on the 1st
            ("2026-07-01T23".to_string(), 0, 5), // 00:00 BST on the 2nd
            ("2026-07-02T10".to_string(), 1, 1),
        ];
        assert_eq!(london.per_day(&quarters), vec![("2026-07-01".to_string(), 2), ("2026-07-02".to_string(), 6)]);
        let utc = OrganiserZone::parse("UTC").unwrap();
        assert_eq!(utc.per_day(&quarters), vec![("2026-07-01".to_string(), 7), ("2026-07-02".to_string(), 1)]);
    }

    #[test]
    fn an_anonymous_surveys_days_are_counted_as_stored() {
        let quarters = [("2026-07-01".to_string(), 0, 3), ("2026-07-01T10".to_string(), 1, 2)];
        assert_eq!(OrganiserZone::default().per_day(&quarters), vec![("2026-07-01".to_string(), 5)]);
    }

    #[test]
    fn half_hour_zones_split_days_on_the_quarter_hour() {
        let india = OrganiserZone::parse("Asia/Kolkata").unwrap();
        // 18:15 UTC is 23:45 IST; 18:30 UTC is 00:00 IST the next day.
        let quarters = [("2026-07-01T18".to_string(), 1, 1), ("2026-07-01T18".to_string(), 2, 1)];
        assert_eq!(india.per_day(&quarters), vec![("2026-07-01".to_string(), 1), ("2026-07-02".to_string(), 1)]);
    }

    #[test]
    fn a_closing_time_reads_as_a_date_and_a_time_in_the_zone() {
        let london = OrganiserZone::default();
        assert_eq!(london.when("2027-01-31T17:00:00Z"), "31 January 2027 at 17:00 GMT");
        assert_eq!(london.when_in("2027-07-01T08:30:00Z", canvass::Lang::Cy), "1 Gorffennaf 2027 am 09:30 BST");
        assert_eq!(london.when("2027-07-01T08:30:00Z"), "1 July 2027 at 09:30 BST");
    }

    #[test]
    fn an_unknown_zone_is_refused_with_what_to_use() {
        let error = OrganiserZone::parse("Europe/Londn").unwrap_err();
        assert_eq!(error, "'Europe/Londn' is not a time zone Canvass knows: use an IANA name such as Europe/London, Europe/Dublin or UTC");
    }

    #[test]
    fn a_value_that_is_not_a_time_is_shown_as_it_is() {
        assert_eq!(OrganiserZone::default().stamp("yesterday"), "yesterday");
    }
}
