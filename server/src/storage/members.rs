//! Who has which role on which survey (`canvass::roles` holds the rule; this only stores
//! it), and who is an administrator.

use std::collections::BTreeMap;

use anyhow::Context;
use canvass::{Access, Role, Slug};

use super::Store;
use crate::auth::password::NO_PASSWORD;

/// Voids what lets an account that has not chosen its password yet choose one, on a
/// transaction of either engine: the one-time password (replaced by [`NO_PASSWORD`]),
/// sessions opened with it and unused set-password links. Used only for an account whose
/// `must_change_password` the same transaction has just read.
macro_rules! void_one_time {
    ($tx:expr, $organiser_id:expr) => {{
        for sql in ["DELETE FROM sessions WHERE organiser_id = $1", "DELETE FROM password_links WHERE organiser_id = $1 AND used_at IS NULL"] {
            sqlx::query(sql).bind($organiser_id).execute(&mut *$tx).await?;
        }
        sqlx::query("UPDATE organisers SET password_hash = $2 WHERE id = $1").bind($organiser_id).bind(NO_PASSWORD).execute(&mut *$tx).await?;
    }};
}

/// One member of a survey, for the members page and `canvass organiser list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub email: String,
    pub role: Role,
    pub granted_at: String,
    pub granted_by: String,
}

impl Store {
    /// Everything `organiser_id` may do: read with every session lookup, so a role given
    /// or taken away counts from the organiser's next request on every instance.
    pub async fn access(&self, organiser_id: i64) -> anyhow::Result<Access> {
        let (admin, rows): (bool, Vec<(String, String)>) = reading!(self, |pool| async {
            let admin: Option<bool> = sqlx::query_scalar("SELECT is_admin FROM organisers WHERE id = $1").bind(organiser_id).fetch_optional(pool).await?;
            let rows = sqlx::query_as("SELECT slug, role FROM survey_members WHERE organiser_id = $1").bind(organiser_id).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((admin.unwrap_or(false), rows))
        }
        .await)
        .context("looking up an organiser's roles")?;
        let surveys: BTreeMap<String, Role> = rows.into_iter().filter_map(|(slug, role)| Role::parse(&role).ok().map(|role| (slug, role))).collect();
        Ok(Access { admin, surveys })
    }

    /// Gives `organiser_id` `role` on `slug` (replacing any role they had there). Returns
    /// whether the account is still waiting for its owner to choose a password: then
    /// whatever let them choose one (a one-time password, an unused set-password link, a
    /// session opened with it) stops working here, in the same transaction. A one-time
    /// password shown to whoever added the account is never carried over to a new grant
    /// (issue 33): the caller gives fresh ones to whom it may.
    pub async fn grant_role(&self, slug: &Slug, organiser_id: i64, role: Role, by: &str) -> anyhow::Result<bool> {
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            sqlx::query(
                "INSERT INTO survey_members (slug, organiser_id, role, granted_at, granted_by) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (slug, organiser_id) DO UPDATE SET role = excluded.role, granted_at = excluded.granted_at, \
                 granted_by = excluded.granted_by",
            )
            .bind(slug.as_str())
            .bind(organiser_id)
            .bind(role.code())
            .bind(super::now_rfc3339())
            .bind(by)
            .execute(&mut *tx)
            .await?;
            let pending: bool =
                sqlx::query_scalar("SELECT must_change_password FROM organisers WHERE id = $1").bind(organiser_id).fetch_one(&mut *tx).await?;
            if pending {
                void_one_time!(tx, organiser_id);
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(pending)
        }
        .await)
        .context("giving an organiser a role")
    }

    /// Takes `organiser_id`'s role on `slug` away; false if they had none. An account that
    /// loses its last role before its owner chose a password loses the means to choose one
    /// too (see `void_one_time!`): a one-time password is void once nobody has a role for
    /// it to sign in to.
    pub async fn remove_role(&self, slug: &Slug, organiser_id: i64) -> anyhow::Result<bool> {
        let begin = self.begin_write();
        writing!(self, |pool| async {
            let mut tx = pool.begin_with(begin).await?;
            let removed = sqlx::query("DELETE FROM survey_members WHERE slug = $1 AND organiser_id = $2")
                .bind(slug.as_str())
                .bind(organiser_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if removed {
                let last_role_of_a_waiting_account: bool = sqlx::query_scalar(
                    "SELECT must_change_password AND NOT is_admin AND NOT EXISTS (SELECT 1 FROM survey_members WHERE organiser_id = $1) \
                     FROM organisers WHERE id = $1",
                )
                .bind(organiser_id)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(false);
                if last_role_of_a_waiting_account {
                    void_one_time!(tx, organiser_id);
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(removed)
        }
        .await)
        .context("taking a role away")
    }

    /// Makes an organiser an administrator (or not).
    pub async fn set_admin(&self, organiser_id: i64, admin: bool) -> anyhow::Result<()> {
        writing!(self, |pool| sqlx::query("UPDATE organisers SET is_admin = $2 WHERE id = $1")
            .bind(organiser_id)
            .bind(admin)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("changing who is an administrator")
    }

    /// A survey's members, owners first.
    pub async fn members(&self, slug: &Slug) -> anyhow::Result<Vec<Member>> {
        let rows: Vec<(String, String, String, String)> = reading!(self, |pool| sqlx::query_as(
            "SELECT o.email, m.role, m.granted_at, m.granted_by FROM survey_members m \
             JOIN organisers o ON o.id = m.organiser_id WHERE m.slug = $1 ORDER BY o.email"
        )
        .bind(slug.as_str())
        .fetch_all(pool)
        .await)
        .context("listing a survey's members")?;
        let mut members: Vec<Member> = rows
            .into_iter()
            .filter_map(|(email, role, granted_at, granted_by)| Role::parse(&role).ok().map(|role| Member { email, role, granted_at, granted_by }))
            .collect();
        members.sort_by(|a, b| b.role.cmp(&a.role).then_with(|| a.email.cmp(&b.email)));
        Ok(members)
    }

    /// The administrators' addresses.
    pub async fn administrators(&self) -> anyhow::Result<Vec<String>> {
        reading!(self, |pool| sqlx::query_scalar("SELECT email FROM organisers WHERE is_admin ORDER BY email").fetch_all(pool).await)
            .context("listing administrators")
    }
}
