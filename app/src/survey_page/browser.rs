//! What the questionnaire's island does in the browser, on the server-rendered page.
//!
//! - Checks a field when the respondent leaves it, and the whole section on Continue,
//!   with the core's `section_errors`: the server's rules and words.
//! - Shows a `show_if` question only while it applies.
//! - Keeps the answers in localStorage as they are given, and puts them back after a
//!   reload.
//! - Sends each step's post with `fetch` and puts the page the server answers with in
//!   place of this one: the same post, the same redirects, no reload.
//!
//! It writes messages into the elements the server renders for them (hidden while
//! empty), so the markup has one source.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use canvass::{answers_from_form, replace_section_fields, section_errors, Definition, FieldErrors};
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement};

use super::shared::{asked, is_answer_field, problems_in_order, titled, SUMMARY_ID};
use super::SUBMISSION_KEY_FIELD as KEY_FIELD;
use crate::fields::field_anchor;
use canvass::web::{decode, encode};

struct Stepper {
    definition: Definition,
    /// The section shown; `None` on the check page.
    section: Option<usize>,
    /// The answers the server rendered the step with.
    before: Vec<(String, String)>,
    words: super::island::StepWords,
    root: NodeRef<leptos::html::Div>,
    /// Questions the respondent has left at least once: only these get instant messages.
    touched: RefCell<BTreeSet<String>>,
    /// A message inserted above the field just left would move what the pointer is
    /// pressing on; while a pointer is down the check waits for the click to finish.
    pressing: Cell<bool>,
    pending: RefCell<Option<FieldErrors>>,
    sending: Cell<bool>,
}

/// The island's event handlers, and the work it does once hydrated.
#[allow(clippy::type_complexity)] // Closures have no name but `impl Trait`, which a type alias cannot hold on stable Rust.
pub fn handlers(
    definition: Definition,
    section: Option<usize>,
    before: Vec<(String, String)>,
    words: super::island::StepWords,
    root: NodeRef<leptos::html::Div>,
) -> (
    impl FnMut(leptos::ev::SubmitEvent) + 'static,
    impl FnMut(leptos::ev::Event) + 'static,
    impl FnMut(leptos::ev::FocusEvent) + 'static,
    impl FnMut(leptos::ev::PointerEvent) + 'static,
    impl FnMut(leptos::ev::MouseEvent) + 'static,
) {
    let s = Rc::new(Stepper {
        definition,
        section,
        before,
        words,
        root,
        touched: RefCell::default(),
        pressing: Cell::new(false),
        pending: RefCell::default(),
        sending: Cell::new(false),
    });
    let start = s.clone();
    root.on_load(move |_| start.start());
    let (a, b, c, d) = (s.clone(), s.clone(), s.clone(), s.clone());
    (
        move |ev| a.submit(ev),
        move |_| b.changed(),
        move |ev| c.left(ev),
        move |_| d.pressing.set(true),
        move |ev| {
            s.pressing.set(false);
            if let Some(shown) = s.pending.borrow_mut().take() {
                s.show(&shown);
            }
            follow(ev);
        },
    )
}

impl Stepper {
    fn form(&self) -> Option<HtmlFormElement> {
        self.root.get_untracked()?.query_selector("form").ok()??.dyn_into().ok()
    }

    /// The form's answer fields as they stand (no hidden step fields).
    fn posted(&self) -> Vec<(String, String)> {
        let Some(form) = self.form() else { return Vec::new() };
        form_pairs(&form).into_iter().filter(|(k, _)| is_answer_field(k)).collect()
    }

    /// Every answer so far: the server's, with this section's as the form has them now.
    fn answers(&self) -> Vec<(String, String)> {
        let mut all = self.before.clone();
        if let Some(index) = self.section {
            replace_section_fields(&self.definition, index, &mut all, self.posted());
        }
        all
    }

