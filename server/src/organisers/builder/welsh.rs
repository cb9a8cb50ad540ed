//! Welsh, side by side: every text of the survey in English with its Welsh beside it, to
//! fill in here or through the translator's CSV (download, fill in with any spreadsheet,
//! upload). Publishing is refused while any Welsh text is missing, as for a file. A
//! Welsh text whose English changed since it was translated is flagged until it is changed
//! or ticked as still right (`canvass::translated_from`, recorded on every save).

use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass::builder::{apply, read_translation_csv, translation_csv, Edit};
use canvass::definition::Definition;
use canvass::translated_from::{confirmed, english_changed};
use serde::Deserialize;

use super::page_parts::{error_summary, frame, Problem};
use super::{keep, see_other, working, Building, Working};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

const WELSH: &str = "cy";
/// A ticked box `still.{key}`: that text's Welsh is still right for its changed English.
const STILL_RIGHT: &str = "still.";

#[derive(Deserialize, Default)]
pub(super) struct Shown {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    n: Option<usize>,
}

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(shown): Query<Shown>) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let notice = match (shown.done.as_deref(), shown.n) {
        (Some("saved"), _) => Some("Welsh saved.".to_string()),
        (Some("uploaded"), Some(n)) => Some(format!("The translator’s file is read: {n} Welsh texts taken from it.")),
        _ => None,
    };
    render(&state, &building, &working, notice, &[], StatusCode::OK).await
}

/// The keys of Welsh texts left as they were while their English changed.
async fn stale(state: &AppState, building: &Building, definition: &Definition) -> Vec<String> {
    match state.service.store().translated_from(building.slug.as_str(), WELSH).await {
        Ok(known) => english_changed(definition, WELSH, &known),
        Err(e) => {
            tracing::warn!(error = ?e, "reading what the Welsh was translated from failed; no text is flagged");
            Vec::new()
        }
    }
}

async fn render(state: &AppState, building: &Building, working: &Working, notice: Option<String>, problems: &[Problem], status: StatusCode) -> Response {
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let stale = stale(state, building, &definition).await;
    let mut body = error_summary(problems);
    if let Some(notice) = notice {
        body.push_str(&format!("<div class=\"notice\" role=\"status\" data-testid=\"builder-notice\">{}</div>", escape(&notice)));
    }
    if !definition.languages.iter().any(|l| l == WELSH) {
        body.push_str(&format!(
            "<p>This survey is in English only. To offer it in Welsh too, tick “Also in Welsh” in <a href=\"{}/details\">About the survey</a>.</p>",
            escape(&building.base())
        ));
        return frame(building, "Welsh", &body, status);
    }
    let keys = canvass::translation::text_keys(&definition);
    let given = definition.translations.get(WELSH);
    let welsh = |key: &str| given.and_then(|t| t.get(key)).cloned().unwrap_or_default();
    let missing = keys.iter().filter(|(key, _)| welsh(key).trim().is_empty()).count();
    let changed = match stale.len() {
        0 => String::new(),
        1 => "<p data-testid=\"welsh-stale\"><strong>1 Welsh text was translated from English that has changed since.</strong> \
              It is marked below: change its Welsh, or tick that it is still right.</p>"
            .to_string(),
        n => format!(
            "<p data-testid=\"welsh-stale\"><strong>{n} Welsh texts were translated from English that has changed since.</strong> \
             They are marked below: change their Welsh, or tick that they are still right.</p>"
        ),
    };
    body.push_str(&format!(
        "<p data-testid=\"welsh-missing\">{}</p>{changed}<h2>For a translator</h2><p><a href=\"{base}/welsh.csv\" download>Download the translator’s file</a> (CSV: \
         each text’s key, its English, and its Welsh to fill in), then upload it filled in.</p>\
         <form method=\"post\" action=\"{base}/welsh.csv\" enctype=\"multipart/form-data\"><p class=\"field\"><label for=\"file\">The filled-in file</label><br>\
         <input type=\"file\" id=\"file\" name=\"file\" accept=\".csv,text/csv\"></p><button type=\"submit\" class=\"secondary\">Upload the Welsh</button></form>",
        match missing {
            0 => "Every text has its Welsh.".to_string(),
            1 => "1 text still needs its Welsh: publishing waits for it.".to_string(),
            n => format!("{n} texts still need their Welsh: publishing waits for them."),
        },
        base = escape(&building.base())
    ));
    body.push_str(&format!(
        "<h2>English and Welsh</h2><form method=\"post\" action=\"{}/welsh\" class=\"builder-form\"><div class=\"table-scroll\"><table class=\"admin-table welsh-table\">\
         <thead><tr><th scope=\"col\">English</th><th scope=\"col\">Cymraeg</th></tr></thead><tbody>",
        escape(&building.base())
    ));
    for (i, (key, english)) in keys.iter().enumerate() {
        let current = welsh(key);
        let field = format!("{WELSH}.{key}");
        let input = match english.contains('\n') || english.len() > 80 {
            true => format!("<textarea id=\"t{i}\" name=\"{}\" rows=\"3\" aria-labelledby=\"e{i}\">{}</textarea>", escape(&field), escape(&current)),
            false => format!("<input type=\"text\" id=\"t{i}\" name=\"{}\" value=\"{}\" aria-labelledby=\"e{i}\">", escape(&field), escape(&current)),
        };
        let flag = match (current.trim().is_empty(), stale.contains(key)) {
            (true, _) => " <strong class=\"problem\">Missing</strong>".to_string(),
            (false, true) => format!(
                " <strong class=\"problem\" data-testid=\"english-changed\">English changed since translated</strong>\
                 <br><label class=\"still-right\"><input type=\"checkbox\" name=\"{}\" value=\"yes\"> The Welsh is still right</label>",
                escape(&format!("{STILL_RIGHT}{key}"))
            ),
            (false, false) => String::new(),
        };
        body.push_str(&format!("<tr><td><span id=\"e{i}\">{}</span><br><code>{}</code>{flag}</td><td>{input}</td></tr>", escape(english), escape(key)));
    }
    body.push_str(&format!(
        "</tbody></table></div><div class=\"step-buttons\"><button type=\"submit\" class=\"submit\">Save the Welsh</button><a href=\"{}\">Cancel</a></div></form>",
        escape(&building.base())
    ));
    frame(building, "Welsh", &body, status)
}

