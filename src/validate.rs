//! The one set of answer rules. The server always runs it (authoritative); the browser
//! runs the same code to help as the respondent types.
//!
//! Every message says what to do, in the respondent's words, and is keyed by the question
//! id so forms can show it beside the field and API clients can map it back.

use std::collections::BTreeMap;

use crate::answers::{is_shown, Answer, RawAnswer, RawAnswers, ValidResponse};
use crate::definition::{Choice, Definition, Kind, Question};
use crate::language::Lang;
use crate::messages::Problem;

/// Field → messages. A `BTreeMap` so errors come out in a stable order.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Validates raw answers against a definition. Answers to questions hidden by their
/// `show_if` are discarded, never stored; unknown question ids are refused.
pub fn validate(definition: &Definition, raw: &RawAnswers) -> Result<ValidResponse, FieldErrors> {
    let lang = definition.language();
    let mut errors = FieldErrors::new();
    let mut valid = ValidResponse::empty(lang);
    for id in raw.keys() {
        if definition.question(id).is_none() {
            errors.entry(id.clone()).or_default().push(Problem::UnknownQuestion { id }.say(lang));
        }
    }
    for question in definition.questions() {
        if !is_shown(question, &valid.answers) {
            continue;
        }
        let given = raw.get(&question.id).filter(|a| !a.is_blank());
        match check(definition, question, given, &valid) {
            Ok(Some(answer)) => {
                let bucket = if question.kind.is_contact() { &mut valid.contact } else { &mut valid.answers };
                bucket.insert(question.id.clone(), answer);
            }
            Ok(None) => {}
            Err(message) => errors.entry(question.id.clone()).or_default().push(message),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// The problems with one section's answers, worded exactly as [`validate`] words them
/// (it is the same check, narrowed): what a multi-page form shows on Continue. Answers in
/// other sections still count, so a `show_if` on an earlier answer is honoured.
pub fn section_errors(definition: &Definition, section: usize, raw: &RawAnswers) -> FieldErrors {
    let Some(section) = definition.sections.get(section) else { return FieldErrors::new() };
    match validate(definition, raw) {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors.into_iter().filter(|(id, _)| section.questions.iter().any(|q| &q.id == id)).collect(),
    }
}

/// One question's rule: `Ok(None)` when it was rightly left blank.
fn check(definition: &Definition, q: &Question, given: Option<&RawAnswer>, so_far: &ValidResponse) -> Result<Option<Answer>, String> {
    let lang = definition.language();
    let say = |problem: Problem| problem.say(lang);
    let short = q.short.as_str();
    // An unticked consent box is the same as no answer: required-ness decides.
    let given = given.filter(|a| !(matches!(q.kind, Kind::Consent { .. }) && **a == RawAnswer::Bool(false)));
    let Some(raw) = given else {
        return blank(definition, q, so_far).map_or(Ok(None), |problem| Err(say(problem)));
    };
    match &q.kind {
        Kind::Single { options } => match raw {
            RawAnswer::Text(code) => one_of(options, code.trim(), short, lang).map(|c| Some(Answer::Text(c))),
            RawAnswer::List(_) => Err(say(Problem::OnlyOne { short })),
            _ => Err(say(Problem::SendOneCode { short })),
        },
        Kind::Multiple { options, max } => multiple(options, *max, raw, short, lang).map(Some),
        Kind::Matrix { rows, columns } => matrix(rows, columns, q.required, raw, short).map_err(say).map(Some),
        Kind::Number { min, max, .. } => number(*min, *max, raw, short).map_err(say).map(Some),
        Kind::Text { max_length } => {
            let RawAnswer::Text(text) = raw else {
                return Err(say(Problem::SendText { short }));
            };
            let text = text.trim();
            let length = text.chars().count();
            if length > *max_length as usize {
                return Err(say(Problem::Shorten { short, max: group(*max_length as i64), length: group(length as i64) }));
            }
            Ok(Some(Answer::Text(text.to_string())))
        }
        Kind::Email => match raw {
            RawAnswer::Text(email) if is_email(email) => Ok(Some(Answer::Text(email.trim().to_string()))),
            _ => Err(say(Problem::EmailFormat)),
        },
        Kind::Consent { .. } => match raw {
            RawAnswer::Bool(_) => Ok(Some(Answer::Flag(true))),
            _ => Err(say(Problem::SendTrueFalse { short })),
        },
    }
}

/// What is wrong with leaving `q` blank, if anything: a required question, or a consent
/// box that another answer given needs.
fn blank<'a>(definition: &'a Definition, q: &'a Question, so_far: &ValidResponse) -> Option<Problem<'a>> {
    let short = q.short.as_str();
    match &q.kind {
        Kind::Consent { required_with: Some(other) } if so_far.contact.contains_key(other) || so_far.answers.contains_key(other) => {
            let other = definition.question(other).map_or(other.as_str(), |o| o.short.as_str());
            Some(Problem::ConsentWithOther { short, other })
        }
        _ if !q.required => None,
        Kind::Single { .. } => Some(Problem::ChooseOne { short }),
        Kind::Multiple { .. } => Some(Problem::ChooseAtLeastOne { short }),
        Kind::Matrix { .. } => Some(Problem::ChooseEveryRow { short }),
        Kind::Consent { .. } => Some(Problem::TickToAgree { short }),
        _ => Some(Problem::Enter { short }),
    }
}

/// Codes ticked on a multiple-choice question: each one of its options, repeats dropped,
/// at most `max`.
fn multiple(options: &[Choice], max: Option<u32>, raw: &RawAnswer, short: &str, lang: Lang) -> Result<Answer, String> {
    let RawAnswer::List(codes) = raw else {
        return Err(Problem::SendCodeList { short }.say(lang));
    };
    let mut chosen: Vec<String> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let code = one_of(options, code, short, lang)?;
        if !chosen.contains(&code) {
            chosen.push(code);
        }
    }
    match max {
        Some(max) if chosen.len() > max as usize => Err(Problem::AtMost { short, max, chosen: chosen.len() }.say(lang)),
        _ => Ok(Answer::List(chosen)),
    }
}

/// A grid's answers: a listed column for each row answered, and every row when required.
fn matrix<'a>(rows: &'a [Choice], columns: &[Choice], required: bool, raw: &'a RawAnswer, short: &'a str) -> Result<Answer, Problem<'a>> {
    let RawAnswer::Map(given) = raw else {
        return Err(Problem::SendRowMap { short });
    };
    let mut answered = BTreeMap::new();
    for (row, column) in given.iter().filter(|(_, c)| !c.trim().is_empty()) {
        let Some(row_choice) = Choice::find(rows, row) else {
            return Err(Problem::NoSuchRow { short, row });
        };
        if Choice::find(columns, column.trim()).is_none() {
            return Err(Problem::ListedAnswerForRow { short, row: &row_choice.label });
        }
        answered.insert(row.clone(), column.trim().to_string());
    }
    if required {
        let missing: Vec<&str> = rows.iter().filter(|r| !answered.contains_key(&r.code)).map(|r| r.label.as_str()).collect();
        if !missing.is_empty() {
            return Err(Problem::RowsMissing { short, rows: missing.join(", ") });
        }
    }
    Ok(Answer::Map(answered))
}

