//! The questionnaire's island: the only code a respondent's browser downloads for the
//! survey. It wraps the server-rendered step and never re-renders it; it listens to the
//! form inside and works on the page's own elements (see `browser`).

use canvass::Definition;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The few words the island writes itself, in the page's language: the server's
/// catalogue sends them along rather than the browser carrying one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepWords {
    /// "Error:", before the title of a page showing problems.
    pub error_prefix: String,
    /// The post could not be sent (no connection).
    pub not_sent: String,
    /// The server refused without saying why in a page of its own.
    pub server_busy: String,
}

impl StepWords {
    /// The words in the language of the page being rendered.
    pub fn current() -> StepWords {
        use crate::words::t;
        StepWords { error_prefix: t("error-prefix"), not_sent: t("not-sent"), server_busy: t("server-busy") }
    }
}

/// Around one step (a section, or "Check your answers"). `section` is the section shown,
/// `None` on the check page; `values` are the answers the server rendered the step with.
#[island]
pub fn StepForm(definition: Definition, section: Option<usize>, values: Vec<(String, String)>, words: StepWords, children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    let (on_submit, on_change, on_focusout, on_pointerdown, on_click) = super::browser::handlers(definition, section, values, words, root);
    // On the server the island only renders its wrapper; the handlers run in the browser.
    #[cfg(not(feature = "hydrate"))]
    let (on_submit, on_change, on_focusout, on_pointerdown, on_click) = {
        let _ = (definition, section, values, words);
        (
            |_: leptos::ev::SubmitEvent| {},
            |_: leptos::ev::Event| {},
            |_: leptos::ev::FocusEvent| {},
            |_: leptos::ev::PointerEvent| {},
            |_: leptos::ev::MouseEvent| {},
        )
    };
    view! {
        <div class="journey" node_ref=root on:submit=on_submit on:change=on_change on:focusout=on_focusout
            on:pointerdown=on_pointerdown on:click=on_click>
            {children()}
        </div>
    }
}
