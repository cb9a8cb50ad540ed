//! The survey builder's edits to a definition's text: each changes what it is about and
//! not one other byte, and the builder refuses what a file would be refused for.
#![cfg(feature = "builder")]

use canvass::builder::{apply, code_from_label, condition_words, overview, Direction, Edit, Figure, Part};
use canvass::definition::{Choice, Condition, Kind, Question};
use canvass::parse_definition;

const DEFAULT: &str = include_str!("../surveys/public-sector-social-media.toml");

fn question(text: &str, id: &str) -> Question {
    parse_definition("default", text).unwrap().question(id).unwrap().clone()
}

/// The lines of `after` that differ from `before`'s, which must have as many lines.
fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    assert_eq!(before.lines().count(), after.lines().count(), "the edit added or removed lines:\n{after}");
    before.lines().zip(after.lines()).filter(|(a, b)| a != b).map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn edit(text: &str, edit: Edit) -> String {
    apply(text, &edit).unwrap_or_else(|problems| panic!("{edit:?} was refused: {problems:?}")).text
}

#[test]
fn a_label_a_condition_and_a_benchmark_change_exactly_three_lines_of_the_default_survey() {
    let mut org_type = question(DEFAULT, "org_type");
    if let Kind::Single { options } = &mut org_type.kind {
        options[1].label = "Local or combined authority".into();
    }
    let text = edit(DEFAULT, Edit::SaveQuestion { question: org_type, new_in: None });
    let text = edit(&text, Edit::Condition { id: "tool_kinds".into(), condition: Some(Condition { question: "paid_tools".into(), equals: "no".into() }) });
    let figure = Figure { percent: 88.0, n: Some(400), label: "Social media in the communications strategy".into() };
    let text = edit(
        &text,
        Edit::Benchmark { id: "strategy".into(), part: Part::Options, code: "yes".into(), column: None, wave: "2013".into(), figure: Some(figure) },
    );
    assert_eq!(
        changed_lines(DEFAULT, &text),
        vec![
            (
                "  { code = \"local\", label = \"Local authority\" },".to_string(),
                "  { code = \"local\", label = \"Local or combined authority\" },".to_string()
            ),
            (
                "  { wave = \"2013\", percent = 87, label = \"Social media in the communications strategy\", n = 400 },".to_string(),
                "  { wave = \"2013\", percent = 88, label = \"Social media in the communications strategy\", n = 400 },".to_string()
            ),
            (
                "show_if = { question = \"paid_tools\", equals = \"yes\" }".to_string(),
                "show_if = { question = \"paid_tools\", equals = \"no\" }".to_string()
            ),
        ]
    );
    // Still the whole survey, Welsh and all: the changed label's Welsh is flagged elsewhere.
    assert!(parse_definition("edited", &text).is_ok());
}

#[test]
fn saving_a_question_unchanged_changes_nothing() {
    let definition = parse_definition("default", DEFAULT).unwrap();
    let mut text = DEFAULT.to_string();
    for q in definition.questions() {
        text = edit(&text, Edit::SaveQuestion { question: q.clone(), new_in: None });
    }
    assert_eq!(text, DEFAULT);
}

#[test]
fn a_question_moved_down_and_up_again_leaves_the_text_as_it_was() {
    // `strategy` has its options as [[sections.questions.options]] tables, with benchmarks.
    let down = edit(DEFAULT, Edit::Move { id: "strategy".into(), direction: Direction::Down });
    let moved = parse_definition("moved", &down).unwrap();
    let ids: Vec<&str> = moved.sections[1].questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["purposes", "strategy"]);
    assert_eq!(moved.question("strategy"), parse_definition("default", DEFAULT).unwrap().question("strategy"));
    let up = edit(&down, Edit::Move { id: "strategy".into(), direction: Direction::Up });
    assert_eq!(up, DEFAULT);
}

#[test]
fn a_question_moves_across_a_section_boundary_and_back() {
    let down = edit(DEFAULT, Edit::Move { id: "nation".into(), direction: Direction::Down });
    let moved = parse_definition("moved", &down).unwrap();
    assert_eq!(moved.sections[0].questions.len(), 2);
    assert_eq!(moved.sections[1].questions[0].id, "nation");
    let up = edit(&down, Edit::Move { id: "nation".into(), direction: Direction::Up });
    assert_eq!(up, DEFAULT);
}

#[test]
fn the_first_question_cannot_move_up() {
    let refused = apply(DEFAULT, &Edit::Move { id: "org_type".into(), direction: Direction::Up }).unwrap_err();
    assert_eq!(refused, vec!["`org_type` is already the first question of the survey".to_string()]);
}

