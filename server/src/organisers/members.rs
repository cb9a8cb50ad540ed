//! `/admin/surveys/{slug}/members`: who has which role on a survey, for its owners. An
//! owner adds, changes and removes analysts and viewers (an address without an account
//! gets one, with a set-password link emailed to it or a one-time password shown once to
//! pass on); only administrators make, lower or remove owners. Every change goes to the
//! audit trail.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::{Role, Slug};

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Manage};
use crate::auth::tokens::{new_one_time_password, Token};
use crate::auth::{normalise_email, password, Organiser, ONE_TIME_PASSWORD_LIFETIME};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;
use crate::mail::compose::{password_link, password_message, PASSWORD_LINK_DAYS};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/surveys/{slug}/members", get(page).post(change))
}

async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>) -> Response {
    render(&state, &who, &slug, &definition, None, StatusCode::OK).await
}

async fn render(state: &AppState, who: &Organiser, slug: &Slug, definition: &canvass::Definition, notice: Option<String>, status: StatusCode) -> Response {
    let (members, admins) = match (state.service.members(slug).await, state.service.administrators().await) {
        (Ok(members), Ok(admins)) => (members, admins),
        (Err(e), _) | (_, Err(e)) => {
            tracing::error!(error = ?e, "reading a survey's members failed");
            return refused(StatusCode::SERVICE_UNAVAILABLE, "The members could not be read just now; reload the page to try again.");
        }
    };
    let slug_html = escape(slug.as_str());
    let action = format!("/admin/surveys/{slug_html}/members");
    let mut body = String::new();
    if let Some(notice) = notice {
        body.push_str(&format!("<p class=\"notice\" role=\"status\" data-testid=\"members-notice\">{notice}</p>"));
    }
    body.push_str(
        "<table class=\"admin-table\" data-testid=\"members\"><thead><tr><th scope=\"col\">Organiser</th>\
                   <th scope=\"col\">Role</th><th scope=\"col\">Given</th><th scope=\"col\"></th></tr></thead><tbody>",
    );
    for admin in &admins {
        body.push_str(&format!("<tr><td>{}</td><td>administrator</td><td>owner of every survey</td><td></td></tr>", escape(admin)));
    }
    for member in &members {
        let remove = if who.access.may_change_role(slug.as_str(), Some(member.role), None) {
            format!(
                "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"remove\">\
                 <input type=\"hidden\" name=\"email\" value=\"{}\"><button type=\"submit\" class=\"link-button\">Remove</button></form>",
                escape(&member.email)
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} by {}</td><td>{remove}</td></tr>",
            escape(&member.email),
            member.role.code(),
            escape(&state.service.zone().stamp(&member.granted_at)),
            escape(&member.granted_by),
        ));
    }
    body.push_str("</tbody></table>");
    let options: String = Role::ALL
        .iter()
        .rev()
        .filter(|role| who.access.may_grant(slug.as_str(), **role))
        .map(|role| {
            let selected = if *role == Role::Viewer { " selected" } else { "" };
            format!("<option value=\"{0}\"{selected}>{0}: {1}</option>", role.code(), role.description())
        })
        .collect();
    let hint = if state.service.mail_configured() {
        format!(
            "Someone without an account gets one, and an email with a link to choose their own password \
             (it works once, for {PASSWORD_LINK_DAYS} days)."
        )
    } else {
        format!(
            "Someone without an account gets one, with a one-time password shown here once: pass it on \
             privately. It works for {} hours; they choose their own password when they first sign in.",
            ONE_TIME_PASSWORD_LIFETIME.as_secs() / 3600
        )
    };
    body.push_str(&format!(
        "<h2>Give someone a role</h2><form method=\"post\" action=\"{action}\" class=\"members-add\">\
         <input type=\"hidden\" name=\"action\" value=\"grant\">\
         <p><label for=\"member-email\">Email address</label><br><input id=\"member-email\" name=\"email\" type=\"email\" \
         autocomplete=\"off\" required></p>\
         <p><label for=\"member-role\">Role</label><br><select id=\"member-role\" name=\"role\">{options}</select></p>\
         <p class=\"hint\">{hint}</p>\
         <p><button type=\"submit\">Give the role</button></p></form>"
    ));
    crate::organisers::workspace::sub_page(who, slug, &definition.title, canvass::pages::workspace::Part::Settings, "Members", &body, status)
}

