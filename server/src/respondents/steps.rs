//! The survey's steps without JavaScript: one section per post, the answers so far kept
//! in a server-side draft, then "Check your answers" and the final submit.

use crate::http::cookies::{draft as draft_cookie, receipt as receipt_cookie};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use canvass::pages::FormEcho;
use canvass::web::{draft_cookie_name, results_url, Step, NAV_FIELD, RETURN_FIELD, STEP_FIELD};
use canvass::{answers_from_form, replace_section_fields, section_errors, FieldErrors, Slug, SubmissionKey};

use crate::auth::tokens::Token;
use crate::http::state::AppState;
use crate::respondents::submission::{form_refusal, submit_form, too_many_fields, SUBMISSION_KEY_FIELD};

/// Handles one step's post (its fields carry `_step`): reads the draft it continues, then
/// submits it (the check page's Submit), moves between steps, or saves the section.
/// A step posted to a survey that is not served (or to an address whose slug does not
/// parse, `slug` as typed): its first page, which says so.
pub(crate) async fn unknown_survey(state: &AppState, slug: &str, headers: &HeaderMap, returning: bool) -> Response {
    let page = page_uri(slug, Step::Section(0), returning);
    crate::http::render::page_with_cookies(state, page, headers, FormEcho::default(), StatusCode::NOT_FOUND).await
}

pub(crate) async fn post(state: &AppState, slug: &Slug, headers: &HeaderMap, pairs: Vec<(String, String)>) -> Response {
    let service = &state.service;
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    // Opened by "Change" on the check page: Continue goes back there, and a page shown
    // again with problems keeps that.
    let returning = field(RETURN_FIELD).as_deref() == Some("check");
    let Some(definition) = service.catalog().get(slug) else {
        return unknown_survey(state, slug.as_str(), headers, returning).await;
    };
    // The language the respondent is answering in (the cookie their choice set, else their
    // browser's): the rules speak it, as the page and its island do.
    let lang = request_lang(headers, &definition);
    let definition =
        if lang == definition.language() { definition } else { std::sync::Arc::new(canvass::translation::localized(&definition, lang.code())) };
    let nav = field(NAV_FIELD).unwrap_or_else(|| "continue".into());
    // A step this survey does not have (a form from an older version of it, say) saves
    // nothing: merging it as section 1 would erase that section's answers.
    let Some(step) = Step::named(field(STEP_FIELD).as_deref(), definition.sections.len()) else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/s/{slug}{}", Step::Section(0).query()))]).into_response();
    };

    let invitation = crate::respondents::invitations::invitation_cookie(headers, slug);
    let (token, mut draft) = match drafted(service, slug, headers, invitation.as_ref()).await {
        Ok(drafted) => drafted,
        Err(e) => {
            // Never save over a draft that could not be read: the earlier sections are in it.
            tracing::error!(error = ?e, "reading a draft failed");
            let echo = FormEcho { values: pairs, errors: not_kept(lang) };
            return crate::http::render::page_with_cookies(
                state,
                page_uri(slug.as_str(), step, returning),
                headers,
                echo,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await;
        }
    };
    if !draft.iter().any(|(k, _)| k == SUBMISSION_KEY_FIELD) {
        // The key rule is the one every path uses; a form without a good key gets a new one.
        let key = field(SUBMISSION_KEY_FIELD).and_then(|k| SubmissionKey::parse(&k).ok());
        draft.push((SUBMISSION_KEY_FIELD.into(), key.map(String::from).unwrap_or_else(crate::ids::random_token)));
    }
    let reply = Reply { state, slug, headers, returning, lang, set_cookie: draft_cookie(slug, token.as_str(), service.draft_expiry()) };
    match step {
        Step::Check if nav == "submit" => {
            let (status, errors) = match submit_form(service, slug, draft.clone(), invitation.as_ref(), lang).await {
                Ok(receipt) => {
                    service.discard_draft(&token).await;
                    let response = (
                        StatusCode::SEE_OTHER,
                        [(header::LOCATION, results_url(slug.as_str())), (header::SET_COOKIE, receipt_cookie(slug, &receipt.receipt))],
                    )
                        .into_response();
                    return with_cookie(response, &draft_cookie(slug, "", std::time::Duration::ZERO));
                }
                Err(error) => form_refusal(error, lang),
            };
            reply.render(Step::Check, FormEcho { values: draft, errors }, status).await
        }
        Step::Check => match switched(&nav) {
            Some(other) => reply.to(format!("/s/{slug}{}&lang={}", Step::Check.query(), other.code())),
            None => reply.to(format!("/s/{slug}{}", Step::Check.query())),
        },
        Step::Section(index) => {
            let posted: Vec<(String, String)> = pairs.iter().filter(|(k, _)| !k.starts_with('_')).cloned().collect();
            section(&reply, &definition, index, &token, draft, posted, &nav).await
        }
    }
}

