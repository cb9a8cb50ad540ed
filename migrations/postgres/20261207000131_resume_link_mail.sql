-- "Email me this link" throttled (issue 33): one row per resume link emailed, kept a day,
-- so a draft's link goes out a few times at most and one address is not flooded from many
-- drafts. Neither the draft's token nor the address is kept: both are keyed hashes
-- (`server::keyed::ServerKey::fingerprint`), useless without the database's server key.
CREATE TABLE resume_link_mail (
    draft_key   TEXT   NOT NULL,
    address_key TEXT   NOT NULL,
    sent_ms     BIGINT NOT NULL
);
CREATE INDEX resume_link_mail_by_draft ON resume_link_mail (draft_key, sent_ms);
CREATE INDEX resume_link_mail_by_address ON resume_link_mail (address_key, sent_ms);
