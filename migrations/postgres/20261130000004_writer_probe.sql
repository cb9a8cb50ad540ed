-- One row that `/healthz` rewrites after a batch of responses failed to commit, to tell
-- whether the database takes writes again (a full disk freed, a database back up) without
-- waiting for the next respondent. It holds nothing else.
CREATE TABLE writer_probe (
    id INTEGER PRIMARY KEY,
    at TEXT    NOT NULL
);
