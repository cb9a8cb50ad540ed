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
        if matches!(attribute(tag, "type").as_deref(), Some("checkbox" | "radio")) && !tag.contains(" checked") {
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
    assert!(!text.contains("{ code = \"other\", label = \"Other\" }") && !text.contains("\"role.options.other\""), "the row went, with its Welsh");
    assert_eq!(text.lines().count(), SURVEY.lines().count() - 2, "and nothing else");
    canvass::parse_definition("edited", &text).expect("still publishable");
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

/// Posts a multipart form with one file, as a browser's file input sends it.
async fn upload(app: &TestApp, cookie: &str, path: &str, file: Vec<u8>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(file).file_name("welsh.csv").mime_str("text/csv").unwrap();
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("origin", &app.address)
        .header("cookie", cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(response.text().await.unwrap()))
}

#[tokio::test]
async fn a_new_survey_is_started_built_and_published_without_any_text() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, page) = get(&app, &cookie, "/admin/new/build").await;
    assert_eq!(status, 200);
    assert!(page.contains("Start from") && page.contains("write the survey as text"), "{page}");
    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "title", "Board Survey 2027");
    let (status, location) = post(&app, &cookie, "/admin/new/build", &fields).await;
    assert_eq!((status, location.as_str()), (303, "/admin/new/board-survey-2027/build?done=started"), "the address is made from the title");
    let base = "/admin/new/board-survey-2027/build";
    let (status, page) = get(&app, &cookie, base).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Respondents see nothing until you publish."), "{page}");

    // The same address again is refused, saying why.
    let (status, page) = post(&app, &cookie, "/admin/new/build", &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("A survey is already being started at /s/board-survey-2027"), "{page}");

    let add_section = vec![("action".to_string(), "add_section".to_string()), ("section_title".to_string(), "Your board".to_string())];
    assert_eq!(post(&app, &cookie, base, &add_section).await.0, 303);
    let (_, page) = get(&app, &cookie, &format!("{base}/question?section=0&kind=single")).await;
    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "text", "Does your board discuss social media?");
    set(&mut fields, "options_paste", "Yes\nNo\n");
    set(&mut fields, "required", "yes");
    let (status, location) = post(&app, &cookie, &format!("{base}/question"), &fields).await;
    assert_eq!((status, location.as_str()), (303, format!("{base}?done=saved#q-does_your_board_discuss_social").as_str()));

    // Not yet: the privacy notice's facts are missing.
    let publish = vec![("action".to_string(), "publish".to_string())];
    let (status, page) = post(&app, &cookie, base, &publish).await;
    assert_eq!(status, 422);
    assert!(page.contains("controller"), "{page}");
    let (_, page) = get(&app, &cookie, &format!("{base}/details")).await;
    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "controller", "Example Council, 1 High Street");
    set(&mut fields, "contact", "dpo@example.gov.uk");
    set(&mut fields, "intro", "How boards see social media.");
    assert_eq!(post(&app, &cookie, &format!("{base}/details"), &fields).await.0, 303);

    let (status, page) = post(&app, &cookie, base, &publish).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Publish version 1"), "{page}");
    let confirm = form_fields(&page, page[..page.find("Publish version 1").unwrap()].matches("<form").count() - 1, None);
    // The draft changes after the changes were shown: the old confirm publishes nothing.
    let late = vec![("action".to_string(), "add_section".to_string()), ("section_title".to_string(), "Anything else".to_string())];
    assert_eq!(post(&app, &cookie, base, &late).await.0, 303);
    let (status, page) = post(&app, &cookie, base, &confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("The draft changed after its changes were shown, so nothing was published"), "{page}");
    let confirm = form_fields(&page, page[..page.find("Publish version 1").unwrap()].matches("<form").count() - 1, None);
    let (status, location) = post(&app, &cookie, base, &confirm).await;
    assert_eq!((status, location.as_str()), (303, "/admin/surveys/board-survey-2027?published=1"));
    let live: serde_json::Value = app.client.get(format!("{}/api/surveys/board-survey-2027", app.address)).send().await.unwrap().json().await.unwrap();
    assert_eq!(live["version"], 1, "{live}");
    assert!(live.to_string().contains("Does your board discuss social media?"), "{live}");
    // Its old address now leads to where it is built from now on.
    let (status, location) = {
        let response = app.get_with(base, Some(&cookie)).await;
        (response.status().as_u16(), response.headers().get("location").map(|l| l.to_str().unwrap().to_string()))
    };
    assert_eq!((status, location.as_deref()), (303, Some("/admin/surveys/board-survey-2027/build")));
}

