//! The panel page's actions, for owners: import contacts from a CSV file, send
//! invitations, send reminders, send the findings. A message cannot be unsent, so each
//! send first answers with a page saying what goes to how many people and asking to
//! confirm; once done it goes back to the panel page, which says what was done
//! (`?done=…&n=…`), or answers with a page saying what to fix.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Manage};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;
use crate::mail::compose::PanelMessage;
use crate::mail::invitations::{queue_panel, send_findings, FindingsError};
use crate::organisers::admin::see_other;

/// The largest panel file taken: 8 MB is well over 100,000 contacts.
const PANEL_FILE_BYTES: usize = 8 * 1024 * 1024;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{slug}/panel", get(crate::organisers::workspace::panel_page::page).post(act))
        .route("/admin/surveys/{slug}/panel/import", axum::routing::post(import).layer(DefaultBodyLimit::max(PANEL_FILE_BYTES + 64 * 1024)))
}

fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "a panel action failed");
    refused(StatusCode::SERVICE_UNAVAILABLE, "That could not be done just now; nothing was sent. Go back and try again in a moment.")
}

async fn act(
    State(state): State<AppState>,
    Allowed { who, slug, definition, .. }: Allowed<Manage>,
    PostedForm { fields: form, address }: PostedForm,
) -> Response {
    let back = |what: &str, n: usize| see_other(&format!("/admin/surveys/{slug}/panel?done={what}&n={n}"));
    match form.get("action").map(String::as_str) {
        Some(action @ ("send" | "remind")) if form.get("confirm").map(String::as_str) != Some("yes") => {
            confirm_messages(&state, &who, &definition, action == "send").await
        }
        Some(action @ ("send" | "remind")) => {
            let which = if action == "send" { PanelMessage::Invitation } else { PanelMessage::Reminder };
            match queue_panel(&state.service, &definition, which).await {
                Ok(n) => {
                    tracing::info!(slug = slug.as_str(), by = %who.email, queued = n, action, "panel email queued");
                    let detail = format!("{} queued: {n}", if action == "send" { "invitations" } else { "reminders" });
                    state.service.audit(Entry::new(&who.email, Act::InvitationsSent).survey(&slug).detail(detail).from(address)).await;
                    back(if action == "send" { "invited" } else { "reminded" }, n)
                }
                Err(e) => unavailable(e),
            }
        }
        Some("findings") => {
            let link = form.get("link").map(String::as_str).unwrap_or("");
            let note = form.get("note").map(String::as_str).unwrap_or("");
            if form.get("confirm").map(String::as_str) != Some("yes") {
                return confirm_findings(&state, &who, &definition, link, note).await;
            }
            match send_findings(&state.service, &definition, link, note, &who.email).await {
                Ok(n) => {
                    tracing::info!(slug = slug.as_str(), by = %who.email, queued = n, "findings queued");
                    let detail = format!("findings emails queued: {n}");
                    state.service.audit(Entry::new(&who.email, Act::InvitationsSent).survey(&slug).detail(detail).from(address)).await;
                    back("findings", n)
                }
                Err(FindingsError::BadLink) => bad_findings_link(),
                Err(FindingsError::Failed(e)) => unavailable(e),
            }
        }
        _ => refused(StatusCode::BAD_REQUEST, "Use the buttons on the survey's Panel and invitations page."),
    }
}

/// "Send invitations to N people?" (or reminders): who they go to and what they say,
/// before anything is queued. Nothing to send says so, with nothing to press.
async fn confirm_messages(state: &AppState, who: &crate::auth::Organiser, definition: &canvass::Definition, invitations: bool) -> Response {
    let slug = &definition.slug;
    let (to_invite, to_remind) = match state.service.store().panel_due(slug).await {
        Ok(due) => due,
        Err(e) => return unavailable(e),
    };
    let slug_html = escape(slug.as_str());
    let (n, what, whom, action) = match invitations {
        true => (to_invite, "invitation", "everyone on the panel not yet invited", "send"),
        false => (
            to_remind,
            "reminder",
            "everyone invited who is not counted as responded, has not unsubscribed or bounced, and has no message still waiting",
            "remind",
        ),
    };
    let people = if n == 1 { "1 person".to_string() } else { format!("{n} people") };
    let heading = match n {
        0 => format!("No {what}s to send"),
        _ => format!("Send {what}s to {people}?"),
    };
    let body = match n {
        0 => format!(
            "<p data-testid=\"messages-due\">There is no one to send {what}s to just now: they go to {whom}.</p><p><a href=\"/admin/surveys/{slug_html}/panel\">Back to the panel</a></p>"
        ),
        _ => format!(
            "<p data-testid=\"messages-due\">One email each, with a link of their own to the survey, to <strong>{people}</strong>: {whom}. Emails cannot be unsent; they go out at the server's sending rate.</p><form method=\"post\" action=\"/admin/surveys/{slug_html}/panel\"><input type=\"hidden\" name=\"action\" value=\"{action}\"><input type=\"hidden\" name=\"confirm\" value=\"yes\"><p><button type=\"submit\" class=\"warning\" data-testid=\"confirm-messages\">Yes, send {what}s to {people}</button> <a href=\"/admin/surveys/{slug_html}/panel\">Cancel</a></p></form>"
        ),
    };
    crate::organisers::workspace::confirm_page(who, slug, &definition.title, canvass::pages::workspace::Part::Panel, &heading, &body)
}

fn bad_findings_link() -> Response {
    refused(
        StatusCode::UNPROCESSABLE_ENTITY,
        "The link to the findings must be a web address starting with https:// (or leave it empty to send the survey's \
         public findings page). Go back and correct it.",
    )
}

