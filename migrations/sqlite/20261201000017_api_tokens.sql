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

-- The order machines page responses in: a number given at commit by the one writer, never
-- reused (a rowid is, once the newest row is deleted), so a cursor neither skips a
-- response stored later nor repeats one.
CREATE TABLE response_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO response_counter (id, last) SELECT 1, COALESCE(MAX(rowid), 0) FROM responses;
ALTER TABLE responses ADD COLUMN position INTEGER;
UPDATE responses SET position = rowid;
CREATE TRIGGER responses_position AFTER INSERT ON responses BEGIN
    UPDATE response_counter SET last = last + 1 WHERE id = 1;
    UPDATE responses SET position = (SELECT last FROM response_counter WHERE id = 1) WHERE rowid = NEW.rowid;
END;
CREATE INDEX responses_by_position ON responses (slug, position);
