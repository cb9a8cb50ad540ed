//! The CSV layout: parsed back with the `csv` crate, the export equals the stored answers.

use std::collections::BTreeMap;

use canvass::csv_layout::{cells, codebook, codebook_csv, columns, header, line, Cell, Column, Lines, ResponseMeta};
use canvass::{parse_definition, validate, Answer, Definition, RawAnswers};
use serde_json::json;

fn survey() -> Definition {
    parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap()
}

fn stored(answers: serde_json::Value) -> BTreeMap<String, Answer> {
    let raw: RawAnswers = serde_json::from_value(answers).unwrap();
    validate(&survey(), &raw).expect("valid").answers().clone()
}

fn base(obstacle: &str, paid: &str) -> serde_json::Value {
    json!({
        "org_type": "local", "role": "comms_head", "strategy": "planned", "purposes": ["news", "feedback"],
        "channels": {"twitter": "using", "facebook": "planning", "youtube": "no_plans", "linkedin": "using",
                     "instagram": "no_plans", "flickr": "no_plans", "blogs": "planning"},
        "paid_tools": paid, "tool_kinds": ["analytics"], "spend": 1200, "obstacle": obstacle,
        "email": "a@b.org", "consent": true
    })
}

/// Export `responses` and read the file back as the `csv` crate sees it.
fn export(responses: &[BTreeMap<String, Answer>], labels: bool) -> (Vec<String>, Vec<Vec<String>>) {
    export_of(&survey(), responses, labels)
}

/// The same for any definition: the header line, then the rows written as the server
/// writes a chunk (one [`Lines`] for many rows).
fn export_of(definition: &Definition, responses: &[BTreeMap<String, Answer>], labels: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let layout = columns(definition);
    let mut file = line(&header(&layout));
    let mut chunk = Lines::new();
    for (i, answers) in responses.iter().enumerate() {
        let id = format!("r{i}");
        let meta = ResponseMeta { response_id: &id, submitted_at: "2026-11-25T10:00:00.000Z", version: 1, language: "en", offered: None };
        chunk.push(&cells(definition, &layout, &meta, answers, labels));
    }
    file.extend(chunk.into_bytes());
    read_back(&file)
}

fn read_back(file: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(file);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    &row[header.iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"))]
}

#[test]
fn the_header_is_stable_codes_with_a_column_per_option_and_matrix_row() {
    let (header, _) = export(&[], false);
    assert_eq!(&header[..6], ["response_id", "submitted_at", "version", "language", "org_type", "role"]);
    for expected in ["purposes.feedback", "purposes.news", "channels.twitter", "channels.blogs", "spend", "obstacle", "tool_kinds.analytics"] {
        assert!(header.contains(&expected.to_string()), "{expected} in {header:?}");
    }
    assert!(!header.iter().any(|h| h.starts_with("email") || h.starts_with("consent")), "contact details never appear");
}

#[test]
fn exported_cells_read_back_as_the_stored_answers() {
    let responses = vec![stored(base("Proving outcomes", "yes")), stored(base("", "no"))];
    let (header, rows) = export(&responses, false);
    assert_eq!(rows.len(), 2);
    let definition = survey();
    for (row, answers) in rows.iter().zip(&responses) {
        for (name, column) in columns(&definition) {
            let got = cell(&header, row, &name);
            let expected = match &column {
                Column::Single { question } => match answers.get(question) {
                    Some(Answer::Text(c)) => c.clone(),
                    _ => String::new(),
                },
                Column::Option { question, code } => match answers.get(question) {
                    Some(Answer::List(l)) => {
                        if l.contains(code) {
                            "1".into()
                        } else {
                            "0".into()
                        }
                    }
                    _ => String::new(), // skipped or hidden: empty, never 0
                },
                Column::Row { question, row } => match answers.get(question) {
                    Some(Answer::Map(m)) => m.get(row).cloned().unwrap_or_default(),
                    _ => String::new(),
                },
                Column::Value { question } => match answers.get(question) {
                    Some(Answer::Number(n)) => n.to_string(),
                    Some(Answer::Text(t)) => t.clone(),
                    _ => String::new(),
                },
                _ => continue,
            };
            assert_eq!(got, expected, "column {name}");
        }
    }
    assert_eq!(cell(&header, &rows[1], "tool_kinds.analytics"), "", "a hidden question's options are empty, not 0");
    assert_eq!(cell(&header, &rows[0], "priorities.training"), "", "a shown but skipped question's options are empty too");
}

#[test]
fn formulas_are_neutralised_and_quotes_commas_newlines_and_accents_survive() {
    let nasty = [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Budget, people, \"time\"\nand more — £5 é ü 中文", "Budget, people, \"time\"\nand more — £5 é ü 中文"),
    ];
    let responses: Vec<_> = nasty.iter().map(|(text, _)| stored(base(text, "no"))).collect();
    let (header, rows) = export(&responses, false);
    for (row, (_, expected)) in rows.iter().zip(nasty) {
        assert_eq!(cell(&header, row, "obstacle"), expected);
    }
}

