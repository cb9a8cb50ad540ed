//! The API token behind a machine's request. The guard (`auth::guard`) calls
//! [`authorise`] for every `/api/v1` route: a request without a live token for the path's
//! survey whose scope, and whose creator's role, allow the route's action
//! (`canvass::Scope::allows`) is refused there. Refusals are JSON problems (401 without a
//! token, 403 beyond it, 404 for a survey no longer served); every use is audited. The
//! handler takes what was authorised, with the creator's roles, through [`Bearer`].

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;

use super::extract::Need;
use crate::auth::audit::{Act, Entry};
use crate::http::problem::problem;
use crate::http::state::AppState;
use crate::storage::TokenRecord;

/// What the guard authorised for a token: the token, its creator's roles now, and the
/// survey.
#[derive(Clone, Debug)]
pub(crate) struct TokenGrant {
    pub token: TokenRecord,
    pub access: canvass::Access,
    /// As the survey's definition has it.
    pub slug: canvass::Slug,
    pub definition: Arc<canvass::Definition>,
}

impl TokenGrant {
    /// Whether this token may do `action` now (its scope, and its creator's role).
    pub(crate) fn allows(&self, action: canvass::Action) -> bool {
        crate::machines::api_tokens::scope_of(&self.token).allows(&self.access, self.slug.as_str(), action)
    }
}

/// A token whose scope and creator's role allow `N` on the path's survey.
pub(crate) struct Bearer<N> {
    pub grant: TokenGrant,
    need: std::marker::PhantomData<N>,
}

impl<N: Need + Send + Sync> FromRequestParts<AppState> for Bearer<N> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        match parts.extensions.get::<TokenGrant>() {
            Some(grant) if grant.allows(N::ACTION) => Ok(Bearer { grant: grant.clone(), need: std::marker::PhantomData }),
            _ => {
                tracing::error!(path = parts.uri.path(), "a handler takes a token its entry in auth::guard::ACCESS does not establish");
                Err(problem(StatusCode::INTERNAL_SERVER_ERROR, "This address is not open: the server does not say who may use it."))
            }
        }
    }
}

/// The guard's check of a token for `action` on `slug`.
pub(crate) async fn authorise(state: &AppState, parts: &Parts, action: canvass::Action, slug: &str) -> Result<TokenGrant, Response> {
    let presented = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(crate::machines::api_tokens::hash_of);
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
    let address = super::extract::client_address(parts, state);
    let actor = format!("token {} ({})", record.id, record.email);
    let access = match store.access(record.organiser_id).await {
        Ok(access) => access,
        Err(e) => {
            tracing::error!(error = ?e, "looking up a token's creator failed");
            return Err(problem(StatusCode::SERVICE_UNAVAILABLE, "Tokens cannot be checked just now; try again in a moment."));
        }
    };
    let scope = crate::machines::api_tokens::scope_of(&record);
    let what = format!("{} {}", parts.method, parts.uri.path());
    if record.slug != slug || !scope.allows(&access, slug, action) {
        let mut refused = Entry::new(&actor, Act::AccessRefused).detail(what).from(address);
        // As asked, whether or not it could name a survey.
        refused.survey = slug.to_string();
        state.service.audit(refused).await;
        let detail = if record.slug != slug {
            format!("This token is for the survey `{}` only.", record.slug)
        } else {
            format!(
                "This token's scope ({}) or its creator's role does not allow this: it needs a {} token made by someone with the {} role.",
                scope.code(),
                [canvass::Scope::Results, canvass::Scope::Responses, canvass::Scope::Manage]
                    .into_iter()
                    .find(|s| s.needs() >= action.needs())
                    .map_or("manage", |s| s.code()),
                action.needs().code()
            )
        };
        return Err(problem(StatusCode::FORBIDDEN, &detail));
    }
    // The path's slug as typed: one that does not parse is no survey, as an unknown one.
    let Some(definition) = canvass::Slug::parse(slug).ok().and_then(|slug| state.service.catalog().get(&slug)) else {
        return Err(problem(StatusCode::NOT_FOUND, &format!("There is no survey `{slug}`.")));
    };
    if let Err(e) = state.service.audit_first(Entry::new(&actor, Act::ApiUsed).survey(&definition.slug).detail(what).from(address)).await {
        tracing::error!(error = ?e, "recording an API use failed");
        return Err(problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "The request could not be recorded in the audit trail just now, so it was not served; try again.",
        ));
    }
    let _ = store.touch_api_token(record.id).await;
    Ok(TokenGrant { token: record, access, slug: definition.slug.clone(), definition })
}
