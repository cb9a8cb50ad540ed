-- One invitation per contact and survey. `responded` is set in the transaction that
-- stores the response, which is what makes an invitation take one response only; the
-- response row itself never names the invitation. `released` is what organisers see: on
-- an anonymous survey marks are released in groups of at least 5, so a name turning
-- "responded" cannot be matched to the response that just arrived. `response_id` is
-- kept only for surveys that are not anonymous.
CREATE TABLE invitations (
    id           BIGSERIAL PRIMARY KEY,
    slug         TEXT    NOT NULL,
    contact_id   BIGINT NOT NULL REFERENCES panel_contacts (id),
    invited_at   TEXT    NOT NULL,
    responded    BIGINT NOT NULL DEFAULT 0,
    released     BIGINT NOT NULL DEFAULT 0,
    response_id  TEXT,
    reminders    BIGINT NOT NULL DEFAULT 0,
    unsubscribed BIGINT NOT NULL DEFAULT 0,
    bounced      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (slug, contact_id)
);

-- The links of an invitation (the first, and one per reminder), only as SHA-256 hashes.
-- Keyed by the hash alone, so the table keeps no order that could date a link.
CREATE TABLE invitation_links (
    token_hash    TEXT    PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES invitations (id)
);

-- Email waiting to be sent, being sent, or sent: the durable queue running servers work.
-- A message is claimed (`sending`, with the instance and a lease) before it is handed to
-- the mail server, so two instances never send one message. One whose sender died
-- mid-send is never sent again on its own: it becomes `uncertain` for an organiser to
-- look at. The bodies (which hold the recipient's link) are blanked once sent, and so is
-- the address of a message a respondent asked for once ("Email me this link").
CREATE TABLE mail_queue (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT    NOT NULL,
    slug          TEXT    NOT NULL,
    invitation_id BIGINT REFERENCES invitations (id),
    recipient     TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    text_body     TEXT    NOT NULL,
    html_body     TEXT    NOT NULL,
    unsubscribe   TEXT,
    message_id    TEXT    NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'queued',
    attempts      BIGINT NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL,
    claimed_by    TEXT,
    claimed_until BIGINT,
    last_error    TEXT,
    queued_at     TEXT    NOT NULL,
    sent_at       TEXT
);

CREATE INDEX mail_queue_due ON mail_queue (state, not_before);
CREATE INDEX invitations_by_survey ON invitations (slug);
