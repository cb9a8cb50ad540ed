-- Organisers sign in to watch live totals, export and open or close surveys. Passwords
-- are argon2id hashes (PHC strings); `must_change_password` marks a one-time password
-- printed at first start, which works only to choose a new one.
CREATE TABLE organisers (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL UNIQUE,
    password_hash        TEXT    NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TEXT    NOT NULL
);

-- Sessions are kept in the database so every instance honours them. Only a SHA-256 hash
-- of the token is stored: a copy of the database does not let anyone sign in. Times are
-- Unix seconds, compared against the idle and absolute limits.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    organiser_id INTEGER NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

-- Whether a survey takes responses. No row means open.
CREATE TABLE survey_states (
    slug       TEXT    PRIMARY KEY,
    closed     BOOLEAN NOT NULL,
    changed_at TEXT    NOT NULL,
    changed_by TEXT    NOT NULL
);