#[test]
fn a_question_cannot_move_above_the_question_its_condition_asks_about() {
    let refused = apply(DEFAULT, &Edit::Move { id: "tool_kinds".into(), direction: Direction::Up }).unwrap_err();
    assert_eq!(refused, vec!["question `tool_kinds`: `show_if` names question `paid_tools`, which is not a question before this one".to_string()]);
}

#[test]
fn a_condition_on_a_later_question_is_refused_in_the_files_words() {
    let condition = Condition { question: "spend".into(), equals: "yes".into() };
    let refused = apply(DEFAULT, &Edit::Condition { id: "budget".into(), condition: Some(condition) }).unwrap_err();
    assert_eq!(refused, vec!["question `budget`: `show_if` names question `spend`, which is not a question before this one".to_string()]);
}

#[test]
fn a_duplicate_code_is_refused_and_the_text_is_not_changed() {
    let mut role = question(DEFAULT, "role");
    if let Kind::Single { options } = &mut role.kind {
        options[1].code = "chief_exec".into();
    }
    let refused = apply(DEFAULT, &Edit::SaveQuestion { question: role, new_in: None }).unwrap_err();
    assert_eq!(refused, vec!["question `role`: duplicate options code `chief_exec`; codes must be unique".to_string()]);
}

#[test]
fn a_question_keeps_its_kind() {
    let mut nation = question(DEFAULT, "nation");
    nation.kind = Kind::Text { max_length: 100 };
    let refused = apply(DEFAULT, &Edit::SaveQuestion { question: nation, new_in: None }).unwrap_err();
    assert!(refused[0].starts_with("Question `nation` is a single question and stays one"), "{refused:?}");
}

#[test]
fn deleting_a_question_takes_its_welsh_with_it() {
    let text = edit(DEFAULT, Edit::Delete { id: "tool_kinds".into() });
    assert!(!text.contains("tool_kinds"), "{text}");
    let definition = parse_definition("deleted", &text).expect("the survey, Welsh included, is still complete");
    assert!(definition.question("tool_kinds").is_none());
}

#[test]
fn a_question_others_depend_on_cannot_be_deleted() {
    let refused = apply(DEFAULT, &Edit::Delete { id: "paid_tools".into() }).unwrap_err();
    assert!(refused.iter().any(|p| p.contains("`show_if` names question `paid_tools`")), "{refused:?}");
}

#[test]
fn options_are_relabelled_added_removed_and_reordered_keeping_each_kept_codes_benchmarks() {
    let mut budget = question(DEFAULT, "budget");
    let Kind::Single { options } = &mut budget.kind else { panic!("budget is a single question") };
    // Drop "none", put "dont_know" first, add one, keep "up_to_500" (which has a benchmark).
    options.retain(|o| o.code != "none");
    let dont_know = options.pop().unwrap();
    options.insert(0, dont_know);
    options.push(Choice { code: "over_10000".into(), label: "Over £10,000".into(), benchmarks: vec![] });
    let text = edit(DEFAULT, Edit::SaveQuestion { question: budget.clone(), new_in: None });
    let saved = parse_definition("edited", &text.replace("\"budget.options.none\" = \"Dim\"\n", "")).err().map(|e| e.problems);
    // The new option has no Welsh yet: the only problem publishing would find.
    assert_eq!(saved.unwrap().len(), 1);
    let structure = canvass::parse::parse_structure("edited", &text).unwrap();
    let Kind::Single { options } = &structure.question("budget").unwrap().kind else { panic!() };
    let codes: Vec<&str> = options.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, ["dont_know", "up_to_500", "501_2000", "2001_5000", "over_5000", "over_10000"]);
    assert_eq!(options[1].benchmarks.len(), 1, "the kept code keeps its benchmark");
    assert!(text.contains("  { code = \"over_10000\", label = \"Over £10,000\" },\n]"), "laid out like the others:\n{text}");
}

#[test]
fn a_new_question_is_added_where_asked_and_checked() {
    let question = Question {
        id: "channels_count".into(),
        text: "How many social media accounts does your organisation run?".into(),
        short: "accounts".into(),
        hint: Some("A whole number.".into()),
        required: false,
        show_if: None,
        kind: Kind::Number { min: 0, max: 1000, unit: None },
    };
    let text = edit(DEFAULT, Edit::SaveQuestion { question: question.clone(), new_in: Some((2, Some("channels".into()))) });
    // Its Welsh is still to come: publishing would ask for it.
    assert_eq!(parse_definition("added", &text).unwrap_err().problems.len(), 3);
    let definition = canvass::parse_structure("added", &text).unwrap();
    let ids: Vec<&str> = definition.sections[2].questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["channels", "channels_count", "user_channels"]);
    assert_eq!(definition.question("channels_count"), Some(&question));
    assert!(text.contains(
        "\n[[sections.questions]]\nid = \"channels_count\"\nkind = \"number\"\ntext = \"How many social media accounts does your organisation run?\"\n"
    ));
    let again = apply(&text, &Edit::SaveQuestion { question, new_in: Some((0, None)) }).unwrap_err();
    assert_eq!(again, vec!["There is already a question `channels_count`: give this one its own id".to_string()]);
}