#[tokio::test]
async fn benchmarks_are_added_for_a_wave_changed_and_removed() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let path = format!("{}/benchmarks", build_path());
    let (status, page) = get(&app, &cookie, &format!("{path}?id=nation")).await;
    assert_eq!(status, 200);
    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "w0_wave", "2013");
    set(&mut fields, "w0_n", "400");
    set(&mut fields, "w0_p_wales", "12.5");
    let (status, location) = post(&app, &cookie, &path, &fields).await;
    assert_eq!((status, location.as_str()), (303, format!("{}?done=benchmarks#q-nation", build_path()).as_str()));
    let text = draft(&app).await;
    assert!(
        text.contains("{ code = \"wales\", label = \"Wales\", benchmarks = [\n  { wave = \"2013\", percent = 12.5, label = \"Wales\", n = 400 },\n] },"),
        "{text}"
    );

    // The strategy question's 2013 figure changes; its 2011 one goes.
    let (_, page) = get(&app, &cookie, &format!("{path}?id=strategy")).await;
    assert!(page.contains("<legend>Wave 2011</legend>") && page.contains("<legend>Wave 2013</legend>"), "{page}");
    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "w1_p_yes", "88");
    set(&mut fields, "w0_p_yes", "");
    assert_eq!(post(&app, &cookie, &path, &fields).await.0, 303);
    let text = draft(&app).await;
    assert!(text.contains("  { wave = \"2013\", percent = 88, label = \"Social media in the communications strategy\", n = 400 },"), "{text}");
    assert!(!text.contains("percent = 70"), "{text}");

    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "w1_p_no", "a lot");
    let (status, page) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#w1_p_no\">Enter No’s percentage as a number from 0 to 100"), "{page}");
    let (status, _) = get(&app, &cookie, &format!("{path}?id=spend")).await;
    assert_eq!(status, 404, "a number has no options to compare");
}

#[tokio::test]
async fn welsh_is_filled_in_side_by_side_or_through_the_translators_file() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let path = format!("{}/welsh", build_path());
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("Every text has its Welsh."), "{page}");
    let mut fields = form_fields(&page, 1, None);
    set(&mut fields, "cy.nation.text", "");
    assert_eq!(post(&app, &cookie, &path, &fields).await.0, 303);
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("1 text still needs its Welsh"), "{page}");
    let (status, page) = post(&app, &cookie, &build_path(), &[("action".into(), "publish".into())]).await;
    assert_eq!(status, 422);
    assert!(page.contains("`nation.text` is missing from [translations.cy]"), "{page}");

    // The translator's file, filled in and handed back.
    let file = app.get_with(&format!("{path}.csv"), Some(&cookie)).await;
    assert_eq!(file.headers()["content-disposition"], format!("attachment; filename=\"{SLUG}-welsh.csv\""));
    let file = file.text().await.unwrap();
    assert!(file.starts_with("key,english,\"Welsh (Cymraeg)\",check\r\n"), "{file}");
    // The translator fills in the empty cell, as a spreadsheet would write it back.
    let filled: String = file
        .split_inclusive("\r\n")
        .map(|line| match line.starts_with("nation.text,") {
            true => "nation.text,Where does your organisation mainly work?,Ble mae'ch sefydliad yn gweithio?\r\n".to_string(),
            false => line.to_string(),
        })
        .collect();
    assert_ne!(filled, file);
    let (status, location) = upload(&app, &cookie, &format!("{path}.csv"), filled.into_bytes()).await;
    assert_eq!(status, 303, "{location}");
    let (_, page) = get(&app, &cookie, &location).await;
    assert!(page.contains("Every text has its Welsh.") && page.contains("Welsh texts taken from it"), "{page}");
    assert!(draft(&app).await.contains("\"nation.text\" = \"Ble mae'ch sefydliad yn gweithio?\""));

    let (status, page) = upload(&app, &cookie, &format!("{path}.csv"), b"key,english,Welsh\nnation.nope,x,y\n".to_vec()).await;
    assert_eq!(status, 422);
    assert!(page.contains("line 2: `nation.nope` is not a text of this survey"), "{page}");
}

