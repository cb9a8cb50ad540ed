-- Definitions are kept by version: a response records the version it answered, so its
-- codes can always be read against the questions that were actually asked.
CREATE TABLE definitions (
    slug         TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    published_at TEXT    NOT NULL,
    PRIMARY KEY (slug, version)
);

-- One row per accepted response. `submission_key` comes from the rendered form (or the
-- API client) and is UNIQUE, so a retried submit stores nothing twice. `receipt` unlocks
-- the results for the respondent. `answers` is the validated answers as JSON.
CREATE TABLE responses (
    id             TEXT    PRIMARY KEY,
    slug           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    submission_key TEXT    NOT NULL UNIQUE,
    receipt        TEXT    NOT NULL UNIQUE,
    answers        TEXT    NOT NULL,
    submitted_at   TEXT    NOT NULL,
    FOREIGN KEY (slug, version) REFERENCES definitions (slug, version)
);

CREATE INDEX responses_by_survey ON responses (slug, submitted_at);

-- Contact details (email, consent) live apart from the answers: they are never exported
-- with the responses and can be deleted without touching the data.
CREATE TABLE contacts (
    response_id TEXT PRIMARY KEY REFERENCES responses (id),
    details     TEXT NOT NULL
);