    fn start(&self) {
        let Some(form) = self.form() else { return };
        self.restore(&form);
        self.changed();
        // Browser Back and Forward: the server renders the step the address names.
        let reload = Closure::<dyn FnMut()>::new(|| {
            let _ = window().location().reload();
        });
        window().set_onpopstate(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        let _ = form.set_attribute("data-hydrated", "true");
    }

    fn changed(&self) {
        let answers = self.answers();
        self.remember(&answers);
        let Some(index) = self.section else { return };
        let Some(root) = self.root.get_untracked() else { return };
        for question in self.definition.sections[index].questions.iter().filter(|q| q.show_if.is_some()) {
            if let Ok(Some(ask)) = root.query_selector(&format!("[data-question=\"{}\"]", question.id)) {
                let _ = ask.toggle_attribute_with_force("hidden", !asked(question, &answers));
            }
        }
    }

    /// A field lost focus: check the questions left so far, and show their messages.
    fn left(&self, ev: leptos::ev::FocusEvent) {
        let Some(index) = self.section else { return };
        let element = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
        // Only this section's answer fields: not the buttons, not the error summary.
        let Some(name) = element.as_ref().and_then(|e| e.get_attribute("name")) else { return };
        if self.definition.section_of_field(&name) != Some(index) {
            return;
        }
        // Moving between the inputs of one question (the rows of a matrix) is not leaving it.
        let question_of = |e: Option<Element>| e.and_then(|e| e.closest(".ask").ok().flatten());
        let next = ev.related_target().and_then(|t| t.dyn_into::<Element>().ok());
        if let (Some(from), Some(to)) = (question_of(element), question_of(next)) {
            if from.is_same_node(Some(&to)) {
                return;
            }
        }
        let question = name.split_once('.').map_or(name.as_str(), |(q, _)| q).to_string();
        self.touched.borrow_mut().insert(question);
        let found = section_errors(&self.definition, index, &answers_from_form(&self.definition, self.answers()));
        let touched = self.touched.borrow();
        let shown: FieldErrors = found.into_iter().filter(|(id, _)| touched.contains(id)).collect();
        if self.pressing.get() {
            *self.pending.borrow_mut() = Some(shown);
        } else {
            self.show(&shown);
        }
    }

    fn submit(self: &Rc<Self>, ev: leptos::ev::SubmitEvent) {
        let button = ev.submitter().and_then(|b| b.dyn_into::<HtmlElement>().ok());
        let nav = button.as_ref().and_then(|b| b.get_attribute("value")).unwrap_or_else(|| "continue".into());
        // The language switch: the browser posts the form itself and loads the step in the
        // other language as a whole page (its `<html lang>` and every word change).
        if nav.starts_with(canvass::web::SWITCH_NAV_PREFIX) {
            return;
        }
        ev.prevent_default();
        if self.sending.get() {
            return;
        }
        let Some(form) = self.form() else { return };
        if let (Some(index), "continue") = (self.section, nav.as_str()) {
            let found = section_errors(&self.definition, index, &answers_from_form(&self.definition, self.answers()));
            if !found.is_empty() {
                // Every question now counts as visited: leaving one later must not hide
                // the others' messages.
                self.touched.borrow_mut().extend(self.definition.sections[index].questions.iter().map(|q| q.id.clone()));
                self.show(&found);
                focus_summary();
                return;
            }
        }
        let mut body = form_pairs(&form);
        body.push((super::NAV_FIELD.into(), nav));
        let action = form.action();
        self.sending.set(true);
        if let Some(button) = &button {
            let _ = button.set_attribute("disabled", "");
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let refused = match fetch_page(&action, Some(&encode(&body))).await {
                Ok(page) => match page.refusal(&this.words.server_busy) {
                    Some(problem) => problem,
                    None => {
                        // Stored: the results page. (A slug may itself contain "results".)
                        if page.url.split(['?', '#']).next().is_some_and(|path| path.ends_with("/results")) {
                            this.forget();
                        }
                        return page.show();
                    }
                },
                Err(_) => this.words.not_sent.clone(),
            };
            this.sending.set(false);
            if let Some(button) = &button {
                let _ = button.remove_attribute("disabled");
            }
            let mut problem = FieldErrors::new();
            problem.insert("form".into(), vec![refused]);
            this.show(&problem);
            focus_summary();
        });
    }

