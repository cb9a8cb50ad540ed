//! `/admin/new` and `/admin/surveys/{slug}/edit`: a survey's definition as TOML text.
//!
//! A plain form posting to the server (`server::routes::editor`), so it works without
//! JavaScript: Save draft (kept on the server, problems and all), Check and preview, and
//! Publish, which first shows what changed against the live version, wording apart from
//! structure, and asks to confirm. With JavaScript a lazy island checks the text as it is
//! typed, by the same core rules compiled to WebAssembly, lists every problem with its line
//! and column, previews the respondent's pages with the survey's own components, and
//! offers an upload button. Its code is fetched on this page only.

use canvass::located::Problem;
// The form's fields: the server's route (`routes::editor`) reads them by the same names.
use canvass::pages::{EditorEcho, PendingChanges};
use canvass::web::{ACTION_FIELD, BASE_FIELD, EDITING_FIELD, SOURCE_FIELD};
use canvass::Definition;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{refused, AdminBar};
use crate::admin_api::{admin_editor, AdminView, EditorView};
use crate::fields::{Prefill, QuestionField};

/// The textarea's id: the island finds it by this.
const TEXT_ID: &str = "definition";
/// The line numbers' id: the island renumbers them as lines are typed.
const LINES_ID: &str = "definition-lines";
/// Lines the textarea holds beyond the text's, to type into before it needs to grow.
const SPARE_LINES: usize = 8;

/// The numbers beside a text of `lines` lines (and its spare lines), one a line.
fn line_numbers(lines: usize) -> String {
    (1..=lines + SPARE_LINES).map(|n| n.to_string()).collect::<Vec<_>>().join("\n")
}

