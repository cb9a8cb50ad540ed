-- One form per meaning: `submitted_at` held an instant (RFC 3339) or, for an anonymous
-- survey's responses, only the day (`YYYY-MM-DD`), told apart by the text's length. The
-- day now has its own column, `submitted_on`, and `submitted_at` is NULL for those
-- responses: still no time finer than the day is kept for them. Readers show whichever
-- one a response has (`COALESCE(submitted_at, submitted_on)`).
--
-- SQLite cannot drop a NOT NULL constraint, so `responses` is rebuilt, keeping each
-- row's rowid (the tally checkpoints and machines' cursors count by it), with `contacts`
-- alongside as in `…_keys_per_survey.sql`: foreign keys stay enforced throughout.
CREATE TABLE responses_rebuilt (
    id             TEXT    PRIMARY KEY,
    slug           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    submission_key TEXT    NOT NULL,
    receipt        TEXT    NOT NULL UNIQUE,
    answers        TEXT    NOT NULL,
    submitted_at   TEXT,
    language       TEXT    NOT NULL DEFAULT 'en',
    submitted_on   TEXT,
    UNIQUE (slug, submission_key),
    FOREIGN KEY (slug, version) REFERENCES definitions (slug, version),
    CHECK (submitted_at IS NOT NULL OR submitted_on IS NOT NULL)
);
INSERT INTO responses_rebuilt (rowid, id, slug, version, submission_key, receipt, answers, submitted_at, language, submitted_on)
    SELECT rowid, id, slug, version, submission_key, receipt, answers,
           CASE WHEN length(submitted_at) = 10 THEN NULL ELSE submitted_at END,
           language,
           CASE WHEN length(submitted_at) = 10 THEN submitted_at END
    FROM responses ORDER BY rowid;

CREATE TABLE contacts_rebuilt (
    response_id TEXT PRIMARY KEY REFERENCES responses_rebuilt (id),
    details     TEXT NOT NULL,
    released    INTEGER NOT NULL DEFAULT 1
);
INSERT INTO contacts_rebuilt (response_id, details, released) SELECT response_id, details, released FROM contacts;

DROP TABLE contacts;
DROP TABLE responses;
ALTER TABLE responses_rebuilt RENAME TO responses;
ALTER TABLE contacts_rebuilt RENAME TO contacts;
-- By survey and when, as readers see it (retention, the last response's time).
CREATE INDEX responses_by_survey ON responses (slug, COALESCE(submitted_at, submitted_on));
CREATE INDEX responses_by_id ON responses (slug, id);
CREATE INDEX contacts_unreleased ON contacts (response_id) WHERE released = 0;
