//! One section of the survey on its own page, with Continue (and Back after the first).

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::shared::{asked, ErrorSummary};
use super::{Journey, NAV_FIELD, STEP_FIELD};
use crate::fields::{Prefill, QuestionField};

#[component]
pub fn SectionStep(journey: Journey, index: usize) -> impl IntoView {
    let Journey { definition, submission_key, values, errors, hydrated } = journey;
    let section = definition.sections[index].clone();
    let sections = definition.sections.len();
    let action = format!("/s/{}", definition.slug);
    let last = index + 1 == sections;
    // Every answer with this section's fields as they stand in the form right now: what
    // `show_if` and the instant checks look at while the respondent works on the page.
    let current = RwSignal::new(values.get_untracked());
    // Questions the respondent has left at least once: only these get instant messages.
    let touched = RwSignal::new(BTreeSet::<String>::new());
    let navigate = use_navigate();

    #[cfg(feature = "hydrate")]
    let (on_change, on_focusout, on_submit, on_pointerdown, on_click) = {
        use super::shared::Step;
        use canvass::{answers_from_form, section_errors};
        use leptos::wasm_bindgen::JsCast;
        let form_fields = |target: Option<web_sys::EventTarget>| -> Option<Vec<(String, String)>> {
            let element = target?.dyn_into::<web_sys::Element>().ok()?;
            let form = element.closest("form").ok()??.dyn_into::<web_sys::HtmlFormElement>().ok()?;
            let data = web_sys::FormData::new_with_form(&form).ok()?;
            let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
            let fields = super::shared::decode(&String::from(params.to_string()));
            Some(fields.into_iter().filter(|(k, _)| !k.starts_with('_') && k != "submission_key").collect())
        };
        let merged = {
            let definition = definition.clone();
            move |posted: Vec<(String, String)>| {
                let mut all = values.get_untracked();
                canvass::replace_section_fields(&definition, index, &mut all, posted);
                all
            }
        };
        let on_change = {
            let (merged, definition) = (merged.clone(), definition.clone());
            move |ev: leptos::ev::Event| {
                if current.is_disposed() {
                    return;
                }
                if let Some(fields) = form_fields(ev.target()) {
                    let all = merged(fields);
                    super::shared::remember(&definition, &all);
                    current.set(all);
                }
            }
        };
        // A message inserted above the field just left would move what the pointer is
        // pressing on; while a pointer is down the check waits for the click to finish.
        let pressing = StoredValue::new(false);
        let pending = StoredValue::new(None::<canvass::FieldErrors>);
        let on_focusout = {
            let (merged, definition) = (merged.clone(), definition.clone());
            move |ev: leptos::ev::FocusEvent| {
                // Leaving the page removes the focused button, and the browser then reports a
                // focusout to a section that no longer exists.
                if touched.is_disposed() || errors.is_disposed() {
                    return;
                }
                let element = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                // Only this section's answer fields: not the buttons, not the error summary.
                let Some(name) = element.as_ref().and_then(|e| e.get_attribute("name")) else { return };
                if definition.section_of_field(&name) != Some(index) {
                    return;
                }
                // Moving between the inputs of one question (the rows of a matrix) is not leaving it.
                let question_of = |e: Option<web_sys::Element>| e.and_then(|e| e.closest(".ask").ok().flatten());
                let next = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                if let (Some(from), Some(to)) = (question_of(element.clone()), question_of(next)) {
                    if from.is_same_node(Some(&to)) {
                        return;
                    }
                }
                let question = name.split_once('.').map_or(name.as_str(), |(q, _)| q).to_string();
                touched.update(|t| {
                    t.insert(question);
                });
                if let Some(fields) = form_fields(ev.target()) {
                    let found = section_errors(&definition, index, &answers_from_form(&definition, merged(fields)));
                    let shown: canvass::FieldErrors = touched.with_untracked(|t| found.into_iter().filter(|(id, _)| t.contains(id)).collect());
                    if pressing.try_get_value().unwrap_or(false) {
                        pending.set_value(Some(shown));
                    } else {
                        errors.set(shown);
                    }
                }
            }
        };
        let on_pointerdown = move |_: leptos::ev::PointerEvent| {
            pressing.try_set_value(true);
        };
        let on_click = move |_: leptos::ev::MouseEvent| {
            pressing.try_set_value(false);
            if let Some(shown) = pending.try_update_value(Option::take).flatten() {
                errors.try_set(shown);
            }
        };
        let on_submit = {
            let definition = definition.clone();
            let navigate = navigate.clone();
            let submission_key = submission_key.clone();
            move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let nav = ev.submitter().and_then(|b| b.get_attribute("value")).unwrap_or_else(|| "continue".into());
                let Some(fields) = form_fields(ev.target()) else { return };
                let all = merged(fields);
                values.set(all.clone());
                if nav == "save" {
                    // A server draft, so the resume link works on another device too.
                    let mut form = all;
                    form.push(("submission_key".into(), submission_key.clone()));
                    let (slug, navigate) = (definition.slug.clone(), navigate.clone());
                    leptos::task::spawn_local(async move {
                        match crate::api::save_progress(slug.clone(), super::shared::encode(&form)).await {
                            Ok(()) => navigate(&format!("/s/{slug}/saved"), Default::default()),
                            Err(_) => {
                                let mut problem = canvass::FieldErrors::new();
                                problem.insert("form".into(), vec!["Your answers could not be saved just now; nothing you typed is lost. Try again in a moment.".into()]);
                                errors.try_set(problem);
                                super::shared::focus_summary();
                            }
                        }
                    });
                    return;
                }
                let next = if nav == "back" {
                    errors.set(Default::default());
                    Step::Section(index.saturating_sub(1))
                } else {
                    let found = section_errors(&definition, index, &answers_from_form(&definition, all));
                    if !found.is_empty() {
                        // Every question now counts as visited: leaving one later must not
                        // hide the others' messages.
                        touched.update(|t| t.extend(definition.sections[index].questions.iter().map(|q| q.id.clone())));
                        errors.set(found);
                        super::shared::focus_summary();
                        return;
                    }
                    errors.set(Default::default());
                    Step::after(index, sections)
                };
                navigate(&next.query(), Default::default());
                // A new step starts at the top, as a page load would.
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        };
        (on_change, on_focusout, on_submit, on_pointerdown, on_click)
    };
    #[cfg(not(feature = "hydrate"))]
    let (on_change, on_focusout, on_submit, on_pointerdown, on_click) = {
        let _ = (&navigate, touched, sections);
        (
            |_: leptos::ev::Event| {},
            |_: leptos::ev::FocusEvent| {},
            |_: leptos::ev::SubmitEvent| {},
            |_: leptos::ev::PointerEvent| {},
            |_: leptos::ev::MouseEvent| {},
        )
    };

    let questions = {
        let definition = definition.clone();
        move || {
            let prefill = Prefill::new(values.get());
            section
                .questions
                .iter()
                .map(|q| {
                    let question = q.clone();
                    // Without JavaScript every question shows (its hint says when to answer);
                    // once hydrated, a `show_if` question appears only when it applies.
                    let hidden = move || hydrated.get() && !current.with(|c| asked(&question, c));
                    view! {
                        <div class="ask" hidden=hidden>
                            <QuestionField question=q.clone() definition=definition.clone() errors prefill=prefill.clone()/>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <h2 class="section-title">{definition.sections[index].title.clone()}</h2>
        <ErrorSummary errors definition=definition.clone() on_check_page=false/>
        <form method="post" action=action novalidate=true on:submit=on_submit on:change=on_change on:focusout=on_focusout
            on:pointerdown=on_pointerdown on:click=on_click
            data-hydrated=move || hydrated.get().to_string()>
            <input type="hidden" name=STEP_FIELD value=(index + 1).to_string()/>
            <input type="hidden" name="submission_key" value=submission_key/>
            {questions}
            <div class="step-buttons">
                <button type="submit" name=NAV_FIELD value="continue" class="submit">
                    {if last { "Continue to check your answers" } else { "Continue" }}
                </button>
                {(index > 0).then(|| view! {
                    <button type="submit" name=NAV_FIELD value="back" class="secondary" formnovalidate=true>"Back"</button>
                })}
                <button type="submit" name=NAV_FIELD value="save" class="link-button" formnovalidate=true>
                    "Save and come back later"
                </button>
            </div>
        </form>
    }
}
