//! When a survey takes responses: between its optional `opens_at` and `closes_at`, two UTC
//! times in the definition. Every instance works the phase out from the definition and
//! the clock, so a survey opens and closes by itself everywhere at once, with nothing to
//! run at that moment.
//!
//! Times are kept as `YYYY-MM-DDTHH:MM:SSZ`, which sorts as text in time order, so the
//! core needs no calendar library.

/// Where a survey stands against its schedule at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    NotYetOpen,
    Open,
    /// Past its `closes_at`.
    Ended,
}

/// A UTC time as a definition may give it (`2027-01-10T09:00:00Z`, or without seconds),
/// in the one form Canvass keeps; `None` if it is not one.
pub fn parse_utc(text: &str) -> Option<String> {
    let text = text.trim();
    let body = text.strip_suffix('Z').or_else(|| text.strip_suffix('z'))?;
    let (date, time) = body.split_once(['T', 't'])?;
    let number = |s: &str, len: usize, max: u32, min: u32| -> Option<u32> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten().filter(|n| (min..=max).contains(n))
    };
    let mut d = date.split('-');
    let (year, month, day) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() {
        return None;
    }
    let year = number(year, 4, 9999, 2000)?;
    let month = number(month, 2, 12, 1)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1];
    let day = number(day, 2, days, 1)?;
    let mut t = time.split(':');
    let hour = number(t.next()?, 2, 23, 0)?;
    let minute = number(t.next()?, 2, 59, 0)?;
    let second = match t.next() {
        Some(s) => number(s, 2, 59, 0)?,
        None => 0,
    };
    if t.next().is_some() {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"))
}

/// The phase at `now` (a UTC time in the kept form, to the second).
pub fn phase(opens_at: Option<&str>, closes_at: Option<&str>, now: &str) -> Phase {
    match (opens_at, closes_at) {
        (Some(opens), _) if now < opens => Phase::NotYetOpen,
        (_, Some(closes)) if now >= closes => Phase::Ended,
        _ => Phase::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_are_kept_in_one_form_and_anything_else_is_refused() {
        assert_eq!(parse_utc("2027-01-10T09:00Z").as_deref(), Some("2027-01-10T09:00:00Z"));
        assert_eq!(parse_utc(" 2028-02-29T23:59:59Z ").as_deref(), Some("2028-02-29T23:59:59Z"));
        for bad in ["2027-02-29T09:00Z", "2027-01-10T09:00", "2027-01-10T09:00+01:00", "10/01/2027 09:00", "2027-13-01T00:00Z", "2027-01-10T24:00Z", ""] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_survey_opens_at_its_opening_second_and_ends_at_its_closing_second() {
        let (opens, closes) = (Some("2027-01-10T09:00:00Z"), Some("2027-01-31T17:00:00Z"));
        assert_eq!(phase(opens, closes, "2027-01-10T08:59:59Z"), Phase::NotYetOpen);
        assert_eq!(phase(opens, closes, "2027-01-10T09:00:00Z"), Phase::Open);
        assert_eq!(phase(opens, closes, "2027-01-31T16:59:59Z"), Phase::Open);
        assert_eq!(phase(opens, closes, "2027-01-31T17:00:00Z"), Phase::Ended);
        assert_eq!(phase(None, None, "2030-01-01T00:00:00Z"), Phase::Open);
    }
}
