-- A saved tally and the last response (by rowid) it has counted, so a restart counts only
-- the responses stored after it instead of every response ever stored. A cache: deleting
-- a row only makes the next start recount from scratch. `version` is the definition
-- version the tally was built for; another version means a recount.
CREATE TABLE tally_checkpoints (
    slug          TEXT    PRIMARY KEY,
    version       INTEGER NOT NULL,
    through_rowid INTEGER NOT NULL,
    tally         TEXT    NOT NULL
);