#[test]
fn a_survey_is_built_from_nothing() {
    let mut text = "slug = \"staff-2027\"\ntitle = \"Staff survey 2027\"\n".to_string();
    text = edit(&text, Edit::AddSection { title: "About you".into() });
    let yes_no = |q: &str| {
        vec![Choice { code: "yes".into(), label: "Yes".into(), benchmarks: vec![] }, Choice { code: q.into(), label: "No".into(), benchmarks: vec![] }]
    };
    let first = Question {
        id: "uses".into(),
        text: "Do you use social media?".into(),
        short: "uses".into(),
        hint: None,
        required: true,
        show_if: None,
        kind: Kind::Single { options: yes_no("no") },
    };
    text = edit(&text, Edit::SaveQuestion { question: first, new_in: Some((0, None)) });
    let second = Question {
        id: "which".into(),
        text: "Which do you use?".into(),
        short: "which".into(),
        hint: None,
        required: false,
        show_if: Some(Condition { question: "uses".into(), equals: "yes".into() }),
        kind: Kind::Multiple { options: yes_no("other"), max: Some(2) },
    };
    text = edit(&text, Edit::SaveQuestion { question: second, new_in: Some((0, Some("uses".into()))) });
    text = edit(&text, Edit::AddSection { title: "Your work".into() });
    let figure = Figure { percent: 42.5, n: None, label: "Using social media".into() };
    text = edit(
        &text,
        Edit::Benchmark { id: "uses".into(), part: Part::Options, code: "yes".into(), column: None, wave: "2013".into(), figure: Some(figure) },
    );
    let definition = parse_definition("built", &text).unwrap();
    assert_eq!(definition.sections.len(), 2);
    assert_eq!(definition.sections[0].questions.len(), 2);
    let rows = overview(&definition);
    assert_eq!(rows.sections[0].questions[1].condition.as_deref(), Some("Asked only if “Do you use social media?” is “Yes”"));
    assert!(rows.sections[0].questions[0].benchmarks);
    assert_eq!(
        text,
        "slug = \"staff-2027\"\ntitle = \"Staff survey 2027\"\n\n[[sections]]\ntitle = \"About you\"\n\n[[sections.questions]]\nid = \"uses\"\nkind = \"single\"\n\
         text = \"Do you use social media?\"\nrequired = true\noptions = [\n  { code = \"yes\", label = \"Yes\", benchmarks = [\n  \
         { wave = \"2013\", percent = 42.5, label = \"Using social media\" },\n] },\n  { code = \"no\", label = \"No\" },\n]\n\n\
         [[sections.questions]]\nid = \"which\"\nkind = \"multiple\"\ntext = \"Which do you use?\"\nshow_if = { question = \"uses\", equals = \"yes\" }\n\
         max = 2\noptions = [\n  { code = \"yes\", label = \"Yes\" },\n  { code = \"other\", label = \"No\" },\n]\n\n[[sections]]\ntitle = \"Your work\"\n"
    );
}

#[test]
fn a_welsh_text_is_set_and_cleared() {
    let text = edit(DEFAULT, Edit::Translation { language: "cy".into(), key: "nation.text".into(), text: "Ble mae'ch sefydliad yn gweithio?".into() });
    assert_eq!(changed_lines(DEFAULT, &text).len(), 1);
    let cleared = edit(&text, Edit::Translation { language: "cy".into(), key: "nation.text".into(), text: String::new() });
    assert!(parse_definition("cleared", &cleared).unwrap_err().problems[0].contains("`nation.text` is missing from [translations.cy]"));
}

#[test]
fn a_benchmark_is_removed_and_its_list_goes_when_empty() {
    let text = edit(
        DEFAULT,
        Edit::Benchmark { id: "budget".into(), part: Part::Options, code: "up_to_500".into(), column: None, wave: "2013".into(), figure: None },
    );
    assert!(!text.contains("Budget up to £500 a month\", n = 400"));
    let structure = canvass::parse::parse_structure("edited", &text).unwrap();
    assert!(structure.question("budget").unwrap().kind.options().unwrap().iter().all(|o| o.benchmarks.is_empty()));
}

