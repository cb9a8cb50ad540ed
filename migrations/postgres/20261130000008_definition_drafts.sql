-- What an organiser is editing and has not published: one draft per survey, saved with its
-- problems (a wrong keystroke or a closed tab never loses the work). Publishing clears it.
CREATE TABLE definition_drafts (
    slug     TEXT PRIMARY KEY,
    source   TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
);
