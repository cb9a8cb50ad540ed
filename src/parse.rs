//! Reading a definition file: TOML text → a checked [`Definition`], or every problem found.
//!
//! Parsing happens in two steps so that errors can name the question at fault: serde reads
//! each question loosely (`kind` as a string, every field optional), then [`check`] turns
//! it into a typed [`Question`] or explains what is wrong and how to fix it.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

use crate::definition::{Choice, Condition, Definition, Gap, Kind, Question, Section};
use crate::identity::Slug;
use crate::mail_text::{Access, MailText};

/// Every problem found in one definition file; the file is refused if there is any.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionError {
    pub file: String,
    pub problems: Vec<String>,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {}", self.file, p)?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    slug: String,
    /// Accepted so files written for earlier releases still load, and ignored: Canvass
    /// numbers published versions itself.
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<u32>,
    title: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    time_needed: String,
    #[serde(default)]
    privacy: String,
    #[serde(default)]
    sections: Vec<RawSection>,
    segment_by: Option<String>,
    gap: Option<Gap>,
    opens_at: Option<String>,
    closes_at: Option<String>,
    population: Option<u64>,
    #[serde(default)]
    access: Option<String>,
    #[serde(default)]
    anonymous: Option<bool>,
    #[serde(default)]
    listed: Option<bool>,
    invitation: Option<MailText>,
    reminder: Option<MailText>,
    languages: Option<Vec<String>>,
    #[serde(default)]
    translations: crate::translation::Translations,
    #[serde(default)]
    retention: crate::retention::Retention,
    #[serde(default)]
    data_protection: crate::data_protection::DataProtection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: String,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: String,
    text: String,
    short: Option<String>,
    hint: Option<String>,
    #[serde(default)]
    required: bool,
    show_if: Option<Condition>,
    options: Option<Vec<Choice>>,
    rows: Option<Vec<Choice>>,
    columns: Option<Vec<Choice>>,
    min: Option<i64>,
    max: Option<i64>,
    unit: Option<String>,
    max_length: Option<u32>,
    required_with: Option<String>,
}

/// The largest definition accepted: the default survey is 14 KB, so this leaves room
/// for any real questionnaire while keeping a pasted or uploaded mistake from being held.
pub const MAX_DEFINITION_BYTES: usize = 1_000_000;

/// The most questions one survey may ask: more is no questionnaire anyone finishes.
pub const MAX_QUESTIONS: usize = 500;

/// Parses and checks a definition. `file` is only used to name the source in messages.
pub fn parse_definition(file: &str, text: &str) -> Result<Definition, DefinitionError> {
    let definition = parse_structure(file, text)?;
    let problems = crate::translation::translation_problems(&definition);
    if problems.is_empty() {
        Ok(definition)
    } else {
        Err(DefinitionError { file: file.to_string(), problems })
    }
}

/// [`parse_definition`] without the check that every declared language has every text:
/// what a translation template is made from while the translation is unfinished.
pub fn parse_structure(file: &str, text: &str) -> Result<Definition, DefinitionError> {
    read(file, text, Stage::Complete)
}

/// [`parse_structure`] for a survey still being built (`crate::builder`): it may have no
/// questions yet, and sections without any. Publishing it still needs both.
pub fn parse_draft(file: &str, text: &str) -> Result<Definition, DefinitionError> {
    read(file, text, Stage::Building)
}

/// How finished a definition must be.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Building,
    Complete,
}

fn read(file: &str, text: &str, stage: Stage) -> Result<Definition, DefinitionError> {
    let fail = |problems| DefinitionError { file: file.to_string(), problems };
    if text.len() > MAX_DEFINITION_BYTES {
        return Err(fail(vec![format!(
            "the definition is {} KB; the most Canvass takes is {} KB. Split it into several surveys",
            text.len().div_ceil(1000),
            MAX_DEFINITION_BYTES / 1000
        )]));
    }
    let raw: RawDefinition = toml::from_str(text).map_err(|e| fail(vec![format!("not a valid definition: {}", e.to_string().trim_end())]))?;
    let mut problems = Vec::new();
    match check(raw, stage, &mut problems) {
        Some(definition) if problems.is_empty() => Ok(definition),
        _ => Err(fail(problems)),
    }
}

