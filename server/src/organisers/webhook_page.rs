//! `/admin/surveys/{slug}/webhooks`: a survey's webhook endpoints, for its owners. Add
//! one (its secret shown once), rotate its secret (the old one signs too for a day),
//! turn it off and on, remove it, send a test event; and each endpoint's delivery log
//! with its status, attempts and a "Resend" button. Changes are audited.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::Slug;

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::{refused, Allowed, Manage};
use crate::auth::Organiser;
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;
use crate::storage::{unix_ms, Endpoint};
use crate::webhooks::AddWebhookError;

/// Deliveries shown per endpoint, newest first.
const LOG_ROWS: i64 = 20;
/// How long the previous secret goes on signing after a rotation.
const ROTATION_OVERLAP: Duration = Duration::from_secs(24 * 3600);

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/surveys/{slug}/webhooks", get(page).post(change))
}

async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>) -> Response {
    render(&state, &who, &slug, &definition, None, StatusCode::OK).await
}

fn failed(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "reading or changing webhooks failed");
    refused(StatusCode::SERVICE_UNAVAILABLE, "The webhooks could not be read or changed just now; nothing changed. Go back and try again.")
}

/// One endpoint's state in words.
fn state_of(state: &AppState, e: &Endpoint) -> String {
    let zone = state.service.zone();
    match (&e.disabled_at, e.failing_since) {
        (Some(at), _) => format!("Off since {}: {}", zone.stamp(at), e.disabled_reason.as_deref().unwrap_or("turned off by an owner")),
        (None, Some(since)) => format!("On, failing since {}", zone.stamp(&ms_rfc3339(since))),
        (None, None) => "On".into(),
    }
}

fn ms_rfc3339(ms: i64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64)).to_string()
}

async fn render(state: &AppState, who: &Organiser, slug: &Slug, definition: &canvass::Definition, notice: Option<String>, status: StatusCode) -> Response {
    let service = &state.service;
    let endpoints = match service.webhooks(slug).await {
        Ok(endpoints) => endpoints,
        Err(e) => return failed(e),
    };
    let slug_html = escape(slug.as_str());
    let action = format!("/admin/surveys/{slug_html}/webhooks");
    let button = |name: &str, id: i64, label: &str| {
        format!(
            "<form method=\"post\" action=\"{action}\" class=\"inline-form\"><input type=\"hidden\" name=\"action\" value=\"{name}\">\
             <input type=\"hidden\" name=\"id\" value=\"{id}\"><button type=\"submit\" class=\"link-button\" data-testid=\"{name}-{id}\">{label}</button></form>"
        )
    };
    let mut body = String::new();
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"webhooks-notice\">{notice}</div>"));
    }
    body.push_str(
        "<p class=\"hint\">A webhook POSTs a short JSON message to your receiver when a response arrives (<code>response.created</code>) \
         or the survey closes (<code>survey.closed</code>), signed as <a href=\"https://www.standardwebhooks.com/\">Standard Webhooks</a> \
         describes (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>). It carries ids and links, \
         never answers or contact details: fetch those with an API token. A delivery is tried again for a day until the receiver \
         answers 2xx; the same <code>webhook-id</code> each time, so the receiver can ignore repeats.</p>",
    );
    for e in &endpoints {
        let log = match service.webhook_log(e.id, LOG_ROWS).await {
            Ok(log) => log,
            Err(e) => return failed(e),
        };
        body.push_str(&format!(
            "<section class=\"webhook\" data-testid=\"webhook-{id}\"><h2>Webhook {id}</h2><p><code>{url}</code></p><p data-testid=\"webhook-state-{id}\">{st}</p><p>{test} · {rotate} · {toggle} · {remove}</p>",
            id = e.id,
            url = escape(&e.url),
            st = escape(&state_of(state, e)),
            test = button("test", e.id, "Send a test event"),
            rotate = button("rotate", e.id, "New secret"),
            toggle = if e.disabled_at.is_some() { button("enable", e.id, "Turn on") } else { button("disable", e.id, "Turn off") },
            remove = button("remove", e.id, "Remove"),
        ));
        if log.is_empty() {
            body.push_str("<p class=\"hint\">Nothing sent yet.</p></section>");
            continue;
        }
        body.push_str(
            "<div class=\"table-scroll\"><table class=\"admin-table\"><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">Type</th><th scope=\"col\">Status</th>\
             <th scope=\"col\">Attempts</th><th scope=\"col\">Last attempt</th><th scope=\"col\"></th></tr></thead><tbody>",
        );
        for d in &log {
            let outcome = match (d.state.as_str(), d.last_status, &d.last_error) {
                ("delivered", Some(code), _) => format!("delivered ({code})"),
                (other, _, Some(error)) => format!("{other}: {error}"),
                (other, _, None) => other.to_string(),
            };
            let last = d.last_attempt_at.as_deref().map(|t| state.service.zone().stamp(t)).unwrap_or_else(|| "not yet".into());
            body.push_str(&format!(
                "<tr data-testid=\"delivery-{did}\"><td><code>{event}</code></td><td>{kind}</td><td>{outcome}</td><td>{attempts}</td><td>{last}</td><td>{resend}</td></tr>",
                did = d.id,
                event = escape(&d.event_id),
                kind = escape(&d.kind),
                outcome = escape(&outcome),
                attempts = d.attempts,
                last = escape(&last),
                resend = button("resend", d.id, "Resend"),
            ));
        }
        body.push_str("</tbody></table></div></section>");
    }
    body.push_str(&format!(
        "<h2>Add a webhook</h2><form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"add\">\
         <p><label for=\"webhook-url\">The receiver's URL</label><br><input id=\"webhook-url\" name=\"url\" type=\"url\" size=\"60\" maxlength=\"2000\" \
         placeholder=\"https://receiver.example.gov.uk/hooks/canvass\" required></p>\
         <p><button type=\"submit\">Add the webhook</button></p></form>"
    ));
    crate::organisers::workspace::sub_page(who, slug, &definition.title, canvass::pages::workspace::Part::Settings, "Webhooks", &body, status)
}

