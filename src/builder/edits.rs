//! The builder's edits: each changes the definition's text where the change belongs and
//! nowhere else, then the result is checked by the same rules as a file
//! ([`crate::parse::parse_draft`]), so the builder refuses exactly what a file would be
//! refused for, in the same words. A survey being built may lack questions and translations
//! for a while: publishing asks for them, as it does for a file.

use toml_edit::{DocumentMut, Item, TableLike, Value};

use super::document::{inline, one_a_line, set, set_or_remove, settle_positions, List};
use crate::definition::{Benchmark, Choice, Condition, Definition, Kind, Question};

/// Which list of choices a question's edit is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Options,
    Rows,
    Columns,
}

impl Part {
    /// The definition's key for the list, and the translation keys' part.
    pub fn key(self) -> &'static str {
        match self {
            Part::Options => "options",
            Part::Rows => "rows",
            Part::Columns => "columns",
        }
    }
}

/// Up or down the questionnaire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One published figure of an earlier wave for a choice (for a grid's row, the share
/// giving `column`).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub percent: f64,
    pub n: Option<u64>,
    pub label: String,
}

/// One change the builder makes.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Writes a question: its wording, whether required, its condition and what its kind
    /// needs. An existing question keeps its kind, the benchmarks of the codes it keeps, and
    /// every comment; a new one is added to `section` (counted from 0) after `after`, or
    /// first in the section when `after` is `None`.
    SaveQuestion { question: Question, new_in: Option<(usize, Option<String>)> },
    /// Only the condition ("Ask this question only if…"); `None` asks it of everyone.
    Condition { id: String, condition: Option<Condition> },
    /// One place up or down; past the top (bottom) of its section, to the end (start) of
    /// the section before (after).
    Move { id: String, direction: Direction },
    /// Removes a question, and its texts in every translation.
    Delete { id: String },
    /// Adds an empty section at the end.
    AddSection { title: String },
    /// Renames a section (counted from 0).
    SectionTitle { section: usize, title: String },
    /// Removes a section that has no questions (counted from 0); the sections after it
    /// keep their Welsh titles, renumbered.
    DeleteSection { section: usize },
    /// Sets (or with `None` removes) one wave's figure for a choice.
    Benchmark { id: String, part: Part, code: String, column: Option<String>, wave: String, figure: Option<Figure> },
    /// Sets (or with an empty text removes) one text of a translation (`[translations.LANG]`).
    Translation { language: String, key: String, text: String },
    /// The survey's own details: what respondents read first, the privacy notice's facts
    /// and its languages.
    Details(Details),
    /// The survey's web address, while it is being started (once published it is fixed).
    Slug { slug: String },
    /// A choice's new code (before anyone has answered), in place: it keeps its label,
    /// benchmarks, comments and translations, and conditions that asked for it follow it.
    RenameCode { id: String, part: Part, was: String, now: String },
}

/// What the builder's "About the survey" page sets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    pub title: String,
    pub intro: String,
    pub time_needed: String,
    pub privacy: String,
    /// Who is responsible for the answers, and where respondents ask about their data.
    pub controller: String,
    pub contact: String,
    /// Whether the survey is also in Welsh (`languages = ["en", "cy"]`).
    pub welsh: bool,
    /// When it opens and closes (`opens_at`, `closes_at`: UTC, as a file writes them);
    /// none: as soon as it is published, and when its owners close it.
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
}

impl Details {
    /// The details `definition` has now.
    pub fn of(definition: &Definition) -> Self {
        Details {
            title: definition.title.clone(),
            intro: definition.intro.clone(),
            time_needed: definition.time_needed.clone(),
            privacy: definition.privacy.clone(),
            controller: definition.data_protection.controller.clone(),
            contact: definition.data_protection.contact.clone(),
            welsh: definition.languages.iter().any(|l| l == "cy"),
            opens_at: definition.opens_at.clone(),
            closes_at: definition.closes_at.clone(),
        }
    }
}

/// What an edit made: the new text, checked.
#[derive(Debug)]
pub struct Edited {
    pub text: String,
    pub definition: Definition,
}

