-- Unsubscribe links of their own (issue 33). The unsubscribe address used to carry the
-- invitation's own token, so anyone the address reached (a mail provider acting on
-- `List-Unsubscribe`, a forwarded footer) could also open the survey as the respondent,
-- with their saved answers. Each message now gets a separate unsubscribe token, which
-- only unsubscribes; like invitation links, only SHA-256 hashes are stored, keyed by the
-- hash alone so the table keeps no order that could date a link. An invitation's token no
-- longer unsubscribes: messages sent before this change carry a link that no longer works
-- (the next reminder brings a new one).
CREATE TABLE unsubscribe_links (
    token_hash    TEXT    PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES invitations (id)
) WITHOUT ROWID;

-- The unsubscribe address of a message already dealt with is not needed any more: it
-- held an invitation's token in plain text. It is now blanked with the bodies once sent.
UPDATE mail_queue SET unsubscribe = NULL WHERE state IN ('sent', 'failed', 'cancelled');
