//! `/s/{slug}/findings`: the survey's findings for anyone, once its owners publish them
//! (sending the findings with no link of their own does). The published totals as every
//! respondent sees them (steps of 5, no group under 5: `canvass::privacy`), so the page
//! identifies no one; it is what the findings email links to, never a receipt. Plain
//! HTML, no script, in the respondent's language.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use canvass::wording::{figure, withheld_text};
use canvass::{Lang, OptionTotal, PublicResults, Slug};

use crate::http::plain_page::{escape, plain_page_in, survey_page_body, survey_page_in};
use crate::http::state::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/s/{slug}/findings", get(findings))
}

async fn findings(State(state): State<AppState>, Path(slug): Path<String>, uri: Uri, headers: HeaderMap) -> Response {
    let service = &state.service;
    let Some(definition) = Slug::parse(&slug).ok().and_then(|slug| service.catalog().get(&slug)) else {
        return plain_page_in(Lang::En, StatusCode::NOT_FOUND, "Page not found", &["There is no survey at this address."]);
    };
    let slug = &definition.slug;
    let lang = crate::http::request::language(&uri, &headers, &definition.offered_languages()).lang;
    let say = |id: &str| crate::words::say(lang, id, &[]);
    let here = format!("/s/{slug}/findings");
    let published = match service.findings_published_at(slug).await {
        Ok(published) => published,
        Err(e) => {
            tracing::error!(error = ?e, "reading whether the findings are published failed");
            return survey_page_in(
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                &definition,
                &here,
                &say("findings-heading"),
                &[&escape(&say("findings-failed"))],
            );
        }
    };
    if published.is_none() {
        return survey_page_in(lang, StatusCode::NOT_FOUND, &definition, &here, &say("findings-heading"), &[&escape(&say("findings-not-published"))]);
    }
    let results = match service.hub().public_results(slug) {
        Some(PublicResults::Shown(results)) => results,
        _ => return survey_page_in(lang, StatusCode::OK, &definition, &here, &say("findings-heading"), &[&escape(&say("findings-too-few"))]),
    };
    let html = findings_html(&results, &canvass::translation::localized(&definition, lang.code()), lang);
    survey_page_body(lang, StatusCode::OK, &definition, &here, &say("findings-heading"), &html)
}

/// The published totals, question by question, in the page's language: each option's (or
/// grid cell's) share, or that it is withheld, and a number question's middle and ranges.
fn findings_html(results: &canvass::Results, localized: &canvass::Definition, lang: Lang) -> String {
    // Labels in the page's language: an option's, or a matrix column's.
    let label_of = |question: &str, code: &str, fallback: &str| {
        let choices = localized.question(question).and_then(|q| match &q.kind {
            canvass::Kind::Matrix { columns, .. } => Some(columns.as_slice()),
            other => other.options(),
        });
        choices.and_then(|o| canvass::Choice::find(o, code)).map_or(fallback.to_string(), |c| c.label.clone())
    };
    let line = |label: &str, t: &OptionTotal| {
        let shown = match (t.count, t.percent) {
            (Some(count), Some(percent)) => figure(count, percent, t.ci95),
            _ => withheld_text(lang),
        };
        format!("<li><span class=\"label\">{}</span>: <span class=\"figure\">{}</span></li>", escape(label), escape(&shown))
    };
    let mut html = format!(
        "<p data-testid=\"findings-basis\">{}</p>",
        escape(&crate::words::say(lang, "findings-basis", &[("responses", results.responses.into())]))
    );
    for question in &results.questions {
        let text = localized.question(&question.id).map_or(question.text.clone(), |q| q.text.clone());
        html.push_str(&format!("<section class=\"result\" data-question=\"{}\"><h2>{}</h2>", escape(&question.id), escape(&text)));
        html.push_str(&format!("<p class=\"base\">{}</p>", escape(&crate::words::say(lang, "base", &[("base", question.answered.into())]))));
        html.push_str("<ul class=\"findings-list\">");
        for option in &question.options {
            html.push_str(&line(&label_of(&question.id, &option.code, &option.label), option));
        }
        for row in &question.rows {
            let row_label = localized
                .question(&question.id)
                .and_then(|q| match &q.kind {
                    canvass::Kind::Matrix { rows, .. } => canvass::Choice::find(rows, &row.code).map(|r| r.label.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| row.label.clone());
            for cell in &row.cells {
                html.push_str(&line(&format!("{row_label} – {}", label_of(&question.id, &cell.code, &cell.label)), cell));
            }
        }
        if let Some(summary) = &question.summary {
            // A number question: its middle and ranges as published (no lowest or highest
            // answer, no range of fewer than 5), or why there is none yet.
            let unit = summary.unit.as_deref();
            match canvass::wording::spread_text(summary, lang) {
                Some(spread) => html.push_str(&format!("<li>{}</li>", escape(&spread))),
                None if summary.bins.is_empty() => html.push_str(&format!("<li>{}</li>", escape(&canvass::wording::spread_withheld_text(lang)))),
                None => {}
            }
            for bin in &summary.bins {
                let label = canvass::wording::bin_text(bin, unit, lang);
                html.push_str(&format!("<li><span class=\"label\">{}</span>: <span class=\"figure\">{}</span></li>", escape(&label), bin.count));
            }
        }
        html.push_str("</ul></section>");
    }
    html
}
