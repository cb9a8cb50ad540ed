//! One path for a response. Whatever sent it — the survey's form (a step's final Submit,
//! or a whole form posted at once) or the JSON API — a submission is parsed here into a
//! [`SubmissionKey`] and raw answers, validated by the core and stored by
//! [`crate::service::Service::submit`], and a refusal is turned into HTTP here, once for
//! the form and once for the API.

use axum::http::StatusCode;
use canvass::{answers_from_form, Definition, FieldErrors, KeyError, Lang, RawAnswers, Slug, SubmissionKey};

use crate::auth::tokens::InviteToken;
use crate::http::problem::ApiError;
use crate::service::Service;

pub(crate) use canvass::web::SUBMISSION_KEY_FIELD;

/// More fields than any survey form can have (the default one has fewer than 60): a body
/// beyond this is refused before any work is done on it.
pub(crate) const MAX_FORM_FIELDS: usize = 1000;

/// Proof that a response is stored: its id, and the receipt that unlocks the results.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub response_id: String,
    pub receipt: String,
    /// False when the submission key had been seen before and nothing new was stored.
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("there is no survey at this address")]
    UnknownSurvey,
    /// Closed by its organisers or by its `closes_at` (`canvass::SurveyState`).
    #[error("this survey is closed and no longer takes responses; your answers were not saved")]
    Closed,
    /// Scheduled: before its `opens_at` (a UTC time, as the definition gives it).
    #[error("this survey is not open yet: it opens at {opens}; your answers were not saved")]
    NotYetOpen { opens: String },
    #[error("some answers need attention")]
    Invalid(FieldErrors),
    /// The submission key was already used in this survey for a different response.
    #[error("this submission key was already used for a different response to this survey; nothing was stored")]
    KeyReused,
    /// The invitation this came through has already taken its response.
    #[error("this invitation has already been used to respond; nothing was stored")]
    AlreadyResponded,
    /// The survey takes responses through invitation links only.
    #[error("this survey takes responses through invitation links only; nothing was stored")]
    InvitationNeeded,
    /// Too many submissions are waiting to be stored; the client should retry shortly.
    #[error("the survey is very busy just now; nothing was lost, please submit again in a moment")]
    Busy,
    /// Internal detail is logged by the server, never shown.
    #[error("your answers could not be saved just now; nothing was lost, please try again")]
    Unavailable,
}

/// The field-count rule for every submission path, with the message that goes with it.
pub(crate) fn too_many_fields(count: usize, lang: Lang) -> Option<FieldErrors> {
    (count > MAX_FORM_FIELDS)
        .then(|| one_error("form", crate::words::say(lang, "too-many-fields", &[("count", count.into()), ("max", MAX_FORM_FIELDS.into())])))
}

fn one_error(field: &str, message: String) -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.insert(field.into(), vec![message]);
    errors
}

/// The key rule's message for a form: the key is in a hidden field the respondent never
/// typed, so the fix is always to reload.
fn form_key_error(error: KeyError) -> FieldErrors {
    let message = match error {
        KeyError::Missing => "This form is missing its submission key; reload the survey page and submit again.",
        KeyError::TooLong | KeyError::NotAToken => "This form's submission key is not one Canvass made; reload the survey page and submit again.",
    };
    one_error(SUBMISSION_KEY_FIELD, message.into())
}

/// The key rule's message for an API client, who makes the key.
pub(crate) fn api_key_error(error: KeyError) -> FieldErrors {
    let problem = match error {
        KeyError::Missing => "Send a submission_key",
        KeyError::TooLong => "The submission_key is too long; send one",
        KeyError::NotAToken => "The submission_key has control characters; send one",
    };
    one_error(
        "submission_key",
        format!("{problem} (a UUID you generate once per response, at most {} characters) so retries are stored only once.", SubmissionKey::MAX_LEN),
    )
}

