//! The `responses` table: storing responses (through the group-commit writer, or through
//! an invitation in `invited.rs`) and everything read back from it by survey: the
//! answers to count, the rows to export, receipts, pages for machines, the dashboard's
//! times and free-text answers. Most statements are one text on both engines; where the
//! engines must differ (storage order: SQLite's `rowid`, PostgreSQL's `seq`; JSON
//! lookups), the two texts stand side by side in the method that runs them.

use std::collections::BTreeMap;

use anyhow::Context;
use canvass::{Answer, Slug};

use super::{parse_answers, NewResponse, PagedResponse, Prepared, RowOrder, RowStream, Store, Stored};

impl Store {
    /// Stores a response durably (committed before this returns), or finds the response
    /// already stored with its submission key ([`Outcome`]).
    pub async fn insert_response(&self, response: &NewResponse<'_>) -> anyhow::Result<Stored> {
        let mut stored = self.insert_batch(&[Prepared::from(response)?]).await;
        stored.pop().unwrap_or_else(|| Err(anyhow::anyhow!("the batch came back empty")))
    }

    /// Stores several responses in one transaction (one commit, one fsync). A key already
    /// used in the survey, within the batch or before it, resolves to the first response
    /// stored with it ([`Outcome`]).
    /// If the batch fails as a whole, each response is retried alone, so one bad
    /// response cannot sink the others.
    pub async fn insert_batch(&self, batch: &[Prepared]) -> Vec<anyhow::Result<Stored>> {
        if batch.iter().all(|r| r.invitation.is_none()) {
            return self.insert_plain(batch).await;
        }
        // Responses through invitations (a few hundred in a whole survey) each take their
        // own transaction, which spends the invitation (`insert_invited`).
        let plain: Vec<Prepared> = batch.iter().filter(|r| r.invitation.is_none()).cloned().collect();
        let mut plain_results = self.insert_plain(&plain).await.into_iter();
        let mut results = Vec::with_capacity(batch.len());
        for r in batch {
            results.push(match r.invitation {
                Some(invitation) => self.insert_invited(r, invitation).await,
                None => plain_results.next().unwrap_or_else(|| Err(anyhow::anyhow!("a response went missing from its batch"))),
            });
        }
        results
    }

    async fn insert_plain(&self, batch: &[Prepared]) -> Vec<anyhow::Result<Stored>> {
        if batch.is_empty() {
            return Vec::new();
        }
        match on_engine!(self, s => s.insert_batch(batch).await) {
            Ok(stored) => stored.into_iter().map(Ok).collect(),
            Err(e) if batch.len() > 1 => {
                tracing::warn!(error = ?e, size = batch.len(), "a batch failed; storing its responses one by one");
                let mut results = Vec::with_capacity(batch.len());
                for one in batch {
                    let result = on_engine!(self, s => s.insert_batch(std::slice::from_ref(one)).await);
                    results.push(result.map(|mut v| v.remove(0)));
                }
                results
            }
            Err(e) => vec![Err(e)],
        }
    }

    /// Every stored response's answers for a survey, oldest first, for counting.
    pub async fn answers(&self, slug: &Slug) -> anyhow::Result<Vec<BTreeMap<String, Answer>>> {
        parse_answers(&self.stored_answers(slug).await?)
    }

    /// Every stored response's answers (JSON) for a survey, in storage order, unparsed.
    pub async fn stored_answers(&self, slug: &Slug) -> anyhow::Result<Vec<String>> {
        // SQLite: NOT INDEXED: walking the table in rowid order streams rows as they are
        // read; through the (slug, submitted_at) index SQLite would sort every row first.
        let sql = self.either(
            "SELECT answers FROM responses NOT INDEXED WHERE slug = $1 ORDER BY rowid",
            "SELECT answers FROM responses WHERE slug = $1 ORDER BY seq",
        );
        reading!(self, |pool| sqlx::query_scalar(sql).bind(slug.as_str()).fetch_all(pool).await).context("reading stored responses")
    }

    /// Every stored response of a survey in `order`, streamed: memory stays constant
    /// however many there are.
    pub fn rows<'a>(&'a self, slug: &'a Slug, order: RowOrder) -> RowStream<'a> {
        use futures_util::TryStreamExt;
        // Either order without a sort, so the first row goes out at once: in storage
        // order down the table (see `stored_answers`), or along the (slug, id) index.
        let sql = match order {
            RowOrder::Stored => self.either(
                "SELECT id, COALESCE(submitted_at, submitted_on) AS submitted_at, version, answers, language FROM responses NOT INDEXED WHERE slug = $1 ORDER BY rowid",
                "SELECT id, COALESCE(submitted_at, submitted_on) AS submitted_at, version::BIGINT AS version, answers, language FROM responses WHERE slug = $1 ORDER BY seq",
            ),
            RowOrder::Shuffled => self.either(
                "SELECT id, COALESCE(submitted_at, submitted_on) AS submitted_at, version, answers, language FROM responses INDEXED BY responses_by_id WHERE slug = $1 ORDER BY id",
                "SELECT id, COALESCE(submitted_at, submitted_on) AS submitted_at, version::BIGINT AS version, answers, language FROM responses WHERE slug = $1 ORDER BY id",
            ),
        };
        reading!(self, |pool| Box::pin(sqlx::query_as(sql).bind(slug.as_str()).fetch(pool).map_err(anyhow::Error::from)))
    }

    pub async fn receipt_exists(&self, slug: &Slug, receipt: &str) -> anyhow::Result<bool> {
        let found: Option<i64> = reading!(self, |pool| sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM responses WHERE slug = $1 AND receipt = $2")
            .bind(slug.as_str())
            .bind(receipt)
            .fetch_optional(pool)
            .await)
        .context("checking a receipt")?;
        Ok(found.is_some())
    }

