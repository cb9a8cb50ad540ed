//! Database URLs: which engine one names, the SQLite file one names, and how to print one.
//! The one place that reads a URL's scheme, so nothing outside `storage/` tells the
//! engines apart by their prefixes.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub(super) fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A file-level operation asked of a PostgreSQL database, which PostgreSQL's own tools do
/// instead: its message says what to run (`canvass backup` and `canvass restore` print it).
#[derive(Debug)]
pub struct UsePostgresTools {
    /// The database URL, its password already hidden.
    url: String,
}

impl std::fmt::Display for UsePostgresTools {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = &self.url;
        write!(
            f,
            "{url} is a PostgreSQL database: back it up and restore it with PostgreSQL's own tools, which copy it consistently while Canvass serves.\n\
             Back up:  pg_dump --format=custom --file canvass.dump '{url}'\n\
             Restore:  stop every Canvass server on it, then pg_restore --clean --if-exists --dbname '{url}' canvass.dump"
        )
    }
}

impl std::error::Error for UsePostgresTools {}

/// The file a `sqlite://PATH` URL names; for a PostgreSQL URL, [`UsePostgresTools`].
pub fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    if is_postgres(url) {
        return Err(UsePostgresTools { url: redact(url) }.into());
    }
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("`{url}` is not a database URL Canvass knows; use sqlite://PATH (e.g. sqlite://data/canvass.db)"))?;
    Ok(options.get_filename().to_path_buf())
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..scheme + 3], if userinfo.contains(':') { format!(":***{}", &url[at..]) } else { url[at..].to_string() })
        }
        _ => url.to_string(),
    }
}