/// The one rule for codes and question ids: lower-case ASCII letters, digits and `_`.
pub(crate) fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check(raw: RawDefinition, stage: Stage, problems: &mut Vec<String>) -> Option<Definition> {
    let slug = Slug::parse(&raw.slug).map_err(|refused| problems.push(refused.to_string())).ok();
    let (sections, seen, listed) = check_sections(raw.sections, problems);
    if let Some(segment) = &raw.segment_by {
        problems.extend(check_segment(segment, &seen));
    }
    if let Some(gap) = &raw.gap {
        problems.extend(check_gap(gap, &seen));
    }
    let (opens_at, closes_at) = check_schedule(&raw.opens_at, &raw.closes_at, problems);
    let access = check_access(raw.access.as_deref(), problems);
    for (table, text) in [("invitation", &raw.invitation), ("reminder", &raw.reminder)] {
        if let Some(text) = text {
            problems.extend(text.problems(table));
        }
    }
    problems.extend(raw.retention.problems());
    problems.extend(raw.data_protection.problems());
    if raw.population == Some(0) {
        problems.push("population is 0: give how many organisations the survey could reach (e.g. population = 450), or leave it out".into());
    }
    if listed > MAX_QUESTIONS {
        problems.push(format!("the survey has {listed} questions; the most Canvass takes is {MAX_QUESTIONS}. Split it into several surveys"));
    }
    if listed == 0 && stage == Stage::Complete {
        problems.push("the survey has no questions; add a [[sections]] with [[sections.questions]]".into());
    }
    // Without a slug there is no definition; the problem above says why.
    Some(Definition {
        slug: slug?,
        // Numbered when published (see `Definition::version`).
        version: 0,
        title: raw.title,
        intro: raw.intro,
        time_needed: raw.time_needed,
        privacy: raw.privacy,
        sections,
        segment_by: raw.segment_by,
        opens_at,
        closes_at,
        gap: raw.gap,
        population: raw.population,
        access,
        anonymous: raw.anonymous.unwrap_or(true),
        listed: raw.listed.unwrap_or(true),
        invitation: raw.invitation,
        reminder: raw.reminder,
        languages: raw.languages.unwrap_or_else(|| vec!["en".into()]),
        translations: raw.translations,
        retention: raw.retention,
        data_protection: raw.data_protection,
    })
}

/// The sections with the questions that could be typed, each checked against those before
/// it; also each question's (id, kind), and how many questions were listed in all.
fn check_sections(raw: Vec<RawSection>, problems: &mut Vec<String>) -> (Vec<Section>, Vec<(String, Kind)>, usize) {
    let mut seen: Vec<(String, Kind)> = Vec::new();
    let mut sections = Vec::new();
    let mut listed = 0;
    for raw_section in raw {
        listed += raw_section.questions.len();
        let mut questions = Vec::new();
        for rq in raw_section.questions {
            if let Some(q) = check_question(rq, &seen, problems) {
                seen.push((q.id.clone(), q.kind.clone()));
                questions.push(q);
            }
        }
        sections.push(Section { title: raw_section.title, questions });
    }
    (sections, seen, listed)
}

/// `segment_by` must name a single choice question of the survey.
fn check_segment(segment: &str, seen: &[(String, Kind)]) -> Option<String> {
    match seen.iter().find(|(id, _)| id == segment) {
        Some((_, Kind::Single { .. })) => None,
        Some((_, kind)) => Some(format!("segment_by names `{segment}`, a question of kind {}; segments need a single choice question", kind.name())),
        None => Some(format!("segment_by names `{segment}`, which is not a question of this survey")),
    }
}

/// `opens_at` and `closes_at` as UTC times, the close after the open.
fn check_schedule(opens_at: &Option<String>, closes_at: &Option<String>, problems: &mut Vec<String>) -> (Option<String>, Option<String>) {
    let mut when = |key: &str, value: &Option<String>| {
        value.as_deref().and_then(|v| {
            let parsed = crate::schedule::parse_utc(v);
            if parsed.is_none() {
                problems.push(format!("{key} `{v}` is not a UTC time: write it like 2027-01-10T09:00:00Z (the Z means UTC)"));
            }
            parsed
        })
    };
    let opens_at = when("opens_at", opens_at);
    let closes_at = when("closes_at", closes_at);
    if let (Some(opens), Some(closes)) = (&opens_at, &closes_at) {
        if closes <= opens {
            problems.push(format!("closes_at {closes} must be after opens_at {opens}"));
        }
    }
    (opens_at, closes_at)
}

