//! A survey in English and Welsh: every text in each declared language, refused with each
//! missing one named, and the same questionnaire (codes, rules) whatever the language.

use canvass::translation::{localized, text_keys, translation_template};
use canvass::{parse_definition, Kind};

const BILINGUAL: &str = r#"
slug = "demo"
title = "Staff survey"
intro = "About your work."
languages = ["en", "cy"]

[[sections]]
title = "You"

[[sections.questions]]
id = "org_type"
kind = "single"
text = "Where do you work?"
short = "where you work"
hint = "Choose one."
required = true
options = [
  { code = "local", label = "Local authority", benchmarks = [{ wave = "2013", percent = 40, label = "Local authorities in 2013" }] },
  { code = "health", label = "Health" },
]

[[sections.questions]]
id = "spend"
kind = "number"
text = "How much?"
min = 0
max = 10
unit = "£"

[translations.cy]
title = "Arolwg staff"
intro = "Am eich gwaith."
"sections.1.title" = "Chi"
"org_type.text" = "Ble rydych chi'n gweithio?"
"org_type.short" = "ble rydych chi'n gweithio"
"org_type.hint" = "Dewiswch un."
"org_type.options.local" = "Awdurdod lleol"
"org_type.options.local.benchmarks.2013" = "Awdurdodau lleol yn 2013"
"org_type.options.health" = "Iechyd"
"spend.text" = "Faint?"
"spend.short" = "faint"
"spend.unit" = "£"
"#;

fn problems(text: &str) -> Vec<String> {
    parse_definition("surveys/demo.toml", text).expect_err("should be refused").problems
}

#[test]
fn a_bilingual_survey_reads_in_welsh_with_the_same_codes_and_rules() {
    let survey = parse_definition("demo", BILINGUAL).unwrap();
    assert_eq!(survey.languages, ["en", "cy"]);
    let welsh = localized(&survey, "cy");
    assert_eq!(welsh.title, "Arolwg staff");
    assert_eq!(welsh.sections[0].title, "Chi");
    let question = welsh.question("org_type").unwrap();
    assert_eq!((question.text.as_str(), question.hint.as_deref()), ("Ble rydych chi'n gweithio?", Some("Dewiswch un.")));
    let options = question.kind.options().unwrap();
    assert_eq!(options.iter().map(|o| (o.code.as_str(), o.label.as_str())).collect::<Vec<_>>(), [("local", "Awdurdod lleol"), ("health", "Iechyd")]);
    assert_eq!(options[0].benchmarks[0].label, "Awdurdodau lleol yn 2013");
    assert_eq!(options[0].benchmarks[0].percent, 40.0, "figures are not words: they stay");
    assert!(matches!(welsh.question("spend").unwrap().kind, Kind::Number { min: 0, max: 10, .. }));
    assert_eq!((welsh.languages.as_slice(), welsh.translations.is_empty()), (&["cy".to_string()][..], true), "it speaks Welsh alone");
    let mut english = survey.clone();
    english.languages = vec!["en".into()];
    english.translations.clear();
    assert_eq!(localized(&survey, "en"), english, "its own language gives its own texts, with no tables");
    assert_eq!(localized(&survey, "fr"), english, "so does a language it does not have");
}

/// The answer rules speak the survey's language: the browser checks against the Welsh
/// definition the server localized, so both say the same Welsh sentence.
#[test]
fn a_welsh_survey_words_its_answer_problems_in_welsh() {
    let survey = parse_definition("demo", BILINGUAL).unwrap();
    let empty = canvass::RawAnswers::new();
    let english = canvass::validate(&localized(&survey, "en"), &empty).unwrap_err();
    let welsh = canvass::validate(&localized(&survey, "cy"), &empty).unwrap_err();
    assert_eq!(english["org_type"], ["Choose an answer for where you work."]);
    assert_eq!(welsh["org_type"], ["Dewiswch ateb ar gyfer ble rydych chi'n gweithio."]);
    let mut raw = canvass::RawAnswers::new();
    raw.insert("org_type".into(), canvass::RawAnswer::Text("parish".into()));
    raw.insert("spend".into(), canvass::RawAnswer::Text("eleven".into()));
    let welsh = canvass::validate(&localized(&survey, "cy"), &raw).unwrap_err();
    assert_eq!(welsh["org_type"], ["Dewiswch un o’r atebion a restrir ar gyfer ble rydych chi'n gweithio; nid yw “parish” yn un ohonynt."]);
    assert_eq!(welsh["spend"], ["Rhowch faint fel rhif cyfan, er enghraifft 250."]);
}

#[test]
fn each_missing_welsh_text_is_named_with_its_english() {
    let without =
        BILINGUAL.replace("\"org_type.options.health\" = \"Iechyd\"\n", "").replace("\"spend.text\" = \"Faint?\"\n", "\"spend.text\" = \"  \"\n");
    let found = problems(&without);
    assert_eq!(
        found,
        [
            "the Welsh (Cymraeg) text of `org_type.options.health` is missing from [translations.cy] (in English: “Health”)",
            "the Welsh (Cymraeg) text of `spend.text` is missing from [translations.cy] (in English: “How much?”)",
        ]
    );
    let no_table = BILINGUAL.split("[translations.cy]").next().unwrap().to_string();
    assert_eq!(problems(&no_table).len(), text_keys(&parse_definition("demo", BILINGUAL).unwrap()).len(), "every text, one message each");
}