async fn change(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>, form: PostedForm) -> Response {
    let service = &state.service;
    let id = form.get("id").parse::<i64>().unwrap_or(0);
    let audit = |act: Act, detail: String| Entry::new(&who.email, act).survey(&slug).detail(detail).from(form.address);
    let action = form.get("action");
    if action == "add" {
        return add(&state, &who, &slug, &definition, &form).await;
    }
    if action == "resend" {
        return resend(&state, &who, &slug, &definition, id).await;
    }
    let endpoint = match service.webhook(&slug, id).await {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => {
            return render(
                &state,
                &who,
                &slug,
                &definition,
                Some("There is no webhook with that number on this survey; nothing changed.".into()),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(e) => return failed(e),
    };
    let (result, notice) = match action {
        "test" if endpoint.disabled_at.is_some() => {
            return render(&state, &who, &slug, &definition, Some(format!("Webhook {id} is off: turn it on to send a test event.")), StatusCode::CONFLICT)
                .await;
        }
        "test" => {
            let event = crate::storage::new_event_id();
            (
                service.enqueue_webhook_test(&slug, id, &event).await.map(|_| true),
                format!("A test event ({event}) is on its way; its delivery shows below in a moment."),
            )
        }
        "rotate" => {
            let secret = crate::webhooks::signing::new_secret();
            let until = unix_ms() + ROTATION_OVERLAP.as_millis() as i64;
            let done = service.rotate_webhook_secret(&slug, id, &secret, until).await;
            if matches!(done, Ok(true)) {
                state.service.audit(audit(Act::WebhookChanged, format!("webhook {id}: new secret"))).await;
            }
            (
                done,
                format!(
                    "Webhook {id} has a new secret, shown only this once: <code data-testid=\"new-secret\">{}</code> For the next day deliveries carry \
                 signatures with both the old and the new secret, so switch the receiver over within a day.",
                    escape(&secret)
                ),
            )
        }
        "disable" | "enable" => {
            let on = action == "enable";
            let done = service.set_webhook_enabled(&slug, id, on, "turned off by an owner").await;
            if matches!(done, Ok(true)) {
                state.service.audit(audit(Act::WebhookChanged, format!("webhook {id}: turned {}", if on { "on" } else { "off" }))).await;
            }
            (
                done,
                format!(
                    "Webhook {id} is {}.",
                    if on { "on again: new events are sent to it, and deliveries still waiting go out" } else { "off: nothing is sent to it" }
                ),
            )
        }
        "remove" => {
            let done = service.remove_webhook(&slug, id).await;
            if matches!(done, Ok(true)) {
                state.service.audit(audit(Act::WebhookRemoved, format!("webhook {id} to {}", endpoint.url))).await;
            }
            (done, format!("Webhook {id} is removed, with its delivery log."))
        }
        _ => return render(&state, &who, &slug, &definition, Some("Use the buttons on this page.".into()), StatusCode::BAD_REQUEST).await,
    };
    match result {
        Ok(_) => render(&state, &who, &slug, &definition, Some(notice), StatusCode::OK).await,
        Err(e) => failed(e),
    }
}

/// Adds an endpoint; its signing secret is shown this once.
async fn add(state: &AppState, who: &Organiser, slug: &Slug, definition: &canvass::Definition, form: &PostedForm) -> Response {
    match state.service.add_webhook(slug, form.get("url"), &who.email, form.address).await {
        Ok(added) => {
            let notice = format!(
                "Webhook {} added. Give its signing secret to the receiver now: it is shown only this once. <code data-testid=\"new-secret\">{}</code>",
                added.id,
                escape(&added.secret)
            );
            render(state, who, slug, definition, Some(notice), StatusCode::OK).await
        }
        Err(AddWebhookError::Unexpected(e)) => failed(e),
        Err(why) => render(state, who, slug, definition, Some(escape(&why.to_string())), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// Sends one delivery again, with its event id.
async fn resend(state: &AppState, who: &Organiser, slug: &Slug, definition: &canvass::Definition, id: i64) -> Response {
    match state.service.resend_webhook(slug, id).await {
        Ok(true) => render(state, who, slug, definition, Some(format!("Delivery {id} is sent again now, with its event id.")), StatusCode::OK).await,
        Ok(false) => {
            render(state, who, slug, definition, Some("There is no such delivery on this survey; nothing changed.".into()), StatusCode::NOT_FOUND).await
        }
        Err(e) => failed(e),
    }
}
