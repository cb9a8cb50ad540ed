//! Every published version of a survey at once, for the export and the codebook: a
//! response to version 1 keeps its answer to a question version 2 dropped, so the export
//! must still have that column, and the codebook must say which versions asked it.

use crate::csv_layout::columns;
use crate::definition::{Choice, Definition, Kind, Section};

/// The live version (the last of `versions`, oldest first) with everything an earlier
/// version asked that it no longer does: options, rows and columns put back at the end of
/// their question's lists (with the label they last had), and whole questions in a last
/// section "Asked in earlier versions only". Live wording wins wherever both have it.
pub fn merged(versions: &[Definition]) -> Option<Definition> {
    let mut merged = versions.last()?.clone();
    let mut dropped: Vec<crate::Question> = Vec::new();
    for earlier in versions.iter().rev().skip(1) {
        for question in earlier.questions() {
            let live = merged.sections.iter_mut().flat_map(|s| s.questions.iter_mut()).find(|q| q.id == question.id);
            match live {
                Some(live) => put_back(&mut live.kind, &question.kind),
                None => match dropped.iter_mut().find(|q| q.id == question.id) {
                    Some(kept) => put_back(&mut kept.kind, &question.kind),
                    None => dropped.push(question.clone()),
                },
            }
        }
    }
    if !dropped.is_empty() {
        merged.sections.push(Section { title: "Asked in earlier versions only".into(), questions: dropped });
    }
    Some(merged)
}

/// Adds to `live`'s lists the codes only `earlier` has (kinds never change, see
/// `crate::changes`).
fn put_back(live: &mut Kind, earlier: &Kind) {
    let add = |into: &mut Vec<Choice>, from: &[Choice]| {
        for choice in from {
            if !into.iter().any(|c| c.code == choice.code) {
                into.push(choice.clone());
            }
        }
    };
    match (live, earlier) {
        (Kind::Single { options }, Kind::Single { options: before }) => add(options, before),
        (Kind::Multiple { options, .. }, Kind::Multiple { options: before, .. }) => add(options, before),
        (Kind::Matrix { rows, columns }, Kind::Matrix { rows: rows_before, columns: columns_before }) => {
            add(rows, rows_before);
            add(columns, columns_before);
        }
        _ => {}
    }
}

/// The versions whose export has `column`, as ranges: "1–3, 5".
pub fn versions_with(versions: &[Definition], column: &str) -> String {
    let present: Vec<u32> = versions.iter().filter(|v| columns(v).iter().any(|(name, _)| name == column)).map(|v| v.version).collect();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for v in present {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == v => *end = v,
            _ => ranges.push((v, v)),
        }
    }
    ranges.into_iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The English alone: these tests edit it, and Welsh missing the edits would be refused.
    static DEFAULT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::translation::english_only(include_str!("../surveys/public-sector-social-media.toml")));

    fn version(text: &str, n: u32) -> Definition {
        let mut d = crate::parse_definition("t", text).unwrap();
        d.version = n;
        d
    }

    #[test]
    fn what_an_earlier_version_asked_stays_in_the_export_and_the_codebook_says_when() {
        let v1 = version(&DEFAULT, 1);
        let v2 = version(
            &DEFAULT
                .replace("  { code = \"local\", label = \"Local authority\" },\n", "")
                .replace("[[sections.questions]]\nid = \"obstacle\"", "[[sections.questions]]\nid = \"barrier\""),
            2,
        );
        let v3 = version(&DEFAULT.replace("  { code = \"local\", label = \"Local authority\" },\n", ""), 3);
        let versions = [v1, v2, v3];
        let merged = merged(&versions).unwrap();
        let org = merged.question("org_type").unwrap();
        assert!(org.kind.options().unwrap().iter().any(|o| o.code == "local" && o.label == "Local authority"), "a dropped option comes back");
        assert_eq!(merged.sections.last().unwrap().title, "Asked in earlier versions only");
        assert!(merged.question("barrier").is_some(), "a dropped question comes back");
        assert_eq!(versions_with(&versions, "obstacle"), "1, 3");
        assert_eq!(versions_with(&versions, "barrier"), "2");
        assert_eq!(versions_with(&versions, "org_type"), "1–3");
        assert_eq!(versions_with(&versions, "version"), "1–3");
    }

    #[test]
    fn one_version_is_exported_as_it_is() {
        let v1 = version(&DEFAULT, 1);
        assert_eq!(merged(std::slice::from_ref(&v1)), Some(v1));
    }
}
