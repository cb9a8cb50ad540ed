//! The clock, in the forms storage keeps times in (the table in `storage`'s module doc
//! says which column takes which, and why).

/// Now as RFC 3339 UTC with milliseconds (`2026-12-07T14:03:09.120Z`): an instant people
/// read (shown, exported, audited). Sorts as text in time order.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Today's UTC date (`2026-12-07`): a calendar day, where a finer time must not be kept.
pub fn today_utc() -> String {
    now_rfc3339()[..10].to_string()
}

/// Milliseconds since the Unix epoch: the clock for every instant the server computes
/// with (sessions, expiries, leases, mail and webhook schedules, resume-mail windows).
pub fn unix_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
