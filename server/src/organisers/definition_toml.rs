//! A stored definition written back out as a definition file, for versions published
//! before Canvass kept the text they came from (`canvass survey export`). The layout is
//! the one `canvass::parse_definition` reads; comments are gone, the content is the same.

use canvass::mail_text::{Access, MailText};
use canvass::{Choice, Condition, Definition, Gap, Kind, Slug};
use serde::Serialize;

/// Scalars first, then tables: TOML wants a table's plain keys before its sub-tables.
#[derive(Serialize)]
struct File<'a> {
    slug: &'a Slug,
    title: &'a str,
    intro: &'a str,
    time_needed: &'a str,
    privacy: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    opens_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closes_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    population: Option<u64>,
    access: &'static str,
    anonymous: bool,
    /// Written only for an unlisted survey (`listed = false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    listed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<&'a Gap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    invitation: Option<&'a MailText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder: Option<&'a MailText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention: Option<&'a canvass::retention::Retention>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_protection: Option<&'a canvass::data_protection::DataProtection>,
    /// Written only for a survey in more than English.
    #[serde(skip_serializing_if = "Option::is_none")]
    languages: Option<&'a [String]>,
    sections: Vec<FileSection<'a>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    translations: &'a canvass::translation::Translations,
}

#[derive(Serialize)]
struct FileSection<'a> {
    title: &'a str,
    questions: Vec<FileQuestion<'a>>,
}

#[derive(Serialize, Default)]
struct FileQuestion<'a> {
    id: &'a str,
    kind: &'static str,
    text: &'a str,
    short: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_with: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    show_if: Option<&'a Condition>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<&'a [Choice]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<&'a [Choice]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    columns: Option<&'a [Choice]>,
}

pub(crate) fn to_toml(definition: &Definition) -> anyhow::Result<String> {
    let file = File {
        slug: &definition.slug,
        title: &definition.title,
        intro: &definition.intro,
        time_needed: &definition.time_needed,
        privacy: &definition.privacy,
        opens_at: definition.opens_at.as_deref(),
        closes_at: definition.closes_at.as_deref(),
        segment_by: definition.segment_by.as_deref(),
        population: definition.population,
        access: match definition.access {
            Access::Open => "open",
            Access::Invite => "invite",
        },
        anonymous: definition.anonymous,
        listed: (!definition.listed).then_some(false),
        gap: definition.gap.as_ref(),
        invitation: definition.invitation.as_ref(),
        reminder: definition.reminder.as_ref(),
        retention: (!definition.retention.is_empty()).then_some(&definition.retention),
        data_protection: (!definition.data_protection.is_empty()).then_some(&definition.data_protection),
        languages: (definition.languages.len() > 1).then_some(definition.languages.as_slice()),
        sections: definition.sections.iter().map(|s| FileSection { title: &s.title, questions: s.questions.iter().map(question).collect() }).collect(),
        translations: &definition.translations,
    };
    Ok(toml::to_string(&file)?)
}

fn question(q: &canvass::Question) -> FileQuestion<'_> {
    let base = FileQuestion {
        id: &q.id,
        text: &q.text,
        short: &q.short,
        hint: q.hint.as_deref(),
        required: q.required,
        show_if: q.show_if.as_ref(),
        ..FileQuestion::default()
    };
    match &q.kind {
        Kind::Single { options } => FileQuestion { kind: "single", options: Some(options), ..base },
        Kind::Multiple { options, max } => FileQuestion { kind: "multiple", options: Some(options), max: max.map(i64::from), ..base },
        Kind::Matrix { rows, columns } => FileQuestion { kind: "matrix", rows: Some(rows), columns: Some(columns), ..base },
        Kind::Number { min, max, unit } => FileQuestion { kind: "number", min: Some(*min), max: Some(*max), unit: unit.as_deref(), ..base },
        Kind::Text { max_length } => FileQuestion { kind: "text", max_length: Some(*max_length), ..base },
        Kind::Email => FileQuestion { kind: "email", ..base },
        Kind::Consent { required_with } => FileQuestion { kind: "consent", required_with: required_with.as_deref(), ..base },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_survey_written_out_reads_back_the_same() {
        let definition = canvass::parse_definition("default", include_str!("../../../surveys/public-sector-social-media.toml")).unwrap();
        let text = to_toml(&definition).unwrap();
        let again = canvass::parse_definition("exported", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(definition.same_content(&again), "{text}");
    }

    #[test]
    fn a_bilingual_survey_written_out_keeps_its_languages_and_translations() {
        let mut definition = canvass::parse_definition("default", include_str!("../../../surveys/public-sector-social-media.toml")).unwrap();
        definition.languages = vec!["en".into(), "cy".into()];
        let welsh = canvass::translation::text_keys(&definition).into_iter().map(|(key, english)| (key, format!("CY {english}"))).collect();
        definition.translations.insert("cy".into(), welsh);
        let text = to_toml(&definition).unwrap();
        let again = canvass::parse_definition("exported", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(again.languages, ["en", "cy"]);
        assert_eq!(again.translations, definition.translations, "{text}");
    }
}