#[tokio::test]
async fn a_section_is_previewed_with_the_respondents_fields_in_english_and_welsh() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (_, overview) = get(&app, &cookie, &build_path()).await;
    assert!(overview.contains("data-testid=\"conditions\""), "every condition is listed in one place");
    assert!(overview.contains("Preview from the start"));
    let (status, page) = get(&app, &cookie, &format!("{}/preview?section=3", build_path())).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Preview — answers are not saved") && page.contains("Section 4 of 5"), "{page}");
    // The respondent's own field: a radio per option, named by the question id.
    assert!(page.contains("name=\"paid_tools\"") && page.contains("Previous section") && page.contains("Next section"), "{page}");
    let (status, page) = get(&app, &cookie, &format!("{}/preview?section=3&lang=cy", build_path())).await;
    assert_eq!(status, 200);
    assert!(page.contains("lang=\"cy\"") && page.contains("Cyllideb ac offer"), "{page}");
    let (status, page) = get(&app, &cookie, &format!("{}/preview?section=9", build_path())).await;
    assert_eq!(status, 404);
    assert!(page.contains("The survey has no section 10 to preview"), "{page}");

    // The whole survey on one page, each conditional question's condition said.
    let (status, page) = get(&app, &cookie, &format!("{}/preview?section=all", build_path())).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Section 1 of 5") && page.contains("Section 5 of 5"), "{page}");
    assert!(page.contains("name=\"org_type\"") && page.contains("name=\"obstacle\""), "every section's fields: {page}");
    assert!(page.contains("“Which kinds of paid-for tools do you use?”: Asked only if"), "{page}");
}

#[tokio::test]
async fn welsh_made_from_english_changed_since_is_flagged_until_changed_or_ticked_as_still_right() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let path = format!("{}/welsh", build_path());
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(!page.contains("English changed since translated"), "nothing is flagged at first: {page}");

    // The English of two texts changed in the text editor; the Welsh left as it was.
    let changed = SURVEY.replacen("title = \"Public Sector Social Media Survey\"", "title = \"Public Sector Social Media Survey 2027\"", 1).replacen(
        "text = \"What is your role?\"",
        "text = \"What is your job?\"",
        1,
    );
    assert_ne!(changed, SURVEY);
    let (status, _) = post(
        &app,
        &cookie,
        "/admin/editor",
        &[("editing".into(), SLUG.into()), ("base_version".into(), "1".into()), ("source".into(), changed), ("action".into(), "save".into())],
    )
    .await;
    assert!(status < 400, "the editor saved the draft: {status}");
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("2 Welsh texts were translated from English that has changed since."), "{page}");
    assert_eq!(page.matches("data-testid=\"english-changed\"").count(), 2, "{page}");
    let file = app.get_with(&format!("{path}.csv"), Some(&cookie)).await.text().await.unwrap();
    let flagged: Vec<&str> =
        file.lines().filter(|l| l.ends_with(",English changed since translated") || l.ends_with(",\"English changed since translated\"")).collect();
    assert_eq!(flagged.len(), 2, "{file}");
    assert!(flagged.iter().any(|l| l.starts_with("title,")) && flagged.iter().any(|l| l.starts_with("role.text,")), "{flagged:?}");

    // The role's Welsh is retranslated; the title's is ticked as still right.
    let mut fields = form_fields(&page, 1, None);
    set(&mut fields, "cy.role.text", "Beth yw eich swydd?");
    fields.push(("still.title".into(), "yes".into()));
    assert_eq!(post(&app, &cookie, &path, &fields).await.0, 303);
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(!page.contains("English changed since translated") && !page.contains("data-testid=\"welsh-stale\""), "{page}");

    // Changed again in the builder's own pages: flagged again.
    let (_, details) = get(&app, &cookie, &format!("{}/details", build_path())).await;
    let mut fields = form_fields(&details, 0, None);
    set(&mut fields, "title", "Public Sector Social Media Survey, third wave");
    let (status, location) = post(&app, &cookie, &format!("{}/details", build_path()), &fields).await;
    assert_eq!(status, 303, "{location}");
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("1 Welsh text was translated from English that has changed since."), "{page}");
}