/// Applies `edit` to the definition `text`. Refused, with every reason in the words a file
/// would get, when the text cannot be read, the edit names what is not there, or the
/// result breaks a rule.
pub fn apply(text: &str, edit: &Edit) -> Result<Edited, Vec<String>> {
    let document_text_before = text;
    let mut document: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| vec![unreadable(text, &e)])?;
    if let Edit::SaveQuestion { question, .. } = edit {
        // Choices are merged by code, so a list that repeats one is refused before it is.
        let problems = choice_problems(question);
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    change(&mut document, edit).map_err(|refusal| vec![refusal])?;
    settle_positions(&mut document);
    let mut text = document.to_string();
    let definition = crate::parse::parse_draft("definition", &text).map_err(|e| e.problems)?;
    // Translations of texts the edit removed (an option, a hint, a benchmark) go with them:
    // a file keeping them would be refused at publishing, and the builder lists only
    // current texts, so nothing could clear them there.
    if let Ok(before) = crate::parse::parse_draft("definition", document_text_before) {
        if drop_obsolete_translations(&mut document, &before, &definition) {
            text = document.to_string();
        }
    }
    Ok(Edited { text, definition })
}

/// Removes each translated text whose key named a text of `before` and names none of
/// `after`; other keys (even ones that were never right) are left as written.
fn drop_obsolete_translations(document: &mut DocumentMut, before: &Definition, after: &Definition) -> bool {
    let now: std::collections::HashSet<String> = crate::translation::text_keys(after).into_iter().map(|(key, _)| key).collect();
    let gone: Vec<String> = crate::translation::text_keys(before).into_iter().map(|(key, _)| key).filter(|key| !now.contains(key)).collect();
    let Some(translations) = document.get_mut("translations").and_then(Item::as_table_like_mut) else { return false };
    let mut dropped = false;
    for (_, table) in translations.iter_mut() {
        if let Some(table) = table.as_table_like_mut() {
            for key in &gone {
                dropped |= table.remove(key).is_some();
            }
        }
    }
    dropped
}

/// What the file's rules say of a question's lists of choices (codes unique and plain).
fn choice_problems(question: &Question) -> Vec<String> {
    let mut problems = Vec::new();
    match &question.kind {
        Kind::Single { options } | Kind::Multiple { options, .. } => crate::parse::check_choices("options", options, None, &mut problems),
        Kind::Matrix { rows, columns } => {
            crate::parse::check_choices("columns", columns, None, &mut problems);
            crate::parse::check_choices("rows", rows, Some(columns), &mut problems);
        }
        _ => {}
    }
    problems.into_iter().map(|p| format!("question `{}`: {p}", question.id)).collect()
}

fn unreadable(text: &str, error: &toml_edit::TomlError) -> String {
    let line = error.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let said = error.message().trim_end_matches('\n');
    match line {
        Some(line) => format!("The text has a mistake on line {line} ({said}): fix it in the text editor first"),
        None => format!("The text has a mistake ({said}): fix it in the text editor first"),
    }
}

fn change(document: &mut DocumentMut, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::SaveQuestion { question, new_in: None } => {
            let table = find(document, &question.id)?.table(document)?;
            let kind = table.get("kind").and_then(Item::as_str).unwrap_or_default().to_string();
            if kind != question.kind.name() {
                return Err(format!(
                    "Question `{}` is a {kind} question and stays one: to ask it another way, add a new question and delete this one",
                    question.id
                ));
            }
            write_question(table, question);
            Ok(())
        }
        Edit::SaveQuestion { question, new_in: Some((section, after)) } => add_question(document, *section, after.as_deref(), question),
        Edit::Condition { id, condition } => {
            let table = find(document, id)?.table(document)?;
            set_or_remove(table, "show_if", condition.as_ref().map(condition_value));
            Ok(())
        }
        Edit::Move { id, direction } => move_question(document, id, *direction),
        Edit::Delete { id } => {
            let at = find(document, id)?;
            // Its Welsh goes with it, as every removed text's does (`drop_obsolete_translations`).
            at.questions(document)?.remove(at.question);
            Ok(())
        }
        Edit::AddSection { title } => add_section(document, title),
        Edit::SectionTitle { section, title } => {
            let mut sections = sections(document)?;
            let table = sections.get(*section).ok_or_else(|| format!("There is no section {}", section.saturating_add(1)))?;
            set(table, "title", Value::from(title.as_str()));
            Ok(())
        }
        Edit::DeleteSection { section } => delete_section(document, *section),
        Edit::Benchmark { id, part, code, column, wave, figure } => {
            let table = find(document, id)?.table(document)?;
            set_benchmark(table, *part, code, column.as_deref(), wave, figure.as_ref())
        }
        Edit::Translation { language, key, text } => set_translation(document, language, key, text),
        Edit::Details(details) => {
            write_details(document, details);
            Ok(())
        }
        Edit::Slug { slug } => {
            set(document.as_table_mut(), "slug", Value::from(slug.as_str()));
            Ok(())
        }
        Edit::RenameCode { id, part, was, now } => rename_code(document, id, *part, was, now),
    }
}

