-- Set-your-password links (issue 14): an organiser added to a survey by email chooses their
-- own password through a link sent to them, instead of being handed a one-time password.
-- Only a SHA-256 hash of each link's secret is stored; a link works once, until it expires.
CREATE TABLE password_links (
    token_hash   TEXT    PRIMARY KEY,
    organiser_id INTEGER NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);
