//! `/admin/surveys/{slug}/downloads`: every file of the survey's responses (analysts and
//! owners), and for owners the findings contacts. Downloads, not pages: each is fetched
//! as a file.

use axum::http::StatusCode;
use axum::response::Response;
use canvass::pages::workspace::Part;

use super::{page as workspace_page, role_of};
use crate::auth::extract::{Allowed, Exports};
use crate::http::plain_page::escape;

pub(super) async fn page(Allowed { who, slug, definition, .. }: Allowed<Exports>) -> Response {
    let base = format!("/admin/surveys/{}", escape(slug.as_str()));
    let link = |href: String, words: &str, id: &str| {
        let id = if id.is_empty() { String::new() } else { format!(" data-testid=\"{id}\"") };
        format!("<li><a href=\"{href}\" download{id}>{words}</a></li>")
    };
    let mut body = String::from("<h2>Responses</h2><p>One row per response, one column per option of a multiple-choice question. Contact details are never included.</p><ul class=\"downloads\">");
    for item in [
        link(format!("{base}/export.csv"), "Responses as CSV (codes)", "export-csv"),
        link(format!("{base}/export.csv?labels=1"), "Responses as CSV (labels)", ""),
        link(format!("{base}/export.csv?labels=1&amp;bom=1"), "Responses for Excel (labels, UTF-8 marked)", "export-excel"),
        link(format!("{base}/export.csv?names=stata"), "Responses for Stata or SPSS (column names without dots)", "export-stata"),
    ] {
        body.push_str(&item);
    }
    body.push_str("</ul><h2>What the columns mean</h2><ul class=\"downloads\">");
    for item in [
        link(format!("{base}/codebook.csv"), "Codebook: every column, what its codes mean, and when it is asked", "codebook-csv"),
        link(format!("{base}/codebook.csv?bom=1"), "Codebook for Excel (UTF-8 marked)", ""),
        link(format!("{base}/codebook.csv?names=stata"), "Codebook for Stata or SPSS", ""),
    ] {
        body.push_str(&item);
    }
    body.push_str("</ul><h2>Breakdowns</h2><ul class=\"downloads\">");
    body.push_str(&link(
        format!("{base}/by-segment.csv?bom=1"),
        "Every closed question by organisation type: counts and column percentages (groups under 5 left out)",
        "export-by-segment",
    ));
    body.push_str("</ul>");
    if role_of(&who, &slug) >= canvass::Role::Owner {
        body.push_str(&format!(
            "<h2>People</h2><ul class=\"downloads\">{}</ul><p class=\"hint\">Personal data: the addresses of respondents who asked for the findings. \
             Downloading it is recorded in the audit trail.</p>",
            link(format!("{base}/contacts.csv"), "Findings contacts (CSV)", "contacts-csv")
        ));
    }
    workspace_page(&who, &slug, &definition.title, Part::Downloads, &body, StatusCode::OK)
}