    pub async fn count(&self, slug: &Slug) -> anyhow::Result<u64> {
        let n: i64 = reading!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM responses WHERE slug = $1").bind(slug.as_str()).fetch_one(pool).await)
            .context("counting responses")?;
        Ok(n as u64)
    }

    /// The id and stored answers (JSON) of the response `receipt` was given for, in `slug`.
    pub async fn response_for_receipt(&self, slug: &Slug, receipt: &str) -> anyhow::Result<Option<(String, String)>> {
        reading!(self, |pool| sqlx::query_as("SELECT id, answers FROM responses WHERE slug = $1 AND receipt = $2")
            .bind(slug.as_str())
            .bind(receipt)
            .fetch_optional(pool)
            .await)
        .context("looking up a response by its receipt")
    }

    /// When the newest response arrived (RFC 3339), if any has.
    pub async fn last_response_at(&self, slug: &Slug) -> anyhow::Result<Option<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT MAX(COALESCE(submitted_at, submitted_on)) FROM responses WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_one(pool)
            .await)
        .context("reading the time of the last response")
    }

    /// Responses per UTC quarter hour: (`YYYY-MM-DDTHH`, quarter 0–3, count), oldest
    /// first; an anonymous survey's responses, which keep the day only (`submitted_on`), as
    /// (`YYYY-MM-DD`, 0, count). Fine enough to put each response on its day in any time zone
    /// (`zone::OrganiserZone::per_day`), coarse enough to stay a few rows a day.
    pub async fn responses_per_quarter_hour(&self, slug: &Slug) -> anyhow::Result<Vec<(String, i64, i64)>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT COALESCE(substr(submitted_at, 1, 13), submitted_on) AS hour, \
             CASE WHEN submitted_at IS NULL THEN 0 ELSE CAST(substr(submitted_at, 15, 2) AS BIGINT) / 15 END AS quarter, \
             COUNT(*) AS n FROM responses WHERE slug = $1 GROUP BY hour, quarter ORDER BY hour, quarter"
        )
        .bind(slug.as_str())
        .fetch_all(pool)
        .await)
        .context("counting responses per quarter hour")
    }

    /// One page of a free-text question's answers, newest first: (submitted_at, text).
    pub async fn text_answers(&self, slug: &Slug, question: &str, offset: i64, limit: i64) -> anyhow::Result<Vec<(String, String)>> {
        // The answer's JSON path on SQLite is `$."question"`.
        let sql = self.either(
            "SELECT COALESCE(submitted_at, submitted_on), json_extract(answers, '$.\"' || $1 || '\"') FROM responses \
             WHERE slug = $2 AND json_extract(answers, '$.\"' || $1 || '\"') IS NOT NULL ORDER BY rowid DESC LIMIT $3 OFFSET $4",
            "SELECT COALESCE(submitted_at, submitted_on), answers::jsonb ->> $1::text FROM responses \
             WHERE slug = $2 AND (answers::jsonb ->> $1::text) IS NOT NULL ORDER BY seq DESC LIMIT $3 OFFSET $4",
        );
        reading!(self, |pool| sqlx::query_as(sql).bind(question).bind(slug.as_str()).bind(limit).bind(offset).fetch_all(pool).await)
            .context("reading free-text answers")
    }

    /// Up to `limit` responses of `slug` after the cursor `(major, minor)`, in an order no
    /// later commit can enter before the cursor (see the `api_tokens` migrations).
    pub async fn responses_page(&self, slug: &Slug, after: (i64, i64), limit: i64) -> anyhow::Result<Vec<PagedResponse>> {
        match self {
            Store::Sqlite(s) => {
                sqlx::query_as(
                    // NOT INDEXED: a range scan of the table from the cursor's rowid on.
                    "SELECT 0 AS major, rowid AS minor, id, version, COALESCE(submitted_at, submitted_on) AS submitted_at, language, answers FROM responses NOT INDEXED \
                 WHERE rowid > $2 AND slug = $1 ORDER BY rowid LIMIT $3",
                )
                .bind(slug.as_str())
                .bind(after.1)
                .bind(limit)
                .fetch_all(s.reader())
                .await
            }
            Store::Postgres(p) => {
                sqlx::query_as(
                    "SELECT txid AS major, seq AS minor, id, version::bigint AS version, COALESCE(submitted_at, submitted_on) AS submitted_at, language, answers FROM responses \
                 WHERE slug = $1 AND (txid, seq) > ($2, $3) \
                 AND txid < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint) \
                 ORDER BY txid, seq LIMIT $4",
                )
                .bind(slug.as_str())
                .bind(after.0)
                .bind(after.1)
                .bind(limit)
                .fetch_all(p.pool())
                .await
            }
        }
        .context("reading a page of responses")
    }

    /// One response of `slug` by its id (the link in a `response.created` webhook).
    pub async fn response_by_id(&self, slug: &Slug, id: &str) -> anyhow::Result<Option<PagedResponse>> {
        reading!(self, |pool| sqlx::query_as(
            "SELECT CAST(0 AS bigint) AS major, CAST(0 AS bigint) AS minor, id, CAST(version AS bigint) AS version, COALESCE(submitted_at, submitted_on) AS submitted_at, language, answers \
             FROM responses WHERE slug = $1 AND id = $2"
        )
        .bind(slug.as_str())
        .bind(id)
        .fetch_optional(pool)
        .await)
        .context("reading a response")
    }
}