#[test]
fn a_grid_rows_benchmark_names_its_column() {
    let figure = Figure { percent: 30.0, n: Some(400), label: "Organisations using YouTube".into() };
    let text = edit(
        DEFAULT,
        Edit::Benchmark {
            id: "channels".into(),
            part: Part::Rows,
            code: "youtube".into(),
            column: Some("using".into()),
            wave: "2013".into(),
            figure: Some(figure),
        },
    );
    let structure = canvass::parse::parse_structure("edited", &text).unwrap();
    let Kind::Matrix { rows, .. } = &structure.question("channels").unwrap().kind else { panic!() };
    assert_eq!(rows[2].benchmarks[0].column.as_deref(), Some("using"));
    let refused = apply(
        DEFAULT,
        &Edit::Benchmark { id: "strategy".into(), part: Part::Options, code: "maybe".into(), column: None, wave: "2013".into(), figure: None },
    );
    assert_eq!(refused.unwrap_err(), vec!["There is no options code `maybe`".to_string()]);
}

#[test]
fn a_text_that_is_not_toml_is_refused_with_its_line() {
    let broken = DEFAULT.replacen("title = \"Strategy\"", "title = \"Strategy", 1);
    let refused = apply(&broken, &Edit::Delete { id: "nation".into() }).unwrap_err();
    assert!(refused[0].starts_with("The text has a mistake on line 128"), "{refused:?}");
}

#[test]
fn the_overview_says_each_condition_in_words_and_what_welsh_is_missing() {
    let text = edit(DEFAULT, Edit::Translation { language: "cy".into(), key: "nation.text".into(), text: String::new() });
    let definition = canvass::parse::parse_structure("edited", &text).unwrap();
    let rows = overview(&definition);
    let tool_kinds = rows.sections.iter().flat_map(|s| &s.questions).find(|q| q.id == "tool_kinds").unwrap();
    assert_eq!(tool_kinds.condition.as_deref(), Some("Asked only if “Does your organisation use any paid-for social media tools?” is “Yes”"));
    assert_eq!(tool_kinds.kind, "Several choices");
    let nation = &rows.sections[0].questions[2];
    assert_eq!(nation.untranslated, vec![("Welsh (Cymraeg)".to_string(), 1)]);
    assert_eq!(rows.sections[0].questions[0].untranslated, vec![("Welsh (Cymraeg)".to_string(), 0)]);
    let unknown = Condition { question: "gone".into(), equals: "x".into() };
    assert_eq!(condition_words(&definition, &unknown), "Asked only if `gone` is `x`");
    assert_eq!(code_from_label("Don't know", &[]), "don_t_know");
}

#[test]
fn a_removed_option_takes_its_welsh_and_the_survey_can_still_be_published() {
    let mut budget = question(DEFAULT, "budget");
    let Kind::Single { options } = &mut budget.kind else { panic!() };
    options.retain(|o| o.code != "none" && o.code != "up_to_500");
    let text = edit(DEFAULT, Edit::SaveQuestion { question: budget, new_in: None });
    assert!(!text.contains("budget.options.none") && !text.contains("budget.options.up_to_500"), "{text}");
    parse_definition("edited", &text).expect("nothing left behind for publishing to refuse");
}

#[test]
fn a_code_renamed_before_any_answer_keeps_its_benchmarks_welsh_and_the_conditions_on_it() {
    let text = edit(DEFAULT, Edit::RenameCode { id: "paid_tools".into(), part: Part::Options, was: "yes".into(), now: "uses_paid".into() });
    let definition = parse_definition("renamed", &text).expect("complete, Welsh and all");
    let options = definition.question("paid_tools").unwrap().kind.options().unwrap().to_vec();
    assert_eq!(options[0].code, "uses_paid");
    assert_eq!(options[0].benchmarks.len(), 1, "its 2013 figure stays");
    assert_eq!(definition.question("tool_kinds").unwrap().show_if, Some(Condition { question: "paid_tools".into(), equals: "uses_paid".into() }));
    assert!(text.contains("\"paid_tools.options.uses_paid.benchmarks.2013\" = "), "{text}");
    let taken = apply(DEFAULT, &Edit::RenameCode { id: "paid_tools".into(), part: Part::Options, was: "yes".into(), now: "no".into() });
    assert_eq!(taken.unwrap_err(), vec!["question `paid_tools`: duplicate options code `no`; codes must be unique".to_string()]);
}