/// The edits that make the survey's Welsh say `texts` (key and text), only where it differs.
fn edits(definition: &Definition, texts: impl IntoIterator<Item = (String, String)>) -> Vec<Edit> {
    let given = definition.translations.get(WELSH);
    texts
        .into_iter()
        .filter(|(key, text)| given.and_then(|t| t.get(key)).map_or("", String::as_str) != text.as_str())
        .map(|(key, text)| Edit::Translation { language: WELSH.into(), key, text })
        .collect()
}

/// Applies `edits` in turn and keeps the result, which it returns; the first refusal is shown.
async fn save(state: &AppState, building: &Building, working: &Working, edits: &[Edit], change: &str) -> Result<String, Vec<String>> {
    let mut text = working.text.clone();
    for edit in edits {
        text = apply(&text, edit)?.text;
    }
    if text != working.text {
        if let Err(refusal) = keep(state, building, &text, working.base, change).await {
            tracing::debug!(status = %refusal.status(), "keeping the Welsh was refused");
            return Err(vec!["The Welsh could not be saved just now; nothing was changed. Try again in a minute".into()]);
        }
    }
    Ok(text)
}

pub(super) async fn post(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let texts = canvass::translation::text_keys(&definition).into_iter().filter_map(|(key, _)| {
        let text = form.fields.get(&format!("{WELSH}.{key}"))?.replace("\r\n", "\n").trim().to_string();
        Some((key, text))
    });
    let edits = edits(&definition, texts);
    let change = match edits.len() {
        1 => "Changed 1 Welsh text".to_string(),
        n => format!("Changed {n} Welsh texts"),
    };
    let still_right: Vec<String> = form.fields.keys().filter_map(|field| field.strip_prefix(STILL_RIGHT)).map(str::to_string).collect();
    match save(&state, &building, &working, &edits, &change).await {
        Ok(saved) => {
            confirm(&state, &building, &saved, &still_right).await;
            see_other(format!("{}/welsh?done=saved", building.base()))
        }
        Err(problems) => {
            let problems: Vec<Problem> = problems.into_iter().map(Problem::general).collect();
            render(&state, &building, &working, None, &problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Records the Welsh of `keys` as still right for their English as it stands in `saved`,
/// the text just kept (a ticked text whose Welsh was changed too is recorded by the save
/// itself).
async fn confirm(state: &AppState, building: &Building, saved: &str, keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    let Ok(definition) = canvass::parse_draft("definition", saved) else { return };
    if let Err(e) = state.service.store().record_translated_from(building.slug.as_str(), WELSH, &confirmed(&definition, WELSH, keys)).await {
        tracing::warn!(error = ?e, "recording Welsh as still right failed; it stays flagged");
    }
}

/// The translator's file, named for the survey.
pub(super) async fn download(State(state): State<AppState>, mut building: Building) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    let disposition = format!("attachment; filename=\"{}-welsh.csv\"", building.slug);
    let stale = stale(&state, &building, &definition).await;
    (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        translation_csv(&definition, WELSH, &stale),
    )
        .into_response()
}

/// The translator's file, filled in: every Welsh text it gives replaces the survey's.
pub(super) async fn upload(State(state): State<AppState>, mut building: Building, mut multipart: Multipart) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let mut file = None;
    let mut unreadable = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(bytes) => file = Some(bytes),
                Err(_) => unreadable = true,
            },
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => {
                unreadable = true;
                break;
            }
        }
    }
    let again = async |problems: Vec<String>| {
        let problems: Vec<Problem> = problems.into_iter().map(|p| Problem::at("file", p)).collect();
        render(&state, &building, &working, None, &problems, StatusCode::UNPROCESSABLE_ENTITY).await
    };
    if unreadable {
        return again(vec!["The upload did not arrive whole (it may be over 2 MB): upload the CSV file again".into()]).await;
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return again(vec!["Choose the filled-in CSV file first, then press Upload the Welsh".into()]).await;
    };
    let Ok(definition) = canvass::parse_draft("definition", &working.text) else {
        return see_other(building.base());
    };
    if !definition.languages.iter().any(|l| l == WELSH) {
        let problem = Problem::general("This survey is in English only: tick “Also in Welsh” in About the survey, then upload the file");
        return render(&state, &building, &working, None, &[problem], StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let texts = match read_translation_csv(&bytes, &definition) {
        Ok(texts) => texts,
        Err(problems) => return again(problems).await,
    };
    let taken = texts.len();
    let edits = edits(&definition, texts);
    let change = format!("Took {} Welsh texts from the translator’s file", edits.len());
    match save(&state, &building, &working, &edits, &change).await {
        Ok(_) => see_other(format!("{}/welsh?done=uploaded&n={taken}", building.base())),
        Err(problems) => again(problems).await,
    }
}
