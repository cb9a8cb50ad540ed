-- The same table as SQLite's known_devices migration (see there for the reasons).
CREATE TABLE known_devices (
    token_hash   TEXT   PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL
);