#[test]
fn labels_replace_codes_when_asked() {
    let (header, rows) = export(&[stored(base("", "yes"))], true);
    assert_eq!(cell(&header, &rows[0], "org_type"), "Local authority");
    assert_eq!(cell(&header, &rows[0], "channels.facebook"), "Planning within 12 months");
    assert_eq!(cell(&header, &rows[0], "purposes.news"), "1");
}

/// A response given in Welsh is the same codes as one given in English; only the
/// `language` column tells them apart, and labels come in the language asked for.
#[test]
fn the_language_column_says_which_language_each_response_was_given_in() {
    let definition = survey();
    let layout = columns(&definition);
    let answers = stored(base("", "yes"));
    let row = |language: &str, labels_in: &Definition, labels: bool| {
        let meta = ResponseMeta { response_id: "r1", submitted_at: "2026-11-25", version: 1, language, offered: None };
        let mut file = line(&header(&layout));
        file.extend(line(&cells(labels_in, &layout, &meta, &answers, labels)));
        read_back(&file)
    };
    let (header, english) = row("en", &definition, false);
    let (_, welsh) = row("cy", &definition, false);
    assert_eq!((cell(&header, &english[0], "language"), cell(&header, &welsh[0], "language")), ("en", "cy"));
    let strip = |r: &[String]| r.iter().enumerate().filter(|(i, _)| header[*i] != "language").map(|(_, c)| c.clone()).collect::<Vec<_>>();
    assert_eq!(strip(&english[0]), strip(&welsh[0]), "the answers are the same codes");
    let in_welsh = canvass::translation::localized(&definition, "cy");
    let (_, labelled) = row("cy", &in_welsh, true);
    assert_eq!(cell(&header, &labelled[0], "org_type"), "Awdurdod lleol");
}

#[test]
fn the_codebook_gives_both_languages_of_a_bilingual_survey() {
    let book = codebook(&survey());
    let (question_cy, label_cy) = (7, 8);
    let health = book.iter().find(|r| r[0] == "org_type" && r[3] == "health").unwrap();
    assert_eq!((health[4].as_str(), health[label_cy].as_str()), ("NHS or health body", "Corff GIG neu iechyd"));
    assert_eq!(health[question_cy], "Pa fath o sefydliad ydych chi'n gweithio iddo?");
    let languages: Vec<(&str, &str)> = book.iter().filter(|r| r[0] == "language").map(|r| (r[3].as_str(), r[4].as_str())).collect();
    assert_eq!(languages, [("en", "English"), ("cy", "Cymraeg")]);
    assert!(book.iter().skip(1).filter(|r| !r[3].is_empty() || r[0] != "response_id").all(|r| r.len() == 9), "every row has both languages' cells");
    let csv = String::from_utf8(codebook_csv(book)).unwrap();
    assert!(csv.starts_with("column,question,kind,code,label,required,asked_when,question_cy,label_cy\r\n"), "{csv}");
}

#[test]
fn the_codebook_explains_every_column() {
    let definition = survey();
    let book = codebook(&definition);
    assert_eq!(book[0], ["column", "question", "kind", "code", "label", "required", "asked_when", "question_cy", "label_cy"]);
    for (name, _) in columns(&definition) {
        assert!(book.iter().any(|r| r[0] == name), "{name} is in the codebook");
    }
    assert!(book.iter().any(|r| r[0] == "org_type" && r[3] == "health" && r[4] == "NHS or health body"));
    assert!(book.iter().any(|r| r[0] == "channels.twitter" && r[3] == "using" && r[4] == "Twitter/X: Using now"));
}

