-- Webhooks (issue 22), following Standard Webhooks v1; the same tables as on SQLite.
--
-- An endpoint belongs to one survey. Its secret (`whsec_` + base64) signs every
-- delivery; after a rotation the previous secret signs too until `previous_until`, so a
-- receiver can switch over without missing an event.
CREATE TABLE webhook_endpoints (
    id              BIGSERIAL PRIMARY KEY,
    slug            TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    secret          TEXT    NOT NULL,
    previous_secret TEXT,
    previous_until  BIGINT,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    -- Set when the receiver answered 410 Gone or kept failing for the give-up period;
    -- nothing is sent to a disabled endpoint until an organiser enables it again.
    disabled_at     TEXT,
    disabled_reason TEXT,
    -- Unix milliseconds of the first failure since the last success.
    failing_since   BIGINT
);
CREATE INDEX webhook_endpoints_by_survey ON webhook_endpoints (slug);

-- The outbox: one row per event and endpoint, written in the transaction that stores
-- the response (or closes the survey), so a crash after the commit loses no event. The
-- worker sends each pending row, and the same `event_id` on every attempt, until the
-- receiver answers 2xx or the give-up period has passed. Times are Unix milliseconds.
CREATE TABLE webhook_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    event_id        TEXT    NOT NULL,
    endpoint_id     BIGINT  NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    slug            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    occurred_at     TEXT    NOT NULL,
    created_ms      BIGINT  NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT  NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT  NOT NULL DEFAULT 0,
    last_attempt_at TEXT,
    last_status     BIGINT,
    last_error      TEXT,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_ms) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
