//! The survey builder as an owner uses it without JavaScript: every request here is what
//! a browser sends from the page before it (the forms are read off the pages), and the
//! definition's text is read back to see that each change landed where it belongs.

mod support;

use support::{TestApp, SLUG};

const SURVEY: &str = include_str!("../../surveys/public-sector-social-media.toml");

/// The fields a browser would send from the page's `n`th form: every input (a checkbox
/// only when ticked), textarea and select, with `button` as the button pressed.
fn form_fields(page: &str, n: usize, button: Option<(&str, &str)>) -> Vec<(String, String)> {
    let start = page.match_indices("<form").nth(n).map(|(i, _)| i).expect("the form");
    let form = &page[start..start + page[start..].find("</form>").expect("its end")];
    let attribute = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).map(|at| unescape(&tag[at + key.len()..at + key.len() + tag[at + key.len()..].find('"').unwrap()]))
    };
    let mut fields = Vec::new();
    for (at, _) in form.match_indices("<input") {
        let tag = &form[at..at + form[at..].find('>').unwrap()];
        let Some(name) = attribute(tag, "name") else { continue };
        if attribute(tag, "type").as_deref() == Some("checkbox") && !tag.contains(" checked") {
            continue;
        }
        fields.push((name, attribute(tag, "value").unwrap_or_default()));
    }
    for (at, _) in form.match_indices("<textarea") {
        let tag = &form[at..at + form[at..].find('>').unwrap()];
        let content_at = at + tag.len() + 1;
        let content = &form[content_at..content_at + form[content_at..].find("</textarea>").unwrap()];
        fields.push((attribute(tag, "name").unwrap(), unescape(content)));
    }
    for (at, _) in form.match_indices("<select") {
        let select = &form[at..at + form[at..].find("</select>").unwrap()];
        let tag = &select[..select.find('>').unwrap()];
        let chosen = select.match_indices("<option").map(|(i, _)| &select[i..i + select[i..].find('>').unwrap()]).find(|o| o.contains(" selected"));
        fields.push((attribute(tag, "name").unwrap(), chosen.and_then(|o| attribute(o, "value")).unwrap_or_default()));
    }
    if let Some((name, value)) = button {
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some(field) => field.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let response = app.get_with(path, Some(cookie)).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Posts the fields; a redirect answers with its `Location`.
async fn post(app: &TestApp, cookie: &str, path: &str, fields: &[(String, String)]) -> (u16, String) {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let response = app.post_form(path, &pairs, Some(cookie)).await;
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(response.text().await.unwrap()))
}

/// The survey's draft text, as the text editor would open it.
async fn draft(app: &TestApp) -> String {
    app.service.store().definition_draft(SLUG).await.unwrap().expect("a draft").0
}

fn build_path() -> String {
    format!("/admin/surveys/{SLUG}/build")
}

fn question_path() -> String {
    format!("/admin/surveys/{SLUG}/build/question")
}

#[tokio::test]
async fn the_overview_lists_each_question_with_its_kind_condition_benchmarks_and_welsh() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, page) = get(&app, &cookie, &build_path()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Section 2: Strategy"), "{page}");
    assert!(page.contains("Asked only if “Does your organisation use any paid-for social media tools?” is “Yes”"), "{page}");
    let strategy = &page[page.find("id=\"q-strategy\"").unwrap()..];
    let strategy = &strategy[..strategy.find("</li>").unwrap()];
    for fact in [
        "<dd>One choice</dd>",
        "<dt>Required</dt><dd>Yes</dd>",
        "<dt>Benchmarks</dt>",
        "<dt>Welsh (Cymraeg)</dt><dd>complete</dd>",
        "Move up",
        "Move down",
        "Delete",
    ] {
        assert!(strategy.contains(fact), "{fact} in {strategy}");
    }
    assert!(page.contains("This is version 1 as respondents see it"), "no draft yet");
    // The dashboard and the text editor lead here.
    let (_, dashboard) = get(&app, &cookie, &format!("/admin/surveys/{SLUG}")).await;
    assert!(dashboard.contains(&format!("href=\"/admin/surveys/{SLUG}/build\"")), "the dashboard links to the builder");
}

