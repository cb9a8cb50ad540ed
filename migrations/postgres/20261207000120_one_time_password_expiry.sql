-- One-time passwords expire (see SQLite's migration for the reasons).
ALTER TABLE organisers ADD COLUMN password_set_at BIGINT NOT NULL DEFAULT 0;
UPDATE organisers SET password_set_at = CAST(EXTRACT(EPOCH FROM created_at::timestamptz) AS BIGINT);