/// A section's post: its answers merged into the draft and saved, then the next step, the
/// one before, the other language, the saved page, or this one again with its problems.
async fn section(
    reply: &Reply<'_>,
    definition: &canvass::Definition,
    index: usize,
    token: &Token,
    mut draft: Vec<(String, String)>,
    posted: Vec<(String, String)>,
    nav: &str,
) -> Response {
    let (service, slug, step) = (&reply.state.service, reply.slug, Step::Section(index));
    if let Some(errors) = too_many_fields(posted.len(), reply.lang) {
        return reply.render(step, FormEcho { values: draft, errors }, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    replace_section_fields(definition, index, &mut draft, posted);
    if let Err(e) = service.save_draft(slug, token, &draft).await {
        // The answers are still in the page that is shown again: nothing is lost.
        tracing::error!(error = ?e, "saving a draft failed");
        return reply.render(step, FormEcho { values: draft, errors: not_kept(reply.lang) }, StatusCode::SERVICE_UNAVAILABLE).await;
    }
    // Closed while this respondent was part-way: what they just sent is kept with the rest
    // of their draft, and the closed page says so, whom to ask, and what a reopening means.
    if service.closed(slug) {
        return reply.render(Step::Section(0), FormEcho { values: draft, errors: FieldErrors::new() }, StatusCode::CONFLICT).await;
    }
    if nav == "back" {
        return reply.to(format!("/s/{slug}{}", Step::Section(index.saturating_sub(1)).query()));
    }
    // The language switch: this section's answers are saved (as above) and the same step
    // comes back in the other language, whose `?lang=` the page remembers.
    if let Some(other) = switched(nav) {
        let query = if reply.returning { step.query_returning() } else { step.query() };
        return reply.to(format!("/s/{slug}{query}&lang={}", other.code()));
    }
    if nav == "save" {
        return reply.to(format!("/s/{slug}/saved"));
    }
    let errors = section_errors(definition, index, &answers_from_form(definition, draft.iter().filter(|(k, _)| k != SUBMISSION_KEY_FIELD).cloned()));
    if errors.is_empty() {
        let next = if reply.returning { Step::Check } else { Step::after(index, definition.sections.len()) };
        return reply.to(format!("/s/{slug}{}", next.query()));
    }
    reply.render(step, FormEcho { values: draft, errors }, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// How a step's post is answered once its draft is known: each answer renews the draft's
/// cookie.
struct Reply<'a> {
    state: &'a AppState,
    slug: &'a Slug,
    headers: &'a HeaderMap,
    returning: bool,
    lang: canvass::Lang,
    set_cookie: String,
}

impl Reply<'_> {
    /// The page for `step` again, with what was posted and its problems.
    async fn render(&self, step: Step, echo: FormEcho, status: StatusCode) -> Response {
        let rendered =
            crate::http::render::page_with_cookies(self.state, page_uri(self.slug.as_str(), step, self.returning), self.headers, echo, status).await;
        with_cookie(rendered, &self.set_cookie)
    }

    /// 303 to `location`.
    fn to(&self, location: String) -> Response {
        with_cookie((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(), &self.set_cookie)
    }
}

/// The address of `step`'s page, keeping "back to the check page" when it was opened so.
fn page_uri(slug: &str, step: Step, returning: bool) -> Uri {
    let query = if returning { step.query_returning() } else { step.query() };
    Uri::try_from(format!("/s/{slug}{query}")).unwrap_or_else(|_| Uri::from_static("/"))
}

fn with_cookie(mut response: Response, value: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// "Your answers could not be kept just now…", as the form's own problem.
fn not_kept(lang: canvass::Lang) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.insert("form".into(), vec![crate::words::say(lang, "not-kept", &[])]);
    errors
}

/// The language a step's post is answered in: the one its page was shown in.
fn request_lang(headers: &HeaderMap, definition: &canvass::Definition) -> canvass::Lang {
    crate::http::request::language(&Uri::from_static("/"), headers, &definition.offered_languages()).lang
}

/// The language a `_nav` of the language switch (`lang:cy`) asks for.
fn switched(nav: &str) -> Option<canvass::Lang> {
    nav.strip_prefix(canvass::web::SWITCH_NAV_PREFIX).and_then(canvass::Lang::parse)
}

/// The draft this post continues: an invited respondent's is the one worked out from their
/// invitation (the same on every device); anyone else's is the one their cookie names.
async fn drafted(
    service: &crate::service::Service,
    slug: &Slug,
    headers: &HeaderMap,
    invitation: Option<&crate::auth::tokens::InviteToken>,
) -> anyhow::Result<(Token, Vec<(String, String)>)> {
    match invitation {
        Some(invite) => {
            let token = invite.draft_token();
            let fields = service.draft(slug, &token).await?;
            Ok((token, fields))
        }
        None => service.drafted(slug, crate::http::request::cookie(headers, &draft_cookie_name(slug.as_str())).as_deref()).await,
    }
}

/// A whole form posted at once (no `_step`) and refused: its answers become a draft and
/// the check page shows them with the problems, each linked to its section, so nothing
/// typed is lost and every step can be corrected.
pub(crate) async fn refused_whole_form(
    state: &AppState,
    slug: &Slug,
    headers: &HeaderMap,
    values: Vec<(String, String)>,
    errors: FieldErrors,
) -> Response {
    // A draft this browser already holds is replaced; a token it merely names is not adopted.
    let invitation = crate::respondents::invitations::invitation_cookie(headers, slug);
    let token = match drafted(&state.service, slug, headers, invitation.as_ref()).await {
        Ok((token, _)) => token,
        Err(_) => Token::new(),
    };
    if let Err(e) = state.service.save_draft(slug, &token, &values).await {
        tracing::error!(error = ?e, "saving a draft failed");
    }
    let uri = Uri::try_from(format!("/s/{slug}{}", Step::Check.query())).unwrap_or_else(|_| Uri::from_static("/"));
    let mut response = crate::http::render::page_with_cookies(state, uri, headers, FormEcho { values, errors }, StatusCode::UNPROCESSABLE_ENTITY).await;
    if let Ok(value) = HeaderValue::from_str(&draft_cookie(slug, token.as_str(), state.service.draft_expiry())) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