fn delete_section(document: &mut DocumentMut, section: usize) -> Result<(), String> {
    let count = section_count(document);
    if section >= count {
        return Err(format!("There is no section {} (the survey has {count})", section.saturating_add(1)));
    }
    if section_questions(document, section)?.len() > 0 {
        return Err(format!("Section {} still has questions: move them to another section or delete them first", section + 1));
    }
    sections(document)?.remove(section);
    // Section titles are translated by number (`sections.2.title`): those after it move up.
    if let Some(translations) = document.get_mut("translations").and_then(Item::as_table_like_mut) {
        for (_, table) in translations.iter_mut() {
            let Some(table) = table.as_table_like_mut() else { continue };
            table.remove(&format!("sections.{}.title", section + 1));
            for n in section + 2..=count {
                if let Some(item) = table.remove(&format!("sections.{n}.title")) {
                    table.insert(&format!("sections.{}.title", n - 1), item);
                }
            }
        }
    }
    Ok(())
}

fn rename_code(document: &mut DocumentMut, id: &str, part: Part, was: &str, now: &str) -> Result<(), String> {
    if was == now {
        return Ok(());
    }
    let table = find(document, id)?.table(document)?;
    let mut list = List::at(table, part.key()).ok_or_else(|| format!("This question has no {}", part.key()))?;
    let codes = list.strings("code");
    if codes.iter().any(|c| c == now) {
        return Err(format!("question `{id}`: duplicate {} code `{now}`; codes must be unique", part.key()));
    }
    let at = codes.iter().position(|c| c == was).ok_or_else(|| format!("There is no {} code `{was}`", part.key()))?;
    let entry = list.get(at).ok_or_else(|| format!("The {} `{was}` could not be read: fix it in the text editor", part.key()))?;
    set(entry, "code", Value::from(now));
    // Its translations, and its benchmarks' ("…options.yes.benchmarks.2013").
    let old_key = format!("{id}.{}.{was}", part.key());
    let new_key = format!("{id}.{}.{now}", part.key());
    if let Some(translations) = document.get_mut("translations").and_then(Item::as_table_like_mut) {
        for (_, table) in translations.iter_mut() {
            let Some(table) = table.as_table_like_mut() else { continue };
            let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).filter(|k| *k == old_key || k.starts_with(&format!("{old_key}."))).collect();
            for key in keys {
                if let Some(item) = table.remove(&key) {
                    table.insert(&format!("{new_key}{}", &key[old_key.len()..]), item);
                }
            }
        }
    }
    // Conditions on that answer follow it.
    if part == Part::Options {
        for section in 0..section_count(document) {
            let mut questions = section_questions(document, section)?;
            for q in 0..questions.len() {
                let Some(question) = questions.get(q) else { continue };
                let Some(condition) = question.get_mut("show_if").and_then(Item::as_table_like_mut) else { continue };
                let asks = condition.get("question").and_then(Item::as_str) == Some(id) && condition.get("equals").and_then(Item::as_str) == Some(was);
                if asks {
                    set(condition, "equals", Value::from(now));
                }
            }
        }
    }
    Ok(())
}