/// An analyst needs the routing (which answer brings up a follow-up) and which questions
/// had to be answered, to read blanks right.
#[test]
fn the_codebook_gives_each_columns_routing_and_whether_it_was_required() {
    let book = codebook(&survey());
    let rows_of = |column: &str| book.iter().filter(|r| r[0] == column).collect::<Vec<_>>();
    for row in rows_of("tool_kinds.analytics") {
        assert_eq!(row[6], "when paid_tools = yes (“Yes”)", "{row:?}");
    }
    assert!(rows_of("org_type").iter().all(|r| r[5] == "yes" && r[6] == "always"));
    assert!(rows_of("obstacle").iter().all(|r| r[5] == "no"));
    assert!(rows_of("response_id").iter().all(|r| r[6] == "always"));
}

/// A small survey with what the default one lacks: a number that may be negative, and a
/// label that looks like a formula.
fn ledger() -> Definition {
    parse_definition(
        "ledger",
        r#"
slug = "ledger"
version = 3
title = "Ledger"
intro = "Balances."
time_needed = "1 minute"
privacy = "Totals only."

[[sections]]
title = "Money"

[[sections.questions]]
id = "balance"
kind = "number"
text = "What was the balance at the end of the year, in pounds?"
min = -1000
max = 1000

[[sections.questions]]
id = "mood"
kind = "single"
text = "How do you feel about it?"
options = [
  { code = "fine", label = "Fine" },
  { code = "bad", label = "=HYPERLINK(\"http://evil\")" },
]

[[sections.questions]]
id = "note"
kind = "text"
text = "Anything to add?"
max_length = 100

[[sections.questions]]
id = "extras"
kind = "multiple"
text = "Which extras apply?"
options = [
  { code = "audit", label = "Audited" },
  { code = "loan", label = "Has a loan" },
]
"#,
    )
    .unwrap()
}

fn stored_in(definition: &Definition, answers: serde_json::Value) -> BTreeMap<String, Answer> {
    let raw: RawAnswers = serde_json::from_value(answers).unwrap();
    validate(definition, &raw).expect("valid").answers().clone()
}

#[test]
fn negative_number_answer_is_exported_as_a_number() {
    let definition = ledger();
    let answers = stored_in(&definition, json!({"balance": -5, "note": "-5"}));
    let (header, rows) = export_of(&definition, &[answers], false);
    assert_eq!(cell(&header, &rows[0], "balance"), "-5", "a number goes out as a number");
    assert_eq!(cell(&header, &rows[0], "note"), "'-5", "free text that looks like a formula is still neutralised");
    assert_eq!(cell(&header, &rows[0], "version"), "1");
}

#[test]
fn labels_that_look_like_formulas_are_neutralised_but_codes_are_not() {
    let definition = ledger();
    let answers = stored_in(&definition, json!({"mood": "bad"}));
    let (header, rows) = export_of(&definition, std::slice::from_ref(&answers), true);
    assert_eq!(cell(&header, &rows[0], "mood"), "'=HYPERLINK(\"http://evil\")");
    let (header, rows) = export_of(&definition, &[answers], false);
    assert_eq!(cell(&header, &rows[0], "mood"), "bad");
}

#[test]
fn a_skipped_optional_multiple_choice_is_blank_not_zeros() {
    let definition = ledger();
    // However a respondent leaves it empty, validation stores nothing for it.
    for skipped in [json!({"balance": 1}), json!({"balance": 1, "extras": []}), json!({"balance": 1, "extras": [""]})] {
        let answers = stored_in(&definition, skipped);
        assert!(!answers.contains_key("extras"), "a skipped multiple choice is absent from the stored answers");
        let (header, rows) = export_of(&definition, &[answers], false);
        assert_eq!(cell(&header, &rows[0], "extras.audit"), "");
        assert_eq!(cell(&header, &rows[0], "extras.loan"), "");
    }
    // A list that was stored means the question was answered: 0 for each option not in it.
    let chose_none = BTreeMap::from([("extras".to_string(), Answer::List(vec![]))]);
    let chose_one = stored_in(&definition, json!({"extras": ["loan"]}));
    let (header, rows) = export_of(&definition, &[chose_none, chose_one], false);
    assert_eq!((cell(&header, &rows[0], "extras.audit"), cell(&header, &rows[0], "extras.loan")), ("0", "0"));
    assert_eq!((cell(&header, &rows[1], "extras.audit"), cell(&header, &rows[1], "extras.loan")), ("0", "1"));
}

