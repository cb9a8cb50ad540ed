-- One unit for the instants the server computes with: Unix milliseconds, as webhook
-- schedules and resume-mail windows already were (`storage::unix_ms`). Those kept in
-- seconds move to milliseconds; nothing is lost, and a stored time compared with the
-- clock or with another stored time keeps its meaning.
UPDATE sessions SET created_at = created_at * 1000, last_seen_at = last_seen_at * 1000;
UPDATE known_devices SET created_at = created_at * 1000;
UPDATE organisers SET password_set_at = password_set_at * 1000;
UPDATE password_links SET expires_at = expires_at * 1000, used_at = used_at * 1000;
UPDATE drafts SET updated_at = updated_at * 1000;
UPDATE job_leases SET until = until * 1000;
UPDATE mail_queue SET not_before = not_before * 1000, claimed_until = claimed_until * 1000;