/// Sets each detail that differs, leaving the rest of the text as it is.
fn write_details(document: &mut DocumentMut, details: &Details) {
    let root = document.as_table_mut();
    for (key, value) in [("title", &details.title), ("intro", &details.intro), ("time_needed", &details.time_needed), ("privacy", &details.privacy)] {
        // Compared as the page shows them (trimmed), so saving an unchanged page keeps a
        // multi-line string's layout.
        if root.get(key).and_then(Item::as_str).unwrap_or_default().trim() != value.trim() {
            set_or_remove(root, key, Some(value.as_str()).filter(|v| !v.is_empty()).map(Value::from));
        }
    }
    for (key, value) in [("opens_at", &details.opens_at), ("closes_at", &details.closes_at)] {
        // Compared as times, so a file's `2027-01-10T09:00:00+00:00` left as it was stays as written.
        let now = root.get(key).and_then(Item::as_str).and_then(crate::schedule::parse_utc);
        if now != value.as_deref().and_then(crate::schedule::parse_utc) {
            set_or_remove(root, key, value.as_deref().map(Value::from));
        }
    }
    let welsh_now = root.get("languages").and_then(Item::as_array).is_some_and(|a| a.iter().any(|l| l.as_str() == Some("cy")));
    if welsh_now != details.welsh {
        let languages = details.welsh.then(|| Value::Array(["en", "cy"].into_iter().collect()));
        set_or_remove(root, "languages", languages);
        if !details.welsh {
            // A survey no longer in Welsh keeps no Welsh: publishing would refuse the table.
            // (The builder's revisions keep the text as it was, Welsh and all.)
            if let Some(translations) = root.get_mut("translations").and_then(Item::as_table_like_mut) {
                translations.remove("cy");
                if translations.is_empty() {
                    root.remove("translations");
                }
            }
        }
    }
    if !root.contains_key("data_protection") {
        if details.controller.is_empty() && details.contact.is_empty() {
            return;
        }
        let mut table = toml_edit::Table::new();
        table.decor_mut().set_prefix("\n");
        root.insert("data_protection", Item::Table(table));
    }
    if let Some(table) = root.get_mut("data_protection").and_then(Item::as_table_like_mut) {
        for (key, value) in [("controller", &details.controller), ("contact", &details.contact)] {
            if table.get(key).and_then(Item::as_str).unwrap_or_default().trim() != value.trim() {
                set(table, key, Value::from(value.as_str()));
            }
        }
    }
}

/// Where a question is: its section and its place in it.
#[derive(Clone, Copy)]
struct At {
    section: usize,
    question: usize,
}

impl At {
    fn questions<'d>(&self, document: &'d mut DocumentMut) -> Result<List<'d>, String> {
        section_questions(document, self.section)
    }

    fn table<'d>(&self, document: &'d mut DocumentMut) -> Result<&'d mut dyn TableLike, String> {
        let question = self.question;
        match self.questions(document)? {
            List::Tables(tables) => tables.get_mut(question).map(|t| t as &mut dyn TableLike),
            List::Inline(array) => array.get_mut(question).and_then(Value::as_inline_table_mut).map(|t| t as &mut dyn TableLike),
        }
        .ok_or_else(|| "That question could not be read: fix it in the text editor".to_string())
    }
}

fn sections(document: &mut DocumentMut) -> Result<List<'_>, String> {
    List::at(document.as_table_mut(), "sections").ok_or_else(|| "The survey has no sections yet: add a section first".to_string())
}

fn section_questions(document: &mut DocumentMut, section: usize) -> Result<List<'_>, String> {
    let sections = sections(document)?;
    let count = sections.len();
    // A list of questions is made on first use, in the section's own shape.
    let table = match sections {
        List::Tables(tables) => tables.get_mut(section).map(|t| t as &mut dyn TableLike),
        List::Inline(array) => array.get_mut(section).and_then(Value::as_inline_table_mut).map(|t| t as &mut dyn TableLike),
    }
    .ok_or_else(|| format!("There is no section {} (the survey has {count})", section.saturating_add(1)))?;
    if !table.contains_key("questions") {
        table.insert("questions", Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    }
    List::at(table, "questions").ok_or_else(|| format!("Section {}'s questions could not be read: fix them in the text editor", section.saturating_add(1)))
}

fn section_count(document: &mut DocumentMut) -> usize {
    sections(document).map_or(0, |s| s.len())
}

fn find(document: &mut DocumentMut, id: &str) -> Result<At, String> {
    for section in 0..section_count(document) {
        let mut questions = section_questions(document, section)?;
        if let Some(question) = questions.strings("id").iter().position(|q| q == id) {
            return Ok(At { section, question });
        }
    }
    Err(format!("There is no question `{id}`: it may have been deleted since the page was loaded"))
}

