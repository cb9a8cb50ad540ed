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
//!
//! Some settings are promises to respondents rather than questions: who may answer
//! (`access`) and whether answers are kept apart from who sent them (`anonymous`). Once
//! anyone has answered or been invited ([`Fieldwork::started`]) those promises have been
//! made, and a new version may not break them: on a survey switched to `anonymous =
//! false` the next invitee's answers would be stored with their contact and the time to
//! the second, although they were invited to an anonymous survey.

use crate::definition::{Choice, Definition, Kind, Question};
use crate::mail_text::Access;

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

/// What a survey has already done in the field, as storage counts it when a version is
/// about to be published.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fieldwork {
    /// Responses stored, under any version.
    pub responses: u64,
    /// Invitations made (queued or sent) to the survey's panel.
    pub invitations: u64,
}

impl Fieldwork {
    /// Nobody has answered or been invited yet: every promise may still change.
    pub const NOT_STARTED: Fieldwork = Fieldwork { responses: 0, invitations: 0 };

    pub fn started(&self) -> bool {
        self.responses > 0 || self.invitations > 0
    }

    /// "12 responses and 30 invitations", naming only what there is.
    fn said(&self) -> String {
        let count = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        match (self.responses, self.invitations) {
            (r, 0) => count(r, "response", "responses"),
            (0, i) => count(i, "invitation", "invitations"),
            (r, i) => format!("{} and {}", count(r, "response", "responses"), count(i, "invitation", "invitations")),
        }
    }
}

/// Compares `new` with the stored versions of its survey (oldest first; the last is live),
/// given what the survey has done in the field. Refused, with every reason, when it would
/// give a stored code a new meaning, or change who may answer or whether answers are
/// anonymous once fieldwork has started.
pub fn compare(stored: &[Definition], new: &Definition, fieldwork: Fieldwork) -> Result<Changes, Vec<String>> {
    let mut refusals = meaning_changes(stored, new);
    if let Some(live) = stored.last() {
        refusals.extend(promise_changes(live, new, fieldwork));
    }
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
        changes.structure.push(format!("question `{}` removed (answers already given to it are kept and exported)", was.id));
    }
    settings_changes(live, new, &mut changes);
    Ok(changes)
}

fn access_name(access: Access) -> &'static str {
    match access {
        Access::Open => "open",
        Access::Invite => "invite",
    }
}

/// Who may answer, in words.
fn who_answers(access: Access) -> &'static str {
    match access {
        Access::Open => "anyone with the survey's address",
        Access::Invite => "only those invited, through their invitation links",
    }
}

/// The promises made to respondents that a version may not change once fieldwork has
/// started: each refusal says what was promised and what to do instead.
fn promise_changes(live: &Definition, new: &Definition, fieldwork: Fieldwork) -> Vec<String> {
    if !fieldwork.started() {
        return Vec::new();
    }
    let so_far = fieldwork.said();
    let mut refusals = Vec::new();
    if live.anonymous != new.anonymous {
        refusals.push(if live.anonymous {
            format!(
                "`anonymous` cannot become false: this survey already has {so_far}, and those respondents were told their \
                 answers are kept apart from who sent them; from now on answers would be stored with the invitation, contact \
                 and time to the second. Keep `anonymous = true`; to ask with names, publish a new survey under a new slug"
            )
        } else {
            format!(
                "`anonymous` cannot become true: this survey already has {so_far}, given on the understanding that answers \
                 are linked to who sent them, and a notice saying otherwise would not hold for those. Keep `anonymous = false`; \
                 for an anonymous round, publish a new survey under a new slug"
            )
        });
    }
    if live.access != new.access {
        refusals.push(format!(
            "`access` cannot change from \"{}\" to \"{}\": this survey already has {so_far}, and respondents and the \
             people invited were told who answers it ({}). Keep `access = \"{}\"`; for the other, publish a new survey under \
             a new slug",
            access_name(live.access),
            access_name(new.access),
            who_answers(live.access),
            access_name(live.access)
        ));
    }
    refusals
}

