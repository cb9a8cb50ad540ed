//! One case per answer rule, each with the exact message a respondent would read.

use canvass::{parse_definition, validate, Answer, Definition, RawAnswers};
use serde_json::{json, Value};

fn survey() -> Definition {
    parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).expect("the default survey parses")
}

/// A complete, valid response to the default survey.
fn valid_answers() -> Value {
    json!({
        "org_type": "local",
        "role": "comms_head",
        "strategy": "yes",
        "purposes": ["news", "feedback"],
        "channels": {
            "twitter": "using", "facebook": "using", "youtube": "planning", "linkedin": "no_plans",
            "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"
        },
        "paid_tools": "yes",
        "tool_kinds": ["scheduling"],
        "spend": 250,
        "obstacle": "Measuring outcomes",
        "email": "chief@council.gov.uk",
        "consent": true
    })
}

fn with(changes: Value) -> RawAnswers {
    let mut answers = valid_answers();
    for (key, value) in changes.as_object().unwrap() {
        if value.is_null() {
            answers.as_object_mut().unwrap().remove(key);
        } else {
            answers[key] = value.clone();
        }
    }
    serde_json::from_value(answers).unwrap()
}

#[test]
fn a_complete_response_is_valid_and_keeps_contact_details_apart() {
    let valid = validate(&survey(), &with(json!({}))).expect("valid");
    assert_eq!(valid.answers()["org_type"], Answer::Text("local".into()));
    assert_eq!(valid.answers()["spend"], Answer::Number(250));
    assert!(!valid.answers().contains_key("email"));
    assert_eq!(valid.contact()["email"], Answer::Text("chief@council.gov.uk".into()));
    assert_eq!(valid.contact()["consent"], Answer::Flag(true));
}

#[test]
fn each_broken_rule_gets_its_own_message() {
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "option not in the list",
            json!({"org_type": "charity"}),
            "org_type",
            "Choose one of the listed answers for organisation type; “charity” is not one of them.",
        ),
        ("required single missing", json!({"org_type": null}), "org_type", "Choose an answer for organisation type."),
        ("required single blank", json!({"role": "  "}), "role", "Choose an answer for your role."),
        ("two answers to a single choice", json!({"strategy": ["yes", "no"]}), "strategy", "Choose only one answer for communications strategy."),
        ("single sent as a number", json!({"strategy": 1}), "strategy", "Send communications strategy as one option code (a string)."),
        ("required multiple missing", json!({"purposes": []}), "purposes", "Choose at least one answer for purposes."),
        ("more than max", json!({"purposes": ["news", "feedback", "recruitment", "campaigns"]}), "purposes", "Choose at most 3 purposes; you chose 4."),
        (
            "multiple with an unknown option",
            json!({"purposes": ["news", "gossip"]}),
            "purposes",
            "Choose one of the listed answers for purposes; “gossip” is not one of them.",
        ),
        ("multiple sent as a string", json!({"purposes": "news"}), "purposes", "Send purposes as a list of option codes."),
        (
            "matrix row missing",
            json!({"channels": {"twitter": "using"}}),
            "channels",
            "Choose an answer for Facebook, YouTube, LinkedIn, Instagram, Flickr, Blogs in channels.",
        ),
        ("matrix unknown row", json!({"channels": {"myspace": "using"}}), "channels", "channels has no row “myspace”; answer only the rows listed."),
        (
            "matrix unknown column",
            json!({"channels": {"twitter": "sometimes"}}),
            "channels",
            "Choose one of the listed answers for Twitter/X in channels.",
        ),
        ("matrix sent as a list", json!({"channels": ["twitter"]}), "channels", "Send channels as an object of row code → column code."),
        ("number below min", json!({"spend": -5}), "spend", "Enter monthly spend between 0 and 1,000,000."),
        ("number above max", json!({"spend": 1000001}), "spend", "Enter monthly spend between 0 and 1,000,000."),
        ("number with a fraction", json!({"spend": 12.5}), "spend", "Enter monthly spend as a whole number, like 250."),
        ("number as words", json!({"spend": "lots"}), "spend", "Enter monthly spend as a whole number, like 250."),
        ("text too long", json!({"obstacle": "x".repeat(2001)}), "obstacle", "Shorten the biggest obstacle to 2,000 characters or fewer; it has 2,001."),
        ("text sent as a list", json!({"obstacle": ["a"]}), "obstacle", "Send the biggest obstacle as text (a string)."),
        ("email without a domain", json!({"email": "chief@"}), "email", "Enter an email address in the correct format, like name@example.org."),
        ("email without consent", json!({"consent": null}), "consent", "Tick the box to agree to being sent the findings, or remove your email address."),
        (
            "consent refused with an email",
            json!({"consent": false}),
            "consent",
            "Tick the box to agree to being sent the findings, or remove your email address.",
        ),
        (
            "unknown question id",
            json!({"favourite_colour": "blue"}),
            "favourite_colour",
            "This survey has no question “favourite_colour”; remove it from the answers.",
        ),
    ];
    let definition = survey();
    for (case, changes, field, expected) in cases {
        let raw = with(changes);
        let errors = validate(&definition, &raw).expect_err(case);
        assert_eq!(errors.get(field).map(|m| m.as_slice()), Some(&[expected.to_string()][..]), "case: {case}");
        assert_eq!(errors.len(), 1, "case {case}: only {field} should fail, got {errors:?}");
        // The browser checks a section on Continue and a question when it is left with
        // `section_errors`, compiled to wasm: the same words for every rule.
        if let Some(section) = definition.section_of_field(field) {
            let browser = canvass::section_errors(&definition, section, &raw);
            assert_eq!(browser.get(field), errors.get(field), "case {case}: the browser says the same");
        }
    }
    // The one check the browser runs in a lighter form refuses this case too.
    assert!(!canvass::is_email_light("chief@"));
}

