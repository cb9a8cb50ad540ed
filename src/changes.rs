//! What publishing a definition would change against the live version, and what it may
//! never change.
//!
//! Codes are the meaning of stored answers: a response to version 1 says `org_type =
//! "local"`, and every later version must read that the same way. So a question keeps its
//! kind for good, and an option's code, once it meant one thing, never means another.
//! Within that, anything goes: wording changes (texts and labels) leave every stored
//! answer's meaning alone; structural changes (questions or options added or removed,
//! kinds' limits, `show_if`, required) change what later respondents are asked, and the
//! organiser sees them listed apart before publishing.

use crate::definition::{Choice, Definition, Kind, Question};

/// The differences from the live version, in words an organiser reads before publishing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub wording: Vec<String>,
    pub structure: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.wording.is_empty() && self.structure.is_empty()
    }
}

/// Compares `new` with the stored versions of its survey (oldest first; the last is live).
/// Refused, with every reason, when it would give a stored code a new meaning.
pub fn compare(stored: &[Definition], new: &Definition) -> Result<Changes, Vec<String>> {
    let refusals = meaning_changes(stored, new);
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let Some(live) = stored.last() else {
        return Ok(Changes::default());
    };
    let mut changes = Changes::default();
    survey_changes(live, new, &mut changes);
    for question in new.questions() {
        match live.question(&question.id) {
            Some(was) => question_changes(was, question, &mut changes),
            None => changes.structure.push(format!("question `{}` added: “{}”", question.id, question.text)),
        }
    }
    for was in live.questions().filter(|q| new.question(&q.id).is_none()) {
        changes
            .structure
            .push(format!("question `{}` removed (answers already given to it are kept and exported)", was.id));
    }
    Ok(changes)
}

/// The kind of a question in words, without its options or limits.
fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Single { .. } => "a single choice",
        Kind::Multiple { .. } => "a multiple choice",
        Kind::Matrix { .. } => "a matrix",
        Kind::Number { .. } => "a number",
        Kind::Text { .. } => "a free text",
        Kind::Email => "an email",
        Kind::Consent { .. } => "a consent",
    }
}

/// The codes a question's answers are made of, by what they are (option, row, column).
fn coded(kind: &Kind) -> Vec<(&'static str, &[Choice])> {
    match kind {
        Kind::Single { options } | Kind::Multiple { options, .. } => vec![("option", options.as_slice())],
        Kind::Matrix { rows, columns } => vec![("row", rows.as_slice()), ("column", columns.as_slice())],
        _ => Vec::new(),
    }
}

fn meaning_changes(stored: &[Definition], new: &Definition) -> Vec<String> {
    let mut refusals = Vec::new();
    for question in new.questions() {
        let earlier: Vec<(u32, &Question)> =
            stored.iter().filter_map(|d| d.question(&question.id).map(|q| (d.version, q))).collect();
        if let Some((version, was)) = earlier.iter().find(|(_, q)| kind_name(&q.kind) != kind_name(&question.kind)) {
            refusals.push(format!(
                "question `{}` was {} question in version {version} and cannot become {} question: \
                 its stored answers would change meaning. Give the new question a new id",
                question.id,
                kind_name(&was.kind),
                kind_name(&question.kind)
            ));
            continue;
        }
        for (what, choices) in coded(&question.kind) {
            for choice in choices {
                let meant = earlier.iter().rev().find_map(|(version, q)| {
                    coded(&q.kind)
                        .into_iter()
                        .filter(|(w, _)| *w == what)
                        .flat_map(|(_, cs)| cs.iter())
                        .find(|c| c.code == choice.code)
                        .map(|c| (*version, c.label.as_str()))
                });
                let live_has_it = stored.last().and_then(|d| d.question(&question.id)).is_some_and(|q| {
                    coded(&q.kind).into_iter().any(|(w, cs)| w == what && cs.iter().any(|c| c.code == choice.code))
                });
                if let Some((version, label)) = meant {
                    if !live_has_it && label != choice.label {
                        refusals.push(format!(
                            "{what} `{}` of question `{}` meant “{label}” in version {version}; it was removed, and \
                             reusing its code for “{}” would change what stored answers mean. Use a new code",
                            choice.code, question.id, choice.label
                        ));
                    }
                }
            }
        }
    }
    refusals
}

