//! The interface words in the server's own pages, messages and mail: the core's catalogue
//! (`canvass::words`), with a message id it lacks logged here (the core does no logging).

use canvass::words::Arg;
use canvass::Lang;

/// The message `id` in `lang`; its id, logged, where the catalogue has no such message
/// (the catalogue test holds every id the server asks for to the catalogues).
pub fn say(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    canvass::words::catalogue::format(lang, id, args).unwrap_or_else(|| {
        tracing::error!("no message `{id}` in {}.ftl", lang.code());
        id.to_string()
    })
}
