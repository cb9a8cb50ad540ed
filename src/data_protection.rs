//! The facts a survey's privacy notice is written from, in its definition's
//! `[data_protection]` table:
//!
//! ```toml
//! [data_protection]
//! controller = "The Social Media Research Group, 10 Example Street, London"
//! contact = "dpo@example.gov.uk"
//! purpose = "To compare how public bodies use social media with 2011 and 2013."
//! lawful_basis = "public task"   # the default; see LAWFUL_BASES
//! ```
//!
//! Public bodies rely on "public task" for their surveys, not on consent (the ICO's
//! guidance): the consent box stays only for the optional email address. With the
//! retention periods (`crate::retention`) these make the notice every respondent page
//! links to.

use serde::{Deserialize, Serialize};

/// The lawful bases of UK GDPR article 6(1), as a definition names them, with the code
/// the interface words are kept under.
pub const LAWFUL_BASES: [(&str, &str); 6] = [
    ("public task", "public-task"),
    ("legitimate interests", "legitimate-interests"),
    ("consent", "consent"),
    ("legal obligation", "legal-obligation"),
    ("contract", "contract"),
    ("vital interests", "vital-interests"),
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataProtection {
    /// Who decides what happens to the data (the controller), and where.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub controller: String,
    /// Where to ask about the data or exercise a right: an email address or web page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
    /// Why the answers are collected.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purpose: String,
    /// One of [`LAWFUL_BASES`]; "public task" when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lawful_basis: Option<String>,
}

impl DataProtection {
    pub fn is_empty(&self) -> bool {
        *self == DataProtection::default()
    }

    /// The lawful basis's code (`public-task`, …); "public task" when none is given.
    pub fn basis_code(&self) -> &'static str {
        let named = self.lawful_basis.as_deref().unwrap_or("public task").trim().to_lowercase();
        LAWFUL_BASES.iter().find(|(name, _)| *name == named).map_or("public-task", |(_, code)| code)
    }

    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(basis) = &self.lawful_basis {
            let named = basis.trim().to_lowercase();
            if !LAWFUL_BASES.iter().any(|(name, _)| *name == named) {
                let names: Vec<&str> = LAWFUL_BASES.iter().map(|(name, _)| *name).collect();
                problems.push(format!(
                    "data_protection.lawful_basis `{basis}` is not a lawful basis of UK GDPR article 6: use one of {} \
                     (a public body's survey is usually \"public task\")",
                    names.join(", ")
                ));
            }
        }
        let contact = self.contact.trim();
        if !contact.is_empty() && !contact.starts_with("https://") && !crate::validate::is_email_light(contact) {
            problems.push(format!(
                "data_protection.contact `{contact}` is neither an email address nor a web address starting https://: \
                 give where respondents can ask about their data"
            ));
        }
        problems
    }
}

/// What a survey must say before it is published: who is responsible for the answers and
/// where respondents can ask about them. A notice without them fails UK GDPR article 13,
/// and "the organisers of this survey" names no one. Checked when a version is published
/// (every path: the editor, `canvass survey publish`, a file in `surveys/`), not when a
/// definition is parsed, so a draft can be saved before its facts are known.
pub fn publish_problems(definition: &crate::Definition) -> Vec<String> {
    let protection = &definition.data_protection;
    let mut problems = Vec::new();
    if protection.controller.trim().is_empty() {
        problems.push(
            "the privacy notice names no one responsible for the answers: add `controller = \"Your organisation, its address\"` \
             under [data_protection] before publishing"
                .to_string(),
        );
    }
    if protection.contact.trim().is_empty() {
        problems.push(
            "the privacy notice gives respondents no one to ask about their data: add `contact = \"dpo@your-organisation.gov.uk\"` \
             (an email address or an https:// page) under [data_protection] before publishing"
                .to_string(),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_survey_without_a_controller_or_contact_is_not_ready_to_publish() {
        let mut definition = crate::parse_definition(
            "test.toml",
            "slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"A\"\n[[sections.questions]]\nid = \"q\"\nkind = \"text\"\ntext = \"Q?\"\nmax_length = 100\n",
        )
        .expect("a valid definition");
        let problems = publish_problems(&definition);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("add `controller") && problems[1].contains("add `contact"), "{problems:?}");
        definition.data_protection.controller = "  ".into();
        definition.data_protection.contact = "dpo@example.gov.uk".into();
        assert_eq!(publish_problems(&definition).len(), 1, "blank is missing");
        definition.data_protection.controller = "Example Council, 1 High Street".into();
        assert!(publish_problems(&definition).is_empty());
    }

    #[test]
    fn public_task_is_the_basis_unless_another_is_named() {
        assert_eq!(DataProtection::default().basis_code(), "public-task");
        let named = DataProtection { lawful_basis: Some("Legitimate interests".into()), ..Default::default() };
        assert_eq!(named.basis_code(), "legitimate-interests");
        assert!(named.problems().is_empty());
    }

    #[test]
    fn an_unknown_basis_or_contact_is_named_with_what_to_write() {
        let bad = DataProtection { lawful_basis: Some("because".into()), contact: "call us".into(), ..Default::default() };
        let problems = bad.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("public task"));
        assert!(problems[1].contains("email address"));
        let fine = DataProtection { contact: "https://example.gov.uk/privacy".into(), ..Default::default() };
        assert!(fine.problems().is_empty());
    }
}