fn survey_changes(live: &Definition, new: &Definition, changes: &mut Changes) {
    let texts = [
        ("title", &live.title, &new.title),
        ("introduction", &live.intro, &new.intro),
        ("time needed", &live.time_needed, &new.time_needed),
        ("privacy notice", &live.privacy, &new.privacy),
    ];
    for (what, was, now) in texts {
        if was != now {
            changes.wording.push(format!("{what} changed"));
        }
    }
    let titles = |d: &Definition| d.sections.iter().map(|s| s.title.clone()).collect::<Vec<_>>();
    if live.sections.len() != new.sections.len() {
        changes.structure.push(format!("sections: {} → {}", live.sections.len(), new.sections.len()));
    } else if titles(live) != titles(new) {
        changes.wording.push("section titles changed".into());
    }
    let placement = |d: &Definition| {
        d.sections.iter().map(|s| s.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>()).collect::<Vec<_>>()
    };
    if live.sections.len() == new.sections.len() && placement(live) != placement(new) {
        changes.structure.push("questions moved or reordered between sections".into());
    }
    let when = |t: &Option<String>| t.clone().unwrap_or_else(|| "not set".into());
    if live.opens_at != new.opens_at {
        changes.structure.push(format!("opens at {} (was {})", when(&new.opens_at), when(&live.opens_at)));
    }
    if live.closes_at != new.closes_at {
        changes.structure.push(format!("closes at {} (was {})", when(&new.closes_at), when(&live.closes_at)));
    }
    if live.segment_by != new.segment_by {
        changes.structure.push("results split by another question (`segment_by`)".into());
    }
    if live.gap.as_ref().map(|g| (&g.organisations, &g.column, &g.users)) != new.gap.as_ref().map(|g| (&g.organisations, &g.column, &g.users)) {
        changes.structure.push("the gap comparison compares other questions".into());
    } else if live.gap.as_ref().map(|g| &g.title) != new.gap.as_ref().map(|g| &g.title) {
        changes.wording.push("the gap comparison's title changed".into());
    }
}