    /// Writes `errors` into the page: each of this section's questions, and the summary.
    fn show(&self, errors: &FieldErrors) {
        let document = document();
        if let Some(index) = self.section {
            for question in &self.definition.sections[index].questions {
                let Some(error) = document.get_element_by_id(&format!("{}-error", field_anchor(&question.id))) else { continue };
                let message = errors.get(&question.id).map(|m| m.join(" "));
                if let Ok(Some(text)) = error.query_selector(".message") {
                    text.set_text_content(message.as_deref());
                }
                let _ = error.toggle_attribute_with_force("hidden", message.is_none());
                if let Some(parent) = error.parent_element() {
                    let _ = parent.class_list().toggle_with_force("has-error", message.is_some());
                    // A matrix's message lists the rows left out: mark those rows too.
                    if let Ok(rows) = parent.query_selector_all(".matrix-row") {
                        for i in 0..rows.length() {
                            let Some(row) = rows.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
                            let answered = row.query_selector("input:checked").ok().flatten().is_some();
                            let _ = row.class_list().toggle_with_force("missing", message.is_some() && !answered);
                        }
                    }
                }
            }
        }
        let problems = problems_in_order(&self.definition, errors.clone());
        document.set_title(&titled(&document.title(), !problems.is_empty(), &self.words.error_prefix));
        let Some(summary) = document.get_element_by_id(SUMMARY_ID) else { return };
        let Ok(Some(list)) = summary.query_selector("ul") else { return };
        list.set_text_content(None);
        for (field, message) in &problems {
            let (Ok(item), Ok(link)) = (document.create_element("li"), document.create_element("a")) else { continue };
            let _ = link.set_attribute("href", &format!("#{}", field_anchor(field)));
            link.set_text_content(Some(message));
            let _ = item.append_child(&link);
            let _ = list.append_child(&item);
        }
        let _ = summary.toggle_attribute_with_force("hidden", problems.is_empty());
    }

    fn storage_key(&self) -> String {
        format!("canvass-draft-{}-v{}", self.definition.slug, self.definition.version)
    }

    /// Keeps the answers so far, with the response's key, in localStorage.
    fn remember(&self, answers: &[(String, String)]) {
        let Some(key) = self.form().and_then(|f| named(&f, KEY_FIELD)).map(|k| k.value()) else { return };
        let mut kept = answers.to_vec();
        kept.push((KEY_FIELD.into(), key));
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(&self.storage_key(), &encode(&kept));
        }
    }

    fn forget(&self) {
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.remove_item(&self.storage_key());
        }
    }

    /// After a reload or a return: puts this section's answers kept in the browser back
    /// into the form. They are this browser's latest for the same response (same key),
    /// or for a response the server knows nothing of yet (then its key is taken over).
    fn restore(&self, form: &HtmlFormElement) {
        let Some(index) = self.section else { return };
        let Ok(Some(storage)) = window().local_storage() else { return };
        let Ok(Some(saved)) = storage.get_item(&self.storage_key()) else { return };
        let kept = decode(&saved);
        let Some(kept_key) = kept.iter().find(|(k, _)| k == KEY_FIELD).map(|(_, v)| v.clone()) else { return };
        let Some(key_input) = named(form, KEY_FIELD) else { return };
        let ours = kept.iter().any(|(k, _)| self.definition.section_of_field(k) == Some(index));
        if !ours || !(key_input.value() == kept_key || self.before.is_empty()) {
            return;
        }
        key_input.set_value(&kept_key);
        let Ok(fields) = form.query_selector_all("input[name], textarea[name]") else { return };
        for i in 0..fields.length() {
            let Some(node) = fields.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                let name = input.name();
                if self.definition.section_of_field(&name) != Some(index) {
                    continue;
                }
                match input.type_().as_str() {
                    "radio" | "checkbox" => input.set_checked(kept.iter().any(|(k, v)| *k == name && *v == input.value())),
                    _ => input.set_value(kept.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v)),
                }
            } else if let Some(text) = node.dyn_ref::<HtmlTextAreaElement>() {
                let name = text.name();
                if self.definition.section_of_field(&name) == Some(index) {
                    text.set_value(kept.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v));
                }
            }
        }
    }
}

fn named(form: &HtmlFormElement, name: &str) -> Option<HtmlInputElement> {
    form.query_selector(&format!("input[name=\"{name}\"]")).ok()??.dyn_into().ok()
}

/// Every field of the form as the browser would post it.
fn form_pairs(form: &HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = web_sys::FormData::new_with_form(form) else { return Vec::new() };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else { return Vec::new() };
    decode(&String::from(params.to_string()))
}

fn focus_summary() {
    if let Some(summary) = document().get_element_by_id(SUMMARY_ID).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = summary.focus();
    }
}

