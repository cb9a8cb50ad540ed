//! The languages a respondent can be answered in, and how a request's language is chosen.
//!
//! English and Welsh: Welsh public bodies must offer their forms in Welsh, working fully
//! and treated no less favourably than English. The choice is the respondent's (a link on
//! every page, remembered in a cookie); on a first visit it follows the browser's
//! `Accept-Language`. A survey is shown in the chosen language only if its definition
//! declares it; otherwise in its own, so a page never mixes two languages.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Cy,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The code definitions, URLs (`?lang=cy`), cookies and exports use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// A language code as written in a URL, a cookie or a header (`cy`, `CY`, `cy-GB`).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default();
        Lang::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// `<html lang>` and `hreflang`.
    pub fn html(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy",
        }
    }

    /// The language's name in itself, as the switch between them says it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// The other language of the two: where the switch on a page leads.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }

    /// The language a browser prefers most among ours, from `Accept-Language`
    /// (`cy-GB,cy;q=0.9,en;q=0.8`): the highest weight wins, the earlier of equals; a
    /// weight of 0 means "not this one". `None` when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else { continue };
            let weight = pieces.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The language a page is shown in: the one asked for (URL, else cookie, else the
    /// browser's preference) when `offered` has it, else the first offered.
    pub fn choose(asked: [Option<Lang>; 3], offered: &[Lang]) -> Lang {
        asked.into_iter().flatten().find(|l| offered.contains(l)).or_else(|| offered.first().copied()).unwrap_or_default()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_whatever_their_case_or_region() {
        assert_eq!(Lang::parse("cy"), Some(Lang::Cy));
        assert_eq!(Lang::parse("CY-gb"), Some(Lang::Cy));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_browser_preference_with_the_highest_weight_wins() {
        assert_eq!(Lang::from_accept_language("cy-GB,cy;q=0.9,en;q=0.8"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,cy;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr-FR, cy;q=0.5, en;q=0.7"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("cy;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr, de;q=0.5"), None);
        assert_eq!(Lang::from_accept_language("cy;q=bad"), Some(Lang::Cy), "a weight that cannot be read counts as 1");
    }

    #[test]
    fn a_page_is_in_the_language_asked_for_only_if_the_survey_has_it() {
        let both = [Lang::En, Lang::Cy];
        assert_eq!(Lang::choose([Some(Lang::Cy), Some(Lang::En), None], &both), Lang::Cy, "the URL first");
        assert_eq!(Lang::choose([None, Some(Lang::Cy), Some(Lang::En)], &both), Lang::Cy, "then the cookie");
        assert_eq!(Lang::choose([None, None, Some(Lang::Cy)], &both), Lang::Cy, "then the browser");
        assert_eq!(Lang::choose([None, None, None], &both), Lang::En);
        assert_eq!(Lang::choose([Some(Lang::Cy), None, None], &[Lang::En]), Lang::En, "an English-only survey stays English");
    }
}