/// How many lines the textarea shows: all of the text's and some spare, so it never
/// scrolls apart from its line numbers (the two scroll together in one box).
fn rows_for(lines: usize) -> usize {
    (lines + SPARE_LINES).max(20)
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = params.read_untracked().get("slug");
    let copy = query.read_untracked().get("copy");
    let draft = query.read_untracked().get("draft");
    let editor = Resource::new(move || (slug.clone(), copy.clone(), draft.clone()), |(slug, copy, draft)| admin_editor(slug, copy, draft));
    let echo = use_context::<EditorEcho>();
    view! {
        <Suspense fallback=|| view! { <p>"Loading the editor…"</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match editor.await {
                        Ok(AdminView::Shown(view)) => view! { <Editor view echo/> }.into_any(),
                        Ok(other) => refused(other),
                        Err(_) => view! { <crate::LoadFailed heading="The editor could not be loaded"/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Editor(view: EditorView, echo: Option<EditorEcho>) -> impl IntoView {
    let EditorView { email, slug, title, source, base_version, draft_saved_at, surveys } = view;
    let (source, base_version, problems, notice, pending) = match echo {
        Some(e) => (e.source, e.base_version, e.problems, e.notice, e.pending),
        None => (
            source,
            base_version,
            Vec::new(),
            draft_saved_at.map(|at| format!("This is your draft, saved {at}. The live version is unchanged until you publish.")),
            None,
        ),
    };
    let heading = match &title {
        Some(title) => format!("Edit “{title}”"),
        None => "New survey".to_string(),
    };
    let page_title = if problems.is_empty() { format!("{heading} – Canvass organisers") } else { format!("Error: {heading} – Canvass organisers") };
    let back = match &slug {
        Some(slug) => view! {
            <p>
                <a href=format!("/admin/surveys/{slug}")>"Back to the survey"</a>
                " · "
                <a href=format!("/admin/surveys/{slug}/build") data-testid="builder-link">"Build it with forms instead"</a>
            </p>
        }
        .into_any(),
        None => view! { <p><a href="/admin">"All surveys"</a></p> }.into_any(),
    };
    // The server-rendered preview of what was last checked (without JavaScript).
    let preview = canvass::parse_definition("definition", &source).ok();
    let editing = slug.clone().unwrap_or_default();
    let lines = source.lines().count().max(1);
    view! {
        <crate::escaped::PageTitle text=page_title/>
        <AdminBar email/>
        {back}
        <h1>{heading}</h1>
        {slug.is_none().then(|| view! { <StartFrom surveys/> })}
        {notice.map(|n| view! { <p class="notice" role="status" data-testid="editor-notice">{n}</p> })}
        {(!problems.is_empty()).then(|| view! { <Problems problems=problems.clone()/> })}
        {pending.map(|p| view! { <Confirm pending=p source=source.clone() editing=editing.clone() base_version/> })}
        <form method="post" action="/admin/editor" class="editor" novalidate=true>
            <input type="hidden" name=EDITING_FIELD value=editing.clone()/>
            <input type="hidden" name=BASE_FIELD value=base_version.to_string()/>
            <label for=TEXT_ID class="label">"Definition"</label>
            <p class="hint" id="definition-hint">
                "The survey as TOML, the same text as a definition file: "
                <code>"canvass check"</code>" runs the same rules. Nothing changes for respondents until you publish."
            </p>
            <div class="numbered-text" data-testid="numbered-text">
                <pre class="line-numbers" id=LINES_ID aria-hidden="true">{line_numbers(rows_for(lines) - SPARE_LINES)}</pre>
                <textarea id=TEXT_ID name=SOURCE_FIELD rows=rows_for(lines).to_string() wrap="off" spellcheck="false" autocapitalize="off"
                    aria-describedby="definition-hint" data-testid="definition">{crate::escaped::textarea_text(source.clone())}</textarea>
            </div>
            <div class="step-buttons">
                <button type="submit" name=ACTION_FIELD value="publish" class="submit">"Publish…"</button>
                <button type="submit" name=ACTION_FIELD value="save" class="secondary">"Save draft"</button>
                <button type="submit" name=ACTION_FIELD value="check" class="secondary">"Check and preview"</button>
            </div>
        </form>
        <LiveCheck initial=source/>
        <noscript>{preview.map(|definition| view! { <DefinitionPreview definition/> })}</noscript>
    }
}

/// For a new survey: a blank template, or a copy of a survey there is.
#[component]
fn StartFrom(surveys: Vec<(String, String)>) -> impl IntoView {
    view! {
        <nav class="start-from" aria-label="Start from">
            <p>"Start from the blank template below, or a copy of "
                {surveys.into_iter().map(|(slug, title)| view! {
                    <a href=format!("/admin/new?copy={slug}")>{title}</a>" "
                }).collect_view()}
            </p>
        </nav>
    }
}

/// Every problem, with its line and column (GOV.UK error summary).
#[component]
fn Problems(problems: Vec<Problem>) -> impl IntoView {
    view! {
        <div class="error-summary" id="error-summary" role="alert" tabindex="-1" data-testid="editor-problems">
            <h2>{match problems.len() { 1 => "There is a problem".to_string(), n => format!("There are {n} problems") }}</h2>
            <ul>{problems.into_iter().map(|p| view! { <li>{p.to_line()}</li> }).collect_view()}</ul>
        </div>
    }
}

/// What publishing would change, and the button that does it.
#[component]
fn Confirm(pending: PendingChanges, source: String, editing: String, base_version: u32) -> impl IntoView {
    let PendingChanges { version, wording, structure, going_public } = pending;
    let (heading, button) = if going_public.is_some() {
        ("Publish this survey?".to_string(), "Publish the survey".to_string())
    } else {
        (format!("Publish version {version}?"), format!("Publish version {version}"))
    };
    let list = |title: &'static str, items: Vec<String>| {
        (!items.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul>{items.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            }
        })
    };
    let structural = !structure.is_empty();
    view! {
        <section class="confirm" aria-labelledby="confirm-heading" data-testid="publish-changes">
            <h2 id="confirm-heading">{heading}</h2>
            {going_public.map(|said| view! { <p data-testid="going-public">{said}</p> })}
            {list("Wording changes", wording)}
            {list("Structural changes", structure)}
            {structural.then(|| view! {
                <p>"Structural changes alter what later respondents are asked. Answers already given keep the version they answered and stay in the export."</p>
            })}
            <form method="post" action="/admin/editor">
                <input type="hidden" name=EDITING_FIELD value=editing/>
                <input type="hidden" name=BASE_FIELD value=base_version.to_string()/>
                <input type="hidden" name=SOURCE_FIELD value=source/>
                <button type="submit" name=ACTION_FIELD value="confirm" class="submit">{button}</button>
            </form>
        </section>
    }
}

/// The respondent's pages as the definition stands, drawn by the survey's own field
/// components, in a box that says it saves nothing.
#[component]
pub fn DefinitionPreview(definition: Definition) -> impl IntoView {
    let sections = definition.sections.len();
    view! {
        <section class="preview" aria-label="Preview" data-testid="preview">
            <p class="preview-banner">"Preview — answers are not saved"</p>
            <h2>{definition.title.clone()}</h2>
            {definition.sections.iter().enumerate().map(|(i, section)| view! {
                <h3>{format!("Section {} of {sections}: {}", i + 1, section.title)}</h3>
                {section.questions.iter().map(|q| view! {
                    <div class="ask"><QuestionField question=q.clone() definition=definition.clone() error=None prefill=Prefill::default()/></div>
                }).collect_view()}
            }).collect_view()}
        </section>
    }
}

/// One section of `definition` as its respondents will see it in `lang`, drawn by the
/// survey's own field components: the survey builder's preview (a plain server page, so
/// it is rendered here as HTML).
#[cfg(feature = "ssr")]
pub fn section_preview_html(definition: &Definition, section: usize, lang: canvass::Lang) -> Option<String> {
    let localized = canvass::translation::localized(definition, lang.code());
    let part = localized.sections.get(section)?.clone();
    let owner = Owner::new();
    Some(owner.with(|| {
        provide_context(canvass::words::PageLanguage { lang, offered: vec![lang], ..Default::default() });
        view! {
            <div class="preview" lang=lang.html() data-testid="preview">
                <p class="preview-banner">"Preview — answers are not saved"</p>
                <h2>{part.title.clone()}</h2>
                {part.questions.iter().map(|q| view! {
                    <div class="ask"><QuestionField question=q.clone() definition=localized.clone() error=None prefill=Prefill::default()/></div>
                }).collect_view()}
            </div>
        }
        .to_html()
    }))
}

/// Checks the text as it is typed and redraws the problems and the preview; an upload
/// button puts a file's text in the editor. Hidden until it runs.
#[island(lazy)]
fn LiveCheck(initial: String) -> impl IntoView {
    let text = RwSignal::new(initial);
    let ready = RwSignal::new(false);
    // What autosave last did, read out politely ("Draft saved at 14:05 GMT").
    let saved = RwSignal::new(String::new());
    Effect::new(move |_| ready.set(true));
    #[cfg(feature = "hydrate")]
    browser::follow_textarea(text, saved);
    let checked = Memo::new(move |_| {
        text.with(|t| match canvass::parse_definition("definition", t) {
            Ok(definition) => Ok(definition),
            Err(e) => Err(canvass::located::locate(t, &e.problems)),
        })
    });
    let on_upload = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::upload(_ev, text);
    };
    view! {
        <div class="live-check" hidden=move || !ready.get()>
            <p class="upload">
                <label for="upload" class="label">"Upload a definition file"</label>
                <span class="hint">"Its text replaces what is in the editor; nothing is published until you press Publish."</span><br/>
                <input type="file" id="upload" accept=".toml,text/plain" on:change=on_upload data-testid="upload"/>
            </p>
            <p class="hint" aria-live="polite" data-testid="autosave">{move || saved.get()}</p>
            <div aria-live="polite" data-testid="live-check">
                {move || match checked.get() {
                    Ok(definition) => {
                        // Valid, and a draft may be kept so; what publishing still needs is said apart.
                        let before_publishing = canvass::data_protection::publish_problems(&definition);
                        if before_publishing.is_empty() {
                            view! { <p class="checked-ok">"No problems found."</p> }.into_any()
                        } else {
                            view! {
                                <div class="lint" data-testid="before-publishing">
                                    <h2>"Before you publish"</h2>
                                    <ul>{before_publishing.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                </div>
                            }.into_any()
                        }
                    }
                    Err(problems) => view! {
                        <div class="lint">
                            <h2>{match problems.len() { 1 => "1 problem".to_string(), n => format!("{n} problems") }}</h2>
                            <ul>{problems.into_iter().map(|p| view! { <li>{p.to_line()}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any(),
                }}
            </div>
            {move || checked.get().ok().map(|definition| view! { <DefinitionPreview definition/> })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};

    /// How long typing must pause before the text is saved as a draft.
    const AUTOSAVE_AFTER_MS: i32 = 1500;

    /// Feeds the textarea's text into `text` as it is typed, and saves it as the survey's
    /// draft on the server once typing pauses: a closed tab or a crash loses nothing.
    pub fn follow_textarea(text: RwSignal<String>, saved: RwSignal<String>) {
        Effect::new(move |_| {
            let Some(area) = textarea() else { return };
            let reader = area.clone();
            let typed = std::rc::Rc::new(std::cell::Cell::new(0u32));
            let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                renumber(&reader);
                text.set(reader.value());
                let generation = typed.get() + 1;
                typed.set(generation);
                let typed = typed.clone();
                let later = Closure::once_into_js(move || {
                    if typed.get() == generation {
                        leptos::task::spawn_local(autosave(saved));
                    }
                });
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), AUTOSAVE_AFTER_MS);
                }
            });
            let _ = area.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
            on_input.forget();
        });
    }

    /// Posts the editor's form as a draft (`action=autosave`); says what happened.
    async fn autosave(saved: RwSignal<String>) {
        use wasm_bindgen_futures::JsFuture;
        let Some(form) = textarea().and_then(|a| a.form()) else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else { return };
        let _ = data.set_with_str(super::ACTION_FIELD, "autosave");
        let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else { return };
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        if let Ok(headers) = web_sys::Headers::new() {
            let _ = headers.set("Content-Type", "application/x-www-form-urlencoded");
            init.set_headers(&headers);
        }
        init.set_body(&params.to_string().into());
        let Some(window) = web_sys::window() else { return };
        let answer = JsFuture::from(window.fetch_with_str_and_init("/admin/editor", &init)).await;
        let response = answer.ok().and_then(|r| r.dyn_into::<web_sys::Response>().ok());
        let text = match &response {
            Some(r) => match r.text() {
                Ok(body) => JsFuture::from(body).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
                Err(_) => String::new(),
            },
            None => String::new(),
        };
        // The server answers autosave in a plain sentence; anything else (a sign-in page
        // after the session ended) is not read out as it is.
        let plain = response.as_ref().and_then(|r| r.headers().get("content-type").ok().flatten()).is_some_and(|t| t.starts_with("text/plain"));
        saved.set(match response {
            Some(_) if plain && !text.is_empty() => text,
            Some(r) if r.status() == 401 || r.status() == 403 => {
                "Not saved: you are signed out. Sign in again in another tab, then press Save draft here.".into()
            }
            _ => "Not saved: the server could not be reached. Keep this tab open and press Save draft when you are back online.".into(),
        });
    }

    /// Grows the textarea to its text and numbers every line, so the numbers stay beside
    /// the lines they count.
    fn renumber(area: &web_sys::HtmlTextAreaElement) {
        let lines = area.value().lines().count().max(1) + usize::from(area.value().ends_with('\n'));
        let rows = super::rows_for(lines);
        if area.rows() as usize != rows {
            area.set_rows(rows as u32);
            if let Some(numbers) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(super::LINES_ID)) {
                numbers.set_text_content(Some(&super::line_numbers(rows - super::SPARE_LINES)));
            }
        }
    }

    fn textarea() -> Option<web_sys::HtmlTextAreaElement> {
        web_sys::window()?.document()?.get_element_by_id(super::TEXT_ID)?.dyn_into().ok()
    }

    /// Reads the chosen file into the textarea, as if typed.
    pub fn upload(event: leptos::ev::Event, text: RwSignal<String>) {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        leptos::task::spawn_local(async move {
            if let Ok(content) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                let content = content.as_string().unwrap_or_default();
                if let Some(area) = textarea() {
                    area.set_value(&content);
                    renumber(&area);
                }
                text.set(content);
            }
        });
    }
}
