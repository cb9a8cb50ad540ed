-- Unfinished answers of respondents without JavaScript, by a hash of the draft token in
-- their cookie. `fields` is the form so far as a JSON list of [name, value] pairs.
CREATE TABLE drafts (
    token_hash TEXT    PRIMARY KEY,
    slug       TEXT    NOT NULL,
    fields     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