/// "Send the findings to N people?": what each receives, the page it links to, a warning
/// while fieldwork is open and, if they went before, when. Nothing is sent until confirmed.
async fn confirm_findings(state: &AppState, who: &crate::auth::Organiser, definition: &canvass::Definition, link: &str, note: &str) -> Response {
    let service = &state.service;
    let slug = &definition.slug;
    let link = match crate::mail::invitations::findings_link(service, slug, link) {
        Ok(link) => link,
        Err(_) => return bad_findings_link(),
    };
    // The addresses the owners may see: on an anonymous survey, in groups of 5.
    let shown = crate::mail::invitations::findings_recipients(service, definition, crate::storage::Contacts::Released).await;
    let (people, sent_before) = match (shown, service.findings_sent(slug).await) {
        (Ok(people), Ok(sent)) => (people.len(), sent),
        (Err(e), _) | (_, Err(e)) => return unavailable(e),
    };
    let slug_html = escape(slug.as_str());
    // On an anonymous survey everyone who asked receives it, but the owners are told only
    // the count released so far: an exact one would move by one as each address came in.
    let people_words = if definition.anonymous {
        "everyone who asked".to_string()
    } else if people == 1 {
        "1 person".to_string()
    } else {
        format!("{people} people")
    };
    let own_page = link == crate::mail::invitations::findings_page_url(service, slug);
    let what = format!(
        "one email, “The findings: {title}”, with {note}a link to <a href=\"{link}\">{link}</a>",
        title = escape(&definition.title),
        note = if note.trim().is_empty() { String::new() } else { "your note and ".to_string() },
        link = escape(&link),
    );
    let mut body = if definition.anonymous {
        format!(
            "<p data-testid=\"findings-recipients\">Everyone who gave an address and asked for the findings receives {what}. \
             On an anonymous survey their addresses are counted in groups of 5, so that no one’s can be told from when they \
             answered: <strong>{people}</strong> counted so far, and up to 4 more who asked since receive it too.</p>"
        )
    } else {
        format!("<p data-testid=\"findings-recipients\">Each of the <strong>{people_words}</strong> who gave an address and asked for the findings receives {what}.</p>")
    };
    if own_page {
        body.push_str(
            "<p>That page is the survey’s published totals: it identifies no one and shows no group of fewer than 5. \
             Sending makes it public. Respondents who want their own answers marked use the receipt their browser holds.</p>",
        );
    }
    if service.state(slug, false).figures_provisional() {
        body.push_str(
            "<div class=\"notice warning\" role=\"alert\" data-testid=\"findings-still-open\"><p><strong>The survey is still open.</strong> \
             The figures will keep changing, and people who answer after today will not get this email. Close the survey first \
             unless you mean to send interim findings.</p></div>",
        );
    }
    if sent_before {
        body.push_str("<p data-testid=\"findings-sent-before\">The findings were sent before: this sends another email to each of them.</p>");
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/admin/surveys/{slug_html}/panel\">\
         <input type=\"hidden\" name=\"action\" value=\"findings\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">\
         <input type=\"hidden\" name=\"link\" value=\"{}\"><input type=\"hidden\" name=\"note\" value=\"{}\">\
         <p><button type=\"submit\" class=\"warning\" data-testid=\"confirm-findings\">Yes, send the findings to {people_words}</button> \
         <a href=\"/admin/surveys/{slug_html}/panel\">Cancel</a></p></form>",
        escape(&link),
        escape(note),
    ));
    let heading = format!("Send the findings to {people_words}?");
    crate::organisers::workspace::confirm_page(who, slug, &definition.title, canvass::pages::workspace::Part::Panel, &heading, &body)
}

/// A CSV file from a file input (`multipart/form-data`, field `file`). The panel is
/// personal data: each import goes to the audit trail, with how many it held.
async fn import(
    State(state): State<AppState>,
    Allowed { who, slug, .. }: Allowed<Manage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let mut file = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(_) => return too_big(),
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return too_big(),
        }
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, "Choose a CSV file of the panel first (columns email, name, organisation), then press Import.");
    };
    let panel = match canvass::contacts::read_panel(&bytes) {
        Ok(panel) => panel,
        Err(problems) => {
            let listed: String = problems.iter().map(|p| format!("<li>{}</li>", escape(&p.to_string()))).collect();
            let page = format!(
                "Nothing was imported. Fix these rows in the file and import it again:</p><ul class=\"problems\">{listed}</ul><p>\
                 <a href=\"/admin/surveys/{}/panel\">Back to the panel</a>",
                escape(slug.as_str())
            );
            return crate::http::plain_page::plain_page(StatusCode::UNPROCESSABLE_ENTITY, "The file has problems", &[&page]);
        }
    };
    match state.service.import_contacts(&slug, &panel.contacts).await {
        Ok(imported) => {
            tracing::info!(slug = slug.as_str(), by = %who.email, added = imported.added, updated = imported.updated, "panel imported");
            let address = state.service.auth().client_address(&headers, Some(peer));
            let detail = crate::auth::audit::imported_detail(panel.contacts.len(), &imported);
            state.service.audit(Entry::new(&who.email, Act::PanelImported).survey(&slug).detail(detail).from(address)).await;
            see_other(&format!(
                "/admin/surveys/{slug}/panel?done=imported&n={}&updated={}&merged={}",
                imported.added,
                imported.updated,
                panel.merged.len()
            ))
        }
        Err(e) => unavailable(e),
    }
}

fn too_big() -> Response {
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The file could not be read: it may be larger than the 8 MB a panel file may be. Split it, or save it again as CSV, and import it again.",
    )
}
