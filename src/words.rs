//! Interface words: one Fluent catalogue per language (`locales/en.ftl`,
//! `locales/cy.ftl`), and the choice of a page's language.
//!
//! Why Fluent, and through `fluent-bundle` itself: Welsh counts differently from English
//! (six plural forms, numerals before singular nouns), which Fluent's selectors express
//! in the catalogue, not in code; the files are plain text a translator can work in. The
//! catalogue stays on the server: pages are rendered there, and the few islands that
//! draw words in the browser receive them as props, so the respondent's download carries
//! no catalogue and no Fluent. Hence the feature: [`say`] and [`catalogue`] exist only
//! with `words` (the server, and the pages' `ssr` build); [`Arg`], [`PageLanguage`] and
//! [`request_language`] are plain data and string handling every build names.
//! `fluent-templates` would wrap the same bundles with a proc-macro, a directory walker
//! and a fallback to English; two `include_str!`s do the loading, and a Welsh message
//! missing is a test failure (`tests/catalogue.rs`) rather than a silent fallback.
//! (`leptos_i18n` compiles catalogues into the wasm of any island that uses them.)
//!
//! The catalogues live in `locales/` at the top of the repository, not under `src/`: they
//! are what translators edit, and both the pages and the server's own pages use them.
//!
//! No logging here (the core does no I/O): a message the catalogue lacks reads as its id,
//! and a caller that wants to log it asks [`catalogue::format`], which says so.

use crate::web::{cookie, LANGUAGE_COOKIE};
use crate::Lang;

/// The language of the page being rendered, and what its language switch and `hreflang`
/// alternates need: the languages the page is offered in, and its address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageLanguage {
    pub lang: Lang,
    pub offered: Vec<Lang>,
    /// The request's path and query, without any `lang` parameter.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The language named in the URL (`?lang=cy`): the choice to remember in a cookie.
    pub chosen: Option<Lang>,
}

impl PageLanguage {
    /// This page's address in `lang`: the same path and query with `lang=` set.
    pub fn url_in(&self, lang: Lang) -> String {
        let mut query = self.query.clone();
        query.push(("lang".into(), lang.code().into()));
        let encoded: String = query.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect::<Vec<_>>().join("&");
        format!("{}?{encoded}", self.path)
    }

    /// Whether the page is offered in more than one language (then it links to each).
    pub fn bilingual(&self) -> bool {
        self.offered.len() > 1
    }
}

fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The page's language from what a request carries: `?lang=` in its `query`, else the
/// language cookie among its `Cookie` header values, else the browser's `Accept-Language`;
/// among `offered`, else the first offered. `path` is the request's, for the switch's links.
///
/// Strings rather than HTTP types, so the core needs no `http`: the server and the pages
/// each read these three off their request in a line.
pub fn request_language<'a>(
    path: &str,
    query: Option<&str>,
    cookie_headers: impl IntoIterator<Item = &'a str>,
    accept_language: Option<&str>,
    offered: &[Lang],
) -> PageLanguage {
    let pairs: Vec<(String, String)> = query.map(crate::web::decode).unwrap_or_default();
    let chosen = pairs.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v));
    let remembered = cookie(cookie_headers, LANGUAGE_COOKIE).and_then(|v| Lang::parse(&v));
    let browser = accept_language.and_then(Lang::from_accept_language);
    let lang = Lang::choose([chosen, remembered, browser], offered);
    PageLanguage { lang, offered: offered.to_vec(), path: path.to_string(), query: pairs.into_iter().filter(|(k, _)| k != "lang").collect(), chosen }
}

/// A value for a placeable in a message.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}
impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}
impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u32, u64, usize, i64, f64);

/// The message `id` in `lang`, its placeables filled from `args`; the id itself where the
/// catalogue has no such message (a test holds every id the code asks for to the
/// catalogues; callers that log use [`catalogue::format`]).
#[cfg(feature = "words")]
pub fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    catalogue::format(lang, id, args).unwrap_or_else(|| id.to_string())
}

#[cfg(feature = "words")]
pub mod catalogue {
    //! The two catalogues, parsed once.

    use std::sync::OnceLock;

    use fluent_bundle::concurrent::FluentBundle;
    use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

    use super::Arg;
    use crate::Lang;

    pub const ENGLISH: &str = include_str!("../locales/en.ftl");
    pub const WELSH: &str = include_str!("../locales/cy.ftl");

    fn source(lang: Lang) -> &'static str {
        match lang {
            Lang::En => ENGLISH,
            Lang::Cy => WELSH,
        }
    }

    /// The bundle of `lang`, and the problems met building it (none: a test holds both
    /// catalogues to that).
    pub fn bundle(lang: Lang) -> (FluentBundle<FluentResource>, Vec<String>) {
        let mut problems = Vec::new();
        let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(partial, errors)| {
            problems.extend(errors.iter().map(|e| format!("{}.ftl: {e:?}", lang.code())));
            partial
        });
        let id = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // The pages are in one direction: no bidi isolation marks around placeables.
        bundle.set_use_isolating(false);
        if let Err(errors) = bundle.add_resource(resource) {
            problems.extend(errors.iter().map(|e| format!("{}.ftl: {e:?}", lang.code())));
        }
        (bundle, problems)
    }

    fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
        static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
        BUNDLES.get_or_init(|| Lang::ALL.map(|lang| bundle(lang).0))
    }

    /// The message `id` in `lang`, or `None` when `lang`'s catalogue has no such message
    /// (for the caller to log: the core does not).
    pub fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
        let bundle = &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)];
        let pattern = bundle.get_message(id).and_then(|m| m.value())?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, (!args.is_empty()).then_some(&fluent_args), &mut errors);
        Some(text.into_owned())
    }

    /// Every message id of a catalogue (each message starts a line with `id =`).
    pub fn ids(lang: Lang) -> Vec<String> {
        source(lang)
            .lines()
            .filter_map(|line| line.split_once(" =").map(|(id, _)| id))
            .filter(|id| id.starts_with(|c: char| c.is_ascii_lowercase()) && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_beats_the_cookie_beats_the_browser() {
        let both = [Lang::En, Lang::Cy];
        let page = request_language("/s/budget", Some("lang=cy&step=2"), ["canvass_lang=en"], Some("en"), &both);
        assert_eq!((page.lang, page.chosen), (Lang::Cy, Some(Lang::Cy)));
        assert_eq!(page.query, vec![("step".to_string(), "2".to_string())]);
        assert_eq!(page.url_in(Lang::En), "/s/budget?step=2&lang=en");
        let page = request_language("/", None, ["a=1; canvass_lang=cy"], Some("en"), &both);
        assert_eq!((page.lang, page.chosen), (Lang::Cy, None));
        let page = request_language("/", None, std::iter::empty(), Some("cy-GB,en;q=0.5"), &both);
        assert_eq!(page.lang, Lang::Cy);
        let page = request_language("/", None, std::iter::empty(), None, &both);
        assert_eq!(page.lang, Lang::En);
    }

    #[test]
    fn a_language_not_offered_gives_the_first_offered() {
        let page = request_language("/s/x", Some("lang=cy"), ["canvass_lang=cy"], Some("cy"), &[Lang::En]);
        assert_eq!(page.lang, Lang::En);
        assert!(!page.bilingual());
        // Nonsense anywhere is ignored, not fatal.
        let page = request_language("/", Some("lang=xx&%zz"), ["canvass_lang=", "garbage"], Some(";;q=x"), &[Lang::Cy, Lang::En]);
        assert_eq!((page.lang, page.chosen), (Lang::Cy, None));
    }
}
