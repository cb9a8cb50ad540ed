-- API tokens (see SQLite's migration for the reasons).
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT      NOT NULL UNIQUE,
    organiser_id BIGINT    NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    slug         TEXT      NOT NULL,
    scope        TEXT      NOT NULL CHECK (scope IN ('results', 'responses', 'manage')),
    label        TEXT      NOT NULL,
    created_at   TEXT      NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);

-- The order machines page responses in. `seq` is taken when a row is inserted, and
-- several instances commit in another order than they take numbers, so paging by `seq`
-- alone could skip a response committed late. Each row also keeps the id of the
-- transaction that stored it: a reader pages by (txid, seq) and reads only rows of
-- transactions older than every one still running, a prefix no later commit can enter.
ALTER TABLE responses ADD COLUMN txid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE responses ALTER COLUMN txid SET DEFAULT (pg_current_xact_id()::text::bigint);
-- In place of (slug, seq), not beside it: one index fewer for every insert to keep up.
-- Reading a survey in `seq` order uses the unique index on `seq`.
DROP INDEX responses_by_survey;
CREATE INDEX responses_by_survey ON responses (slug, txid, seq);