fn condition_value(condition: &Condition) -> Value {
    Value::InlineTable(inline(vec![("question", condition.question.as_str().into()), ("equals", condition.equals.as_str().into())]))
}

/// Writes every field of `question` into its table, leaving what is already so untouched.
fn write_question(table: &mut dyn TableLike, question: &Question) {
    let same = |table: &dyn TableLike, key: &str, value: &str| table.get(key).and_then(Item::as_str).map(str::trim) == Some(value.trim());
    for (key, value) in [("text", Some(question.text.as_str())), ("hint", question.hint.as_deref().filter(|h| !h.trim().is_empty()))] {
        match value {
            Some(value) if same(&*table, key, value) => {}
            value => set_or_remove(table, key, value.map(Value::from)),
        }
    }
    // `short` is written only when it differs from what the id would give.
    let default_short = question.id.replace('_', " ");
    if !same(&*table, "short", &question.short) {
        let keep = question.short != default_short || table.contains_key("short");
        set_or_remove(table, "short", keep.then(|| Value::from(question.short.as_str())));
    }
    if table.get("required").and_then(Item::as_bool).unwrap_or(false) != question.required {
        set_or_remove(table, "required", question.required.then(|| Value::from(true)));
    }
    let condition = question.show_if.as_ref();
    let current = table.get("show_if").and_then(|item| {
        let t = item.as_table_like()?;
        Some((t.get("question")?.as_str()?.to_string(), t.get("equals")?.as_str()?.to_string()))
    });
    if current.as_ref().map(|(q, e)| (q.as_str(), e.as_str())) != condition.map(|c| (c.question.as_str(), c.equals.as_str())) {
        set_or_remove(table, "show_if", condition.map(condition_value));
    }
    write_kind(table, &question.kind);
}

