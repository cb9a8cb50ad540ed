//! The web layer every part shares: the accept loop ([`serve`]), the layers every
//! response passes through (request log, origin check, security headers, compression,
//! problem documents), cookies, plain pages for refusals, rendering a page from a POST,
//! the built bundle and the health check.

pub(crate) mod bundle;
pub(crate) mod compress;
pub(crate) mod cookies;
pub(crate) mod headers;
pub(crate) mod health;
pub(crate) mod origin;
pub(crate) mod plain_page;
pub(crate) mod posted_form;
pub(crate) mod problem;
pub mod public_url;
pub(crate) mod render;
pub(crate) mod request;
pub(crate) mod request_log;
pub(crate) mod serve;
pub(crate) mod server_fns;
pub(crate) mod state;
