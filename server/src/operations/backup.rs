//! `canvass backup FILE` and `canvass restore FILE`: a consistent copy of a SQLite
//! database taken while the server keeps serving, and putting one back.
//!
//! The copy is SQLite's `VACUUM INTO` on a read-only connection: one read transaction, so
//! the file holds the database exactly as it was when the backup began (every response
//! acknowledged before then, none half-written), while the server goes on committing
//! through WAL. The copy is checked (`integrity_check`) before the command says it worked.
//!
//! A restore never runs under a server: every process that opens the database holds a
//! shared lock on its file ([`DatabaseLock`]), and a restore needs it exclusively. The
//! database it replaces is kept beside it, never deleted.
//!
//! Nor does a restore quietly take responses out of service: if the database holds
//! responses the backup lacks (ones that came in after it was taken), it is refused,
//! naming how many per survey, unless the operator says `--force` ([`Lost`]).
//!
//! PostgreSQL has its own tools for this; both commands say what to run instead.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// What a finished backup or restore reports.
#[derive(Debug)]
pub struct Copied {
    pub responses: i64,
    pub bytes: u64,
    pub seconds: f64,
    /// The database a restore replaced, kept under this name.
    pub kept: Option<PathBuf>,
    /// Responses the replaced database held and the backup lacked (a forced restore).
    pub lost: Lost,
}

/// Responses a database holds that a backup lacks, per survey: what restoring the backup
/// over it would take out of service. They stay in the database kept beside the restored
/// one, but nothing serves or exports them from there, so an operator who restores an
/// old backup by mistake must hear about them before, not find them missing after.
#[derive(Debug, Default)]
pub struct Lost {
    /// (survey slug, responses), most first.
    pub per_survey: Vec<(String, i64)>,
}

impl Lost {
    pub fn total(&self) -> i64 {
        self.per_survey.iter().map(|(_, n)| n).sum()
    }

    /// `"survey-a: 2, survey-b: 1"`
    pub fn listed(&self) -> String {
        self.per_survey.iter().map(|(slug, n)| format!("{slug}: {n}")).collect::<Vec<_>>().join(", ")
    }
}

/// Responses in the database at `current` that the backup at `backup` lacks, by response
/// id (a response deleted since the backup was taken is not counted: the backup brings it
/// back, which is no loss).
async fn not_in_backup(current: &Path, backup: &Path) -> anyhow::Result<Lost> {
    let mut conn = open_read_only(current).await?;
    let backup = backup.to_str().with_context(|| format!("{} is not a path SQLite can open (not UTF-8)", backup.display()))?;
    sqlx::query("ATTACH DATABASE ? AS backup").bind(backup).execute(&mut conn).await.context("opening the backup beside it")?;
    let per_survey = sqlx::query_as(
        "SELECT slug, COUNT(*) FROM main.responses r \
         WHERE NOT EXISTS (SELECT 1 FROM backup.responses b WHERE b.id = r.id) \
         GROUP BY slug ORDER BY COUNT(*) DESC, slug",
    )
    .fetch_all(&mut conn)
    .await
    .with_context(|| format!("reading the responses in {}", current.display()))?;
    conn.close().await.ok();
    Ok(Lost { per_survey })
}

/// Refuses a restore that would lose responses, unless `force`d; a forced one reports
/// what it lost.
async fn check_loss(current: &Path, backup: &Path, force: bool) -> anyhow::Result<Lost> {
    let lost = match not_in_backup(current, backup).await {
        Ok(lost) => lost,
        Err(_) if force => return Ok(Lost::default()),
        Err(e) => anyhow::bail!(
            "could not tell whether restoring would lose responses in {}, so nothing was changed ({e:#}). \
             If that database is damaged and you mean to replace it whatever it holds, run the same command with --force",
            current.display()
        ),
    };
    if lost.total() > 0 && !force {
        anyhow::bail!(
            "restoring {} would lose {} that {} holds and the backup lacks ({}), probably because they came in after \
             the backup was taken. Nothing was changed. To keep them in service, restore a backup taken after they \
             came in instead; to restore this one anyway, run the same command with --force (the database it \
             replaces, with those responses, is kept beside it)",
            backup.display(),
            responses_phrase(lost.total()),
            current.display(),
            lost.listed()
        );
    }
    Ok(lost)
}

/// "1 response", "3 responses"
pub fn responses_phrase(n: i64) -> String {
    if n == 1 {
        "1 response".into()
    } else {
        format!("{n} responses")
    }
}

/// A shared lock on a SQLite database file held for as long as a process has it open,
/// so that [`restore`] can tell it is in use. (An advisory `flock`, apart from SQLite's
/// own locks, which come and go with each transaction.)
pub struct DatabaseLock {
    _file: std::fs::File,
}

impl DatabaseLock {
    /// Takes the shared lock on `file`, or says a restore is replacing it.
    pub fn shared(file: &Path) -> anyhow::Result<Option<DatabaseLock>> {
        let Ok(handle) = std::fs::File::open(file) else { return Ok(None) };
        match handle.try_lock_shared() {
            Ok(()) => Ok(Some(DatabaseLock { _file: handle })),
            Err(std::fs::TryLockError::WouldBlock) => {
                anyhow::bail!("{} is being restored (`canvass restore` holds it); start again once the restore has finished", file.display())
            }
            // A file system without locks: nothing to hold, and nothing to refuse.
            Err(std::fs::TryLockError::Error(_)) => Ok(None),
        }
    }
}

/// The file a `sqlite://PATH` URL names; a PostgreSQL URL is refused with the
/// `pg_dump`/`pg_restore` commands to run instead (`storage::UsePostgresTools`).
fn database_file(database: &str) -> anyhow::Result<PathBuf> {
    crate::storage::sqlite_file(database)
}