#[tokio::test]
async fn a_question_is_added_checked_and_saved_into_the_text_with_its_comments_kept() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, page) = get(&app, &cookie, &format!("{}?section=1&after=purposes", question_path())).await;
    assert_eq!(status, 200);
    assert!(page.contains("<legend>Kind of question</legend>") && page.contains("Several choices"), "{page}");

    let (status, page) = get(&app, &cookie, &format!("{}?section=1&after=purposes&kind=multiple", question_path())).await;
    assert_eq!(status, 200);
    let mut fields = form_fields(&page, 0, Some(("action", "check")));
    set(&mut fields, "text", "Which teams run your organisation's social media?");
    set(&mut fields, "short", "teams");
    set(&mut fields, "options_paste", "Press office\r\nDigital team\r\nCustomer service\r\n");
    set(&mut fields, "at_most", "2");
    set(&mut fields, "show_if", "strategy=yes");
    let (status, page) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Check your question") && page.contains("Save question"), "{page}");
    assert!(page.contains("value=\"press_office\"") && page.contains("value=\"customer_service\""), "the codes made are shown: {page}");
    assert!(draft_absent(&app).await, "checking keeps nothing");

    let fields = form_fields(&page, 0, Some(("action", "save")));
    let (status, location) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!((status, location.as_str()), (303, format!("{}?done=saved#q-teams", build_path()).as_str()));
    let text = draft(&app).await;
    assert!(text.starts_with("# The Public Sector Social Media Survey, re-run.\n"), "the comments are kept");
    assert!(
        text.contains(
            "[[sections.questions]]\nid = \"teams\"\nkind = \"multiple\"\ntext = \"Which teams run your organisation's social media?\"\n\
         show_if = { question = \"strategy\", equals = \"yes\" }\nmax = 2\noptions = [\n  { code = \"press_office\", label = \"Press office\" },\n"
        ),
        "a short name the same as the code's is left to the default: {text}"
    );
    let (_, overview) = get(&app, &cookie, &format!("{}?done=saved", build_path())).await;
    assert!(overview.contains("Question saved."));
    let teams = &overview[overview.find("id=\"q-teams\"").unwrap()..];
    assert!(teams[..teams.find("</li>").unwrap()].contains("<dt>Welsh (Cymraeg)</dt><dd>5 texts missing</dd>"), "{teams}");

    // Publishing is refused while its Welsh is missing, with the file's words.
    let (status, page) = post(&app, &cookie, &build_path(), &[("action".into(), "publish".into())]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("the Welsh (Cymraeg) text of `teams.text` is missing from [translations.cy]"), "{page}");
}

async fn draft_absent(app: &TestApp) -> bool {
    app.service.store().definition_draft(SLUG).await.unwrap().is_none()
}

#[tokio::test]
async fn a_condition_on_a_later_question_is_refused_in_the_files_words() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (_, page) = get(&app, &cookie, &format!("{}?id=budget", question_path())).await;
    assert!(!page.contains("value=\"would_pay=yes\""), "only earlier questions are offered");
    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "show_if", "would_pay=yes");
    let (status, page) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("question `budget`: `show_if` names question `would_pay`, which is not a question before this one"), "{page}");
    assert!(draft_absent(&app).await);
}

#[tokio::test]
async fn a_duplicate_code_is_refused_and_an_emptied_label_removes_its_row() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (_, page) = get(&app, &cookie, &format!("{}?id=role", question_path())).await;
    let mut fields = form_fields(&page, 0, Some(("action", "check")));
    set(&mut fields, "options_code_1", "chief_exec");
    let (status, body) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("question `role`: duplicate options code `chief_exec`; codes must be unique"), "{body}");

    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "options_label_4", "");
    let (status, _) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 303);
    let text = draft(&app).await;
    assert!(!text.contains("{ code = \"other\", label = \"Other\" }"), "the row went");
    assert_eq!(text.lines().count(), SURVEY.lines().count() - 1, "and nothing else");
}

