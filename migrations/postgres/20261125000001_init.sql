-- The same schema as SQLite's, so both engines behave identically.
-- Definitions are kept by version: a response records the version it answered.
CREATE TABLE definitions (
    slug         TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    published_at TEXT    NOT NULL,
    PRIMARY KEY (slug, version)
);

-- `seq` orders responses as stored, so every instance can catch up on responses that
-- other instances stored. `submission_key` is UNIQUE: a retry is stored once, whichever
-- instance it reaches.
CREATE TABLE responses (
    seq            BIGSERIAL NOT NULL UNIQUE,
    id             TEXT    PRIMARY KEY,
    slug           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    submission_key TEXT    NOT NULL UNIQUE,
    receipt        TEXT    NOT NULL UNIQUE,
    answers        TEXT    NOT NULL,
    submitted_at   TEXT    NOT NULL,
    FOREIGN KEY (slug, version) REFERENCES definitions (slug, version)
);

CREATE INDEX responses_by_survey ON responses (slug, seq);

-- Contact details live apart from the answers and are never exported with them.
CREATE TABLE contacts (
    response_id TEXT PRIMARY KEY REFERENCES responses (id),
    details     TEXT NOT NULL
);