/// Submits a whole survey form's fields (a form posted at once, or a draft's at the
/// check page's Submit): its key and answers parsed here, then stored the one way.
/// `invitation`: the token in the respondent's invitation cookie, if any.
pub(crate) async fn submit_form(
    service: &Service,
    slug: &Slug,
    fields: Vec<(String, String)>,
    invitation: Option<&InviteToken>,
    lang: Lang,
) -> Result<Receipt, SubmitError> {
    let definition = service.catalog().get(slug).ok_or(SubmitError::UnknownSurvey)?;
    let (key, answers) = from_form(&definition, fields, lang).map_err(SubmitError::Invalid)?;
    service.submit(slug, &key, answers, invitation, lang).await
}

/// A whole survey form's fields: its submission key and its answers.
fn from_form(definition: &Definition, fields: Vec<(String, String)>, lang: Lang) -> Result<(SubmissionKey, RawAnswers), FieldErrors> {
    if let Some(errors) = too_many_fields(fields.len(), lang) {
        return Err(errors);
    }
    let (keys, pairs): (Vec<_>, Vec<_>) = fields.into_iter().partition(|(k, _)| k == SUBMISSION_KEY_FIELD);
    let key = keys.into_iter().map(|(_, v)| v).find(|v| !v.trim().is_empty()).unwrap_or_default();
    let key = SubmissionKey::parse(&key).map_err(form_key_error)?;
    Ok((key, answers_from_form(definition, pairs)))
}

/// How the survey's form shows a refused submission: the status, and the problems for its
/// error summary (none for a closed or unknown survey, whose page says so itself).
pub(crate) fn form_refusal(error: SubmitError, lang: Lang) -> (StatusCode, FieldErrors) {
    let say = |id: &str| crate::words::say(lang, id, &[]);
    match error {
        SubmitError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        SubmitError::UnknownSurvey => (StatusCode::NOT_FOUND, FieldErrors::new()),
        // The page renders as closed (with 409) and keeps nothing of the form.
        SubmitError::Closed | SubmitError::NotYetOpen { .. } => (StatusCode::CONFLICT, FieldErrors::new()),
        // Sent again after the answers were changed (the browser's Back button, say): the
        // first response stands and the page says how to send another.
        SubmitError::KeyReused => (StatusCode::CONFLICT, one_error("form", say("already-submitted"))),
        SubmitError::AlreadyResponded => (StatusCode::CONFLICT, one_error("form", say("invitation-used"))),
        SubmitError::InvitationNeeded => (StatusCode::FORBIDDEN, one_error("form", say("by-invitation"))),
        SubmitError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, one_error("form", say("not-saved-now"))),
        SubmitError::Busy => (StatusCode::SERVICE_UNAVAILABLE, one_error("form", say("busy"))),
    }
}

/// How the JSON API answers a refused submission.
pub(crate) fn api_refusal(slug: &str, error: SubmitError) -> ApiError {
    match error {
        SubmitError::UnknownSurvey => ApiError::not_found(slug),
        SubmitError::Closed => {
            ApiError::Client(StatusCode::CONFLICT, format!("Survey `{slug}` is closed and takes no more responses; nothing was stored."))
        }
        SubmitError::NotYetOpen { opens } => ApiError::Client(
            StatusCode::CONFLICT,
            format!("Survey `{slug}` is scheduled and not open yet: it opens at {opens}. Nothing was stored; send the response once it is open."),
        ),
        SubmitError::KeyReused => ApiError::Client(
            StatusCode::CONFLICT,
            format!(
                "This submission_key was already used for a different response to survey `{slug}`; nothing was \
                 stored. Send a new key (a fresh UUID) for each new response, and the same key only to retry the \
                 same response."
            ),
        ),
        SubmitError::Invalid(errors) => ApiError::Invalid(errors),
        SubmitError::AlreadyResponded => {
            ApiError::Client(StatusCode::CONFLICT, format!("This invitation has already taken its response to survey `{slug}`; nothing was stored."))
        }
        SubmitError::InvitationNeeded => ApiError::Client(
            StatusCode::FORBIDDEN,
            format!(
                "Survey `{slug}` takes responses through invitation links only (access = \"invite\"); nothing was \
                 stored. Respondents answer through the link in their invitation email."
            ),
        ),
        e @ (SubmitError::Unavailable | SubmitError::Busy) => ApiError::Unavailable(e.to_string()),
    }
}
