-- Browsers an organiser has signed in from: each holds a long-lived device cookie whose
-- token (stored here only as a SHA-256 hash) lets it past the sign-in throttle's address
-- limits and delays for that organiser, so guessing from elsewhere cannot lock them out.
-- `created_at` is Unix seconds; a device is known for a year.
CREATE TABLE known_devices (
    token_hash   TEXT    PRIMARY KEY,
    organiser_id INTEGER NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
);
