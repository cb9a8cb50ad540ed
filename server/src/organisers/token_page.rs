//! `/admin/surveys/{slug}/tokens`: API tokens in the dashboard. Anyone with a role on
//! the survey makes tokens for themselves, up to their role (`canvass::Scope`), each
//! shown once; they revoke their own, and owners anyone's. Changes are audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::{Action, Scope, Slug};

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Totals};
use crate::auth::Organiser;
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;
use crate::machines::api_tokens::NewTokenError;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/surveys/{slug}/tokens", get(page).post(change))
}

async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Totals>) -> Response {
    render(&state, &who, &slug, &definition, None, StatusCode::OK).await
}

async fn render(state: &AppState, who: &Organiser, slug: &Slug, definition: &canvass::Definition, notice: Option<String>, status: StatusCode) -> Response {
    let owner = who.access.allows(slug.as_str(), Action::Manage);
    let tokens = match state.service.api_tokens(Some(slug.as_str())).await {
        Ok(tokens) => tokens.into_iter().filter(|t| owner || t.email == who.email).collect::<Vec<_>>(),
        Err(e) => {
            tracing::error!(error = ?e, "listing API tokens failed");
            return refused(StatusCode::SERVICE_UNAVAILABLE, "The tokens could not be read just now; reload the page to try again.");
        }
    };
    let slug_html = escape(slug.as_str());
    let action = format!("/admin/surveys/{slug_html}/tokens");
    let mut body = String::new();
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"tokens-notice\">{notice}</div>"));
    }
    body.push_str(
        "<p class=\"hint\">A token lets a program read this survey through <code>/api/v1</code> (see <a href=\"/api/openapi.json\">the API's \
         description</a>) as you, within its scope and never beyond your role. Send it as <code>Authorization: Bearer …</code>.</p>",
    );
    body.push_str(
        "<div class=\"table-scroll\"><table class=\"admin-table\" data-testid=\"tokens\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">For</th>\
                   <th scope=\"col\">Scope</th><th scope=\"col\">Made by</th><th scope=\"col\">Used</th><th scope=\"col\"></th></tr></thead><tbody>",
    );
    for t in &tokens {
        let used = match (&t.revoked_at, &t.last_used_at) {
            (Some(at), _) => format!("revoked {}", escape(&state.service.zone().stamp(at))),
            (None, Some(at)) => format!("last {}", escape(&state.service.zone().stamp(at))),
            (None, None) => "never".into(),
        };
        let revoke = if t.revoked_at.is_none() {
            format!(
                "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"revoke\">\
                 <input type=\"hidden\" name=\"id\" value=\"{}\"><button type=\"submit\" class=\"link-button\">Revoke</button></form>",
                t.id
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{used}</td><td>{revoke}</td></tr>",
            t.id,
            escape(&t.label),
            escape(&t.scope),
            escape(&t.email)
        ));
    }
    body.push_str("</tbody></table></div>");
    let role = who.access.role(slug.as_str()).unwrap_or(canvass::Role::Viewer);
    let options: String =
        Scope::ALL.iter().filter(|scope| scope.needs() <= role).map(|scope| format!("<option value=\"{0}\">{0}</option>", scope.code())).collect();
    body.push_str(&format!(
        "<h2>Make a token</h2><form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"create\">\
         <p><label for=\"token-label\">What it is for</label><br><input id=\"token-label\" name=\"label\" maxlength=\"100\" required></p>\
         <p><label for=\"token-scope\">Scope</label><br><select id=\"token-scope\" name=\"scope\">{options}</select></p>\
         <p class=\"hint\">results: the definition and totals; responses: also every response; manage: an owner's.</p>\
         <p><button type=\"submit\">Make the token</button></p></form>"
    ));
    // Within Settings for owners; a viewer or analyst, who has no Settings, reaches it from Results.
    crate::organisers::workspace::sub_page(who, slug, &definition.title, canvass::pages::workspace::Part::Settings, "API tokens", &body, status)
}

async fn change(
    State(state): State<AppState>,
    Allowed { who, slug, definition, .. }: Allowed<Totals>,
    PostedForm { fields: form, address }: PostedForm,
) -> Response {
    let service = &state.service;
    let failed = |e: anyhow::Error| {
        tracing::error!(error = ?e, "changing API tokens failed");
        refused(StatusCode::SERVICE_UNAVAILABLE, "The tokens could not be changed just now; nothing changed. Go back and try again.")
    };
    match form.get("action").map(String::as_str) {
        Some("create") => {
            let label = form.get("label").map(|l| l.trim().to_string()).unwrap_or_default();
            if label.is_empty() || label.chars().count() > 100 {
                return render(
                    &state,
                    &who,
                    &slug,
                    &definition,
                    Some("Say what the token is for (up to 100 characters), so it can be told apart later.".into()),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            let Some(Ok(scope)) = form.get("scope").map(|s| Scope::parse(s)) else {
                return render(
                    &state,
                    &who,
                    &slug,
                    &definition,
                    Some("Choose a scope: results, responses or manage.".into()),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            match service.create_api_token(&who.email, &slug, scope, &label, &who.email).await {
                Ok(token) => {
                    let notice = format!(
                        "Token {} made. Copy it now: it is shown only this once. <code data-testid=\"new-token\">{}</code>",
                        token.id,
                        escape(&token.secret)
                    );
                    render(&state, &who, &slug, &definition, Some(notice), StatusCode::OK).await
                }
                Err(NewTokenError::Unexpected(e)) => failed(e),
                Err(refusal) => render(&state, &who, &slug, &definition, Some(escape(&refusal.to_string())), StatusCode::FORBIDDEN).await,
            }
        }
        Some("revoke") => {
            let id = form.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
            let token = match service.api_tokens(Some(slug.as_str())).await {
                Ok(tokens) => tokens.into_iter().find(|t| t.id == id && t.revoked_at.is_none()),
                Err(e) => return failed(e),
            };
            let Some(token) = token else {
                return render(
                    &state,
                    &who,
                    &slug,
                    &definition,
                    Some("There is no live token with that number on this survey; nothing changed.".into()),
                    StatusCode::NOT_FOUND,
                )
                .await;
            };
            if token.email != who.email && !who.access.allows(slug.as_str(), Action::Manage) {
                state.service.audit(Entry::new(&who.email, Act::AccessRefused).survey(&slug).detail(format!("revoke token {id}")).from(address)).await;
                return render(&state, &who, &slug, &definition, Some("Only its maker or an owner can revoke a token.".into()), StatusCode::FORBIDDEN)
                    .await;
            }
            match service.revoke_api_token(id).await {
                Ok(_) => {
                    state.service.audit(Entry::new(&who.email, Act::TokenRevoked).survey(&slug).detail(format!("token {id}")).from(address)).await;
                    render(&state, &who, &slug, &definition, Some(format!("Token {id} is revoked: it stops working at once.")), StatusCode::OK).await
                }
                Err(e) => failed(e),
            }
        }
        _ => render(&state, &who, &slug, &definition, Some("Use the buttons on this page.".into()), StatusCode::BAD_REQUEST).await,
    }
}