fn question_changes(was: &Question, now: &Question, changes: &mut Changes) {
    let id = &now.id;
    if was.text != now.text {
        changes.wording.push(format!("question `{id}`: text “{}” → “{}”", was.text, now.text));
    }
    if was.hint != now.hint || was.short != now.short {
        changes.wording.push(format!("question `{id}`: hint or short name changed"));
    }
    if was.required != now.required {
        let now_is = if now.required { "required" } else { "optional" };
        changes.structure.push(format!("question `{id}`: now {now_is}"));
    }
    if was.show_if != now.show_if {
        let rule = |c: &Option<crate::definition::Condition>| match c {
            Some(c) => format!("shown when `{}` is `{}`", c.question, c.equals),
            None => "always shown".to_string(),
        };
        changes.structure.push(format!("question `{id}`: {} (was {})", rule(&now.show_if), rule(&was.show_if)));
    }
    let limits = |k: &Kind| match k {
        Kind::Multiple { max, .. } => format!("{max:?}"),
        Kind::Number { min, max, unit } => format!("{min}–{max} {unit:?}"),
        Kind::Text { max_length } => format!("{max_length}"),
        Kind::Consent { required_with } => format!("{required_with:?}"),
        _ => String::new(),
    };
    if limits(&was.kind) != limits(&now.kind) {
        changes.structure.push(format!("question `{id}`: limits changed"));
    }
    for ((what, before), (_, after)) in coded(&was.kind).into_iter().zip(coded(&now.kind)) {
        for choice in after {
            match before.iter().find(|c| c.code == choice.code) {
                None => changes.structure.push(format!("question `{id}`: {what} `{}` added", choice.code)),
                Some(old) if old.label != choice.label => changes
                    .wording
                    .push(format!("question `{id}`: {what} `{}` “{}” → “{}”", choice.code, old.label, choice.label)),
                Some(old) if old.benchmarks != choice.benchmarks => {
                    changes.wording.push(format!("question `{id}`: {what} `{}` benchmarks changed", choice.code))
                }
                Some(_) => {}
            }
        }
        for old in before.iter().filter(|o| !after.iter().any(|c| c.code == o.code)) {
            changes.structure.push(format!("question `{id}`: {what} `{}` removed", old.code));
        }
        let order = |cs: &[Choice]| cs.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
        let kept_before: Vec<String> = order(before).into_iter().filter(|c| after.iter().any(|a| &a.code == c)).collect();
        let kept_after: Vec<String> = order(after).into_iter().filter(|c| before.iter().any(|b| &b.code == c)).collect();
        if kept_before != kept_after {
            changes.structure.push(format!("question `{id}`: {what}s reordered"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The English alone: these tests edit it, and Welsh missing the edits would be refused.
    static DEFAULT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::translation::english_only(include_str!("../surveys/public-sector-social-media.toml")));

    fn version(text: &str, n: u32) -> Definition {
        let mut d = crate::parse_definition("test", text).expect("a valid definition");
        d.version = n;
        d
    }

    #[test]
    fn a_new_label_for_a_live_option_is_a_wording_change() {
        let live = version(&DEFAULT, 1);
        let new = version(&DEFAULT.replace("\"Local authority\"", "\"Local council\""), 2);
        let changes = compare(&[live], &new).unwrap();
        assert_eq!(changes.wording, vec!["question `org_type`: option `local` “Local authority” → “Local council”"]);
        assert!(changes.structure.is_empty(), "{changes:?}");
    }

    #[test]
    fn an_added_option_and_a_required_flag_are_structural_changes() {
        let live = version(&DEFAULT, 1);
        let text = DEFAULT
            .replace(
                "  { code = \"local\", label = \"Local authority\" },",
                "  { code = \"local\", label = \"Local authority\" },\n  { code = \"parish\", label = \"Parish or town council\" },",
            )
            .replacen("kind = \"text\"\n", "kind = \"text\"\nrequired = true\n", 1);
        let changes = compare(&[live], &version(&text, 2)).unwrap();
        assert!(changes.structure.contains(&"question `org_type`: option `parish` added".to_string()), "{changes:?}");
        assert!(changes.structure.contains(&"question `obstacle`: now required".to_string()), "{changes:?}");
        assert!(changes.wording.is_empty(), "{changes:?}");
    }

    #[test]
    fn the_same_content_changes_nothing() {
        let changes = compare(&[version(&DEFAULT, 1)], &version(&DEFAULT, 2)).unwrap();
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_question_never_changes_kind() {
        let live = version(&DEFAULT, 1);
        let text = DEFAULT.replacen("id = \"email\"\nkind = \"email\"", "id = \"email\"\nkind = \"text\"\nmax_length = 200", 1);
        assert_ne!(text, *DEFAULT, "the test edits the definition");
        let refused = compare(&[live], &version(&text, 2)).unwrap_err();
        assert_eq!(
            refused,
            vec!["question `email` was an email question in version 1 and cannot become a free text question: \
                  its stored answers would change meaning. Give the new question a new id"]
        );
    }

    #[test]
    fn a_removed_code_is_never_reused_for_something_else() {
        let v1 = version(&DEFAULT, 1);
        let without = DEFAULT.replace("  { code = \"local\", label = \"Local authority\" },\n", "");
        assert_ne!(without, *DEFAULT, "the test edits the definition");
        let v2 = version(&without, 2);
        let changes = compare(std::slice::from_ref(&v1), &v2).unwrap();
        assert!(changes.structure.contains(&"question `org_type`: option `local` removed".to_string()), "{changes:?}");

        let reused = DEFAULT.replace("\"Local authority\"", "\"Housing association\"");
        let refused = compare(&[v1.clone(), v2.clone()], &version(&reused, 3)).unwrap_err();
        assert_eq!(
            refused,
            vec!["option `local` of question `org_type` meant “Local authority” in version 1; it was removed, and \
                  reusing its code for “Housing association” would change what stored answers mean. Use a new code"]
        );
        // Bringing it back as it was is fine.
        assert!(compare(&[v1, v2], &version(&DEFAULT, 3)).is_ok());
    }
}