#[tokio::test]
async fn codes_are_fixed_once_the_survey_has_responses() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    app.submit_valid("builder-test-0001").await;
    let (_, page) = get(&app, &cookie, &format!("{}?id=nation", question_path())).await;
    assert!(page.contains("Codes are fixed now that the survey has responses."), "{page}");
    assert!(page.contains("name=\"options_code_0\" value=\"england\" aria-label=\"Code of row 1\" readonly"), "{page}");
    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "options_code_0", "eng");
    let (status, body) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("The code `england` cannot become `eng`: this survey has responses"), "{body}");
    // A label may still change.
    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "options_label_0", "England only");
    assert_eq!(post(&app, &cookie, &question_path(), &fields).await.0, 303);
    assert!(draft(&app).await.contains("{ code = \"england\", label = \"England only\" }"));
}

#[tokio::test]
async fn moving_and_deleting_change_the_draft_not_what_respondents_see() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (_, page) = get(&app, &cookie, &build_path()).await;
    let at = page.find("id=\"q-strategy\"").unwrap();
    // The strategy question's forms: Move up, Move down, Delete.
    let forms_before = page[..at].matches("<form").count();
    let down = form_fields(&page, forms_before + 1, None);
    assert_eq!(down, vec![("action".to_string(), "move_down".to_string()), ("question".to_string(), "strategy".to_string())]);
    let (status, location) = post(&app, &cookie, &build_path(), &down).await;
    assert_eq!((status, location.as_str()), (303, format!("{}?done=moved#q-strategy", build_path()).as_str()));
    let text = draft(&app).await;
    assert!(text.find("id = \"purposes\"").unwrap() < text.find("id = \"strategy\"").unwrap());
    let live: serde_json::Value = app.client.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(live["version"], 1, "respondents still see version 1");

    let delete = vec![("action".to_string(), "delete".to_string()), ("question".to_string(), "spend".to_string())];
    let (status, page) = post(&app, &cookie, &build_path(), &delete).await;
    assert_eq!(status, 200);
    assert!(page.contains("Delete this question?") && page.contains("Approximately how much do you spend"), "{page}");
    assert!(draft(&app).await.contains("id = \"spend\""), "asking is not deleting");
    let confirm = form_fields(&page, 0, None);
    assert_eq!(post(&app, &cookie, &build_path(), &confirm).await.0, 303);
    let text = draft(&app).await;
    assert!(!text.contains("id = \"spend\"") && !text.contains("\"spend.text\""), "gone, Welsh and all");

    // The first question cannot go up: said on the overview, nothing changed.
    let up = vec![("action".to_string(), "move_up".to_string()), ("question".to_string(), "org_type".to_string())];
    let (status, page) = post(&app, &cookie, &build_path(), &up).await;
    assert_eq!(status, 422);
    assert!(page.contains("`org_type` is already the first question of the survey"), "{page}");
    assert_eq!(draft(&app).await, text);
}

#[tokio::test]
async fn bad_input_gets_a_page_that_says_what_to_do() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, page) = get(&app, &cookie, &format!("{}?id=no_such_question", question_path())).await;
    assert_eq!(status, 404);
    assert!(page.contains("There is no question `no_such_question`"), "{page}");
    let (status, page) = post(&app, &cookie, &build_path(), &[("action".into(), "explode".into())]).await;
    assert_eq!(status, 400);
    assert!(page.contains("Unknown action “explode”"), "{page}");
    let (status, page) = post(&app, &cookie, &build_path(), &[("action".into(), "add_section".into()), ("section_title".into(), " ".into())]).await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#section_title\">Enter the section’s title"), "{page}");
    let (_, page) = get(&app, &cookie, &format!("{}?section=0&kind=number", question_path())).await;
    let mut fields = form_fields(&page, 0, Some(("action", "check")));
    set(&mut fields, "text", "How many staff?");
    set(&mut fields, "max", "lots");
    let (status, page) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#max\">Enter the maximum as a whole number"), "{page}");
    assert!(page.contains(">How many staff?</textarea>"), "what was typed is kept");
    let (status, _) = get(&app, &cookie, &format!("{}?section=99&kind=single", question_path())).await;
    assert_eq!(status, 200, "a page for a section that does not exist…");
    let mut fields = vec![("kind".to_string(), "single".to_string()), ("section".to_string(), "99".to_string())];
    fields.extend([("text".to_string(), "Q?".to_string()), ("options_paste".to_string(), "A\nB".to_string()), ("action".to_string(), "save".to_string())]);
    let (status, page) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 422, "…refuses to save into it");
    assert!(page.contains("There is no section 100"), "{page}");
}
