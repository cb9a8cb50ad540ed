-- One form per meaning: `submitted_at` held an instant (RFC 3339) or, for an anonymous
-- survey's responses, only the day (`YYYY-MM-DD`), told apart by the text's length. The
-- day now has its own column, `submitted_on`, and `submitted_at` is NULL for those
-- responses: still no time finer than the day is kept for them. Readers show whichever
-- one a response has (`COALESCE(submitted_at, submitted_on)`).
ALTER TABLE responses ADD COLUMN submitted_on TEXT;
ALTER TABLE responses ALTER COLUMN submitted_at DROP NOT NULL;
UPDATE responses SET submitted_on = submitted_at, submitted_at = NULL WHERE length(submitted_at) = 10;
ALTER TABLE responses ADD CONSTRAINT responses_submitted CHECK (submitted_at IS NOT NULL OR submitted_on IS NOT NULL);
-- By survey and when, as readers see it (retention, the last response's time).
DROP INDEX responses_by_time;
CREATE INDEX responses_by_time ON responses (slug, (COALESCE(submitted_at, submitted_on)));
