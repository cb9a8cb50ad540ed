//! Pieces every step uses: which step the URL names, the progress indicator, the error
//! summary, and the browser-side draft.

use canvass::{Definition, FieldErrors, Question};
use leptos::prelude::*;

use super::Journey;

/// A step of the journey: a section (0-based) or the check-answers page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Section(usize),
    Check,
}

impl Step {
    /// `?step=` as written in URLs: 1-based section numbers, or `check`; `None` for a step
    /// this survey does not have.
    pub fn named(value: Option<&str>, sections: usize) -> Option<Step> {
        match value? {
            "check" => Some(Step::Check),
            n => n.parse::<usize>().ok().filter(|n| (1..=sections).contains(n)).map(|n| Step::Section(n - 1)),
        }
    }

    /// The step a URL names; no step, or one the survey lacks, is the first section.
    pub fn parse(value: Option<&str>, sections: usize) -> Step {
        Step::named(value, sections).unwrap_or(Step::Section(0))
    }

    pub fn query(self) -> String {
        match self {
            Step::Section(i) => format!("?step={}", i + 1),
            Step::Check => "?step=check".into(),
        }
    }

    /// The step after Continue from section `index`.
    pub fn after(index: usize, sections: usize) -> Step {
        if index + 1 < sections {
            Step::Section(index + 1)
        } else {
            Step::Check
        }
    }
}

/// "Section 2 of 5" with a bar, so respondents know how much is left.
#[component]
pub fn Progress(step: Memo<Step>, sections: usize) -> impl IntoView {
    let label = move || match step.get() {
        Step::Section(i) => format!("Section {} of {sections}", i + 1),
        Step::Check => "Check your answers before you submit".to_string(),
    };
    let done = move || match step.get() {
        Step::Section(i) => i + 1,
        Step::Check => sections + 1,
    };
    view! {
        <div class="progress">
            <p class="progress-text" data-testid="progress">{label}</p>
            <progress max=(sections + 1).to_string() value=move || done().to_string() aria-label=label></progress>
        </div>
    }
}

/// The list of problems at the top of a step, in question order; each links to its field
/// (on the check page, to the field on its section's page).
#[component]
pub fn ErrorSummary(errors: RwSignal<FieldErrors>, definition: Definition, on_check_page: bool) -> impl IntoView {
    move || {
        let mut list: Vec<(String, Vec<String>)> = errors.get().into_iter().collect();
        let order: Vec<&str> = definition.questions().map(|q| q.id.as_str()).collect();
        list.sort_by_key(|(field, _)| order.iter().position(|id| id == field).unwrap_or(usize::MAX));
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .flat_map(|(field, messages)| {
                    let anchor = format!("#{}", crate::fields::field_anchor(&field));
                    let href = match definition.section_of_field(&field) {
                        Some(section) if on_check_page => format!("{}{anchor}", Step::Section(section).query()),
                        _ => anchor,
                    };
                    messages.into_iter().map(move |m| view! { <li><a href=href.clone()>{m}</a></li> })
                })
                .collect_view();
            view! {
                <div class="error-summary" id="error-summary" role="alert" tabindex="-1">
                    <h2>"There is a problem"</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

/// Whether a question is asked given the answers so far as form fields: its `show_if`
/// answer is among them. (The server's rule, `canvass::is_shown`, decides what is kept.)
pub fn asked(question: &Question, fields: &[(String, String)]) -> bool {
    question.show_if.as_ref().is_none_or(|c| fields.iter().any(|(k, v)| *k == c.question && *v == c.equals))
}

#[cfg(feature = "hydrate")]
pub fn focus_summary() {
    use leptos::wasm_bindgen::JsCast;
    // Let the summary render first, then move focus (and screen readers) to it.
    leptos::task::spawn_local(async {
        if let Some(el) = document().get_element_by_id("error-summary").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// The form fields as a urlencoded string (the format of posts and of the stored draft).
pub fn encode(fields: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

pub fn decode(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[cfg(feature = "hydrate")]
fn storage_key(definition: &Definition) -> String {
    format!("canvass-draft-{}-v{}", definition.slug, definition.version)
}

/// Writes the answers so far to localStorage, so a reload or a crash loses nothing.
#[allow(unused_variables)]
pub fn remember(definition: &Definition, fields: &[(String, String)]) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(&storage_key(definition), &encode(fields));
    }
}

/// Forgets the browser draft (after a successful submit).
#[allow(unused_variables)]
pub fn forget(definition: &Definition) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.remove_item(&storage_key(definition));
    }
}

/// In the browser: when the server knew no answers (no draft cookie), restore the ones
/// kept in localStorage; then keep localStorage in step with every change.
#[allow(unused_variables)]
pub(crate) fn draft_store(journey: &Journey) {
    #[cfg(feature = "hydrate")]
    {
        let (definition, values) = (journey.definition.clone(), journey.values);
        Effect::new(move |first: Option<()>| {
            let current = values.get();
            if first.is_none() && current.is_empty() {
                if let Ok(Some(storage)) = window().local_storage() {
                    if let Ok(Some(saved)) = storage.get_item(&storage_key(&definition)) {
                        let restored = decode(&saved);
                        if !restored.is_empty() {
                            values.set(restored);
                            return;
                        }
                    }
                }
            }
            remember(&definition, &current);
        });
    }
}
