-- The panel a survey is sent to, imported from a CSV file. Stored apart from the answers
-- and never joined to them: a response row holds no reference to a contact.
CREATE TABLE panel_contacts (
    id           BIGSERIAL PRIMARY KEY,
    slug         TEXT NOT NULL,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    language     TEXT NOT NULL,
    custom       TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    UNIQUE (slug, email)
);
