-- Roles per survey (issue 21). Every organiser before roles existed could do everything:
-- they stay administrators. Afterwards only the first organiser is one; others get a
-- role on each survey an owner or administrator gives them.
ALTER TABLE organisers ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE organisers SET is_admin = TRUE;

CREATE TABLE survey_members (
    slug         TEXT    NOT NULL,
    organiser_id INTEGER NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('owner', 'analyst', 'viewer')),
    granted_at   TEXT    NOT NULL,
    granted_by   TEXT    NOT NULL,
    PRIMARY KEY (slug, organiser_id)
);

-- The audit trail: append-only, each record carrying the hash of the one before (see
-- `server/src/audit.rs`). Nothing of the answers is ever written here.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    survey    TEXT    NOT NULL,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);

-- The newest record's number and hash: removing records from the end of the trail
-- leaves it pointing past them, so `canvass audit verify` finds that too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
