//! What each translation was made from, so that a translation whose English changed since
//! is flagged for its translator (as GOV.UK Forms flags Welsh after an English edit).
//!
//! The server keeps one [`TranslatedFrom`] a text and language, and shows this module the
//! survey each time its text is saved or published: a translation that is new or changed
//! is recorded against the English of that moment ([`newly_translated`]); one left as it
//! was while its English changed is stale ([`english_changed`]) until it is changed or
//! confirmed as still right ([`confirmed`]). Whichever editor changed the text (the
//! builder, the text editor, a file published from the command line), the same rule
//! applies, since it reads only the text.

use crate::definition::Definition;
use crate::translation::text_keys;

/// One translated text: the English it was translated from, and the translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranslatedFrom {
    pub key: String,
    pub english: String,
    pub translation: String,
}

/// Each text of `definition` with its translation into `language`, where it has one.
fn translated(definition: &Definition, language: &str) -> Vec<TranslatedFrom> {
    let Some(given) = definition.translations.get(language) else { return Vec::new() };
    text_keys(definition)
        .into_iter()
        .filter_map(|(key, english)| {
            let translation = given.get(&key).filter(|t| !t.trim().is_empty())?.clone();
            Some(TranslatedFrom { key, english, translation })
        })
        .collect()
}

/// The records to keep now that `definition` says what it says: one for each translation
/// that `known` has no record of, or whose text differs from the record's (it was made, or
/// remade, against the English as it stands).
pub fn newly_translated(definition: &Definition, language: &str, known: &[TranslatedFrom]) -> Vec<TranslatedFrom> {
    translated(definition, language).into_iter().filter(|now| !known.iter().any(|k| k.key == now.key && k.translation == now.translation)).collect()
}

/// The keys, in the survey's order, of translations left as they were while their English
/// changed: they may no longer say what the English says.
pub fn english_changed(definition: &Definition, language: &str, known: &[TranslatedFrom]) -> Vec<String> {
    translated(definition, language)
        .into_iter()
        .filter(|now| known.iter().any(|k| k.key == now.key && k.translation == now.translation && k.english != now.english))
        .map(|now| now.key)
        .collect()
}

/// Records that the translations of `keys` are still right for the English as it stands.
pub fn confirmed(definition: &Definition, language: &str, keys: &[String]) -> Vec<TranslatedFrom> {
    translated(definition, language).into_iter().filter(|now| keys.contains(&now.key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURVEY: &str = r#"
slug = "s"
title = "A survey"
languages = ["en", "cy"]

[[sections]]
title = "About you"

[[sections.questions]]
id = "uses"
kind = "single"
text = "Do you use social media?"
options = [{ code = "yes", label = "Yes" }, { code = "no", label = "No" }]

[translations.cy]
title = "Arolwg"
"sections.1.title" = "Amdanoch chi"
"uses.text" = "Ydych chi'n defnyddio cyfryngau cymdeithasol?"
"uses.options.yes" = "Ydw"
"uses.options.no" = "Nac ydw"
"#;

    fn survey(text: &str) -> Definition {
        crate::parse_draft("test", text).expect("the test survey parses")
    }

    /// The records as the server keeps them: the first sight records every translation.
    fn first_sight(definition: &Definition) -> Vec<TranslatedFrom> {
        newly_translated(definition, "cy", &[])
    }

    #[test]
    fn a_translation_is_recorded_once_and_not_again_while_it_stays_the_same() {
        let definition = survey(SURVEY);
        let known = first_sight(&definition);
        assert_eq!(known.len(), 5, "{known:?}");
        assert!(newly_translated(&definition, "cy", &known).is_empty());
        assert!(english_changed(&definition, "cy", &known).is_empty());
    }

    #[test]
    fn changing_the_english_alone_flags_its_translation_and_no_other() {
        let known = first_sight(&survey(SURVEY));
        let edited = survey(&SURVEY.replace("Do you use social media?", "Does your organisation use social media?"));
        assert_eq!(english_changed(&edited, "cy", &known), vec!["uses.text".to_string()]);
        assert!(newly_translated(&edited, "cy", &known).is_empty(), "the old translation is not taken as made from the new English");
    }

    #[test]
    fn changing_the_translation_with_its_english_records_it_against_the_new_english() {
        let known = first_sight(&survey(SURVEY));
        let edited = survey(
            &SURVEY
                .replace("Do you use social media?", "Does your organisation use social media?")
                .replace("Ydych chi'n defnyddio", "Ydy eich sefydliad yn defnyddio"),
        );
        let recorded = newly_translated(&edited, "cy", &known);
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].english, "Does your organisation use social media?");
        let mut kept = known.into_iter().filter(|k| k.key != "uses.text").collect::<Vec<_>>();
        kept.extend(recorded);
        assert!(english_changed(&edited, "cy", &kept).is_empty());
    }

    #[test]
    fn confirming_a_flagged_translation_clears_its_flag() {
        let known = first_sight(&survey(SURVEY));
        let edited = survey(&SURVEY.replace("title = \"A survey\"", "title = \"The survey\""));
        assert_eq!(english_changed(&edited, "cy", &known), vec!["title".to_string()]);
        let confirmed = confirmed(&edited, "cy", &["title".to_string()]);
        let kept: Vec<_> = known.into_iter().filter(|k| k.key != "title").chain(confirmed).collect();
        assert!(english_changed(&edited, "cy", &kept).is_empty());
    }

    #[test]
    fn english_changed_back_is_no_longer_flagged_and_a_missing_translation_is_never_stale() {
        let known = first_sight(&survey(SURVEY));
        assert!(english_changed(&survey(SURVEY), "cy", &known).is_empty());
        let emptied = survey(&SURVEY.replace("\"uses.options.no\" = \"Nac ydw\"", "").replace("label = \"No\"", "label = \"Not at all\""));
        assert!(english_changed(&emptied, "cy", &known).is_empty(), "a text with no Welsh is missing, not stale");
    }
}
