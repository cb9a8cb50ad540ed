//! The page's words: components ask [`t`] for a message in the page's language, chosen
//! once per request (see [`PageLanguage`]).
//!
//! The catalogues, [`PageLanguage`] and the rule choosing a request's language live in the
//! core (`canvass::words`), which the server's own pages use too; this module adds what
//! needs Leptos: the page's language from the render context, and logging a message id
//! the catalogue lacks (the core does no logging).

pub use canvass::words::{Arg, PageLanguage};
use canvass::Lang;

/// The language of the page being rendered.
pub fn lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        use_context::<PageLanguage>()
            .map(|p| p.lang)
            .unwrap_or_else(|| use_context::<http::request::Parts>().map(|p| crate::request::language(&p, &Lang::ALL).lang).unwrap_or_default())
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

/// A message in `lang`; its id, logged, where the catalogue lacks it. In the browser this
/// is never called: islands take their words as props from the server, and it gives
/// nothing.
fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        canvass::words::catalogue::format(lang, id, args).unwrap_or_else(|| {
            leptos::logging::error!("no message `{id}` in {}.ftl", lang.code());
            id.to_string()
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (lang, id, args);
        String::new()
    }
}
