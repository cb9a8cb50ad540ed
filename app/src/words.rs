//! Interface words: one Fluent catalogue per language (`locales/en.ftl`, `locales/cy.ftl`),
//! formatted on the server.
//!
//! Why Fluent, and through `fluent-bundle` itself: Welsh counts differently from English
//! (six plural forms, numerals before singular nouns), which Fluent's selectors express
//! in the catalogue, not in code; the files are plain text a translator can work in. The
//! catalogue stays on the server: pages are rendered there, and the few islands that
//! draw words in the browser receive them as props, so the respondent's download carries
//! no catalogue and no Fluent. `fluent-templates` would wrap the same bundles with a
//! proc-macro, a directory walker and a fallback to English; two `include_str!`s do the
//! loading, and a Welsh message missing is a test failure rather than a silent fallback.
//! (`leptos_i18n` compiles catalogues into the wasm of any island that uses them.)
//!
//! The page's language is chosen once per request (see [`PageLanguage`]); components ask
//! [`t`] for their words in it.

use canvass::Lang;

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

/// The name of the cookie that remembers a respondent's choice of language.
pub const LANGUAGE_COOKIE: &str = "canvass_lang";

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

/// The language of the page being rendered.
pub fn lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        use_context::<PageLanguage>()
            .map(|p| p.lang)
            .unwrap_or_else(|| use_context::<http::request::Parts>().map(|p| request_language(&p.uri, &p.headers, &Lang::ALL).lang).unwrap_or_default())
    }
    #[cfg(not(feature = "ssr"))]
    Lang::En
}

/// A message in the page's language.
pub fn t(id: &str) -> String {
    say(lang(), id, &[])
}

/// A message with its placeables, in the page's language.
pub fn t_with(id: &str, args: &[(&str, Arg)]) -> String {
    say(lang(), id, args)
}

/// A message in `lang`. In the browser this is never called: islands take their words as
/// props from the server, and it gives nothing.
pub fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        catalogue::format(lang, id, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (lang, id, args);
        String::new()
    }
}

/// The page's language from a request: `?lang=` in the URL, else the cookie, else the
/// browser's `Accept-Language`; among `offered`, else the first offered.
#[cfg(feature = "ssr")]
pub fn request_language(uri: &http::Uri, headers: &http::HeaderMap, offered: &[Lang]) -> PageLanguage {
    let pairs: Vec<(String, String)> =
        uri.query().map(|q| form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()).unwrap_or_default();
    let chosen = pairs.iter().find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(v));
    let remembered = crate::backend::cookie(headers, LANGUAGE_COOKIE).and_then(|v| Lang::parse(&v));
    let browser = headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language);
    let lang = Lang::choose([chosen, remembered, browser], offered);
    PageLanguage { lang, offered: offered.to_vec(), path: uri.path().to_string(), query: pairs.into_iter().filter(|(k, _)| k != "lang").collect(), chosen }
}

/// The `Set-Cookie` value that remembers `lang` for a year, on every path.
pub fn language_cookie(lang: Lang) -> String {
    format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code())
}

#[cfg(feature = "ssr")]
pub mod catalogue {
    //! The two catalogues, parsed once.

    use std::sync::OnceLock;

    use canvass::Lang;
    use fluent_bundle::concurrent::FluentBundle;
    use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

    use super::Arg;

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

    /// The message `id` in `lang`; the id itself where there is none (a test holds every
    /// id the pages use to the catalogues).
    pub fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        let bundle = &bundles()[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing_missing(lang, id);
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
                Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, (!args.is_empty()).then_some(&fluent_args), &mut errors);
        text.into_owned()
    }

    fn tracing_missing(lang: Lang, id: &str) {
        leptos::logging::error!("no message `{id}` in {}.ftl", lang.code());
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