#[tokio::test]
async fn every_save_is_a_revision_in_words_and_any_can_be_restored() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (status, page) = get(&app, &cookie, &format!("{}/revisions", build_path())).await;
    assert_eq!(status, 200);
    assert!(page.contains("Nothing has been saved from the builder yet"), "{page}");
    let move_down = vec![("action".to_string(), "move_down".to_string()), ("question".to_string(), "strategy".to_string())];
    assert_eq!(post(&app, &cookie, &build_path(), &move_down).await.0, 303);
    let after_move = draft(&app).await;
    let delete = vec![("action".to_string(), "confirm_delete".to_string()), ("question".to_string(), "spend".to_string())];
    assert_eq!(post(&app, &cookie, &build_path(), &delete).await.0, 303);
    assert_ne!(draft(&app).await, after_move);

    let (_, page) = get(&app, &cookie, &format!("{}/revisions", build_path())).await;
    let moved = page
        .find("Moved “Has social media been built into your organisation&#39;s overall communications strategy?” down")
        .or_else(|| page.find("Moved “Has social media been built into your organisation's overall communications strategy?” down"));
    let deleted = page.find("Deleted “Approximately how much do you spend on social media each month, in pounds?”");
    assert!(moved.is_some() && deleted.is_some() && deleted < moved, "newest first, in words: {page}");
    assert!(page.contains(support::organisers::ORGANISER), "who: {page}");
    // Restore the move (the older one): the draft is that text again, as a new revision.
    let forms_before = page[..moved.unwrap()].matches("<form").count();
    let restore = form_fields(&page, forms_before, None);
    assert_eq!(restore[0].0, "id");
    let (status, location) = post(&app, &cookie, &format!("{}/revisions", build_path()), &restore).await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(draft(&app).await, after_move);
    let (_, page) = get(&app, &cookie, &location).await;
    assert!(page.contains("is restored: it is your draft now") && page.contains("Restored revision"), "{page}");

    let (status, page) = post(&app, &cookie, &format!("{}/revisions", build_path()), &[("id".into(), "999999".into())]).await;
    assert_eq!(status, 404);
    assert!(page.contains("There is no revision 999999 of this survey"), "{page}");
}

