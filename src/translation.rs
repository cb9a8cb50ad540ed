//! A survey in more than one language: the definition's own texts are in its first
//! language (English), and each further language declared in `languages` gives every one
//! of them in a `[translations.LANG]` table, keyed by where the text sits:
//!
//! ```toml
//! languages = ["en", "cy"]
//!
//! [translations.cy]
//! title = "Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus"
//! "sections.1.title" = "Eich sefydliad"
//! "org_type.text" = "Pa fath o sefydliad ydych chi'n gweithio iddo?"
//! "org_type.options.local" = "Awdurdod lleol"
//! ```
//!
//! One line a text, so a translator works down a list (`canvass survey translation FILE
//! --lang cy` prints it with each English text above its line), and the questionnaire's
//! structure (codes, kinds, rules) exists once: answers are codes whatever the language.
//! A declared language missing any text is refused, naming each missing key, because a
//! Welsh form with English holes treats Welsh speakers less favourably.

use std::collections::BTreeMap;

use crate::definition::{Choice, Definition, Kind};

/// The languages Canvass has interface words for.
pub const LANGUAGES: [(&str, &str); 2] = [("en", "English"), ("cy", "Welsh (Cymraeg)")];

/// The name of a language code, for messages ("Welsh (Cymraeg)").
pub fn language_name(code: &str) -> &str {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name).unwrap_or(code)
}

/// Visits every respondent-facing text of `definition` with the key a translation table
/// names it by, in the order a reader meets them: the one place those keys are defined.
fn visit_texts(definition: &mut Definition, visit: &mut dyn FnMut(String, &mut String)) {
    visit("title".into(), &mut definition.title);
    visit("intro".into(), &mut definition.intro);
    visit("time_needed".into(), &mut definition.time_needed);
    visit("privacy".into(), &mut definition.privacy);
    visit("data_protection.controller".into(), &mut definition.data_protection.controller);
    visit("data_protection.purpose".into(), &mut definition.data_protection.purpose);
    for (i, section) in definition.sections.iter_mut().enumerate() {
        visit(format!("sections.{}.title", i + 1), &mut section.title);
        for question in &mut section.questions {
            let id = question.id.clone();
            visit(format!("{id}.text"), &mut question.text);
            visit(format!("{id}.short"), &mut question.short);
            if let Some(hint) = &mut question.hint {
                visit(format!("{id}.hint"), hint);
            }
            let mut choices = |part: &str, list: &mut Vec<Choice>| {
                for choice in list {
                    visit(format!("{id}.{part}.{}", choice.code), &mut choice.label);
                    for benchmark in &mut choice.benchmarks {
                        let column = benchmark.column.as_deref().map(|c| format!(".{c}")).unwrap_or_default();
                        visit(format!("{id}.{part}.{}.benchmarks.{}{column}", choice.code, benchmark.wave), &mut benchmark.label);
                    }
                }
            };
            match &mut question.kind {
                Kind::Single { options } | Kind::Multiple { options, .. } => choices("options", options),
                Kind::Matrix { rows, columns } => {
                    choices("rows", rows);
                    choices("columns", columns);
                }
                Kind::Number { unit: Some(unit), .. } => visit(format!("{id}.unit"), unit),
                _ => {}
            }
        }
    }
    if let Some(gap) = &mut definition.gap {
        visit("gap.title".into(), &mut gap.title);
    }
    for (name, mail) in [("invitation", &mut definition.invitation), ("reminder", &mut definition.reminder)] {
        if let Some(mail) = mail {
            visit(format!("{name}.subject"), &mut mail.subject);
            visit(format!("{name}.body"), &mut mail.body);
        }
    }
}

/// Every respondent-facing text of `definition` in its own language (the empty ones left
/// out), keyed as a translation table names it, in the order a reader meets them.
pub fn text_keys(definition: &Definition) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    visit_texts(&mut definition.clone(), &mut |key, text| {
        if !text.trim().is_empty() {
            keys.push((key, text.clone()));
        }
    });
    keys
}

