-- API tokens (issue 22): only a SHA-256 hash of each is stored; a token acts for its
-- creator on one survey, within its scope and the creator's role at the time of use.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT    NOT NULL UNIQUE,
    organiser_id INTEGER NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    slug         TEXT    NOT NULL,
    scope        TEXT    NOT NULL CHECK (scope IN ('results', 'responses', 'manage')),
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);

-- The order machines page responses in: the rowid, given by the one writer from this
-- counter as it stores each response (moved on once per batch). Left to SQLite, a rowid
-- is reused once the newest row is deleted (withdrawals delete), and a cursor would skip
-- the response stored in its place; from the counter it never is, and no index is added
-- to the writer's work.
CREATE TABLE response_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO response_counter (id, last) SELECT 1, COALESCE(MAX(rowid), 0) FROM responses;
