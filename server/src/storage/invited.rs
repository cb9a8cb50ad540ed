//! Storing a response that came through an invitation: in one transaction, the
//! invitation is spent (`responded`, only if it was not already) and the response is
//! stored, so an invitation takes one response however many tabs or devices submit at
//! once. The response row is written exactly as any other: nothing in it names the
//! invitation. On an anonymous survey the mark stays unreleased until at least
//! [`RELEASE_GROUP`] have gathered, then all of them are released together.

use anyhow::Context;

use super::invitations::RELEASE_GROUP;
use super::{Outcome, Prepared, Store, Stored, INSERT_RESPONSE, INSERT_RESPONSE_POSITIONED};

/// The response already stored under `r`'s key in its survey, if any: (id, receipt,
/// answers, contact details), on a transaction of either engine.
macro_rules! stored_under_key {
    ($tx:expr, $r:expr) => {{
        let r: &Prepared = $r;
        let original: Option<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT r.id, r.receipt, r.answers, (SELECT details FROM contacts WHERE response_id = r.id) \
             FROM responses r WHERE r.slug = $1 AND r.submission_key = $2",
        )
        .bind(r.slug.as_str())
        .bind(&r.submission_key)
        .fetch_optional(&mut *$tx)
        .await?;
        original
    }};
}

/// Spends `invitation` on `r` (`responded`, only if it was not already; linked to the
/// response only on a named survey, unreleased on an anonymous one). True when spent.
macro_rules! spend_invitation {
    ($tx:expr, $r:expr, $invitation:expr) => {{
        let r: &Prepared = $r;
        let (released, linked): (i64, Option<&str>) = if r.anonymous { (0, None) } else { (1, Some(r.id.as_str())) };
        sqlx::query("UPDATE invitations SET responded = 1, released = $1, response_id = $2 WHERE id = $3 AND slug = $4 AND responded = 0")
            .bind(released)
            .bind(linked)
            .bind($invitation)
            .bind(r.slug.as_str())
            .execute(&mut *$tx)
            .await?
            .rows_affected()
            == 1
    }};
}

/// On an anonymous survey, releases the survey's unreleased "responded" marks together
/// once at least [`RELEASE_GROUP`] have gathered (PostgreSQL first takes the survey's
/// release lock).
macro_rules! release_marks {
    ($tx:expr, $r:expr, $postgres:expr) => {{
        let r: &Prepared = $r;
        if r.anonymous && $postgres {
            sqlx::query(super::findings::RELEASE_LOCK).bind(r.slug.as_str()).execute(&mut *$tx).await?;
        }
        if r.anonymous {
            sqlx::query(
                "UPDATE invitations SET released = 1 WHERE slug = $1 AND responded = 1 AND released = 0 \
                 AND (SELECT COUNT(*) FROM invitations WHERE slug = $1 AND responded = 1 AND released = 0) >= $2",
            )
            .bind(r.slug.as_str())
            .bind(RELEASE_GROUP)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Stores the response row, exactly as any other, and returns its storage number:
/// PostgreSQL's `seq`, or on SQLite the rowid numbered as the batch writer does.
macro_rules! insert_row {
    ($tx:expr, $r:expr, $postgres:expr) => {{
        let r: &Prepared = $r;
        let query = |sql| {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(&r.id)
                .bind(r.slug.as_str())
                .bind(r.version as i32)
                .bind(&r.submission_key)
                .bind(&r.receipt)
                .bind(&r.answers)
                .bind(&r.submitted_at)
                .bind(&r.submitted_on)
                .bind(&r.language)
        };
        if $postgres {
            Some(query(&format!("{INSERT_RESPONSE} RETURNING seq")).fetch_one(&mut *$tx).await?)
        } else {
            let position: i64 = sqlx::query_scalar(
                "UPDATE response_counter SET last = MAX(last, (SELECT COALESCE(MAX(rowid), 0) FROM responses)) + 1 \
                 WHERE id = 1 RETURNING last",
            )
            .fetch_one(&mut *$tx)
            .await?;
            query(INSERT_RESPONSE_POSITIONED).bind(position).fetch_optional(&mut *$tx).await?;
            Some(position)
        }
    }};
}

/// Stores the response's contact details, if it gave any (released in groups on an
/// anonymous survey), and queues its `response.created` event, in the same transaction.
macro_rules! contact_and_event {
    ($tx:expr, $r:expr) => {{
        let r: &Prepared = $r;
        if let Some(contact) = &r.contact {
            sqlx::query("INSERT INTO contacts (response_id, details, released) VALUES ($1, $2, $3)")
                .bind(&r.id)
                .bind(contact)
                .bind(i64::from(!r.anonymous))
                .execute(&mut *$tx)
                .await?;
            if r.anonymous {
                sqlx::query(super::findings::RELEASE_CONTACTS).bind(r.slug.as_str()).bind(RELEASE_GROUP).execute(&mut *$tx).await?;
            }
        }
        sqlx::query(super::webhooks::ENQUEUE_FOR_SURVEY)
            .bind(super::webhooks::response_event_id(&r.id))
            .bind(super::webhooks::RESPONSE_CREATED)
            .bind(&r.id)
            // As the receiver is told it: the instant, or an anonymous survey's day.
            .bind(r.submitted_at.as_deref().or(r.submitted_on.as_deref()))
            .bind(super::unix_ms())
            .bind(r.slug.as_str())
            .execute(&mut *$tx)
            .await?;
    }};
}

impl Store {
    pub(super) async fn insert_invited(&self, r: &Prepared, invitation: i64) -> anyhow::Result<Stored> {
        let begin = self.begin_write();
        let postgres = matches!(self, Store::Postgres(_));
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            // A retry of a response already stored under this key means what a repeated
            // key means anywhere; the invitation is not looked at again.
            if let Some((id, receipt, answers, contact)) = stored_under_key!(tx, r) {
                tx.rollback().await?;
                let outcome = Outcome::of_repeat(&answers, contact.as_deref(), &r.answers, r.contact.as_deref());
                return Ok(Stored { response_id: id, receipt, outcome, seq: None });
            }
            if !spend_invitation!(tx, r, invitation) {
                tx.rollback().await?;
                return Ok(Stored { response_id: String::new(), receipt: String::new(), outcome: Outcome::AlreadyResponded, seq: None });
            }
            release_marks!(tx, r, postgres);
            let seq = insert_row!(tx, r, postgres);
            contact_and_event!(tx, r);
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Stored { response_id: r.id.clone(), receipt: r.receipt.clone(), outcome: Outcome::Created, seq })
        }
        .await)
        .context("storing a response through an invitation")
    }
}
