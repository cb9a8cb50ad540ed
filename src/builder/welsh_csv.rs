//! The translator's file: every text of a survey with its key (the keys of
//! `[translations.LANG]` and `canvass survey translation`), its English and its
//! translation, as a CSV a translator fills in with any spreadsheet and hands back.

use crate::csv_layout::{Cell, Lines};
use crate::definition::Definition;
use crate::translation::{language_name, text_keys};

/// The file for `language`: a header (`key`, `english`, the language's name, `check`),
/// then a row a text, with what is already translated; `check` says which translations
/// were made from English that has changed since (`english_changed`'s keys), and which
/// are missing, so the translator knows where to look.
pub fn translation_csv(definition: &Definition, language: &str, english_changed: &[String]) -> Vec<u8> {
    let given = definition.translations.get(language);
    let mut lines = Lines::new();
    lines.push(&[Cell::Plain("key".into()), Cell::Plain("english".into()), Cell::Text(language_name(language).to_string()), Cell::Plain("check".into())]);
    for (key, english) in text_keys(definition) {
        let current = given.and_then(|t| t.get(&key)).cloned().unwrap_or_default();
        let check = match (current.trim().is_empty(), english_changed.contains(&key)) {
            (true, _) => "missing",
            (false, true) => "English changed since translated",
            (false, false) => "",
        };
        lines.push(&[Cell::Plain(key), Cell::Text(english), Cell::Text(current), Cell::Text(check.to_string())]);
    }
    lines.into_bytes()
}

/// The translations a returned file gives (key and text, in its order; an empty cell
/// gives nothing), or every problem with its line. Its first row names the columns:
/// `key`, and the translation's column (the third, whatever its heading).
pub fn read_translation_csv(bytes: &[u8], definition: &Definition) -> Result<Vec<(String, String)>, Vec<String>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec!["The file is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”".into()]);
    };
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap_or_default();
    let records = crate::contacts::records(text, crate::contacts::separator(header))
        .map_err(|problems| problems.into_iter().map(|p| format!("line {}: {}", p.line, p.message)).collect::<Vec<_>>())?;
    let mut rows = records.into_iter();
    let Some((_, names)) = rows.next() else { return Err(vec!["The file is empty: download the translator’s file, fill it in and upload it".into()]) };
    let key_at = names.iter().position(|n| n.trim().eq_ignore_ascii_case("key"));
    let (Some(key_at), true) = (key_at, names.len() >= 3) else {
        return Err(vec!["The first row must name the columns key, english and the translation, as the downloaded file does".into()]);
    };
    let known: Vec<String> = text_keys(definition).into_iter().map(|(key, _)| key).collect();
    let (mut texts, mut problems) = (Vec::new(), Vec::new());
    for (line, fields) in rows {
        let key = fields.get(key_at).map(|k| k.trim()).unwrap_or_default();
        let translated = fields.get(2).map(|t| unneutralised(t.trim())).unwrap_or_default();
        if key.is_empty() && translated.is_empty() {
            continue;
        }
        if !known.iter().any(|k| k == key) {
            problems.push(format!(
                "line {line}: `{key}` is not a text of this survey (the file may be for another survey or an older version): download it again"
            ));
            continue;
        }
        if !translated.is_empty() {
            texts.push((key.to_string(), translated));
        }
    }
    if problems.is_empty() {
        Ok(texts)
    } else {
        Err(problems)
    }
}

/// A cell as written before the file was made safe for spreadsheets: the `'` put before
/// a formula's first character comes off again.
fn unneutralised(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Definition {
        crate::parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap()
    }

    #[test]
    fn the_file_read_back_gives_every_welsh_text_as_it_was() {
        let definition = survey();
        let file = translation_csv(&definition, "cy", &[]);
        let texts = read_translation_csv(&file, &definition).unwrap();
        let table = &definition.translations["cy"];
        assert_eq!(texts.len(), table.len());
        for (key, text) in texts {
            assert_eq!(table.get(&key), Some(&text), "{key}");
        }
    }

    #[test]
    fn the_check_column_names_translations_made_from_changed_english() {
        let definition = survey();
        let file = String::from_utf8(translation_csv(&definition, "cy", &["nation.text".to_string()])).unwrap();
        let header = file.lines().next().unwrap();
        assert!(header.ends_with(",check"), "{header}");
        let flagged: Vec<&str> = file.lines().filter(|l| l.contains("English changed since translated") || l.contains(",missing")).collect();
        assert_eq!(flagged.len(), 1, "{flagged:?}");
        assert!(flagged[0].starts_with("nation.text,") && flagged[0].ends_with(",\"English changed since translated\""), "{flagged:?}");
        assert_eq!(
            read_translation_csv(file.as_bytes(), &definition).unwrap().len(),
            definition.translations["cy"].len(),
            "the column is ignored on reading"
        );
    }

    #[test]
    fn a_spreadsheets_semicolons_and_bom_are_read_and_unknown_keys_are_named() {
        let definition = survey();
        let file = "\u{feff}key;english;Welsh\r\nnation.text;Where?;\"Ble; yn bennaf?\"\r\nnation.gone;x;y\r\n";
        assert_eq!(
            read_translation_csv(file.as_bytes(), &definition).unwrap_err(),
            vec!["line 3: `nation.gone` is not a text of this survey (the file may be for another survey or an older version): download it again"
                .to_string()]
        );
        let file = "key;english;Welsh\nnation.text;Where?;\"Ble; yn bennaf?\"\nnation.short;;\n";
        assert_eq!(read_translation_csv(file.as_bytes(), &definition).unwrap(), vec![("nation.text".to_string(), "Ble; yn bennaf?".to_string())]);
    }

    #[test]
    fn a_file_without_its_header_or_in_another_encoding_is_refused_with_what_to_do() {
        let definition = survey();
        assert!(read_translation_csv(b"nation.text,Where?,Ble?\n", &definition).unwrap_err()[0].starts_with("The first row must name"));
        assert!(read_translation_csv(b"key,english,welsh\nnation.text,x,\xff\n", &definition).unwrap_err()[0].contains("UTF-8"));
        assert!(read_translation_csv(b"", &definition).unwrap_err()[0].starts_with("The file is empty"));
    }
}