/// A kind's lists of choices, and its other keys (`None`: absent).
type KindKeys<'k> = (Vec<(Part, &'k [Choice])>, Vec<(&'static str, Option<Value>)>);

fn write_kind(table: &mut dyn TableLike, kind: &Kind) {
    let int = |n: i64| Some(Value::from(n));
    let (choices, limits): KindKeys = match kind {
        Kind::Single { options } => (vec![(Part::Options, options)], vec![]),
        Kind::Multiple { options, max } => (vec![(Part::Options, options)], vec![("max", max.and_then(|m| int(i64::from(m))))]),
        Kind::Matrix { rows, columns } => (vec![(Part::Columns, columns), (Part::Rows, rows)], vec![]),
        Kind::Number { min, max, unit } => {
            (vec![], vec![("min", int(*min)), ("max", int(*max)), ("unit", unit.as_deref().filter(|u| !u.is_empty()).map(Value::from))])
        }
        Kind::Text { max_length } => (vec![], vec![("max_length", int(i64::from(*max_length)))]),
        Kind::Email => (vec![], vec![]),
        Kind::Consent { required_with } => (vec![], vec![("required_with", required_with.as_deref().map(Value::from))]),
    };
    for (key, value) in limits {
        let unchanged = match (&value, table.get(key).and_then(Item::as_value)) {
            (Some(new), Some(old)) => new.as_integer() == old.as_integer() && new.as_str() == old.as_str(),
            (None, None) => true,
            _ => false,
        };
        if !unchanged {
            set_or_remove(table, key, value);
        }
    }
    for (part, choices) in choices {
        write_choices(table, part, choices);
    }
}

/// Makes a list of choices say `choices` (codes and labels, in order): a code already
/// there keeps its place in the text's layout, its benchmarks and comments, and changes
/// only its label; codes no longer listed go; new ones are added laid out like the rest.
fn write_choices(table: &mut dyn TableLike, part: Part, choices: &[Choice]) {
    let Some(mut list) = List::at(table, part.key()) else {
        let elements = choices.iter().map(|c| inline(vec![("code", c.code.as_str().into()), ("label", c.label.as_str().into())])).collect();
        table.insert(part.key(), Item::Value(one_a_line(elements)));
        return;
    };
    let codes = list.strings("code");
    for (i, code) in codes.iter().enumerate().rev() {
        if !choices.iter().any(|c| &c.code == code) {
            list.remove(i);
        }
    }
    let mut codes = list.strings("code");
    for (i, choice) in choices.iter().enumerate() {
        match codes.iter().position(|c| c == &choice.code) {
            Some(at) => {
                if let Some(entry) = list.get(at) {
                    if entry.get("label").and_then(Item::as_str) != Some(choice.label.as_str()) {
                        set(entry, "label", Value::from(choice.label.as_str()));
                    }
                }
            }
            None => {
                let at = i.min(codes.len());
                list.insert(at, vec![("code", choice.code.as_str().into()), ("label", choice.label.as_str().into())]);
                codes.insert(at, choice.code.clone());
            }
        }
    }
    let order: Vec<usize> = choices.iter().filter_map(|choice| codes.iter().position(|c| c == &choice.code)).collect();
    if order.iter().enumerate().any(|(i, &at)| i != at) {
        list.reorder(&order);
    }
}

fn add_question(document: &mut DocumentMut, section: usize, after: Option<&str>, question: &Question) -> Result<(), String> {
    if find(document, &question.id).is_ok() {
        return Err(format!("There is already a question `{}`: give this one its own id", question.id));
    }
    let mut questions = section_questions(document, section)?;
    let at = match after {
        None => 0,
        Some(after) => questions.strings("id").iter().position(|q| q == after).map(|i| i + 1).ok_or_else(|| {
            format!("There is no question `{after}` in section {}: it may have moved since the page was loaded", section.saturating_add(1))
        })?,
    };
    questions.insert(at, vec![("id", question.id.as_str().into()), ("kind", question.kind.name().into()), ("text", question.text.as_str().into())]);
    let table = questions.get(at).ok_or_else(|| "The question could not be added".to_string())?;
    write_question(table, question);
    Ok(())
}

fn add_section(document: &mut DocumentMut, title: &str) -> Result<(), String> {
    if !document.contains_key("sections") {
        document.insert("sections", Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    }
    let mut sections = sections(document)?;
    let end = sections.len();
    sections.insert(end, vec![("title", title.into())]);
    Ok(())
}

fn move_question(document: &mut DocumentMut, id: &str, direction: Direction) -> Result<(), String> {
    let at = find(document, id)?;
    let count = at.questions(document)?.len();
    let neighbour = match direction {
        Direction::Up => at.question.checked_sub(1),
        Direction::Down => Some(at.question + 1).filter(|&i| i < count),
    };
    if let Some(other) = neighbour {
        let mut order: Vec<usize> = (0..count).collect();
        order.swap(at.question, other);
        at.questions(document)?.reorder(&order);
        return Ok(());
    }
    // Across a section boundary: out of this section, into the next one over.
    let target = match direction {
        Direction::Up => at.section.checked_sub(1),
        Direction::Down => Some(at.section + 1).filter(|&s| s < section_count(document)),
    };
    let Some(target) = target else {
        let end = if direction == Direction::Up { "first" } else { "last" };
        return Err(format!("`{id}` is already the {end} question of the survey"));
    };
    let moved = take_question(document, at)?;
    let mut questions = section_questions(document, target)?;
    let place = if direction == Direction::Up { questions.len() } else { 0 };
    match (&mut questions, moved) {
        (List::Tables(tables), Taken::Table(mut table)) => {
            table.set_position(None);
            tables.insert(place, table);
        }
        (List::Inline(array), Taken::Table(table)) => array.insert(place, Value::InlineTable(table.into_inline_table())),
        (List::Tables(tables), Taken::Inline(inline)) => tables.insert(place, inline.into_table()),
        (List::Inline(array), Taken::Inline(inline)) => array.insert(place, Value::InlineTable(inline)),
    }
    Ok(())
}

enum Taken {
    Table(toml_edit::Table),
    Inline(toml_edit::InlineTable),
}

fn take_question(document: &mut DocumentMut, at: At) -> Result<Taken, String> {
    match at.questions(document)? {
        List::Tables(tables) => Ok(Taken::Table(tables.remove(at.question))),
        List::Inline(array) => match array.remove(at.question) {
            Value::InlineTable(table) => Ok(Taken::Inline(table)),
            _ => Err("That question could not be read: fix it in the text editor".into()),
        },
    }
}

fn set_benchmark(table: &mut dyn TableLike, part: Part, code: &str, column: Option<&str>, wave: &str, figure: Option<&Figure>) -> Result<(), String> {
    let mut list = List::at(table, part.key()).ok_or_else(|| format!("This question has no {}", part.key()))?;
    let at = list.strings("code").iter().position(|c| c == code).ok_or_else(|| format!("There is no {} code `{code}`", part.key()))?;
    let entry = list.get(at).ok_or_else(|| format!("The {} `{code}` could not be read: fix it in the text editor", part.key()))?;
    let same = |b: &dyn TableLike| b.get("wave").and_then(Item::as_str) == Some(wave) && b.get("column").and_then(Item::as_str) == column;
    let found = match List::at(entry, "benchmarks") {
        Some(mut benchmarks) => (0..benchmarks.len()).find(|&i| benchmarks.get(i).is_some_and(|b| same(b))),
        None => None,
    };
    match (found, figure) {
        (Some(i), Some(figure)) => {
            let mut benchmarks = List::at(entry, "benchmarks").ok_or("benchmarks")?;
            let b = benchmarks.get(i).ok_or("benchmark")?;
            write_figure(b, figure);
        }
        (Some(i), None) => {
            let mut benchmarks = List::at(entry, "benchmarks").ok_or("benchmarks")?;
            benchmarks.remove(i);
            if benchmarks.len() == 0 {
                entry.remove("benchmarks");
            }
        }
        (None, Some(figure)) => {
            let benchmark = Benchmark {
                wave: wave.to_string(),
                percent: figure.percent,
                label: figure.label.clone(),
                column: column.map(str::to_string),
                n: figure.n,
            };
            let mut fields: Vec<(&str, Value)> = vec![("wave", benchmark.wave.as_str().into()), ("percent", percent_value(figure.percent))];
            if let Some(column) = &benchmark.column {
                fields.push(("column", column.as_str().into()));
            }
            fields.push(("label", benchmark.label.as_str().into()));
            if let Some(n) = benchmark.n {
                fields.push(("n", Value::from(n as i64)));
            }
            match List::at(entry, "benchmarks") {
                Some(mut benchmarks) => {
                    let end = benchmarks.len();
                    benchmarks.insert(end, fields);
                }
                None => {
                    set(entry, "benchmarks", one_a_line(vec![inline(fields)]));
                }
            }
        }
        (None, None) => {}
    }
    Ok(())
}

fn write_figure(benchmark: &mut dyn TableLike, figure: &Figure) {
    if benchmark.get("percent").and_then(Item::as_value).and_then(number) != Some(figure.percent) {
        set(benchmark, "percent", percent_value(figure.percent));
    }
    if benchmark.get("label").and_then(Item::as_str) != Some(figure.label.as_str()) {
        set(benchmark, "label", Value::from(figure.label.as_str()));
    }
    if benchmark.get("n").and_then(Item::as_integer) != figure.n.map(|n| n as i64) {
        set_or_remove(benchmark, "n", figure.n.map(|n| Value::from(n as i64)));
    }
}

fn number(value: &Value) -> Option<f64> {
    value.as_float().or_else(|| value.as_integer().map(|i| i as f64))
}

/// A whole percentage is written as an integer (`87`), as people write them.
fn percent_value(percent: f64) -> Value {
    if percent.fract() == 0.0 && percent.abs() < 1e15 {
        Value::from(percent as i64)
    } else {
        Value::from(percent)
    }
}

fn set_translation(document: &mut DocumentMut, language: &str, key: &str, text: &str) -> Result<(), String> {
    if !document.contains_key("translations") {
        let mut translations = toml_edit::Table::new();
        translations.set_implicit(true);
        document.insert("translations", Item::Table(translations));
    }
    let translations =
        document.get_mut("translations").and_then(Item::as_table_like_mut).ok_or("`translations` could not be read: fix it in the text editor")?;
    if !translations.contains_key(language) {
        if text.trim().is_empty() {
            return Ok(());
        }
        let mut table = toml_edit::Table::new();
        table.decor_mut().set_prefix("\n");
        translations.insert(language, Item::Table(table));
    }
    let table = translations.get_mut(language).and_then(Item::as_table_like_mut).ok_or("That translation could not be read: fix it in the text editor")?;
    if text.trim().is_empty() {
        table.remove(key);
    } else if table.get(key).and_then(Item::as_str).map(str::trim) != Some(text.trim()) {
        set(table, key, Value::from(text));
    }
    Ok(())
}
