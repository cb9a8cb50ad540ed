-- Every save of a survey's text from the builder (and the text editor's Save draft): the
-- text as it was, who saved it, when, and the change in words, so an organiser can see
-- what changed and restore any earlier text (the builder's safety instead of undo).
-- Kept after publishing: the history of how each version came to be.
CREATE TABLE definition_revisions (
    id       BIGSERIAL PRIMARY KEY,
    slug     TEXT NOT NULL,
    source   TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    change   TEXT NOT NULL
);
CREATE INDEX definition_revisions_by_slug ON definition_revisions (slug, id);
