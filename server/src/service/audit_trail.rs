//! Reading the audit trail back, as the audit page shows and downloads it. (Writing to
//! it is `service/audit.rs`.)

use canvass::Slug;

use super::Service;
use crate::auth::audit::{Record, VerifyError};

impl Service {
    /// A survey's audit records, newest first, before the record numbered `before` (all
    /// when 0), at most `limit`.
    pub async fn audit_of_survey(&self, slug: &Slug, before: i64, limit: i64) -> anyhow::Result<Vec<Record>> {
        self.store.audit_of_survey(slug, before, limit).await
    }

    /// Checks the whole trail's hash chain (`audit::verify`).
    pub async fn verify_audit(&self) -> Result<(i64, String), VerifyError> {
        crate::auth::audit::verify(&self.store).await
    }
}