/// `access = "open"` (the default) or `"invite"`.
fn check_access(access: Option<&str>, problems: &mut Vec<String>) -> Access {
    match access {
        None | Some("open") => Access::Open,
        Some("invite") => Access::Invite,
        Some(other) => {
            problems.push(format!("access `{other}` is not one Canvass knows: write access = \"open\" (anyone with the address) or access = \"invite\" (invitation links only)"));
            Access::Open
        }
    }
}

/// Checks one question against the ones before it; `None` if it cannot be typed at all.
fn check_question(rq: RawQuestion, earlier: &[(String, Kind)], problems: &mut Vec<String>) -> Option<Question> {
    let id = rq.id.clone();
    let mut report = |p: String| problems.push(format!("question `{id}`: {p}"));
    if !is_code(&rq.id) {
        report("id must be lowercase letters, digits and underscores (it is a CSV column code)".into());
    }
    if earlier.iter().any(|(e, _)| *e == rq.id) {
        report("duplicate question id; give each question its own id".into());
    }
    let kind = match build_kind(&rq) {
        Ok(kind) => kind,
        Err(p) => {
            report(p);
            return None;
        }
    };
    for p in check_kind(&kind, earlier) {
        report(p);
    }
    if let Some(cond) = &rq.show_if {
        if let Some(p) = check_condition(cond, earlier) {
            report(p);
        }
    }
    Some(Question {
        short: rq.short.unwrap_or_else(|| rq.id.replace('_', " ")),
        id: rq.id,
        text: rq.text,
        hint: rq.hint,
        required: rq.required,
        show_if: rq.show_if,
        kind,
    })
}

/// Picks the kind and refuses fields that do not belong to it, so a typo such as `max`
/// on a text question (instead of `max_length`) is caught rather than ignored.
fn build_kind(rq: &RawQuestion) -> Result<Kind, String> {
    let allowed: &[&str] = match rq.kind.as_str() {
        "single" => &["options"],
        "multiple" => &["options", "max"],
        "matrix" => &["rows", "columns"],
        "number" => &["min", "max", "unit"],
        "text" => &["max_length"],
        "email" => &[],
        "consent" => &["required_with"],
        other => return Err(format!("unknown kind `{other}`; use one of single, multiple, matrix, number, text, email, consent")),
    };
    let present = [
        ("options", rq.options.is_some()),
        ("rows", rq.rows.is_some()),
        ("columns", rq.columns.is_some()),
        ("min", rq.min.is_some()),
        ("max", rq.max.is_some()),
        ("unit", rq.unit.is_some()),
        ("max_length", rq.max_length.is_some()),
        ("required_with", rq.required_with.is_some()),
    ];
    if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed.contains(f)) {
        return Err(format!("`{field}` does not apply to a {} question; remove it", rq.kind));
    }
    let need = |field: &str| format!("a {} question needs `{field}`", rq.kind);
    Ok(match rq.kind.as_str() {
        "single" => Kind::Single { options: rq.options.clone().ok_or_else(|| need("options"))? },
        "multiple" => Kind::Multiple {
            options: rq.options.clone().ok_or_else(|| need("options"))?,
            max: match rq.max {
                Some(m) if m < 1 || m > u32::MAX as i64 => return Err(format!("`max` is {m}; it must be at least 1")),
                m => m.map(|m| m as u32),
            },
        },
        "matrix" => Kind::Matrix { rows: rq.rows.clone().ok_or_else(|| need("rows"))?, columns: rq.columns.clone().ok_or_else(|| need("columns"))? },
        "number" => Kind::Number { min: rq.min.ok_or_else(|| need("min"))?, max: rq.max.ok_or_else(|| need("max"))?, unit: rq.unit.clone() },
        "text" => Kind::Text { max_length: rq.max_length.ok_or_else(|| need("max_length"))? },
        "email" => Kind::Email,
        _ => Kind::Consent { required_with: rq.required_with.clone() },
    })
}

