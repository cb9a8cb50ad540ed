//! The interface catalogues: English and Welsh hold the same messages, every one formats,
//! and every message a page asks for exists.

use canvass::words::{catalogue, say, Arg};
use canvass::Lang;

#[test]
fn both_catalogues_parse_and_hold_the_same_messages() {
    for lang in Lang::ALL {
        let (_, problems) = catalogue::bundle(lang);
        assert!(problems.is_empty(), "{problems:?}");
    }
    let mut english = catalogue::ids(Lang::En);
    let mut welsh = catalogue::ids(Lang::Cy);
    english.sort();
    welsh.sort();
    let only_english: Vec<_> = english.iter().filter(|id| !welsh.contains(id)).collect();
    let only_welsh: Vec<_> = welsh.iter().filter(|id| !english.contains(id)).collect();
    assert!(only_english.is_empty(), "in en.ftl but not in cy.ftl: {only_english:?}");
    assert!(only_welsh.is_empty(), "in cy.ftl but not in en.ftl: {only_welsh:?}");
    assert!(english.len() > 100, "{}", english.len());
}

/// Every placeable given a value, every message reads without a `{`: nothing left
/// unfilled, and Welsh differs from English wherever English has words.
#[test]
fn every_message_formats_with_its_placeables_filled() {
    let args: Vec<(&str, Arg)> = [
        "title",
        "date",
        "time",
        "n",
        "total",
        "section",
        "survey",
        "answer",
        "question",
        "seconds",
        "min",
        "step",
        "base",
        "points",
        "count",
        "max",
        "period",
        "contact",
        "basis",
        "controller",
        "link",
        "responses",
    ]
    .into_iter()
    .map(|name| (name, Arg::Text(format!("<{name}>"))))
    .chain([("questions", Arg::Number(12.0)), ("sections", Arg::Number(5.0)), ("days", Arg::Number(30.0))])
    .collect();
    for id in catalogue::ids(Lang::En) {
        let english = say(Lang::En, &id, &args);
        let welsh = say(Lang::Cy, &id, &args);
        for text in [&english, &welsh] {
            assert!(!text.contains('{') && !text.trim().is_empty(), "`{id}` reads “{text}”");
        }
        if english.chars().filter(|c| c.is_alphabetic()).count() > 3 && id != "sentence-end" {
            assert_ne!(english, welsh, "`{id}` is the same in Welsh");
        }
    }
}

/// A page asking for a message the catalogues lack would show its id: every id named in
/// the code (`t("…")`, `t_with("…"`, `say(lang, "…"`) is in them.
#[test]
fn every_message_the_pages_ask_for_exists() {
    let ids = catalogue::ids(Lang::En);
    let mut asked = Vec::new();
    for dir in ["app/src", "server/src"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut stack = vec![root];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for opener in ["t(\"", "t_with(\"", "say(lang, \"", "say(\""] {
                    for (at, _) in text.match_indices(opener) {
                        let preceded_by_ident = text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
                        if preceded_by_ident {
                            continue;
                        }
                        let rest = &text[at + opener.len()..];
                        if let Some(end) = rest.find('"') {
                            asked.push((path.display().to_string(), rest[..end].to_string()));
                        }
                    }
                }
            }
        }
    }
    assert!(asked.len() > 80, "the scan found the pages' messages: {}", asked.len());
    let missing: Vec<_> = asked.iter().filter(|(_, id)| !ids.contains(id)).collect();
    assert!(missing.is_empty(), "asked for but in no catalogue: {missing:?}");
}
