//! The CSV layout: parsed back with the `csv` crate, the export equals the stored answers.

use std::collections::BTreeMap;

use canvass::csv_layout::{cells, codebook, columns, line, Column, ResponseMeta};
use canvass::{parse_definition, validate, Answer, Definition, RawAnswers};
use serde_json::json;

fn survey() -> Definition {
    parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap()
}

fn stored(answers: serde_json::Value) -> BTreeMap<String, Answer> {
    let raw: RawAnswers = serde_json::from_value(answers).unwrap();
    validate(&survey(), &raw).expect("valid").answers
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
    let definition = survey();
    let layout = columns(&definition);
    let mut file = line(&layout.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>());
    for (i, answers) in responses.iter().enumerate() {
        let id = format!("r{i}");
        let meta = ResponseMeta { response_id: &id, submitted_at: "2026-11-25T10:00:00.000Z", version: 1 };
        file.push_str(&line(&cells(&definition, &layout, &meta, answers, labels)));
    }
    let mut reader = csv::Reader::from_reader(file.as_bytes());
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
    assert_eq!(&header[..5], ["response_id", "submitted_at", "version", "org_type", "role"]);
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
                Column::Single { question } => match answers.get(question) { Some(Answer::Text(c)) => c.clone(), _ => String::new() },
                Column::Option { question, code } => match answers.get(question) {
                    Some(Answer::List(l)) => if l.contains(code) { "1".into() } else { "0".into() },
                    _ => got.to_string(), // checked separately: 0 when shown, empty when hidden
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
    assert_eq!(cell(&header, &rows[0], "priorities.training"), "0", "a shown but unanswered option is 0");
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

#[test]
fn the_codebook_explains_every_column() {
    let definition = survey();
    let book = codebook(&definition);
    assert_eq!(book[0], ["column", "question", "kind", "code", "label"]);
    for (name, _) in columns(&definition) {
        assert!(book.iter().any(|r| r[0] == name), "{name} is in the codebook");
    }
    assert!(book.iter().any(|r| r[0] == "org_type" && r[3] == "health" && r[4] == "NHS or health body"));
    assert!(book.iter().any(|r| r[0] == "channels.twitter" && r[3] == "using" && r[4] == "Twitter/X: Using now"));
}
