-- The same tables as SQLite's organisers migration (see there for the reasons).
CREATE TABLE organisers (
    id                   BIGSERIAL PRIMARY KEY,
    email                TEXT      NOT NULL UNIQUE,
    password_hash        TEXT      NOT NULL,
    must_change_password BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at           TEXT      NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT   PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE TABLE survey_states (
    slug       TEXT    PRIMARY KEY,
    closed     BOOLEAN NOT NULL,
    changed_at TEXT    NOT NULL,
    changed_by TEXT    NOT NULL
);

-- The dashboard's "last response" and "responses per day" read by time.
CREATE INDEX responses_by_time ON responses (slug, submitted_at);
