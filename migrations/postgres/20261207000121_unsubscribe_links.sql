-- Unsubscribe links of their own (see SQLite's migration for the reasons).
CREATE TABLE unsubscribe_links (
    token_hash    TEXT   PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES invitations (id)
);

UPDATE mail_queue SET unsubscribe = NULL WHERE state IN ('sent', 'failed', 'cancelled');