async fn open_read_only(file: &Path) -> anyhow::Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .create_if_missing(false)
        .connect()
        .await
        .with_context(|| format!("opening {}", file.display()))
}

/// Checks that `file` is a whole Canvass database and counts its responses.
async fn checked(file: &Path) -> anyhow::Result<i64> {
    let mut conn = open_read_only(file).await?;
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.with_context(|| format!("{} is not a SQLite database", file.display()))?;
    anyhow::ensure!(integrity == "ok", "{} is damaged (SQLite's integrity check says: {integrity})", file.display());
    let responses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM responses")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| anyhow::anyhow!("{} is a SQLite database but not a Canvass one (it has no responses table)", file.display()))?;
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut conn).await.unwrap_or(None);
    let known = crate::storage::newest_sqlite_migration();
    if let Some(newest) = newest.filter(|n| *n > known) {
        anyhow::bail!(
            "{} was written by a newer Canvass (its schema is at {newest}, this one knows up to {known}): use that version, or a newer one",
            file.display()
        );
    }
    conn.close().await.ok();
    Ok(responses)
}

/// `canvass backup FILE`: a consistent copy of the database, checked.
pub async fn backup(database: &str, to: &Path) -> anyhow::Result<Copied> {
    let from = database_file(database)?;
    anyhow::ensure!(from.exists(), "there is no database at {} (check --database or DATABASE_URL)", from.display());
    anyhow::ensure!(
        !to.exists(),
        "{} already exists; give the backup a new name (a backup never overwrites a file), e.g. canvass-{}.db",
        to.display(),
        jiff::Timestamp::now().strftime("%Y-%m-%d-%H%M")
    );
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        anyhow::ensure!(dir.is_dir(), "the folder {} does not exist; create it or choose another", dir.display());
    }
    let started = Instant::now();
    // Every response is in the copy: it is made readable by its owner only (0600) before a
    // byte is written, as SQLite's VACUUM INTO would otherwise create it world-readable.
    private_empty_file(to)?;
    let mut conn = open_read_only(&from).await?;
    let target = to.to_str().with_context(|| format!("{} is not a path SQLite can write to (not UTF-8)", to.display()))?;
    let copied = sqlx::query("VACUUM INTO ?").bind(target).execute(&mut conn).await;
    conn.close().await.ok();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(to);
        return Err(e).with_context(|| format!("copying {} to {}", from.display(), to.display()));
    }
    // Durable before it is called a backup.
    std::fs::File::open(to).and_then(|f| f.sync_all()).with_context(|| format!("writing {} to disk", to.display()))?;
    let responses = checked(to).await.context("checking the backup")?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(Copied { responses, bytes, seconds: started.elapsed().as_secs_f64(), kept: None, lost: Lost::default() })
}

/// `canvass restore FILE`: puts a backup in the database's place, refusing while any
/// process has the database open, and (unless `force`) when the database holds responses
/// the backup lacks. The database replaced is kept beside it.
pub async fn restore(database: &str, from: &Path, force: bool) -> anyhow::Result<Copied> {
    let to = database_file(database)?;
    anyhow::ensure!(from.exists(), "there is no backup at {}", from.display());
    let started = Instant::now();
    let responses = checked(from).await.context("checking the backup before restoring it")?;
    let mut lock = None;
    if to.exists() {
        let handle = std::fs::File::open(&to).with_context(|| format!("opening {}", to.display()))?;
        match handle.try_lock() {
            Ok(()) => lock = Some(handle),
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "a Canvass server (or another canvass command) has {} open: stop it first (e.g. systemctl stop canvass), then restore",
                to.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => return Err(e).with_context(|| format!("locking {}", to.display())),
        }
    }
    // Counted under the lock, so no server can add a response between the count and the swap.
    let lost = if to.exists() { check_loss(&to, from, force).await? } else { Lost::default() };
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // Copied beside the database first, so a failure half-way leaves the old one in place.
    let incoming = sibling(&to, ".restoring");
    std::fs::copy(from, &incoming).with_context(|| format!("copying {} to {}", from.display(), incoming.display()))?;
    // The database keeps the mode of the file it replaces (0600 for a new one), never the
    // backup's, which `copy` would otherwise carry over and widen.
    let mode = std::fs::metadata(&to).map(|m| m.permissions().mode() & 0o777).unwrap_or(0o600);
    std::fs::set_permissions(&incoming, std::fs::Permissions::from_mode(mode)).with_context(|| format!("setting the mode of {}", incoming.display()))?;
    std::fs::File::open(&incoming).and_then(|f| f.sync_all()).with_context(|| format!("writing {}", incoming.display()))?;
    let mut kept = None;
    if to.exists() {
        // The old database with its write-ahead log (which may hold its newest commits).
        let aside = sibling(&to, &format!(".before-restore-{}", jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S")));
        std::fs::rename(&to, &aside).with_context(|| format!("keeping the old database as {}", aside.display()))?;
        for suffix in ["-wal", "-shm"] {
            let part = sibling(&to, suffix);
            if part.exists() {
                std::fs::rename(&part, sibling(&aside, suffix)).with_context(|| format!("keeping {}", part.display()))?;
            }
        }
        kept = Some(aside);
    }
    std::fs::rename(&incoming, &to).with_context(|| format!("putting the backup in place at {}", to.display()))?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    drop(lock);
    let bytes = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
    Ok(Copied { responses, bytes, seconds: started.elapsed().as_secs_f64(), kept, lost })
}

/// Creates `path` empty, readable and writable by its owner only; refuses an existing file.
fn private_empty_file(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map(drop).with_context(|| format!("creating {}", path.display()))
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}