#[tokio::test]
async fn a_code_changed_before_any_answer_keeps_its_benchmark_and_a_wave_is_never_entered_twice() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let (_, page) = get(&app, &cookie, &format!("{}?id=paid_tools", question_path())).await;
    let mut fields = form_fields(&page, 0, Some(("action", "save")));
    set(&mut fields, "options_code_0", "uses_paid");
    let (status, body) = post(&app, &cookie, &question_path(), &fields).await;
    assert_eq!(status, 303, "{body}");
    let text = draft(&app).await;
    assert!(text.contains("{ code = \"uses_paid\", label = \"Yes\", benchmarks = ["), "{text}");
    assert!(text.contains("show_if = { question = \"paid_tools\", equals = \"uses_paid\" }"), "the condition follows: {text}");
    canvass::parse_definition("renamed", &text).expect("still publishable, Welsh and all");

    let path = format!("{}/benchmarks", build_path());
    let (_, page) = get(&app, &cookie, &format!("{path}?id=strategy")).await;
    let mut fields = form_fields(&page, 0, None);
    set(&mut fields, "w2_wave", "2013");
    set(&mut fields, "w2_p_no", "5");
    let (status, page) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("There are already figures for 2013: change them in its own table above"), "{page}");
    set(&mut fields, "w2_wave", "=HYPERLINK(1)");
    let (status, page) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("Enter the wave as a year or a short name"), "{page}");
}

#[tokio::test]
async fn a_section_is_renamed_and_deleted_once_empty() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let rename = vec![
        ("action".to_string(), "rename_section".to_string()),
        ("section".to_string(), "4".to_string()),
        ("rename-4".to_string(), "Contact".to_string()),
    ];
    let (status, location) = post(&app, &cookie, &build_path(), &rename).await;
    assert_eq!((status, location.as_str()), (303, format!("{}?done=section_renamed", build_path()).as_str()));
    assert!(draft(&app).await.contains("title = \"Contact\""));
    let delete = vec![("action".to_string(), "delete_section".to_string()), ("section".to_string(), "4".to_string())];
    let (status, page) = post(&app, &cookie, &build_path(), &delete).await;
    assert_eq!(status, 422);
    assert!(page.contains("Section 5 still has questions: move them to another section or delete them first"), "{page}");
    let (status, page) = post(&app, &cookie, &build_path(), &[("action".into(), "delete_section".into()), ("section".into(), "x".into())]).await;
    assert_eq!(status, 400);
    assert!(page.contains("Choose the section with its own button"), "{page}");
}

#[tokio::test]
async fn the_schedule_is_set_in_the_organisers_time_and_kept_in_utc() {
    let app = support::spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let path = format!("{}/details", build_path());
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("type=\"datetime-local\"") && page.contains("In Europe/London time."), "{page}");
    let mut fields = form_fields(&page, 0, None);
    // March is GMT; July is BST, an hour ahead of the UTC the definition keeps.
    set(&mut fields, "opens_at", "2027-03-01T09:00");
    set(&mut fields, "closes_at", "2027-07-01T17:00");
    let (status, location) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 303, "{location}");
    let text = draft(&app).await;
    assert!(text.contains("opens_at = \"2027-03-01T09:00:00Z\"") && text.contains("closes_at = \"2027-07-01T16:00:00Z\""), "{text}");
    let (_, page) = get(&app, &cookie, &path).await;
    assert!(page.contains("value=\"2027-03-01T09:00\"") && page.contains("value=\"2027-07-01T17:00\""), "shown back in London time: {page}");

    set(&mut fields, "opens_at", "next Tuesday");
    set(&mut fields, "closes_at", "2027-02-01T09:00");
    let (status, page) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("“next Tuesday” is not a date and time: give it like 2027-01-10 09:00, in Europe/London time"), "{page}");
    assert!(page.contains("value=\"next Tuesday\""), "what was typed is kept: {page}");
    set(&mut fields, "opens_at", "2027-03-01T09:00");
    let (status, page) = post(&app, &cookie, &path, &fields).await;
    assert_eq!(status, 422);
    assert!(page.contains("closes_at 2027-02-01T09:00:00Z must be after opens_at 2027-03-01T09:00:00Z"), "{page}");
    assert!(draft(&app).await.contains("closes_at = \"2027-07-01T16:00:00Z\""), "nothing saved");
}