/// A whole number between `min` and `max`, sent as a number or as text.
fn number<'a>(min: i64, max: i64, raw: &RawAnswer, short: &'a str) -> Result<Answer, Problem<'a>> {
    let n = match raw {
        RawAnswer::Integer(n) => *n,
        RawAnswer::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => *f as i64,
        RawAnswer::Text(s) => parse_whole_number(s).ok_or(Problem::WholeNumber { short })?,
        _ => return Err(Problem::WholeNumber { short }),
    };
    if n < min || n > max {
        return Err(Problem::Between { short, min: group(min), max: group(max) });
    }
    Ok(Answer::Number(n))
}

/// The one email-format rule, for answers and for organisers' sign-in addresses.
///
/// On the server (`strict-email`) it is validator's check, with its regular expressions
/// and IDNA tables. The browser bundle leaves those out (they would double its size) and
/// runs [`is_email_light`], which accepts every address the full check accepts and
/// refuses most it refuses; the server has the last word on submit.
pub fn is_email(text: &str) -> bool {
    #[cfg(feature = "strict-email")]
    {
        use validator::ValidateEmail;
        text.trim().validate_email()
    }
    #[cfg(not(feature = "strict-email"))]
    {
        is_email_light(text)
    }
}

/// The browser's email check: validator's rules for ASCII addresses written out by hand
/// (user part of allowed characters, at most 64; domain labels of letters, digits and
/// inner hyphens, at most 63 each and 255 in all), while an internationalised domain or
/// an address literal (`[…]`) is only checked for its shape. `tests/email_checks.rs`
/// holds the shared table of where the two checks agree and where the server is stricter.
pub fn is_email_light(text: &str) -> bool {
    // Unicode case folding lets validator's case-insensitive patterns match these two.
    let fold = |c: char| match c {
        '\u{212A}' => 'k',
        '\u{017F}' => 's',
        c => c.to_ascii_lowercase(),
    };
    let text = text.trim();
    let Some((user, domain)) = text.rsplit_once('@') else { return false };
    if user.is_empty() || user.chars().count() > 64 || domain.chars().count() > 255 {
        return false;
    }
    let user_ok = user.chars().map(fold).all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    if !user_ok {
        return false;
    }
    if let Some(open) = domain.find('[') {
        // An address literal: the server parses the IP address inside.
        let inner = domain[open + 1..].strip_suffix(']').unwrap_or("");
        return !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    }
    if domain.is_empty() {
        return false;
    }
    domain.split('.').all(|label| {
        let label: Vec<char> = label.chars().map(fold).collect();
        let ascii = label.iter().all(char::is_ascii);
        let inner_ok = label.iter().all(|c| c.is_ascii_alphanumeric() || *c == '-' || (!c.is_ascii() && !c.is_whitespace() && !c.is_control()));
        let ends_ok = label.first().is_some_and(|c| *c != '-') && label.last().is_some_and(|c| *c != '-');
        // Non-ASCII labels are left to the server's IDNA conversion, which may lengthen them
        // and turns `ü-` into `xn---tda`: only their characters are checked here.
        inner_ok && !label.is_empty() && (!ascii || (ends_ok && label.len() <= 63))
    })
}

