//! API tokens and what machines read with them: the token page and the machine API ask
//! storage through these.

use canvass::{Scope, Slug};

use super::Service;
use crate::machines::api_tokens::{NewToken, NewTokenError};
use crate::storage::{PagedResponse, TokenRecord};

impl Service {
    /// Up to `limit` responses of `slug` after the cursor `(major, minor)`, in an order no
    /// later commit can enter before the cursor (`Store::responses_page`).
    pub async fn responses_page(&self, slug: &Slug, after: (i64, i64), limit: i64) -> anyhow::Result<Vec<PagedResponse>> {
        self.store.responses_page(slug, after, limit).await
    }

    /// One response of `slug` by its id (the link in a `response.created` webhook).
    pub async fn response_by_id(&self, slug: &Slug, id: &str) -> anyhow::Result<Option<PagedResponse>> {
        self.store.response_by_id(slug, id).await
    }

    /// Every token of `slug` (all surveys when `None`), newest first.
    pub async fn api_tokens(&self, slug: Option<&str>) -> anyhow::Result<Vec<TokenRecord>> {
        self.store.api_tokens(slug).await
    }

    /// Makes a token for the organiser `email` on `slug`, audited as made `by`; the
    /// error says why it cannot be made (`api_tokens::create`).
    pub async fn create_api_token(&self, email: &str, slug: &Slug, scope: Scope, label: &str, by: &str) -> Result<NewToken, NewTokenError> {
        crate::machines::api_tokens::create(&self.store, email, slug, scope, label, by).await
    }

    /// Revokes a token; false if there was no live one with this id.
    pub async fn revoke_api_token(&self, id: i64) -> anyhow::Result<bool> {
        self.store.revoke_api_token(id).await
    }
}