async fn change(
    State(state): State<AppState>,
    Allowed { who, slug, definition, .. }: Allowed<Manage>,
    PostedForm { fields: form, address }: PostedForm,
) -> Response {
    let email = normalise_email(form.get("email").map(String::as_str).unwrap_or(""));
    let again = |message: &str, status| {
        let message = message.to_string();
        let (state, who, slug, definition) = (state.clone(), who.clone(), slug.clone(), definition.clone());
        async move { render(&state, &who, &slug, &definition, Some(message), status).await }
    };
    if !canvass::is_email(&email) {
        return again("Enter the person’s email address, like name@example.gov.uk.", StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let service = &state.service;
    let failed = |e: anyhow::Error| {
        tracing::error!(error = ?e, "changing a survey's members failed");
        refused(StatusCode::SERVICE_UNAVAILABLE, "The members could not be changed just now; nothing changed. Go back and try again.")
    };
    match form.get("action").map(String::as_str) {
        Some("grant") => {
            let role = match form.get("role").map(|r| Role::parse(r)) {
                Some(Ok(role)) => role,
                _ => return again("Choose a role: analyst or viewer (or owner, for an administrator).", StatusCode::UNPROCESSABLE_ENTITY).await,
            };
            let current = match service.members(&slug).await {
                Ok(members) => members.into_iter().find(|m| m.email == email).map(|m| m.role),
                Err(e) => return failed(e),
            };
            if !who.access.may_change_role(slug.as_str(), current, Some(role)) {
                state
                    .service
                    .audit(Entry::new(&who.email, Act::AccessRefused).survey(&slug).detail(format!("grant {} to {email}", role.code())).from(address))
                    .await;
                let why = match current {
                    Some(Role::Owner) => "Only an administrator can change an owner’s role; nothing changed.",
                    _ => "Only an administrator can make someone an owner.",
                };
                return again(why, StatusCode::FORBIDDEN).await;
            }
            let (id, new_account) = match service.organiser_by_email(&email).await {
                Ok(Some(existing)) => (existing.id, false),
                // No password until one is chosen through an emailed link or handed out below.
                Ok(None) => match service.add_organiser(&email, password::NO_PASSWORD, true).await {
                    Ok(Some(id)) => (id, true),
                    Ok(None) => return again("That account was created by someone else just now; try again.", StatusCode::CONFLICT).await,
                    Err(e) => return failed(e),
                },
                Err(e) => return failed(e),
            };
            let waiting = match service.grant_role(&slug, id, role, &who.email).await {
                Ok(waiting) => waiting,
                Err(e) => return failed(e),
            };
            state.service.audit(Entry::new(&who.email, Act::RoleGranted).survey(&slug).detail(format!("{email}: {}", role.code())).from(address)).await;
            let granted = format!("{} is now {} of this survey.", escape(&email), role.code());
            let notice = match waiting {
                false => granted,
                true => match new_credentials(&state, &who, &definition, id, &email, role, address).await {
                    Ok(how) => format!("{granted} {}", how.notice(new_account)),
                    Err(e) => {
                        tracing::error!(error = ?e, "giving a new member a way to choose their password failed");
                        format!("{granted} But no password could be made for them just now: give them the role again for one.")
                    }
                },
            };
            render(&state, &who, &slug, &definition, Some(notice), StatusCode::OK).await
        }
        Some("remove") => {
            let current = match service.members(&slug).await {
                Ok(members) => members.into_iter().find(|m| m.email == email),
                Err(e) => return failed(e),
            };
            let Some(current) = current else {
                return again("They have no role on this survey; nothing changed.", StatusCode::NOT_FOUND).await;
            };
            if !who.access.may_change_role(slug.as_str(), Some(current.role), None) {
                state.service.audit(Entry::new(&who.email, Act::AccessRefused).survey(&slug).detail(format!("remove {email}")).from(address)).await;
                return again("Only an administrator can remove an owner.", StatusCode::FORBIDDEN).await;
            }
            let id = match service.organiser_by_email(&email).await {
                Ok(Some(record)) => record.id,
                Ok(None) => return again("They have no role on this survey; nothing changed.", StatusCode::NOT_FOUND).await,
                Err(e) => return failed(e),
            };
            if let Err(e) = service.remove_role(&slug, id).await {
                return failed(e);
            }
            state.service.audit(Entry::new(&who.email, Act::RoleRemoved).survey(&slug).detail(email.clone()).from(address)).await;
            render(&state, &who, &slug, &definition, Some(format!("{} no longer has a role on this survey.", escape(&email))), StatusCode::OK).await
        }
        _ => again("Use the buttons on this page.", StatusCode::BAD_REQUEST).await,
    }
}

/// How someone given a role, whose account has no password of its own yet, gets to choose
/// one. Whatever they were given before is void by now (`Store::grant_role`).
enum Credentials {
    /// A set-password link went to their own address.
    Emailed,
    /// A one-time password, to show the organiser once.
    OneTime(String),
    /// Nothing that may be shown to this organiser (see `Access::may_see_new_password_of`).
    Withheld,
}

impl Credentials {
    /// What the members page says about it, after "… is now viewer of this survey."
    fn notice(&self, new_account: bool) -> String {
        let lead = if new_account {
            "Their account is new."
        } else {
            "They have not chosen their password yet, and anything given to them for it before (a one-time password, \
             a link) no longer works."
        };
        let hours = ONE_TIME_PASSWORD_LIFETIME.as_secs() / 3600;
        match self {
            Credentials::Emailed => format!(
                "{lead} <span data-testid=\"password-link-sent\">We have emailed them a link to choose their own password</span> \
                 (it works once, for {PASSWORD_LINK_DAYS} days). If it does not arrive, give them the role again for a new one."
            ),
            Credentials::OneTime(password) => format!(
                "{lead} Their one-time password is <strong data-testid=\"one-time-password\">{}</strong> (shown only now; pass it \
                 on privately). It works for {hours} hours: they sign in at /admin/login and choose their own.",
                escape(password)
            ),
            Credentials::Withheld => format!(
                "{lead} <span data-testid=\"password-withheld\">They also have roles you cannot give, so no new password is \
                 shown to you:</span> an administrator can give them a role again for one."
            ),
        }
    }
}

/// Gives an account that is waiting for its password a fresh way to choose it: a
/// single-use link to their address where email is configured, else (or if the link could
/// not be queued) a new one-time password for `who` to pass on, if `who` may see one.
async fn new_credentials(
    state: &AppState,
    who: &Organiser,
    definition: &canvass::Definition,
    id: i64,
    email: &str,
    role: Role,
    address: Option<std::net::IpAddr>,
) -> anyhow::Result<Credentials> {
    if state.service.mail_configured() {
        match email_password_link(state, definition, id, email, role, &who.email).await {
            Ok(()) => {
                state.service.audit(Entry::new(&who.email, Act::PasswordLinkSent).survey(&definition.slug).detail(email.to_string()).from(address)).await;
                return Ok(Credentials::Emailed);
            }
            Err(e) => tracing::error!(error = ?e, "queueing a set-password link failed; showing a one-time password instead"),
        }
    }
    let service = &state.service;
    if !who.access.may_see_new_password_of(&service.organiser_access(id).await?) {
        return Ok(Credentials::Withheld);
    }
    let one_time = new_one_time_password();
    let hash = password::hash(one_time.clone()).await?;
    service.set_password(id, &hash, true, None).await?;
    Ok(Credentials::OneTime(one_time))
}

/// Sends a new member a single-use link to choose their own password (through the mail
/// queue, so it survives a restart and goes out at the relay's pace).
async fn email_password_link(state: &AppState, definition: &canvass::Definition, id: i64, email: &str, role: Role, by: &str) -> anyhow::Result<()> {
    let token = Token::new();
    let service = &state.service;
    service.add_password_link(&token.hash(), id, crate::storage::unix_ms() + PASSWORD_LINK_DAYS * 24 * 60 * 60 * 1000).await?;
    let link = password_link(state.service.public_url(), &token);
    service.queue_mail(&[password_message(definition, email, role.code(), by, &link)]).await
}