#[test]
fn languages_and_tables_that_do_not_fit_are_refused_with_the_fix() {
    let cases = [
        (
            BILINGUAL.replace("[[sections]]", "[invitation]\nsubject = \"Invitation\"\nbody = \"Hello {name}: {link}\"\n\n[[sections]]")
                .replace("[translations.cy]\n", "[translations.cy]\n\"invitation.subject\" = \"Gwahoddiad\"\n\"invitation.body\" = \"Helo {enw}\"\n"),
            "[translations.cy: invitation] body has no {link}: each recipient's own survey link goes where it is written",
        ),
        (BILINGUAL.replace("languages = [\"en\", \"cy\"]", "languages = [\"cy\", \"en\"]"), "`languages` starts with `cy`: the definition's own texts are English, so list \"en\" first and the others after it"),
        (BILINGUAL.replace("languages = [\"en\", \"cy\"]", "languages = [\"en\", \"cy\", \"fr\"]"), "`languages` has `fr`, which Canvass has no interface words for: use en, cy"),
        (BILINGUAL.replace("languages = [\"en\", \"cy\"]", "languages = [\"en\", \"cy\", \"cy\"]"), "`languages` lists `cy` twice"),
        (BILINGUAL.replace("languages = [\"en\", \"cy\"]", "languages = []"), "`languages` is empty: list the survey's languages, its own first, e.g. languages = [\"en\", \"cy\"]"),
        (BILINGUAL.replace("languages = [\"en\", \"cy\"]", ""), "[translations.cy] is there but `languages` does not list `cy` after \"en\": add it to `languages`, or remove the table"),
        (BILINGUAL.replace("\"org_type.hint\"", "\"org_type.hnt\"").replace("\"sections.1.title\" = \"Chi\"", "\"sections.1.title\" = \"Chi\"\n\"org_type.hint\" = \"Dewiswch un.\""), "[translations.cy] has `org_type.hnt`, which is no text of this survey: correct its name or remove it (`canvass survey translation FILE --lang cy` lists every key)"),
    ];
    for (text, expected) in cases {
        let found = problems(&text);
        assert!(found.iter().any(|p| p == expected), "expected {expected:?} in {found:#?}");
    }
}

#[test]
fn the_template_lists_every_text_with_its_english_and_fills_back_in() {
    let english_only = BILINGUAL.split("[translations.cy]").next().unwrap().replace("languages = [\"en\", \"cy\"]", "");
    let survey = parse_definition("demo", &english_only).unwrap();
    let template = translation_template(&survey, "cy");
    assert!(template.contains("[translations.cy]\n"));
    assert!(template.contains("# Where do you work?\n\"org_type.text\" = \"\"\n"), "{template}");
    assert!(template.contains("# Local authorities in 2013\n\"org_type.options.local.benchmarks.2013\" = \"\"\n"), "{template}");
    assert_eq!(template.matches(" = \"\"\n").count(), text_keys(&survey).len());
    // A translator fills every line; the file is then a whole bilingual survey.
    let filled = template.replace(" = \"\"\n", " = \"Cymraeg \\\"yma\\\"\"\n");
    let bilingual = format!("languages = [\"en\", \"cy\"]\n{english_only}\n{filled}");
    let parsed = parse_definition("demo", &bilingual).unwrap_or_else(|e| panic!("{e}\n{bilingual}"));
    assert_eq!(localized(&parsed, "cy").title, "Cymraeg \"yma\"");
}

#[test]
fn a_survey_in_english_alone_is_stored_as_before() {
    let english_only = BILINGUAL.replace("languages = [\"en\", \"cy\"]\n", "");
    let english_only = &english_only[..english_only.find("[translations.cy]").unwrap()];
    let survey = parse_definition("demo", english_only).unwrap();
    assert_eq!(survey.languages, ["en"]);
    let json = serde_json::to_string(&survey).unwrap();
    assert!(
        !json.contains("languages") && !json.contains("translations"),
        "English-only definitions serialise as they did, so their stored versions are unchanged"
    );
}

/// The default survey's Welsh (a first translation, awaiting a translator's review) gives
/// every text the survey has: nothing is left in English.
#[test]
fn the_default_surveys_welsh_translation_has_every_text() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(survey.languages, ["en", "cy"]);
    let cy = localized(&survey, "cy");
    assert_eq!(cy.title, "Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus");
    let english_texts: Vec<String> = text_keys(&survey).into_iter().map(|(_, t)| t).collect();
    let untranslated: Vec<(String, String)> = text_keys(&cy)
        .into_iter()
        .filter(|(_, t)| english_texts.contains(t) && !["Twitter/X", "Facebook", "YouTube", "LinkedIn", "Instagram", "Flickr", "£"].contains(&t.as_str()))
        .collect();
    assert!(untranslated.is_empty(), "still in English: {untranslated:?}");
}
