-- One-time passwords expire (issue 33): an account's one-time password (shown to whoever
-- added it, where no email could carry a set-your-password link) works for 72 hours after
-- it was set, so one handed to an owner cannot be kept to sign in as that person later.
-- `password_set_at` is when the current password was set (Unix seconds). Until now the
-- only one-time passwords were set when their account was created, so that is when the
-- existing ones were set.
ALTER TABLE organisers ADD COLUMN password_set_at INTEGER NOT NULL DEFAULT 0;
UPDATE organisers SET password_set_at = COALESCE(CAST(strftime('%s', created_at) AS INTEGER), 0);
