-- Webhooks (issue 22), following Standard Webhooks v1.
--
-- An endpoint belongs to one survey. Its secret (`whsec_` + base64) signs every
-- delivery; after a rotation the previous secret signs too until `previous_until`, so a
-- receiver can switch over without missing an event.
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    slug            TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    secret          TEXT    NOT NULL,
    previous_secret TEXT,
    previous_until  INTEGER,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    -- Set when the receiver answered 410 Gone or kept failing for the give-up period;
    -- nothing is sent to a disabled endpoint until an organiser enables it again.
    disabled_at     TEXT,
    disabled_reason TEXT,
    -- Unix milliseconds of the first failure since the last success.
    failing_since   INTEGER
);
CREATE INDEX webhook_endpoints_by_survey ON webhook_endpoints (slug);

-- The outbox: one row per event and endpoint, written in the transaction that stores
-- the response (or closes the survey), so a crash after the commit loses no event. The
-- worker sends each pending row, and the same `event_id` on every attempt, until the
-- receiver answers 2xx or the give-up period has passed. Times are Unix milliseconds.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT    NOT NULL,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    slug            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    occurred_at     TEXT    NOT NULL,
    created_ms      INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    claimed_by      TEXT,
    claimed_until   INTEGER NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    last_status     INTEGER,
    last_error      TEXT
);
-- No index on event_id: a response's event is written once by construction, and a
-- random key in a b-tree would cost every submission a fifth of its speed (measured).
-- Only a survey passing its closes_at, queued by every instance, needs to be kept once,
-- and a partial index costs nothing to the other rows.
CREATE UNIQUE INDEX webhook_deliveries_closed_once ON webhook_deliveries (event_id, endpoint_id) WHERE kind = 'survey.closed';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_ms) WHERE state = 'pending';
-- The delivery log reads an endpoint's newest rows from the end of the table (the log
-- is pruned after 30 days): one index fewer for every submission to keep up.
