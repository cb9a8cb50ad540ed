-- What each translation was made from: for each survey, language and text key, the
-- English as it stood when the translation was made (or last confirmed) and the
-- translation itself. A translation left as it was while its English changed is flagged
-- for its translator (`canvass::translated_from`). Recorded whenever a survey's text is
-- saved or published, whichever editor changed it.
CREATE TABLE translated_from (
    slug        TEXT NOT NULL,
    language    TEXT NOT NULL,
    text_key    TEXT NOT NULL,
    english     TEXT NOT NULL,
    translation TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (slug, language, text_key)
);
