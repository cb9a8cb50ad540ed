//! Whatever a client sends, parsing and validation never panic: they either accept a
//! response or explain what is wrong, field by field.

use canvass::{answers_from_form, parse_definition, validate, Definition, RawAnswers};
use proptest::prelude::*;
use serde_json::Value;

fn survey() -> Definition {
    parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap()
}

/// Arbitrary JSON, biased towards the survey's own question ids and option codes so the
/// validator's deeper rules are reached, not only "unknown question".
fn json_value() -> impl Strategy<Value = Value> {
    let word = prop_oneof![
        Just("org_type".to_string()),
        Just("purposes".to_string()),
        Just("channels".to_string()),
        Just("spend".to_string()),
        Just("email".to_string()),
        Just("consent".to_string()),
        Just("twitter".to_string()),
        Just("using".to_string()),
        Just("news".to_string()),
        Just("yes".to_string()),
        ".*",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        word.clone().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(word.clone(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_json_object_of_answers_validates_or_names_its_problems(
        answers in prop::collection::btree_map("org_type|purposes|channels|spend|obstacle|email|consent|tool_kinds|paid_tools|.{0,12}", json_value(), 0..12)
    ) {
        let definition = survey();
        let raw: RawAnswers = serde_json::from_value(Value::Object(answers.into_iter().collect()))
            .expect("any JSON object parses into raw answers");
        match validate(&definition, &raw) {
            Ok(valid) => prop_assert!(valid.answers().keys().chain(valid.contact().keys()).all(|k| definition.question(k).is_some())),
            Err(errors) => prop_assert!(!errors.is_empty() && errors.values().all(|m| !m.is_empty() && m.iter().all(|s| !s.is_empty()))),
        }
    }

    #[test]
    fn any_form_body_validates_or_names_its_problems(
        pairs in prop::collection::vec(("org_type|purposes|channels\\.twitter|channels\\.nope|spend|consent|email|.{0,10}", ".{0,20}"), 0..24)
    ) {
        let definition = survey();
        let raw = answers_from_form(&definition, pairs);
        if let Err(errors) = validate(&definition, &raw) {
            prop_assert!(errors.values().all(|m| !m.is_empty()));
        }
    }
}
