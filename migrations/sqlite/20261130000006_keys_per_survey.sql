-- A submission key identifies a response within its survey, not across all surveys: the
-- same key sent to a second survey is a new response there, not a repeat of the first.
--
-- SQLite cannot drop a UNIQUE constraint, so `responses` is rebuilt with the new one,
-- keeping each row's rowid (the tally checkpoints count up to a rowid). `contacts` is
-- rebuilt alongside, pointing at the new table, so the whole change runs with foreign
-- keys enforced and nothing is ever orphaned: the old child table goes first, then the
-- old parent, then both new tables take the old names (renaming a parent updates its
-- children's references).
CREATE TABLE responses_rebuilt (
    id             TEXT    PRIMARY KEY,
    slug           TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    submission_key TEXT    NOT NULL,
    receipt        TEXT    NOT NULL UNIQUE,
    answers        TEXT    NOT NULL,
    submitted_at   TEXT    NOT NULL,
    UNIQUE (slug, submission_key),
    FOREIGN KEY (slug, version) REFERENCES definitions (slug, version)
);
INSERT INTO responses_rebuilt (rowid, id, slug, version, submission_key, receipt, answers, submitted_at)
    SELECT rowid, id, slug, version, submission_key, receipt, answers, submitted_at FROM responses ORDER BY rowid;

CREATE TABLE contacts_rebuilt (
    response_id TEXT PRIMARY KEY REFERENCES responses_rebuilt (id),
    details     TEXT NOT NULL
);
INSERT INTO contacts_rebuilt (response_id, details) SELECT response_id, details FROM contacts;

DROP TABLE contacts;
DROP TABLE responses;
ALTER TABLE responses_rebuilt RENAME TO responses;
ALTER TABLE contacts_rebuilt RENAME TO contacts;
CREATE INDEX responses_by_survey ON responses (slug, submitted_at);
