//! `/admin/surveys/{slug}/panel` (owners): the panel and its invitations. Its numbers
//! (invited, responded, the rates by organisation and by the contact list's columns, the
//! mail queue), importing contacts, and the messages: Send invitations…, Send reminders…
//! and Send the findings…, each of which first shows its own page saying what goes to how
//! many people (`organisers::panel`), since a sent email cannot be unsent.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::pages::workspace::Part;
use canvass::pages::PanelView;
use serde::Deserialize;

use super::{page as workspace_page, unavailable};
use crate::auth::extract::{Allowed, Manage};
use crate::http::plain_page::escape;
use crate::http::state::AppState;

#[derive(Deserialize, Default)]
pub(crate) struct Done {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    n: u64,
    #[serde(default)]
    updated: u64,
    #[serde(default)]
    merged: u64,
}

/// What a panel action did, from its redirect (only these words, never text from the address).
fn notice(done: &Done) -> Option<String> {
    let plural = |n: u64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let n = done.n;
    Some(match done.done.as_deref()? {
        "invited" if n == 0 => "No invitations queued: everyone on the panel is already invited.".to_string(),
        "invited" => format!("{} queued: they go out at the server's sending rate.", plural(n, "invitation", "invitations")),
        "reminded" if n == 0 => "No reminders queued: everyone invited has responded, unsubscribed, bounced or still has a message waiting.".to_string(),
        "reminded" => format!("{} queued, to those invited not counted as responded.", plural(n, "reminder", "reminders")),
        "imported" => format!(
            "Contacts imported: {} new, {} updated{}.",
            n,
            done.updated,
            if done.merged > 0 { format!(", {} merged", plural(done.merged, "duplicate", "duplicates")) } else { String::new() }
        ),
        "findings" => format!("The findings are queued to {}.", plural(n, "respondent", "respondents")),
        _ => return None,
    })
}

pub(crate) async fn page(State(state): State<AppState>, Allowed { who, slug, definition, .. }: Allowed<Manage>, Query(done): Query<Done>) -> Response {
    let panel = match crate::mail::invitations::panel_view(&state.service, &definition).await {
        Ok(panel) => panel,
        Err(e) => return unavailable(e),
    };
    let action = format!("/admin/surveys/{}/panel", escape(slug.as_str()));
    let mut body = String::new();
    if let Some(notice) = notice(&done) {
        body.push_str(&format!("<p class=\"notice\" role=\"status\" data-testid=\"panel-notice\">{}</p>", escape(&notice)));
    }
    body.push_str(&format!("<section class=\"invitations\" data-testid=\"panel\">{}", numbers(&panel)));
    if !panel.mail_configured {
        body.push_str("<p class=\"notice\" data-testid=\"no-mail\">This server has no mail relay (--smtp-url and --mail-from): messages wait in the queue until one is set.</p>");
    }
    body.push_str("</section>");
    body.push_str(&format!(
        "<h2>Invitations and reminders</h2><p>Each asks you to confirm first, saying how many people it goes to.</p>\
         <div class=\"panel-actions\"><form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"send\">\
         <button type=\"submit\" class=\"submit\" data-testid=\"send-invitations\">Send invitations…</button>\
         <span class=\"hint\"> to everyone on the panel not yet invited</span></form>\
         <form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"action\" value=\"remind\">\
         <button type=\"submit\" class=\"secondary\" data-testid=\"send-reminders\">Send reminders…</button>\
         <span class=\"hint\"> to those invited who have not responded</span></form></div>\
         <h2>Import contacts</h2><form method=\"post\" action=\"{action}/import\" enctype=\"multipart/form-data\" class=\"panel-import\">\
         <label for=\"panel-file\">The contact list (CSV: email, name, organisation, language, any other columns kept)</label>\
         <input type=\"file\" id=\"panel-file\" name=\"file\" accept=\".csv,text/csv\" data-testid=\"panel-file\">\
         <button type=\"submit\" class=\"secondary\" data-testid=\"import-panel\">Import</button></form>"
    ));
    let said = format!(
        "One message to each respondent who gave an address and asked for the findings ({} so far). You are asked to confirm first.",
        panel.findings_recipients
    );
    body.push_str(&format!(
        "<h2>Send the findings</h2><form method=\"post\" action=\"{action}\" class=\"panel-findings\"><p class=\"hint\">{}</p>\
         <input type=\"hidden\" name=\"action\" value=\"findings\">\
         <label for=\"findings-link\">Link to the report (leave empty to send the survey's public findings page, /s/{}/findings, which identifies no one)</label>\
         <input type=\"url\" id=\"findings-link\" name=\"link\" placeholder=\"https://\">\
         <label for=\"findings-note\">A note to go with it (optional)</label><textarea id=\"findings-note\" name=\"note\" rows=\"3\"></textarea>\
         <button type=\"submit\" class=\"secondary\" data-testid=\"send-findings\">Send the findings…</button></form>",
        escape(&if panel.findings_sent { format!("The findings were sent. {said}") } else { said }),
        escape(slug.as_str())
    ));
    workspace_page(&who, &slug, &definition.title, Part::Panel, &body, StatusCode::OK)
}

