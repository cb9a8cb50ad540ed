-- The language each response was given in (issue 20: English and Welsh). Answers are
-- codes whatever the language; this is only for the export's `language` column. Earlier
-- responses were all given in English.
ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