#[test]
fn the_codebook_says_what_an_empty_cell_means() {
    let definition = survey();
    let book = codebook(&definition);
    let meaning = |column: &str| -> Vec<String> { book.iter().filter(|r| r[0] == column && r[3].is_empty()).map(|r| r[4].clone()).collect() };
    assert_eq!(meaning("priorities.training"), ["empty cell: not answered"]);
    assert_eq!(meaning("tool_kinds.analytics"), ["empty cell: not answered, or not asked (hidden by its condition)"]);
    assert_eq!(meaning("nation"), ["empty cell: not answered"]);
    assert_eq!(meaning("channels.twitter"), ["Twitter/X: empty cell: not answered"]);
    assert!(meaning("spend")[0].ends_with("; empty cell: not answered"), "{:?}", meaning("spend"));
    assert!(meaning("obstacle")[0].ends_with("; empty cell: not answered"), "{:?}", meaning("obstacle"));
    assert!(book.iter().any(|r| r[0] == "priorities.training" && r[3] == "0" && r[4] == "answered, but did not choose “Staff training”"));
}

#[test]
fn the_codebook_file_neutralises_organiser_text() {
    let file = codebook_csv(codebook(&ledger()));
    let (header, rows) = read_back(&file);
    assert_eq!(header, ["column", "question", "kind", "code", "label", "required", "asked_when"]);
    assert!(rows.iter().any(|r| r[0] == "mood" && r[3] == "bad" && r[4] == "'=HYPERLINK(\"http://evil\")"));
    assert!(rows.iter().any(|r| r[0] == "balance" && r[4].starts_with("whole number from -1000 to 1000")));
}

#[test]
fn lines_are_rfc_4180_with_crlf_and_text_always_quoted() {
    let row = [
        Cell::Plain("r1".into()),
        Cell::Text("a, b".into()),
        Cell::Text("say \"hi\"".into()),
        Cell::Text("two\nlines".into()),
        Cell::Blank,
        Cell::Number(-42),
        Cell::Text("=1+1".into()),
        Cell::Text("Café £5".into()),
    ];
    let expected = "r1,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",,-42,\"'=1+1\",\"Café £5\"\r\n";
    assert_eq!(String::from_utf8(line(&row)).unwrap(), expected);
    let mut lines = Lines::new();
    lines.push(&row);
    lines.push(&[Cell::Blank, Cell::Number(0)]);
    assert_eq!(String::from_utf8(lines.into_bytes()).unwrap(), format!("{expected},0\r\n"));
}

/// Excel in a locale whose list separator is `;` splits an unquoted `safe;=1+1` into two
/// cells, the second a formula. Quoted, it stays one cell; and a formula start after any
/// separator is neutralised too, for readers that ignore the quotes.
#[test]
fn a_formula_after_a_separator_is_neutralised_and_the_cell_quoted() {
    let text = String::from_utf8(line(&[Cell::Plain("r1".into()), Cell::Text("safe;=1+1".into())])).unwrap();
    assert_eq!(text, "r1,\"safe;'=1+1\"\r\n");
    for (typed, written) in [
        ("a,=HYPERLINK(1)", "a,'=HYPERLINK(1)"),
        ("x\t+1", "x\t'+1"),
        ("p|@SUM(A1)", "p|'@SUM(A1)"),
        ("costs 5;-3 then", "costs 5;'-3 then"),
        ("5-3=2", "5-3=2"),
    ] {
        let (_, rows) = read_back(format!("h\r\n{}", String::from_utf8(line(&[Cell::Text(typed.into())])).unwrap()).as_bytes());
        assert_eq!(rows[0][0], written, "{typed:?}");
        for part in rows[0][0].split([';', ',', '\t', '|']).skip(1) {
            assert!(!part.starts_with(['=', '+', '-', '@']), "{typed:?} splits into a formula cell {part:?}");
        }
    }
}

#[test]
fn nul_and_bidi_controls_in_free_text_are_exported_as_visible_codes() {
    let responses = vec![stored(base("report\u{202E}fdp.exe and a \u{0} nul", "no"))];
    let (header, rows) = export(&responses, false);
    assert_eq!(cell(&header, &rows[0], "obstacle"), "report[U+202E]fdp.exe and a [U+0000] nul");
}

#[test]
fn stata_names_have_no_dots_fit_32_characters_and_never_collide() {
    use canvass::csv_layout::stata_names;
    let long = "a_very_long_question_identifier_here.option_code_that_is_long".to_string();
    let names = vec!["channels.twitter".to_string(), long.clone(), format!("{long}_too"), "2013_figure".to_string(), "channels_twitter".to_string()];
    assert_eq!(
        stata_names(&names),
        ["channels_twitter", "a_very_long_question_identifier_", "a_very_long_question_identifie_2", "_2013_figure", "channels_twitter_2",]
    );
}