fn check_kind(kind: &Kind, earlier: &[(String, Kind)]) -> Vec<String> {
    let mut problems = Vec::new();
    match kind {
        Kind::Single { options } => check_choices("options", options, None, &mut problems),
        Kind::Multiple { options, max } => {
            check_choices("options", options, None, &mut problems);
            if let Some(max) = max {
                if *max as usize > options.len() {
                    problems.push(format!("`max` is {max} but there are only {} options; lower `max` to at most {}", options.len(), options.len()));
                }
            }
        }
        Kind::Matrix { rows, columns } => {
            check_choices("columns", columns, None, &mut problems);
            check_choices("rows", rows, Some(columns), &mut problems);
        }
        Kind::Number { min, max, .. } => {
            if min > max {
                problems.push(format!("`min` ({min}) is larger than `max` ({max}); swap them"));
            }
        }
        Kind::Text { max_length } => {
            if *max_length == 0 {
                problems.push("`max_length` must be at least 1".into());
            }
        }
        Kind::Email => {}
        Kind::Consent { required_with } => {
            if let Some(other) = required_with {
                if !earlier.iter().any(|(id, _)| id == other) {
                    problems.push(format!("`required_with` names `{other}`, which is not a question before this one"));
                }
            }
        }
    }
    problems
}

/// Codes must be unique and CSV-safe; benchmarks must be percentages, and a matrix row's
/// benchmark must name one of the columns.
pub(crate) fn check_choices(what: &str, choices: &[Choice], columns: Option<&[Choice]>, problems: &mut Vec<String>) {
    if choices.is_empty() {
        problems.push(format!("`{what}` is empty; list at least one"));
    }
    let mut codes = HashSet::new();
    for c in choices {
        if !is_code(&c.code) {
            problems.push(format!("{what} code `{}` must be lowercase letters, digits and underscores", c.code));
        }
        if !codes.insert(c.code.as_str()) {
            problems.push(format!("duplicate {what} code `{}`; codes must be unique", c.code));
        }
        for b in &c.benchmarks {
            if !(0.0..=100.0).contains(&b.percent) {
                problems.push(format!("benchmark for `{}` ({}) is {}%; use a percentage from 0 to 100", c.code, b.wave, b.percent));
            }
            match (&b.column, columns) {
                (Some(col), Some(cols)) if Choice::find(cols, col).is_none() => {
                    problems.push(format!("benchmark for `{}` names column `{col}`, which does not exist", c.code))
                }
                (None, Some(_)) => problems.push(format!("benchmark for row `{}` needs a `column` saying which answer it counts", c.code)),
                (Some(_), None) => problems.push(format!("benchmark for `{}` has a `column`, but only matrix rows take one", c.code)),
                _ => {}
            }
        }
    }
}

fn check_condition(cond: &Condition, earlier: &[(String, Kind)]) -> Option<String> {
    let Some((_, kind)) = earlier.iter().find(|(id, _)| *id == cond.question) else {
        return Some(format!("`show_if` names question `{}`, which is not a question before this one", cond.question));
    };
    let Some(options) = kind.options() else {
        return Some(format!("`show_if` names `{}`, a {} question; conditions need a single or multiple choice question", cond.question, kind.name()));
    };
    if Choice::find(options, &cond.equals).is_none() {
        let codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
        return Some(format!("`show_if` expects `{}` to equal `{}`, which is not one of its options ({})", cond.question, cond.equals, codes.join(", ")));
    }
    None
}

/// The gap compares a matrix column with a multiple choice, row code by option code.
fn check_gap(gap: &Gap, questions: &[(String, Kind)]) -> Vec<String> {
    let find = |id: &str| questions.iter().find(|(q, _)| q == id).map(|(_, k)| k);
    let mut problems = Vec::new();
    match find(&gap.organisations) {
        Some(Kind::Matrix { columns, .. }) => {
            if Choice::find(columns, &gap.column).is_none() {
                problems.push(format!("gap: column `{}` is not a column of `{}`", gap.column, gap.organisations));
            }
        }
        _ => problems.push(format!("gap: organisations must name a matrix question; `{}` is not one", gap.organisations)),
    }
    match find(&gap.users) {
        Some(Kind::Multiple { .. }) => {}
        _ => problems.push(format!("gap: users must name a multiple choice question; `{}` is not one", gap.users)),
    }
    problems
}
