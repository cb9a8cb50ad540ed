//! The questionnaire: `/s/{slug}?step=N`, one section per page, then `?step=check`
//! ("Check your answers") and the final submit.
//!
//! Every step is rendered here, on the server, and is a plain form post to `/s/{slug}`:
//! the server keeps the answers so far in a draft (a cookie holds its token) and redirects
//! to the next step. That is the whole journey without JavaScript. With it, the
//! [`StepForm`] island around each step checks the section with the same core rules
//! compiled to wasm, keeps the answers in localStorage as they are given, and sends the
//! same post with `fetch`, putting the next step in place without a reload.

#[cfg(feature = "hydrate")]
mod browser;
mod check;
mod island;
mod saved;
mod section;
pub mod shared;

use canvass::Definition;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{load_survey, SurveyView};
use crate::language_switch::StepSwitch;
use crate::words::{t, t_with};
use canvass::pages::FormEcho;
use island::StepForm;
pub use saved::SavedPage;
use shared::Progress;
// The fields every step's form carries besides the answers, named where the server's
// routes read them too.
use canvass::web::{Step, NAV_FIELD, RETURN_FIELD, STEP_FIELD, SUBMISSION_KEY_FIELD};

#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Present only while the server re-renders a refused post.
    let echo = use_context::<FormEcho>();
    let query = use_query_map();
    let answering_again = move || query.read_untracked().get("again").as_deref() == Some("1");
    let page = Resource::new(slug, move |slug| {
        let echo = echo.clone();
        async move {
            let mut view = load_survey(slug).await?;
            if let (Some(view), Some(echo)) = (view.as_mut(), echo) {
                view.echo = Some(echo);
            }
            if let Some(view) = view.as_mut() {
                if let Some((_, key)) = view.echo.iter().flat_map(|e| &e.values).find(|(k, _)| k == SUBMISSION_KEY_FIELD) {
                    view.submission_key = key.clone();
                }
            }
            Ok::<_, ServerFnError>(view)
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t("loading-survey")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(view)) if view.opens.is_some() => {
                        view! { <NotYetOpen title=view.definition.title opens=view.opens.unwrap_or_default()/> }.into_any()
                    }
                    Ok(Some(view)) if view.closed => {
                        let part_way = view.echo.as_ref().is_some_and(|e| e.values.iter().any(|(k, _)| shared::is_answer_field(k)));
                        view! { <SurveyClosed title=view.definition.title notice=view.notice part_way/> }.into_any()
                    }
                    // Back on the survey after responding: say so, rather than offer a blank
                    // form; answering again (for another organisation) is a deliberate step.
                    Ok(Some(view)) if view.responded && view.echo.is_none() && !answering_again() => {
                        view! { <AlreadyResponded definition=view.definition/> }.into_any()
                    }
                    Ok(Some(view)) => view! { <SurveyForm view/> }.into_any(),
                    Ok(None) => view! { <crate::NotFound/> }.into_any(),
                    Err(_) => view! { <crate::LoadFailed heading=t("survey-load-failed")/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What every step of the page is rendered from.
#[derive(Clone)]
pub(crate) struct Journey {
    pub definition: Definition,
    pub submission_key: String,
    /// Every answer so far, as form fields (name, value).
    pub values: Vec<(String, String)>,
    pub errors: canvass::FieldErrors,
}

#[component]
fn SurveyForm(view: SurveyView) -> impl IntoView {
    let SurveyView { definition, submission_key, echo, closes, notice, .. } = view;
    let echo = echo.unwrap_or_default();
    let values: Vec<(String, String)> = echo.values.into_iter().filter(|(k, _)| shared::is_answer_field(k)).collect();
    let query = use_query_map();
    let sections = definition.sections.len();
    let step = Step::parse(query.read_untracked().get("step").as_deref(), sections);
    let returning = query.read_untracked().get("return").as_deref() == Some("check");
    let questions = definition.questions().count();
    let journey = Journey { definition: definition.clone(), submission_key, values: values.clone(), errors: echo.errors };
    let section = match step {
        Step::Section(index) => Some(index),
        Step::Check => None,
    };
    let title = shared::titled(&shared::step_title(&definition, step), !journey.errors.is_empty(), &t("error-prefix"));
    let meta = t_with("start-meta", &[("time", definition.time_needed.clone().into()), ("questions", questions.into()), ("sections", sections.into())]);
    let words = island::StepWords::current();
    view! {
        <crate::escaped::PageTitle text=title/>
        <shared::DefaultAction step/>
        <StepSwitch has_form=true/>
        <h1>{definition.title.clone()}</h1>
        <StepForm definition=definition.clone() section values words>
            {(step == Step::Section(0)).then(|| view! {
                <p class="intro">{definition.intro.clone()}</p>
                <p class="meta">{meta.clone()}</p>
                {closes.clone().map(|closes| view! { <p class="meta" data-testid="closes">{t_with("open-until", &[("date", closes.into())])}</p> })}
                <crate::privacy_notice::NoticeSummary facts=notice.clone()/>
            })}
            <Progress step sections/>
            {match step {
                Step::Section(index) => view! { <section::SectionStep journey index returning/> }.into_any(),
                Step::Check => view! { <check::CheckAnswers journey/> }.into_any(),
            }}
        </StepForm>
    }
}

/// What a respondent who has already answered from this browser sees on the survey.
#[component]
fn AlreadyResponded(definition: Definition) -> impl IntoView {
    let slug = definition.slug.to_string();
    view! {
        <crate::escaped::PageTitle text=t_with("already-title", &[("title", definition.title.clone().into())])/>
        <StepSwitch has_form=false/>
        <h1>{definition.title.clone()}</h1>
        <div class="notice" role="status" data-testid="already-responded">
            <h2>{t("already-heading")}</h2>
            <p>{t("already-body")}</p>
            <p><a href=canvass::web::results_url(&slug)>{t("see-the-results")}</a></p>
        </div>
        <p>{t("answer-again-lead")}" "
            <a href=format!("/s/{slug}?again=1") data-testid="answer-again">{t("answer-again")}</a>
            {t("sentence-end")}" "{t("answer-again-after")}</p>
    }
}

/// What a respondent sees before the survey's `opens_at`.
#[component]
fn NotYetOpen(title: String, opens: String) -> impl IntoView {
    view! {
        <crate::escaped::PageTitle text=t_with("not-open-title", &[("title", title.clone().into())])/>
        <StepSwitch has_form=false/>
        <h1>{title}</h1>
        <div class="notice" role="status" data-testid="not-yet-open">
            <h2>{t("not-open-heading")}</h2>
            <p>{t_with("not-open-body", &[("date", opens.into())])}</p>
        </div>
        <p><a href="/">{t("see-open-surveys-button")}</a></p>
    }
}

/// What a respondent sees once the organisers have closed the survey. One who was
/// part-way (a draft on this browser) is told their answers are kept, for how long, and
/// that a reopening lets them carry on; everyone is told whom to ask.
#[component]
fn SurveyClosed(title: String, notice: crate::privacy_notice::NoticeFacts, part_way: bool) -> impl IntoView {
    let body = if part_way { t_with("closed-part-way-body", &[("days", notice.drafts.into())]) } else { t("closed-body") };
    view! {
        <crate::escaped::PageTitle text=t_with("closed-title", &[("title", title.clone().into())])/>
        <StepSwitch has_form=false/>
        <h1>{title}</h1>
        <div class="notice" role="status" data-testid="survey-closed">
            <h2>{t("closed-heading")}</h2>
            <p data-testid=if part_way { "closed-part-way" } else { "closed-body" }>{body}</p>
            <p>{notice.contact_words()}</p>
        </div>
        <p><a href="/">{t("see-open-surveys-button")}</a></p>
    }
}