/// A link to another step (a Change link, or a problem on the check page): the step is
/// fetched and put in place like a post's answer, and the field it names gets focus.
fn follow(ev: leptos::ev::MouseEvent) {
    if ev.default_prevented() || ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    let link = ev.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|e| e.closest("a[href^='?step=']").ok().flatten());
    let Some(link) = link.and_then(|l| l.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return };
    ev.prevent_default();
    let href = link.href();
    leptos::task::spawn_local(async move {
        match fetch_page(&href, None).await {
            Ok(mut page) => {
                // The address as linked, with its #field (a response's URL has none).
                page.url = href;
                page.new_address = true;
                page.show();
            }
            Err(_) => {
                let _ = window().location().assign(&href);
            }
        }
    });
}

/// The page the server answered a request with.
struct Answered {
    url: String,
    /// The page is at another address than the request's (a redirect, a followed link):
    /// it goes into the browser's history.
    new_address: bool,
    /// A 2xx status.
    ok: bool,
    page: web_sys::Document,
}

/// GETs `url`, or POSTs `body` (urlencoded form fields) to it, following redirects.
async fn fetch_page(url: &str, body: Option<&str>) -> Result<Answered, JsValue> {
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new()?;
    headers.set("Accept", "text/html")?;
    if let Some(body) = body {
        init.set_method("POST");
        headers.set("Content-Type", "application/x-www-form-urlencoded")?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await?.dyn_into()?;
    let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    let page = web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    Ok(Answered { url: response.url(), new_address: response.redirected(), ok: response.ok(), page })
}

impl Answered {
    /// Puts the answered page's `<main>` in place of this one's, as a page load would
    /// (address, title, scroll, focus), and hydrates its islands.
    fn show(self) {
        let document = document();
        let (Some(main), Some(answered)) = (document.get_element_by_id("main"), self.page.get_element_by_id("main")) else {
            return self.load();
        };
        main.set_inner_html(&answered.inner_html());
        document.set_title(&self.page.title());
        if self.new_address {
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&self.url));
            }
        }
        window().scroll_to_with_x_and_y(0.0, 0.0);
        hydrate_islands(&main);
        // Screen readers start at the problem, at the field a link named, or at the new
        // step's heading.
        let named = self.url.split_once('#').and_then(|(_, id)| document.get_element_by_id(id));
        let target = main
            .query_selector(&format!("#{SUMMARY_ID}:not([hidden])"))
            .ok()
            .flatten()
            .or(named)
            .or_else(|| main.query_selector("h2.section-title, h1").ok().flatten())
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if let Some(target) = target {
            if !target.has_attribute("tabindex") {
                let _ = target.set_attribute("tabindex", "-1");
            }
            // Focus scrolls the page to the element if it is out of view.
            let _ = target.focus();
        }
    }

    /// A refusal that is not one of the app's pages (a rate limit, a body too large): what
    /// it says, so the step can show it and keep the form. Its first paragraph says what
    /// to do; what follows is for browsers without JavaScript.
    fn refusal(&self, server_busy: &str) -> Option<String> {
        if self.ok || self.page.get_element_by_id("main").is_some() {
            return None;
        }
        let text = |e: Option<Element>| e.and_then(|e| e.text_content()).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        Some(
            text(self.page.query_selector("main p").ok().flatten())
                .or_else(|| text(self.page.body().map(Into::into)))
                .map(|t| t.chars().take(400).collect())
                .unwrap_or_else(|| server_busy.to_string()),
        )
    }

    /// The answer could not be put in place: load its address the ordinary way.
    fn load(self) {
        let _ = window().location().assign(&self.url);
    }
}

/// Hydrates the islands of content put in place after the page loaded, with the function
/// Leptos's island loader leaves on `window` for this.
fn hydrate_islands(container: &Element) {
    let Ok(hydrate) = js_sys::Reflect::get(&window(), &JsValue::from_str("__hydrateIsland")) else { return };
    let Ok(hydrate) = hydrate.dyn_into::<js_sys::Function>() else { return };
    let Ok(islands) = container.query_selector_all("leptos-island") else { return };
    for i in 0..islands.length() {
        let Some(island) = islands.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let id = island.get_attribute("data-component").unwrap_or_default();
        let _ = hydrate.call2(&JsValue::NULL, &island, &JsValue::from_str(&id));
    }
}