#[test]
fn a_survey_no_longer_in_welsh_keeps_no_welsh() {
    let definition = parse_definition("default", DEFAULT).unwrap();
    let details = canvass::builder::Details { welsh: false, ..canvass::builder::Details::of(&definition) };
    let text = edit(DEFAULT, Edit::Details(details.clone()));
    assert!(!text.contains("[translations.cy]") && !text.contains("languages ="), "{text}");
    parse_definition("english", &text).expect("publishable in English alone");
    // Unchanged details, saved again, change nothing (multi-line strings kept as written).
    let again = edit(DEFAULT, Edit::Details(canvass::builder::Details { welsh: true, ..details }));
    assert_eq!(again, DEFAULT);
}

#[test]
fn a_schedule_is_set_in_the_surveys_own_keys_cleared_again_and_a_close_before_the_open_refused() {
    let definition = parse_definition("default", DEFAULT).unwrap();
    let details = canvass::builder::Details::of(&definition);
    let scheduled =
        canvass::builder::Details { opens_at: Some("2027-03-01T09:00:00Z".into()), closes_at: Some("2027-03-31T17:00:00Z".into()), ..details.clone() };
    let text = edit(DEFAULT, Edit::Details(scheduled.clone()));
    let read = parse_definition("scheduled", &text).unwrap();
    assert_eq!((read.opens_at.as_deref(), read.closes_at.as_deref()), (Some("2027-03-01T09:00:00Z"), Some("2027-03-31T17:00:00Z")));
    assert_eq!(text.lines().count(), DEFAULT.lines().count() + 2, "two lines added, no other: {text}");
    assert!(text.find("opens_at").unwrap() < text.find("[[sections]]").unwrap(), "a survey's own key, before its sections");
    assert_eq!(edit(&text, Edit::Details(scheduled.clone())), text, "saved unchanged, nothing changes");
    assert_eq!(edit(&text, Edit::Details(details)), DEFAULT, "cleared, the text is as it was");
    let backwards = canvass::builder::Details { closes_at: Some("2027-02-01T09:00:00Z".into()), ..scheduled };
    assert_eq!(
        apply(DEFAULT, &Edit::Details(backwards)).unwrap_err(),
        vec!["closes_at 2027-02-01T09:00:00Z must be after opens_at 2027-03-01T09:00:00Z".to_string()]
    );
}

#[test]
fn a_comment_before_an_inline_option_moves_with_it() {
    let text = "slug = \"s\"\ntitle = \"T\"\n\n[[sections]]\ntitle = \"A\"\n\n[[sections.questions]]\nid = \"q\"\nkind = \"single\"\ntext = \"Q?\"\n\
                options = [\n  { code = \"a\", label = \"A\" },\n  # kept for the 2013 comparison\n  { code = \"b\", label = \"B\" },\n]\n";
    let mut q = question(text, "q");
    let Kind::Single { options } = &mut q.kind else { panic!() };
    options.reverse();
    options.push(Choice { code: "c".into(), label: "C".into(), benchmarks: vec![] });
    let edited = edit(text, Edit::SaveQuestion { question: q, new_in: None });
    assert!(
        edited.ends_with("options = [\n  # kept for the 2013 comparison\n  { code = \"b\", label = \"B\" },\n  { code = \"a\", label = \"A\" },\n  { code = \"c\", label = \"C\" },\n]\n"),
        "{edited}"
    );
}

#[test]
fn an_empty_section_is_deleted_and_the_later_sections_keep_their_welsh_titles() {
    let text = edit(DEFAULT, Edit::AddSection { title: "Spare".into() });
    let refused = apply(&text, &Edit::DeleteSection { section: 1 }).unwrap_err();
    assert_eq!(refused, vec!["Section 2 still has questions: move them to another section or delete them first".to_string()]);
    // Emptied, section 2 ("Strategy") goes; "Channels" becomes section 2, its Welsh title with it.
    let mut emptied = text.clone();
    for id in ["strategy", "purposes"] {
        emptied = edit(&emptied, Edit::Move { id: id.into(), direction: Direction::Up });
    }
    let deleted = edit(&emptied, Edit::DeleteSection { section: 1 });
    let definition = canvass::parse_structure("deleted", &deleted).unwrap();
    assert_eq!(definition.sections[1].title, "Channels");
    assert!(deleted.contains("\"sections.2.title\" = \"Sianeli\"") && !deleted.contains("Strategaeth"), "{deleted}");
    let renamed = edit(&deleted, Edit::SectionTitle { section: 1, title: "Where you are".into() });
    assert_eq!(canvass::parse_structure("renamed", &renamed).unwrap().sections[1].title, "Where you are");
}
