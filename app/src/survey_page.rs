//! The questionnaire page: `/s/{slug}`.
//!
//! The form posts to `/s/{slug}` as a plain urlencoded form, so it works without
//! JavaScript; when the bundle has hydrated, the same submit is intercepted and sent
//! through the `submit_survey` server function, and errors appear without a reload.

use canvass::FieldErrors;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::api::{load_survey, FormEcho, SurveyView};
use crate::fields::{field_anchor, Prefill, QuestionField};

#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Present only while the server re-renders a refused no-JavaScript post. The resource
    // carries it into the page's serialised state, so hydration sees the same thing.
    let echo = use_context::<FormEcho>();
    let page = Resource::new(slug, move |slug| {
        let echo = echo.clone();
        async move {
            let mut view = load_survey(slug).await?;
            if let (Some(view), Some(echo)) = (view.as_mut(), echo) {
                if let Some((_, key)) = echo.values.iter().find(|(k, _)| k == "submission_key") {
                    view.submission_key = key.clone();
                }
                view.echo = Some(echo);
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
                    Err(_) => view! {
                        <h1>"The survey could not be loaded"</h1>
                        <p>"Something went wrong on our side. Reload the page to try again."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SurveyForm(view: SurveyView) -> impl IntoView {
    let SurveyView { definition, submission_key, echo, .. } = view;
    let echo = echo.unwrap_or_default();
    let errors = RwSignal::new(echo.errors);
    let prefill = Prefill::new(echo.values);
    let sending = RwSignal::new(false);
    let slug = definition.slug.clone();
    let action = format!("/s/{slug}");
    let navigate = use_navigate();
    // Effects run only in the browser: this flips once the page has hydrated, which tells
    // tests (and styles) that submits now go through the server function.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
                return;
            };
            let body = web_sys::FormData::new_with_form(&form)
                .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
                .map(|params| String::from(params.to_string()));
            let Ok(body) = body else { return };
            let (slug, navigate) = (slug.clone(), navigate.clone());
            sending.set(true);
            leptos::task::spawn_local(async move {
                match crate::api::submit_survey(slug, body).await {
                    Ok(crate::api::SubmitOutcome::Accepted { results_url }) => navigate(&results_url, Default::default()),
                    Ok(crate::api::SubmitOutcome::Closed) => {
                        // Closed while the page was open: the reloaded page says so.
                        let _ = leptos::prelude::window().location().reload();
                    }
                    Ok(crate::api::SubmitOutcome::Invalid { errors: found }) => {
                        errors.set(found);
                        focus_summary();
                    }
                    Err(_) => {
                        let mut problem = FieldErrors::new();
                        problem.insert(
                            "form".into(),
                            vec!["Your answers could not be sent. Check your connection and submit again; nothing you typed has been lost.".into()],
                        );
                        errors.set(problem);
                        focus_summary();
                    }
                }
                sending.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &slug, &navigate);
    };

    let questions = definition.questions().count();
    view! {
        <Title text=definition.title.clone()/>
        <h1>{definition.title.clone()}</h1>
        <p class="intro">{definition.intro.clone()}</p>
        <p class="meta">{definition.time_needed.clone()} " · " {questions} " questions · answers marked “required” must be given"</p>
        <details class="privacy">
            <summary>"How we use your answers"</summary>
            <p>{definition.privacy.clone()}</p>
        </details>
        <ErrorSummary errors order=definition.questions().map(|q| q.id.clone()).collect()/>
        <form method="post" action=action novalidate=true on:submit=on_submit
            data-hydrated=move || hydrated.get().to_string()>
            <input type="hidden" name="submission_key" value=submission_key/>
            {definition.sections.iter().map(|section| view! {
                <section class="section">
                    <h2>{section.title.clone()}</h2>
                    {section.questions.iter().map(|q| view! {
                        <QuestionField question=q.clone() definition=definition.clone() errors prefill=prefill.clone()/>
                    }).collect_view()}
                </section>
            }).collect_view()}
            <button type="submit" class="submit" disabled=move || sending.get()>
                {move || if sending.get() { "Sending…" } else { "Submit your answers" }}
            </button>
        </form>
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

/// The list of problems at the top of the form, in the order the questions are asked;
/// each links to its field.
#[component]
fn ErrorSummary(errors: RwSignal<FieldErrors>, order: Vec<String>) -> impl IntoView {
    move || {
        let mut list: Vec<(String, Vec<String>)> = errors.get().into_iter().collect();
        list.sort_by_key(|(field, _)| order.iter().position(|id| id == field).unwrap_or(usize::MAX));
        (!list.is_empty()).then(|| view! {
            <div class="error-summary" id="error-summary" role="alert" tabindex="-1">
                <h2>"There is a problem"</h2>
                <ul>
                    {list.into_iter().flat_map(|(field, messages)| {
                        messages.into_iter().map(move |m| view! {
                            <li><a href=format!("#{}", field_anchor(&field))>{m}</a></li>
                        })
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

#[cfg(feature = "hydrate")]
fn focus_summary() {
    use leptos::wasm_bindgen::JsCast;
    // Let the summary render first, then move focus (and screen readers) to it.
    leptos::task::spawn_local(async {
        if let Some(el) = leptos::prelude::document()
            .get_element_by_id("error-summary")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
