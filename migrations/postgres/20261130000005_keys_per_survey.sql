-- A submission key identifies a response within its survey, not across all surveys: the
-- same key sent to a second survey is a new response there, not a repeat of the first.
ALTER TABLE responses DROP CONSTRAINT responses_submission_key_key;
ALTER TABLE responses ADD CONSTRAINT responses_slug_submission_key_key UNIQUE (slug, submission_key);
