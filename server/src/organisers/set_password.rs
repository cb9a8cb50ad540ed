//! `/admin/set-password/{token}`: a new organiser chooses their own password through the
//! link mailed to them when an owner gave them a role (see `organisers/members.rs`). The link
//! works once, for [`PASSWORD_LINK_DAYS`](crate::mail::compose::PASSWORD_LINK_DAYS) days;
//! the password is checked as any new password is, and the change goes to the audit trail.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::auth::audit::{Act, Entry};
use crate::auth::password;
use crate::auth::tokens::Token;
use crate::http::plain_page::{body_page, escape, plain_page};
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;
use crate::storage::unix_ms;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/set-password/{token}", get(form).post(set))
}

const HEADING: &str = "Choose your password";

/// A link that is not ours, was used, or expired: the same answer for each, and what to do.
fn link_gone() -> Response {
    plain_page(
        StatusCode::NOT_FOUND,
        HEADING,
        &["This link does not work: it was used already, it has expired, or it was copied incompletely. \
           Ask the survey's owner to add you again for a new link, or sign in at <a href=\"/admin/login\">/admin/login</a> \
           if you have set your password already."],
    )
}

fn unavailable() -> Response {
    plain_page(StatusCode::SERVICE_UNAVAILABLE, HEADING, &["Your password could not be set just now; reload the page to try again."])
}

fn page(status: StatusCode, token: &str, email: &str, problem: Option<&str>) -> Response {
    let problem = problem.map_or(String::new(), |p| format!("<p class=\"error\" role=\"alert\" data-testid=\"password-problem\">{}</p>", escape(p)));
    let body = format!(
        "{problem}<p>Choose the password you will sign in with as {email}. Nobody else sees it.</p>\
         <form method=\"post\" action=\"/admin/set-password/{token}\">\
         <p><label for=\"new\">New password</label><br><input id=\"new\" name=\"new\" type=\"password\" autocomplete=\"new-password\" required></p>\
         <p><label for=\"confirm\">The same password again</label><br><input id=\"confirm\" name=\"confirm\" type=\"password\" \
         autocomplete=\"new-password\" required></p>\
         <p><button type=\"submit\">Set my password</button></p></form>",
        email = escape(email),
        token = escape(token),
    );
    body_page(canvass::Lang::En, status, HEADING, &body)
}

async fn form(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(token) = Token::parse(&token) else { return link_gone() };
    match state.service.password_link_email(&token.hash(), unix_ms()).await {
        Ok(Some(email)) => page(StatusCode::OK, token.as_str(), &email, None),
        Ok(None) => link_gone(),
        Err(e) => {
            tracing::error!(error = ?e, "reading a set-password link failed");
            unavailable()
        }
    }
}

async fn set(State(state): State<AppState>, Path(token): Path<String>, posted: PostedForm) -> Response {
    let Some(token) = Token::parse(&token) else { return link_gone() };
    let service = &state.service;
    let email = match service.password_link_email(&token.hash(), unix_ms()).await {
        Ok(Some(email)) => email,
        Ok(None) => return link_gone(),
        Err(e) => {
            tracing::error!(error = ?e, "reading a set-password link failed");
            return unavailable();
        }
    };
    let (new, confirm) = (posted.get("new"), posted.get("confirm"));
    let problem = password::check_new(new)
        .err()
        .map(|e| e.to_string())
        .or_else(|| (new != confirm).then(|| "The two passwords are different. Type the same password twice.".to_string()));
    if let Some(problem) = problem {
        return page(StatusCode::UNPROCESSABLE_ENTITY, token.as_str(), &email, Some(&problem));
    }
    let hash = match password::hash(new.to_string()).await {
        Ok(hash) => hash,
        Err(e) => {
            tracing::error!(error = ?e, "hashing a new password failed");
            return unavailable();
        }
    };
    // Taken only now, with the password checked and hashed: a refused password leaves the
    // link working, and two tabs submitting at once set it once.
    let (id, email) = match service.take_password_link(&token.hash(), unix_ms()).await {
        Ok(Some(taken)) => taken,
        Ok(None) => return link_gone(),
        Err(e) => {
            tracing::error!(error = ?e, "using a set-password link failed");
            return unavailable();
        }
    };
    if let Err(e) = service.set_password(id, &hash, false, None).await {
        tracing::error!(error = ?e, "setting a password from a link failed");
        return plain_page(
            StatusCode::SERVICE_UNAVAILABLE,
            HEADING,
            &["Your password could not be set just now, and the link is used up. Ask the survey's owner to add you again for a new link."],
        );
    }
    state.service.audit(Entry::new(&email, Act::PasswordChanged).detail("set through an emailed link".to_string()).from(posted.address)).await;
    plain_page(
        StatusCode::OK,
        "Your password is set",
        &[&format!("Sign in at <a href=\"/admin/login\">/admin/login</a> as {} with the password you chose.", escape(&email))],
    )
}
