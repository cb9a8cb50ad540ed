-- The same table as SQLite's drafts migration.
CREATE TABLE drafts (
    token_hash TEXT   PRIMARY KEY,
    slug       TEXT   NOT NULL,
    fields     TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
