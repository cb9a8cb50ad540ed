//! The questionnaire: `/s/{slug}?step=N`, one section per page, then `?step=check`
//! ("Check your answers") and the final submit.
//!
//! Without JavaScript every step is a plain form post to `/s/{slug}`: the server keeps the
//! answers so far in a draft (a cookie holds its token) and redirects to the next step.
//! Once hydrated, Continue and Back run here: the section is checked with the same core
//! rules compiled to wasm, the answers are kept in the page (and in localStorage, so a
//! reload restores them) and the next step appears without a reload. The final submit
//! goes through the `submit_survey` server function.

mod check;
mod saved;
mod section;
pub mod shared;

use canvass::Definition;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{load_survey, FormEcho, SurveyView};
pub use shared::Step;
pub use saved::SavedPage;
use shared::{draft_store, Progress};

/// Hidden fields every step's form carries besides the answers.
pub const STEP_FIELD: &str = "_step";
pub const NAV_FIELD: &str = "_nav";

#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Present only while the server re-renders a refused post. The resource carries it
    // into the page's serialised state, so hydration sees the same thing.
    let echo = use_context::<FormEcho>();
    let page = Resource::new(slug, move |slug| {
        let echo = echo.clone();
        async move {
            let mut view = load_survey(slug).await?;
            if let (Some(view), Some(echo)) = (view.as_mut(), echo) {
                view.echo = Some(echo);
            }
            if let Some(view) = view.as_mut() {
                if let Some((_, key)) = view.echo.iter().flat_map(|e| &e.values).find(|(k, _)| k == "submission_key") {
                    view.submission_key = key.clone();
                }
            }
            Ok::<_, ServerFnError>(view)
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading the survey…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(view)) if view.closed => view! { <SurveyClosed title=view.definition.title/> }.into_any(),
                    Ok(Some(view)) => view! { <SurveyForm view/> }.into_any(),
                    Ok(None) => view! { <crate::NotFound/> }.into_any(),
                    Err(_) => view! { <crate::LoadFailed heading="The survey could not be loaded"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The state every step shares while the respondent moves through the survey.
#[derive(Clone)]
pub(crate) struct Journey {
    pub definition: Definition,
    pub submission_key: String,
    /// Every answer so far, as form fields (name, value).
    pub values: RwSignal<Vec<(String, String)>>,
    pub errors: RwSignal<canvass::FieldErrors>,
    /// True once the bundle has hydrated: steps then run in the page.
    pub hydrated: RwSignal<bool>,
}

#[component]
fn SurveyForm(view: SurveyView) -> impl IntoView {
    let SurveyView { definition, submission_key, echo, .. } = view;
    let echo = echo.unwrap_or_default();
    let journey = Journey {
        values: RwSignal::new(echo.values.into_iter().filter(|(k, _)| !k.starts_with('_') && k != "submission_key").collect()),
        errors: RwSignal::new(echo.errors),
        hydrated: RwSignal::new(false),
        submission_key,
        definition,
    };
    let hydrated = journey.hydrated;
    Effect::new(move |_| hydrated.set(true));
    draft_store(&journey);
    let query = use_query_map();
    let sections = journey.definition.sections.len();
    let step = Memo::new(move |_| Step::parse(query.read().get("step").as_deref(), sections));
    let definition = journey.definition.clone();
    let questions = definition.questions().count();
    view! {
        <Title text=definition.title.clone()/>
        <h1>{definition.title.clone()}</h1>
        {move || (step.get() == Step::Section(0)).then(|| view! {
            <p class="intro">{definition.intro.clone()}</p>
            <p class="meta">{definition.time_needed.clone()} " · " {questions} " questions in " {sections}
                " sections · answers marked “required” must be given"</p>
            <details class="privacy">
                <summary>"How we use your answers"</summary>
                <p>{definition.privacy.clone()}</p>
            </details>
        })}
        <Progress step sections/>
        {move || {
            let journey = journey.clone();
            match step.get() {
                Step::Section(index) => view! { <section::SectionStep journey index/> }.into_any(),
                Step::Check => view! { <check::CheckAnswers journey/> }.into_any(),
            }
        }}
    }
}

/// What a respondent sees once the organisers have closed the survey.
#[component]
fn SurveyClosed(title: String) -> impl IntoView {
    view! {
        <Title text=format!("Closed – {title}")/>
        <h1>{title}</h1>
        <div class="notice" role="status" data-testid="survey-closed">
            <h2>"This survey is closed"</h2>
            <p>"It no longer takes responses, so nothing you send now would be saved. \
                Thank you for your interest; if you answered earlier, your answers are kept."</p>
        </div>
        <p><a href="/">"See the surveys open now"</a></p>
    }
}