#[test]
fn answers_to_hidden_questions_are_discarded_not_stored() {
    let valid = validate(&survey(), &with(json!({"paid_tools": "no", "tool_kinds": ["bogus"]}))).unwrap();
    assert!(!valid.answers().contains_key("tool_kinds"));
}

#[test]
fn optional_questions_may_be_left_out() {
    let valid = validate(&survey(), &with(json!({"spend": null, "obstacle": "", "email": null, "consent": null, "paid_tools": null}))).unwrap();
    assert!(!valid.answers().contains_key("spend"));
    assert!(valid.contact().is_empty());
}

#[test]
fn amounts_typed_as_people_write_them_are_accepted() {
    for typed in ["1200", "1,200", "£1,200", " 1200 "] {
        let valid = validate(&survey(), &with(json!({"spend": typed}))).expect(typed);
        assert_eq!(valid.answers()["spend"], Answer::Number(1200), "{typed}");
    }
}

#[test]
fn repeated_choices_in_a_multiple_count_once() {
    let valid = validate(&survey(), &with(json!({"purposes": ["news", "news", "feedback"]}))).unwrap();
    assert_eq!(valid.answers()["purposes"], Answer::List(vec!["news".into(), "feedback".into()]));
}

#[test]
fn several_errors_are_reported_together() {
    let errors = validate(&survey(), &with(json!({"org_type": null, "spend": -1, "email": "x"}))).unwrap_err();
    let fields: Vec<&str> = errors.keys().map(|k| k.as_str()).collect();
    assert_eq!(fields, ["email", "org_type", "spend"]);
}

#[test]
fn section_errors_name_only_that_sections_questions_with_the_same_words() {
    let definition = canvass::parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let nothing = canvass::RawAnswers::new();
    let all = canvass::validate(&definition, &nothing).unwrap_err();
    for (index, section) in definition.sections.iter().enumerate() {
        let errors = canvass::section_errors(&definition, index, &nothing);
        for (field, messages) in &errors {
            assert!(section.questions.iter().any(|q| &q.id == field), "{field} belongs to section {index}");
            assert_eq!(Some(messages), all.get(field), "the same message as the full check");
        }
        let required = section.questions.iter().filter(|q| q.required).count();
        assert_eq!(errors.len(), required, "every required question of section {index} is named");
    }
    assert!(canvass::section_errors(&definition, 99, &nothing).is_empty());
    assert_eq!(definition.section_of_field("channels.twitter"), definition.section_of_field("channels"));
    assert_eq!(definition.section_of_field("nope"), None);
}
