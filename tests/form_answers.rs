//! HTML forms send flat name/value strings; the definition decides their shape.

use canvass::{answers_from_form, parse_definition, validate, Answer, RawAnswer};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn a_filled_in_form_becomes_a_valid_response() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut form = pairs(&[
        ("org_type", "health"),
        ("role", "chief_exec"),
        ("strategy", "planned"),
        ("purposes", "news"),
        ("purposes", "recruitment"),
        ("spend", "£2,500"),
        ("obstacle", ""),
        ("email", ""),
    ]);
    for row in ["twitter", "facebook", "youtube", "linkedin", "instagram", "flickr", "blogs"] {
        form.push((format!("channels.{row}"), "using".to_string()));
    }
    let raw = answers_from_form(&survey, form);
    assert_eq!(raw["purposes"], RawAnswer::List(vec!["news".into(), "recruitment".into()]));
    assert!(!raw.contains_key("obstacle"), "blank fields are not answers");
    let valid = validate(&survey, &raw).expect("valid");
    assert_eq!(valid.answers()["spend"], Answer::Number(2500));
    assert_eq!(
        valid.answers()["channels"],
        Answer::Map(
            ["blogs", "facebook", "flickr", "instagram", "linkedin", "twitter", "youtube"].iter().map(|r| (r.to_string(), "using".to_string())).collect()
        )
    );
}

#[test]
fn a_ticked_consent_box_counts_as_agreement() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let raw = answers_from_form(&survey, pairs(&[("consent", "on")]));
    assert_eq!(raw["consent"], RawAnswer::Bool(true));
}

#[test]
fn two_values_for_a_single_choice_are_refused() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let raw = answers_from_form(&survey, pairs(&[("org_type", "health"), ("org_type", "local")]));
    let errors = validate(&survey, &raw).unwrap_err();
    assert_eq!(errors["org_type"], ["Choose only one answer for organisation type."]);
}

#[test]
fn posting_a_section_replaces_only_that_sections_fields() {
    let definition = canvass::parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    let mut so_far = vec![pair("org_type", "local"), pair("purposes", "news"), pair("purposes", "feedback"), pair("channels.twitter", "using")];
    let strategy = definition.section_of_field("purposes").unwrap();
    // Unticking "news" sends only "feedback"; a smuggled org_type is ignored.
    canvass::replace_section_fields(
        &definition,
        strategy,
        &mut so_far,
        vec![pair("purposes", "feedback"), pair("strategy", "yes"), pair("org_type", "health")],
    );
    assert_eq!(so_far, vec![pair("org_type", "local"), pair("channels.twitter", "using"), pair("purposes", "feedback"), pair("strategy", "yes")]);
}
