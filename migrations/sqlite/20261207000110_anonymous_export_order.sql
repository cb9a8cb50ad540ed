-- An anonymous survey's export lists its responses by id (a random UUID, given at
-- insert) instead of in the order they arrived: the last row of a download must not be
-- the newest response, which an organiser could line up with the findings address or
-- the invitation that changed at the same moment. This index streams them in that order
-- without a sort, so the export still starts at once and keeps its memory flat.
CREATE INDEX responses_by_id ON responses (slug, id);
