//! One component per question kind, with a label or legend, hint, error message and the
//! inputs, prefilled from a refused submission so nothing typed is lost.

use std::sync::Arc;

use canvass::{Definition, Kind, Question};
use leptos::prelude::*;

use crate::words::{t, t_with};

/// The id of the element an error links to: the question's fieldset or input.
pub fn field_anchor(question: &str) -> String {
    format!("q-{question}")
}

/// Values from a refused submission, by form field name.
#[derive(Clone, Default)]
pub struct Prefill(Arc<Vec<(String, String)>>);

impl Prefill {
    pub fn new(values: Vec<(String, String)>) -> Self {
        Self(Arc::new(values))
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    fn value(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

#[component]
pub fn QuestionField(
    question: Question,
    definition: Definition,
    /// This question's message, if its answer was refused.
    error: Option<String>,
    prefill: Prefill,
) -> impl IntoView {
    let frame = Frame::new(&question, &definition, error);
    let p = &prefill;
    match question.kind {
        Kind::Single { options } => choices(frame, "radio", options, p),
        Kind::Multiple { options, .. } => choices(frame, "checkbox", options, p),
        Kind::Matrix { rows, columns } => matrix(frame, rows, columns, p),
        Kind::Consent { .. } => consent(frame, p),
        Kind::Text { max_length } => {
            let input = view! {
                <textarea id=frame.anchor.clone() name=frame.id.clone() rows="5" maxlength=max_length.to_string()
                    aria-describedby=frame.described_by.clone()>{crate::escaped::textarea_text(p.value(&frame.id))}</textarea>
            };
            labelled(frame, input.into_any())
        }
        Kind::Number { .. } => {
            let input = view! {
                <input type="text" inputmode="numeric" id=frame.anchor.clone() name=frame.id.clone() value=p.value(&frame.id)
                    class="number" aria-describedby=frame.described_by.clone()/>
            };
            labelled(frame, input.into_any())
        }
        Kind::Email => {
            let input = view! {
                <input type="email" id=frame.anchor.clone() name=frame.id.clone() value=p.value(&frame.id) autocomplete="email"
                    spellcheck="false" aria-describedby=frame.described_by.clone()/>
            };
            labelled(frame, input.into_any())
        }
    }
}

/// What every kind of question shows around its inputs: its text, whether it is required,
/// its hint (with the condition it is asked on) and the error message, with the ids that
/// tie them to the inputs for screen readers.
struct Frame {
    id: String,
    anchor: String,
    described_by: String,
    has_error: bool,
    text: String,
    error: AnyView,
    required: AnyView,
    hint: AnyView,
}

impl Frame {
    fn new(question: &Question, definition: &Definition, error: Option<String>) -> Self {
        let id = question.id.clone();
        let anchor = field_anchor(&id);
        let error_id = format!("{anchor}-error");
        let hint_id = format!("{anchor}-hint");
        let condition = question.show_if.as_ref().map(|c| {
            let (asked, answer) = definition
                .question(&c.question)
                .map(|q| {
                    let label = q.kind.options().and_then(|o| canvass::Choice::find(o, &c.equals)).map(|o| o.label.clone());
                    (q.text.clone(), label.unwrap_or_else(|| c.equals.clone()))
                })
                .unwrap_or_default();
            t_with("answer-only-if", &[("answer", answer.into()), ("question", asked.into())])
        });
        let hint = [condition, question.hint.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let described_by = format!("{hint_id} {error_id}");
        // Always in the page, hidden while empty: the island writes its instant messages
        // into the same element the server would have rendered.
        let has_error = error.is_some();
        let error = view! {
            <p class="field-error" id=error_id hidden=!has_error>
                <span class="visually-hidden">{t("error-prefix")}" "</span><span class="message">{error}</span>
            </p>
        };
        let required = question.required.then(|| view! { <span class="required">" "{t("required")}</span> });
        let hint = (!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> });
        Frame {
            id,
            anchor,
            described_by,
            has_error,
            text: question.text.clone(),
            error: error.into_any(),
            required: required.into_any(),
            hint: hint.into_any(),
        }
    }
}

/// Radios (single choice) or tick boxes (multiple choice) in a fieldset.
fn choices(frame: Frame, input_type: &'static str, options: Vec<canvass::Choice>, p: &Prefill) -> AnyView {
    let Frame { id, anchor, described_by, has_error, text, error, required, hint } = frame;
    view! {
        <fieldset class="question" class:has-error=has_error id=anchor.clone() aria-describedby=described_by>
            <legend>{text}{required}</legend>
            {hint}
            {error}
            <div class="choices">
                {options.into_iter().map(|o| {
                    let input_id = format!("{anchor}-{}", o.code);
                    view! {
                        <div class="choice">
                            <input type=input_type id=input_id.clone() name=id.clone() value=o.code.clone()
                                checked=p.has(&id, &o.code)/>
                            <label for=input_id>{o.label.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
    .into_any()
}

/// One fieldset per row, with native radios and visible labels: screen readers announce
/// "Twitter/X, group" then each choice, and on a narrow screen each row is simply a
/// question of its own (no table to scroll sideways).
fn matrix(frame: Frame, rows: Vec<canvass::Choice>, columns: Vec<canvass::Choice>, p: &Prefill) -> AnyView {
    let Frame { id, anchor, described_by, has_error, text, error, required, hint } = frame;
    view! {
        <fieldset class="question matrix" class:has-error=has_error id=anchor.clone() aria-describedby=described_by>
            <legend>{text}{required}</legend>
            {hint}
            {error}
            {rows.into_iter().map(|r| {
                let name = format!("{id}.{}", r.code);
                // With a message, the rows it names (those left out) are marked.
                let missing = has_error && !columns.iter().any(|c| p.has(&name, &c.code));
                view! {
                    <fieldset class="matrix-row" class:missing=missing data-row=r.code.clone()>
                        <legend>{r.label.clone()}{missing.then(|| view! { <span class="row-missing">{format!(" – {}", t("row-not-answered"))}</span> })}</legend>
                        <div class="choices">
                            {columns.iter().map(|c| {
                                let input_id = format!("{anchor}-{}-{}", r.code, c.code);
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=input_id.clone() name=name.clone() value=c.code.clone()
                                            aria-label=format!("{}: {}", r.label, c.label)
                                            checked=p.has(&name, &c.code)/>
                                        <label for=input_id>{c.label.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// A tick box whose label is the question.
fn consent(frame: Frame, p: &Prefill) -> AnyView {
    let Frame { id, anchor, described_by, has_error, text, error, required, .. } = frame;
    view! {
        <div class="question consent" class:has-error=has_error>
            {error}
            <div class="choice">
                <input type="checkbox" id=anchor.clone() name=id.clone() value="yes" checked=p.has(&id, "yes")
                    aria-describedby=described_by/>
                <label for=anchor>{text}{required}</label>
            </div>
        </div>
    }
    .into_any()
}

/// A text, number or email input under a label.
fn labelled(frame: Frame, input: AnyView) -> AnyView {
    let Frame { anchor, has_error, text, error, required, hint, .. } = frame;
    view! {
        <div class="question" class:has-error=has_error>
            <label for=anchor class="question-label">{text}{required}</label>
            {hint}
            {error}
            {input}
        </div>
    }
    .into_any()
}
