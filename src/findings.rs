//! Who asked for the findings: a respondent who gave an email address and ticked a
//! consent box. One rule, read from the contact details kept apart from the answers.

use std::collections::BTreeMap;

use crate::{Answer, Definition, Kind};

/// The address to send `definition`'s findings to, from one response's contact details,
/// or `None` when the respondent gave none or did not consent (a survey without a consent
/// question has nobody who asked).
pub fn findings_address(definition: &Definition, details: &BTreeMap<String, Answer>) -> Option<String> {
    let consented = definition.questions().filter(|q| matches!(q.kind, Kind::Consent { .. })).any(|q| details.get(&q.id) == Some(&Answer::Flag(true)));
    if !consented {
        return None;
    }
    definition.questions().filter(|q| matches!(q.kind, Kind::Email)).find_map(|q| match details.get(&q.id) {
        Some(Answer::Text(address)) if !address.trim().is_empty() => Some(address.trim().to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn only_an_address_given_with_consent_receives_the_findings() {
        let survey = crate::parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
        let email = |a: &str| ("email", Answer::Text(a.into()));
        assert_eq!(
            findings_address(&survey, &details(&[email(" chief@council.gov.uk "), ("consent", Answer::Flag(true))])),
            Some("chief@council.gov.uk".into())
        );
        assert_eq!(findings_address(&survey, &details(&[email("chief@council.gov.uk")])), None, "no consent");
        assert_eq!(findings_address(&survey, &details(&[email("chief@council.gov.uk"), ("consent", Answer::Flag(false))])), None);
        assert_eq!(findings_address(&survey, &details(&[email("  "), ("consent", Answer::Flag(true))])), None, "no address");
    }
}
