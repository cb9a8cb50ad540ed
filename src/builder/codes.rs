//! Codes made from labels, so an organiser who pastes "Local authority" gets `local_authority`
//! without typing one: codes are CSV column codes and answers' stored values, so they are
//! plain (the rule in [`crate::parse`]), short and unique within their list.

/// The longest code made from a label; a longer label is cut at a word.
const LONGEST: usize = 32;

/// A code for `label` that none of `taken` already is: its words in lower case joined by
/// `_`, cut to a few words, and numbered (`_2`, `_3`, …) when it would clash.
pub fn code_from_label(label: &str, taken: &[String]) -> String {
    let mut code = String::new();
    for word in label.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_ascii_lowercase();
        if !code.is_empty() && code.len() + 1 + word.len() > LONGEST {
            break;
        }
        if !code.is_empty() {
            code.push('_');
        }
        code.push_str(&word);
    }
    code.truncate(LONGEST);
    if code.is_empty() {
        code.push_str("option");
    }
    if !taken.contains(&code) {
        return code;
    }
    (2..).map(|n| format!("{code}_{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_becomes_its_words_in_lower_case() {
        assert_eq!(code_from_label("Local authority", &[]), "local_authority");
        assert_eq!(code_from_label("Police, fire or rescue", &[]), "police_fire_or_rescue");
        assert_eq!(code_from_label("Up to £500", &[]), "up_to_500");
    }

    #[test]
    fn a_clash_is_numbered_and_a_label_without_letters_still_gets_a_code() {
        let taken = vec!["yes".to_string(), "yes_2".to_string()];
        assert_eq!(code_from_label("Yes", &taken), "yes_3");
        assert_eq!(code_from_label("—", &[]), "option");
        assert_eq!(code_from_label("Cymraeg: ŵ", &[]), "cymraeg");
    }

    #[test]
    fn a_long_label_is_cut_at_a_word_and_passes_the_code_rule() {
        let code = code_from_label("Linking social media to the website or the customer relationship system", &[]);
        assert_eq!(code, "linking_social_media_to_the");
        assert!(crate::parse::is_code(&code));
    }
}