/// What is wrong with the languages and translations of a definition, one message each.
pub fn translation_problems(definition: &Definition) -> Vec<String> {
    let mut problems = Vec::new();
    let known = || LANGUAGES.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ");
    match definition.languages.first().map(String::as_str) {
        None => problems.push("`languages` is empty: list the survey's languages, its own first, e.g. languages = [\"en\", \"cy\"]".into()),
        Some("en") => {}
        Some(other) => problems
            .push(format!("`languages` starts with `{other}`: the definition's own texts are English, so list \"en\" first and the others after it")),
    }
    for (i, code) in definition.languages.iter().enumerate() {
        if !LANGUAGES.iter().any(|(c, _)| c == code) {
            problems.push(format!("`languages` has `{code}`, which Canvass has no interface words for: use {}", known()));
        }
        if definition.languages[..i].contains(code) {
            problems.push(format!("`languages` lists `{code}` twice"));
        }
    }
    let keys = text_keys(definition);
    for code in definition.languages.iter().skip(1) {
        let table = definition.translations.get(code);
        let missing: Vec<&(String, String)> =
            keys.iter().filter(|(key, _)| table.is_none_or(|t| t.get(key).is_none_or(|v| v.trim().is_empty()))).collect();
        for (key, english) in missing {
            problems.push(format!(
                "the {} text of `{key}` is missing from [translations.{code}] (in English: “{}”)",
                language_name(code),
                shortened(english)
            ));
        }
    }
    // The emails in each language follow the emails' rules ({link} in every body).
    for code in definition.languages.iter().skip(1) {
        let translated = localized(definition, code);
        for (name, mail) in [("invitation", &translated.invitation), ("reminder", &translated.reminder)] {
            if let Some(mail) = mail {
                problems.extend(mail.problems(&format!("translations.{code}: {name}")));
            }
        }
    }
    for (code, table) in &definition.translations {
        if !definition.languages.iter().skip(1).any(|l| l == code) {
            problems.push(format!(
                "[translations.{code}] is there but `languages` does not list `{code}` after \"en\": add it to `languages`, or remove the table"
            ));
            continue;
        }
        for key in table.keys() {
            if !keys.iter().any(|(k, _)| k == key) {
                problems.push(format!(
                    "[translations.{code}] has `{key}`, which is no text of this survey: correct its name or remove it (`canvass survey translation FILE --lang {code}` lists every key)"
                ));
            }
        }
    }
    problems
}

fn shortened(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    match first_line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &first_line[..at]),
        None if first_line.len() < text.trim_end().len() => format!("{first_line}…"),
        None => first_line.to_string(),
    }
}

/// `definition` as a respondent in `language` gets it: the same structure and codes, its
/// texts in that language, and it speaks that language alone (`languages` is just it, so
/// the answer rules word their messages in it, and no translation table goes along).
/// A language it does not declare gives it in its own.
pub fn localized(definition: &Definition, language: &str) -> Definition {
    let mut out = definition.clone();
    out.translations.clear();
    let table = definition.translations.get(language).filter(|_| definition.languages.iter().skip(1).any(|l| l == language));
    match table {
        Some(table) => {
            visit_texts(&mut out, &mut |key, text| {
                if let Some(translated) = table.get(&key).filter(|t| !t.trim().is_empty()) {
                    *text = translated.clone();
                }
            });
            out.languages = vec![language.to_string()];
        }
        None => out.languages.truncate(1),
    }
    out
}

/// The language labels are asked for in (`--lang cy`, `?lang=cy`): one the survey is
/// answered in, or a message saying which there are.
pub fn labels_language(definition: &Definition, code: &str) -> Result<crate::Lang, String> {
    let offered = definition.offered_languages();
    let list = offered.iter().map(|l| l.code()).collect::<Vec<_>>().join(", ");
    match crate::Lang::parse(code) {
        Some(lang) if offered.contains(&lang) => Ok(lang),
        Some(lang) => Err(format!(
            "survey `{}` has no {} labels: it is answered in {list} only. Use one of those, or add `{}` to its languages and a [translations.{}] table",
            definition.slug,
            language_name(lang.code()),
            lang.code(),
            lang.code()
        )),
        None => Err(format!("`{code}` is not a language Canvass knows: use one of {list}")),
    }
}

/// A translation table for `language` to fill in: every key, the English above it as a
/// comment, and the translation given so far (or an empty string).
pub fn translation_template(definition: &Definition, language: &str) -> String {
    let given = definition.translations.get(language);
    let mut out = format!(
        "# {} texts of “{}”: put languages = [\"en\", \"{language}\"] at the top of the definition,\n# paste this table at its end, fill in each line, then `canvass check` it.\n[translations.{language}]\n",
        language_name(language),
        definition.title
    );
    for (key, english) in text_keys(definition) {
        for line in english.lines() {
            out.push_str(&format!("# {line}\n"));
        }
        let current = given.and_then(|t| t.get(&key)).cloned().unwrap_or_default();
        out.push_str(&format!("{} = {}\n", toml_key(&key), toml_string(&current)));
    }
    out
}

fn toml_key(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The translations as stored: language → key → text.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;

/// A definition file's text without its other languages (the `languages` line and every
/// `[translations.…]` table, which come last): for tests that edit the English alone.
#[cfg(test)]
pub(crate) fn english_only(text: &str) -> String {
    let cut = text.find("\n[translations.").map_or(text, |at| &text[..at]);
    cut.lines().filter(|line| !line.starts_with("languages = ")).map(|line| format!("{line}\n")).collect()
}