fn one_of(options: &[Choice], code: &str, short: &str, lang: Lang) -> Result<String, String> {
    match Choice::find(options, code) {
        Some(choice) => Ok(choice.code.clone()),
        None => Err(Problem::NotListed { short, code }.say(lang)),
    }
}

/// Accepts what people type for money: "1200", "1,200", "£1,200", " 250 ".
pub fn parse_whole_number(s: &str) -> Option<i64> {
    let cleaned: String = s.trim().trim_start_matches('£').chars().filter(|c| *c != ',').collect();
    cleaned.trim().parse().ok()
}

/// An amount as people write it: a currency symbol before the number (`£1,200`, `-£5`),
/// a percent sign after it (`40%`), any other unit after a space (`12 hours`).
pub fn amount(n: i64, unit: Option<&str>) -> String {
    let number = group(n);
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        None => number,
        Some(u) if u.chars().all(|c| matches!(c, '£' | '$' | '€' | '¥')) => {
            let sign = if n < 0 { "-" } else { "" };
            format!("{sign}{u}{}", number.trim_start_matches('-'))
        }
        Some("%") => format!("{number}%"),
        Some(u) => format!("{number} {u}"),
    }
}

/// 1000000 → "1,000,000", as people write numbers in messages.
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_as_people_write_them() {
        assert_eq!(amount(250, Some("£")), "£250");
        assert_eq!(amount(1200, Some("£")), "£1,200");
        assert_eq!(amount(-5, Some("£")), "-£5");
        assert_eq!(amount(40, Some("%")), "40%");
        assert_eq!(amount(12, Some("hours")), "12 hours");
        assert_eq!(amount(1_000_000, None), "1,000,000");
    }
}
