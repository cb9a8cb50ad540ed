-- Set-your-password links (see SQLite's migration for the reasons).
CREATE TABLE password_links (
    token_hash   TEXT   PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT
);