/// Six local authorities and two health bodies: the health column (under 5) is left out,
/// the local column's percentages are of the local authorities who answered.
#[test]
fn the_crosstab_gives_each_segment_its_column_percentages_with_their_base_and_leaves_out_groups_under_five() {
    let survey = survey();
    let mut crosstab = canvass::crosstab::Crosstab::new(&survey).unwrap();
    for (i, org) in ["local", "local", "local", "local", "local", "local", "health", "health"].iter().enumerate() {
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": org, "role": "other", "strategy": if i < 3 { "yes" } else { "no" }, "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "planning", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"}
        }))
        .unwrap();
        crosstab.add(&survey, validate(&survey, &raw).unwrap().answers());
    }
    let text = String::from_utf8(crosstab.csv(&survey)).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "question",
            "option",
            "label",
            "Local authority: count",
            "Local authority: % of base",
            "Local authority: base (answered the question)",
            "All: count",
            "All: % of base",
            "All: base (answered the question)"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let yes = rows.iter().find(|r| &r[0] == "strategy" && &r[1] == "yes").unwrap();
    assert_eq!((&yes[3], &yes[4], &yes[5], &yes[6], &yes[7], &yes[8]), ("3", "50.0", "6", "3", "37.5", "8"));
    let twitter = rows.iter().find(|r| &r[0] == "channels.twitter" && &r[1] == "using").unwrap();
    assert_eq!((&twitter[3], &twitter[4], &twitter[5]), ("6", "100.0", "6"));
    let health = rows.iter().find(|r| &r[0] == "org_type" && &r[1] == "health").unwrap();
    assert_eq!((&health[6], &health[7], &health[8]), ("", "", ""), "nor is a group under 5 counted in the All column");
}

/// A follow-up asked of some: its percentages are of those who answered it, and the base
/// beside each says so, not the segment's size.
#[test]
fn each_crosstab_percentage_has_the_base_it_is_of() {
    let survey = survey();
    let mut crosstab = canvass::crosstab::Crosstab::new(&survey).unwrap();
    for i in 0..6 {
        let mut answers = json!({
            "org_type": "local", "role": "other", "strategy": "yes", "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "planning", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"}
        });
        if i < 2 {
            answers["budget"] = json!("none");
        }
        let raw: RawAnswers = serde_json::from_value(answers).unwrap();
        crosstab.add(&survey, validate(&survey, &raw).unwrap().answers());
    }
    let text = String::from_utf8(crosstab.csv(&survey)).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let none = rows.iter().find(|r| &r[0] == "budget" && &r[1] == "none").unwrap();
    assert_eq!((&none[3], &none[4], &none[5]), ("2", "100.0", "2"), "of the 2 who answered, not the 6 in the column");
}

/// The codebook's own words follow the language of their column: Welsh in `question_cy`
/// and `label_cy` for the fixed columns too, and `submitted_at` says what an anonymous
/// survey keeps (the day), not a time it does not.
#[test]
fn the_codebook_says_its_own_words_in_welsh_and_what_submitted_at_really_holds() {
    let rows = canvass::csv_layout::codebook(&survey());
    assert_eq!(rows[0][7..9], ["question_cy".to_string(), "label_cy".to_string()]);
    let submitted = rows.iter().find(|r| r[0] == "submitted_at").unwrap();
    assert!(submitted[1].starts_with("The day the response was stored (YYYY-MM-DD, UTC)"), "{submitted:?}");
    assert_eq!(submitted[2], "date");
    assert!(submitted[7].starts_with("Y diwrnod y cadwyd yr ymateb"), "Welsh, not English: {submitted:?}");
    let id = rows.iter().find(|r| r[0] == "response_id").unwrap();
    assert_eq!(id[7], "Dynodydd yr ymateb");
    let chose = rows.iter().find(|r| r[0] == "purposes.news" && r[3] == "1").unwrap();
    assert!(chose[4].starts_with("chose “") && chose[8].starts_with("dewisodd “"), "{chose:?}");
    let mut named = survey();
    named.anonymous = false;
    let rows = canvass::csv_layout::codebook(&named);
    let submitted = rows.iter().find(|r| r[0] == "submitted_at").unwrap();
    assert_eq!((submitted[1].as_str(), submitted[2].as_str()), ("When the response was stored (RFC 3339, UTC)", "timestamp"));
}
