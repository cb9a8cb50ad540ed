-- The live version a draft was started from: publishing the draft later is refused if
-- someone has published a newer version since (their changes would be silently undone).
ALTER TABLE definition_drafts ADD COLUMN base_version INTEGER NOT NULL DEFAULT 0;
