//! The web layer every part shares: the accept loop ([`serve`]), the layers every
//! response passes through (request log, origin check, security headers, compression,
//! problem documents), cookies, plain pages for refusals, rendering a page from a POST,
//! the built bundle and the health check.

pub mod bundle;
pub mod compress;
pub mod cookies;
pub mod headers;
pub mod health;
pub mod origin;
pub mod plain_page;
pub mod posted_form;
pub mod problem;
pub mod public_url;
pub mod render;
pub mod request;
pub mod request_log;
pub mod serve;
pub mod server_fns;
pub mod state;
