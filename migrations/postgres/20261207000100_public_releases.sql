-- What respondents were shown of each survey's live totals (issue 33): the last release,
-- stored before it is shown, so a restart or a recount after a withdrawal shows exactly
-- the same totals instead of rebuilding them from what is stored now. `number` counts
-- up (instances sharing a database store the next one only if no other did first);
-- `through` is the storage number of the newest response it holds; `tally` is the
-- counts themselves (an aggregate of at least five responses, never a response).
CREATE TABLE public_releases (
    slug        TEXT PRIMARY KEY,
    number      BIGINT NOT NULL,
    through     BIGINT NOT NULL,
    tally       TEXT NOT NULL,
    released_at TEXT NOT NULL
);