/// The survey's settings outside its questions: promises to respondents, who sees it,
/// its emails, languages and retention. Each difference is listed, so no new version is
/// ever published as "no change".
fn settings_changes(live: &Definition, new: &Definition, changes: &mut Changes) {
    if live.anonymous != new.anonymous {
        changes.structure.push(if new.anonymous {
            "anonymity: answers will be kept apart from who sent them (`anonymous = true`; was false)".to_string()
        } else {
            "anonymity: answers will be stored with who sent them: their invitation, contact and time to the second \
             (`anonymous = false`; was true)"
                .to_string()
        });
    }
    if live.access != new.access {
        changes.structure.push(format!(
            "who may answer: {} (`access = \"{}\"`; was \"{}\")",
            who_answers(new.access),
            access_name(new.access),
            access_name(live.access)
        ));
    }
    if live.listed != new.listed {
        changes.structure.push(if new.listed {
            "the front page will list it while it is open (`listed = true`)".to_string()
        } else {
            "the front page will no longer list it (`listed = false`)".to_string()
        });
    }
    if live.population != new.population {
        let said = |p: Option<u64>| p.map_or_else(|| "not set".to_string(), |n| n.to_string());
        changes.structure.push(format!("population: {} (was {})", said(new.population), said(live.population)));
    }
    if live.languages != new.languages {
        changes.structure.push(format!("languages: {} (was {})", new.languages.join(", "), live.languages.join(", ")));
    }
    if live.retention != new.retention {
        changes.structure.push("how long answers, contact details or drafts are kept (`[retention]`) changed".into());
    }
    if live.data_protection != new.data_protection {
        changes.wording.push("the privacy notice's facts (`[data_protection]`) changed".into());
    }
    if live.invitation != new.invitation {
        changes.wording.push("the invitation email changed".into());
    }
    if live.reminder != new.reminder {
        changes.wording.push("the reminder email changed".into());
    }
    if live.translations != new.translations {
        changes.wording.push("translations changed".into());
    }
    if changes.is_empty() && !live.same_content(new) {
        // A field this list does not know yet: still never "no change".
        changes.structure.push("other settings changed".into());
    }
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
        let earlier: Vec<(u32, &Question)> = stored.iter().filter_map(|d| d.question(&question.id).map(|q| (d.version, q))).collect();
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
                let live_has_it = stored
                    .last()
                    .and_then(|d| d.question(&question.id))
                    .is_some_and(|q| coded(&q.kind).into_iter().any(|(w, cs)| w == what && cs.iter().any(|c| c.code == choice.code)));
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
    let placement = |d: &Definition| d.sections.iter().map(|s| s.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>()).collect::<Vec<_>>();
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
                Some(old) if old.label != choice.label => {
                    changes.wording.push(format!("question `{id}`: {what} `{}` “{}” → “{}”", choice.code, old.label, choice.label))
                }
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
        let changes = compare(&[live], &new, Fieldwork::NOT_STARTED).unwrap();
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
        let changes = compare(&[live], &version(&text, 2), Fieldwork::NOT_STARTED).unwrap();
        assert!(changes.structure.contains(&"question `org_type`: option `parish` added".to_string()), "{changes:?}");
        assert!(changes.structure.contains(&"question `obstacle`: now required".to_string()), "{changes:?}");
        assert!(changes.wording.is_empty(), "{changes:?}");
    }

    #[test]
    fn the_same_content_changes_nothing() {
        let changes = compare(&[version(&DEFAULT, 1)], &version(&DEFAULT, 2), Fieldwork::NOT_STARTED).unwrap();
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_question_never_changes_kind() {
        let live = version(&DEFAULT, 1);
        let text = DEFAULT.replacen("id = \"email\"\nkind = \"email\"", "id = \"email\"\nkind = \"text\"\nmax_length = 200", 1);
        assert_ne!(text, *DEFAULT, "the test edits the definition");
        let refused = compare(&[live], &version(&text, 2), Fieldwork::NOT_STARTED).unwrap_err();
        assert_eq!(
            refused,
            vec![
                "question `email` was an email question in version 1 and cannot become a free text question: \
                  its stored answers would change meaning. Give the new question a new id"
            ]
        );
    }

    #[test]
    fn a_removed_code_is_never_reused_for_something_else() {
        let v1 = version(&DEFAULT, 1);
        let without = DEFAULT.replace("  { code = \"local\", label = \"Local authority\" },\n", "");
        assert_ne!(without, *DEFAULT, "the test edits the definition");
        let v2 = version(&without, 2);
        let changes = compare(std::slice::from_ref(&v1), &v2, Fieldwork::NOT_STARTED).unwrap();
        assert!(changes.structure.contains(&"question `org_type`: option `local` removed".to_string()), "{changes:?}");

        let reused = DEFAULT.replace("\"Local authority\"", "\"Housing association\"");
        let refused = compare(&[v1.clone(), v2.clone()], &version(&reused, 3), Fieldwork::NOT_STARTED).unwrap_err();
        assert_eq!(
            refused,
            vec![
                "option `local` of question `org_type` meant “Local authority” in version 1; it was removed, and \
                  reusing its code for “Housing association” would change what stored answers mean. Use a new code"
            ]
        );
        // Bringing it back as it was is fine.
        assert!(compare(&[v1, v2], &version(&DEFAULT, 3), Fieldwork::NOT_STARTED).is_ok());
    }

    const ONE_RESPONSE: Fieldwork = Fieldwork { responses: 1, invitations: 0 };

    #[test]
    fn switching_anonymity_off_is_listed_and_refused_once_anyone_has_answered_or_been_invited() {
        let live = version(&DEFAULT, 1);
        let named = DEFAULT.replacen("anonymous = true", "anonymous = false", 1);
        assert_ne!(named, *DEFAULT, "the test edits the definition");
        let named = version(&named, 2);

        // Before fieldwork it may change, and the summary says so.
        let changes = compare(std::slice::from_ref(&live), &named, Fieldwork::NOT_STARTED).unwrap();
        assert_eq!(
            changes.structure,
            vec![
                "anonymity: answers will be stored with who sent them: their invitation, contact and time to the second \
                  (`anonymous = false`; was true)"
            ]
        );

        let refused = compare(std::slice::from_ref(&live), &named, ONE_RESPONSE).unwrap_err();
        assert_eq!(
            refused,
            vec![
                "`anonymous` cannot become false: this survey already has 1 response, and those respondents were told their \
                  answers are kept apart from who sent them; from now on answers would be stored with the invitation, contact \
                  and time to the second. Keep `anonymous = true`; to ask with names, publish a new survey under a new slug"
            ]
        );
        let invited_only = compare(std::slice::from_ref(&live), &named, Fieldwork { responses: 0, invitations: 30 }).unwrap_err();
        assert!(invited_only[0].contains("already has 30 invitations,"), "{invited_only:?}");
        let both = compare(&[live], &named, Fieldwork { responses: 12, invitations: 30 }).unwrap_err();
        assert!(both[0].contains("already has 12 responses and 30 invitations,"), "{both:?}");
    }

    #[test]
    fn switching_anonymity_on_mid_fieldwork_is_refused_too() {
        let live = version(&DEFAULT.replacen("anonymous = true", "anonymous = false", 1), 1);
        let refused = compare(&[live], &version(&DEFAULT, 2), ONE_RESPONSE).unwrap_err();
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].starts_with("`anonymous` cannot become true: this survey already has 1 response"), "{refused:?}");
        assert!(refused[0].ends_with("Keep `anonymous = false`; for an anonymous round, publish a new survey under a new slug"));
    }

    #[test]
    fn changing_who_may_answer_is_listed_and_refused_once_fieldwork_has_started() {
        let live = version(&DEFAULT, 1);
        let invite_only = DEFAULT.replacen("access = \"open\"", "access = \"invite\"", 1);
        assert_ne!(invite_only, *DEFAULT, "the test edits the definition");
        let invite_only = version(&invite_only, 2);
        let changes = compare(std::slice::from_ref(&live), &invite_only, Fieldwork::NOT_STARTED).unwrap();
        assert_eq!(changes.structure, vec!["who may answer: only those invited, through their invitation links (`access = \"invite\"`; was \"open\")"]);
        let refused = compare(&[live], &invite_only, Fieldwork { responses: 0, invitations: 1 }).unwrap_err();
        assert_eq!(
            refused,
            vec![
                "`access` cannot change from \"open\" to \"invite\": this survey already has 1 invitation, and respondents and \
                  the people invited were told who answers it (anyone with the survey's address). Keep `access = \"open\"`; for \
                  the other, publish a new survey under a new slug"
            ]
        );
    }

    #[test]
    fn a_new_version_is_never_listed_as_no_change() {
        let live = version(&DEFAULT, 1);
        let mut unlisted = version(&DEFAULT, 2);
        unlisted.listed = false;
        unlisted.data_protection.purpose = "Another purpose".into();
        let changes = compare(std::slice::from_ref(&live), &unlisted, Fieldwork::NOT_STARTED).unwrap();
        assert_eq!(changes.structure, vec!["the front page will no longer list it (`listed = false`)"]);
        assert_eq!(changes.wording, vec!["the privacy notice's facts (`[data_protection]`) changed"]);
        // Everything else that may differ between two versions is named too.
        let mut other = version(&DEFAULT, 2);
        other.population = Some(400);
        other.reminder = Some(crate::mail_text::MailText::default_reminder("Another"));
        let changes = compare(&[live], &other, Fieldwork::NOT_STARTED).unwrap();
        assert_eq!(changes.structure, vec!["population: 400 (was not set)"]);
        assert_eq!(changes.wording, vec!["the reminder email changed"]);
    }

    #[test]
    fn other_changes_are_still_allowed_mid_fieldwork() {
        let live = version(&DEFAULT, 1);
        let reworded = version(&DEFAULT.replace("\"Local authority\"", "\"Local council\""), 2);
        assert!(compare(&[live], &reworded, Fieldwork { responses: 500, invitations: 400 }).is_ok());
    }
}
