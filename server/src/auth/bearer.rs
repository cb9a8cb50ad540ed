//! The API token behind a machine's request, as an axum extractor: `Token<N>` refuses,
//! before the handler runs, a request without a live token for the path's survey whose
//! scope, and whose creator's role, allow `N` (`canvass::Scope::allows`). Refusals are
//! JSON problems (401 without a token, 403 beyond it); every use is audited.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;

use super::extract::Need;
use crate::audit::{Act, Entry};
use crate::routes::problem::problem;
use crate::state::AppState;
use crate::storage::TokenRecord;

pub struct Bearer<N>(pub TokenRecord, pub String, pub std::marker::PhantomData<N>);

impl<N: Need + Send + Sync> FromRequestParts<AppState> for Bearer<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(crate::api_tokens::hash_of);
        let Some(hash) = presented else {
            return Err(problem(
                StatusCode::UNAUTHORIZED,
                "Send an API token as `Authorization: Bearer cvt_…`; an owner or analyst makes one with `canvass token add`.",
            ));
        };
        let store = state.service.store();
        let record = match store.api_token(&hash).await {
            Ok(Some(record)) => record,
            Ok(None) => return Err(problem(StatusCode::UNAUTHORIZED, "This token is not one Canvass knows, or it was revoked.")),
            Err(e) => {
                tracing::error!(error = ?e, "looking up an API token failed");
                return Err(problem(StatusCode::SERVICE_UNAVAILABLE, "Tokens cannot be checked just now; try again in a moment."));
            }
        };
        let slug = axum::extract::Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|path| path.0.get("slug").cloned())
            .unwrap_or_default();
        let address = super::extract::client_address(parts, state);
        let actor = format!("token {} ({})", record.id, record.email);
        let access = match store.access(record.organiser_id).await {
            Ok(access) => access,
            Err(e) => {
                tracing::error!(error = ?e, "looking up a token's creator failed");
                return Err(problem(StatusCode::SERVICE_UNAVAILABLE, "Tokens cannot be checked just now; try again in a moment."));
            }
        };
        let scope = crate::api_tokens::scope_of(&record);
        let what = format!("{} {}", parts.method, parts.uri.path());
        if record.slug != slug || !scope.allows(&access, &slug, N::ACTION) {
            state.service.audit(Entry::new(&actor, Act::AccessRefused).survey(&slug).detail(what).from(address)).await;
            let detail = if record.slug != slug {
                format!("This token is for the survey `{}` only.", record.slug)
            } else {
                format!(
                    "This token's scope ({}) or its creator's role does not allow this: it needs a {} token made by someone with the {} role.",
                    scope.code(),
                    [canvass::Scope::Results, canvass::Scope::Responses, canvass::Scope::Manage]
                        .into_iter()
                        .find(|s| s.needs() >= N::ACTION.needs())
                        .map_or("manage", |s| s.code()),
                    N::ACTION.needs().code()
                )
            };
            return Err(problem(StatusCode::FORBIDDEN, &detail));
        }
        if let Err(e) = state.service.audit_first(Entry::new(&actor, Act::ApiUsed).survey(&slug).detail(what).from(address)).await {
            tracing::error!(error = ?e, "recording an API use failed");
            return Err(problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "The request could not be recorded in the audit trail just now, so it was not served; try again.",
            ));
        }
        let _ = store.touch_api_token(record.id).await;
        Ok(Bearer(record, slug, std::marker::PhantomData))
    }
}
