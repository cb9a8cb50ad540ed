//! One section of the survey on its own page, with Continue (and Back after the first).

use leptos::prelude::*;

use super::shared::ErrorSummary;
use super::{Journey, NAV_FIELD, RETURN_FIELD, STEP_FIELD, SUBMISSION_KEY_FIELD};
use crate::fields::{Prefill, QuestionField};
use crate::language_switch::STEP_FORM_ID;
use crate::words::t;

#[component]
pub fn SectionStep(journey: Journey, index: usize, returning: bool) -> impl IntoView {
    let Journey { definition, submission_key, values, errors } = journey;
    let section = definition.sections[index].clone();
    let sections = definition.sections.len();
    let action = format!("/s/{}", definition.slug);
    let last = index + 1 == sections;
    let prefill = Prefill::new(values);
    // Without JavaScript every question shows (its hint says when to answer); the
    // island hides a `show_if` question until it applies, by its `data-question`.
    let questions = section
        .questions
        .iter()
        .map(|q| {
            let error = errors.get(&q.id).map(|messages| messages.join(" "));
            view! {
                <div class="ask" data-question=q.id.clone()>
                    <QuestionField question=q.clone() definition=definition.clone() error prefill=prefill.clone()/>
                </div>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">{section.title.clone()}</h2>
        <ErrorSummary errors definition=definition.clone() on_check_page=false/>
        <form id=STEP_FORM_ID method="post" action=action novalidate=true data-hydrated="false">
            <input type="hidden" name=STEP_FIELD value=(index + 1).to_string()/>
            <input type="hidden" name=SUBMISSION_KEY_FIELD value=submission_key/>
            {returning.then(|| view! { <input type="hidden" name=RETURN_FIELD value="check"/> })}
            {questions}
            <div class="step-buttons">
                <button type="submit" name=NAV_FIELD value="continue" class="submit">
                    {if last || returning { t("continue-to-check") } else { t("continue") }}
                </button>
                {(index > 0 && !returning).then(|| view! {
                    <button type="submit" name=NAV_FIELD value="back" class="secondary" formnovalidate=true>{t("back")}</button>
                })}
                <button type="submit" name=NAV_FIELD value="save" class="link-button" formnovalidate=true>
                    {t("save-later")}
                </button>
            </div>
        </form>
    }
}