/// A table of rates, one row a group: (name, invited, responded, rate).
fn rate_table(id: &str, caption: &str, first: &str, rows: &[canvass::pages::RateRow]) -> String {
    let first = escape(first);
    let rows: String = rows
        .iter()
        .map(|(name, invited, responded, rate)| {
            format!(
                "<tr><td data-label=\"{first}\">{}</td><td data-label=\"Invited\">{invited}</td><td data-label=\"Responded\">{responded}</td><td data-label=\"Rate\">{}</td></tr>",
                escape(name),
                escape(rate)
            )
        })
        .collect();
    format!(
        "<table class=\"admin-table stacks\" data-testid=\"{}\"><caption>{}</caption><thead><tr><th scope=\"col\">{first}</th>\
         <th scope=\"col\">Invited</th><th scope=\"col\">Responded</th><th scope=\"col\">Rate</th></tr></thead><tbody>{rows}</tbody></table>",
        escape(id),
        escape(caption)
    )
}

/// The panel's numbers: invited, responded, the rates by organisation and by the contact
/// list's columns (grouped under 5 on anonymous surveys), and the mail queue.
fn numbers(p: &PanelView) -> String {
    if p.panel.contacts == 0 {
        return "<p data-testid=\"panel-empty\">No panel yet. Import a CSV file of the people to invite (columns email, name, organisation; a spreadsheet saved as CSV).</p>".into();
    }
    let c = &p.panel;
    let mut html = format!(
        "<table class=\"admin-table stacks\" data-testid=\"panel-numbers\"><thead><tr><th scope=\"col\">On the panel</th><th scope=\"col\">Invited</th>\
         <th scope=\"col\">Responded</th><th scope=\"col\">Response rate</th><th scope=\"col\">Bounced</th><th scope=\"col\">Unsubscribed</th></tr></thead>\
         <tbody><tr><td data-label=\"On the panel\">{}</td><td data-label=\"Invited\" data-testid=\"panel-invited\">{}</td>\
         <td data-label=\"Responded\" data-testid=\"panel-responded\">{}</td><td data-label=\"Response rate\" data-testid=\"panel-rate\">{}</td>\
         <td data-label=\"Bounced\" data-testid=\"panel-bounced\">{}</td><td data-label=\"Unsubscribed\" data-testid=\"panel-unsubscribed\">{}</td></tr></tbody></table>",
        c.contacts,
        c.invited,
        c.responded,
        escape(&p.rate()),
        c.bounced,
        c.unsubscribed
    );
    if p.anonymous && c.invited > 0 {
        // Never how many wait to be counted: that number would move by one as each invitee answered.
        html.push_str(
            "<p class=\"hint\" data-testid=\"panel-held-back\">On an anonymous survey, responses through invitations are counted here only once 5 have gathered, \
             so up to 4 more may have responded: nobody's response is marked on its own. Reminders go to everyone not counted yet.</p>",
        );
    }
    let by_organisation = p.by_organisation();
    if !by_organisation.is_empty() {
        let caption = if p.anonymous { "By organisation (organisations with fewer than 5 invited are shown together)" } else { "By organisation" };
        html.push_str(&rate_table("panel-by-organisation", caption, "Organisation", &by_organisation));
    }
    let by_column = p.by_column();
    for (column, rows) in &by_column {
        let caption = format!(
            "Response rate by {column} (from the contact list){}",
            if p.anonymous { "; groups with fewer than 5 invited are shown together" } else { "" }
        );
        html.push_str(&rate_table(&format!("panel-by-{column}"), &caption, column, rows));
    }
    if c.invited > 0 && by_column.is_empty() {
        html.push_str(
            "<p class=\"hint\" data-testid=\"panel-by-column-hint\">To see response rates by organisation type or region, add such a column \
             (for example org_type) to the contact list and import it again.</p>",
        );
    }
    html.push_str(&format!(
        "<p data-testid=\"panel-queue\">Email: {} waiting, {} sent, {} failed, {} uncertain.</p>",
        p.waiting(),
        p.queue.sent,
        p.queue.failed,
        p.queue.uncertain
    ));
    if p.queue.uncertain > 0 {
        html.push_str(
            "<p class=\"hint\">Uncertain: a server stopped while the mail server was taking these, so they may or may not have arrived. They are not sent again on their own.</p>",
        );
    }
    html
}
