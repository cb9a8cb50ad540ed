//! `POST /admin/editor`: the organisers' editor form (`app::admin_pages::editor`).
//! Save draft, Check and preview, Publish (which shows the changes and asks to confirm)
//! and the confirm itself. Every outcome but a publish renders the editor again with
//! the text as it was sent, so nothing typed is ever lost.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use canvass::located::Problem;
use canvass::pages::EditorEcho;
use canvass::parse::MAX_DEFINITION_BYTES;
use canvass::web::{ACTION_FIELD, BASE_FIELD, EDITING_FIELD, SOURCE_FIELD};

use crate::auth::audit::{Act, Entry};
use crate::auth::extract::SignedIn;
use crate::http::state::AppState;
use crate::organisers::editing::{check, Outcome, SaveDraftError};

/// A 1 MB definition, URL-encoded, with room to spare: a larger one is refused with a
/// message before it is read.
pub(crate) const EDITOR_BODY_BYTES: usize = 4 * MAX_DEFINITION_BYTES;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/admin/editor", post(editor_post).layer(DefaultBodyLimit::max(EDITOR_BODY_BYTES)))
}

async fn editor_post(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: Vec<(String, String)> = canvass::web::decode(&String::from_utf8_lossy(&body));
    let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    // Browsers send CRLF line ends from a textarea; the definition is kept as typed, with LF.
    let source = get(SOURCE_FIELD).replace("\r\n", "\n");
    let editing = Some(get(EDITING_FIELD)).filter(|s| !s.is_empty()).map(str::to_string);
    let base_version = get(BASE_FIELD).parse::<u32>().unwrap_or(0);
    let page = match &editing {
        Some(slug) => format!("/admin/surveys/{slug}/edit"),
        None => "/admin/new".to_string(),
    };
    let mut echo = EditorEcho { source: source.clone(), base_version, ..EditorEcho::default() };
    let service = &state.service;
    let address = service.auth().client_address(&headers, Some(peer));
    // Editing a survey is its owners' (and administrators'), starting one administrators':
    // the guard checked the survey this form names (`Need::Editor`) before it came here.
    if get(ACTION_FIELD) == "autosave" {
        return autosave(&state, editing.as_deref(), &source, &who.email, base_version).await;
    }
    let status = match get(ACTION_FIELD) {
        _ if source.len() > MAX_DEFINITION_BYTES => {
            echo.problems = check(&source).err().unwrap_or_default();
            StatusCode::PAYLOAD_TOO_LARGE
        }
        "save" => match service.save_editor_draft(editing.as_deref(), &source, &who.email, base_version).await {
            Ok(at) => {
                // An explicit save is a revision the builder's revisions page lists (autosaves
                // are not: they come with every pause in typing).
                if let Some(slug) = editing.clone().or_else(|| crate::organisers::editing::slug_line(&source)) {
                    if let Err(e) = service.store().add_definition_revision(&slug, &source, &who.email, "Saved in the text editor").await {
                        tracing::error!(error = ?e, "recording a revision failed; the draft itself was saved");
                    }
                }
                echo.notice = Some(format!("Draft saved at {at}. Respondents still see the live version until you publish."));
                echo.problems = check(&source).err().unwrap_or_default();
                StatusCode::OK
            }
            Err(SaveDraftError::Unexpected(e)) => return unavailable(e),
            Err(refused) => {
                echo.problems = vec![refused.problem()];
                StatusCode::UNPROCESSABLE_ENTITY
            }
        },
        "check" => match check(&source) {
            Ok(_) => {
                echo.notice = Some("No problems found. The preview below shows the respondent's pages.".into());
                StatusCode::OK
            }
            Err(problems) => {
                echo.problems = problems;
                StatusCode::UNPROCESSABLE_ENTITY
            }
        },
        action @ ("publish" | "confirm") => match service.publish_from_editor(editing.as_deref(), &source, base_version, action == "confirm").await {
            Ok(Outcome::Published { slug, version }) => {
                service.audit(Entry::new(&who.email, Act::Published).survey(&slug).detail(format!("version {version}")).from(address)).await;
                return (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/admin/surveys/{slug}?published={version}"))]).into_response();
            }
            Ok(Outcome::Shown { problems, notice, pending, conflict }) => {
                let status = match (&problems, conflict) {
                    (_, true) => StatusCode::CONFLICT,
                    (p, _) if !p.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
                    _ => StatusCode::OK,
                };
                echo = EditorEcho { problems, notice, pending, ..echo };
                status
            }
            Err(e) => return unavailable(e),
        },
        other => {
            echo.problems = vec![Problem::general(format!("Unknown action “{other}”: use the buttons below the text"))];
            StatusCode::BAD_REQUEST
        }
    };
    crate::http::render::page_with_cookies(&state, Uri::try_from(page).unwrap_or_else(|_| Uri::from_static("/admin/new")), &headers, echo, status).await
}

/// The editor's island saves the text once typing pauses: a short sentence back, said
/// to the organiser as it is (no page).
async fn autosave(state: &AppState, editing: Option<&str>, source: &str, by: &str, base_version: u32) -> Response {
    let plain = |status: StatusCode, text: String| (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
    if source.len() > MAX_DEFINITION_BYTES {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "Not saved: the text is over 1 MB, the most Canvass takes.".into());
    }
    match state.service.save_editor_draft(editing, source, by, base_version).await {
        Ok(at) => plain(StatusCode::OK, format!("Draft saved at {at}.")),
        Err(SaveDraftError::Unexpected(e)) => {
            tracing::error!(error = ?e, "autosaving a draft definition failed");
            plain(StatusCode::SERVICE_UNAVAILABLE, "Not saved just now: press Save draft in a minute.".into())
        }
        Err(refused) => plain(StatusCode::UNPROCESSABLE_ENTITY, format!("Not saved yet: {refused}.")),
    }
}

fn unavailable(e: anyhow::Error) -> Response {
    tracing::error!(error = ?e, "the editor could not reach the database");
    crate::auth::extract::refused(
        StatusCode::SERVICE_UNAVAILABLE,
        "The survey could not be saved just now; nothing was published. Go back, copy your text somewhere safe, and try again in a minute.",
    )
}
