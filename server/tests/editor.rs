//! The organisers' editor, as a signed-in organiser uses it without JavaScript: open a
//! survey's text, keep a draft with problems in it, publish a change after seeing it, and
//! be refused what would break a survey or overwrite someone else's version.

mod support;

use serde_json::Value;
use support::{spawn_app, TestApp, SLUG};

const SURVEY: &str = include_str!("../../surveys/public-sector-social-media.toml");

async fn post(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = app.post_form("/admin/editor", fields, Some(cookie)).await;
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(response.text().await.unwrap()))
}

async fn live_version(app: &TestApp) -> Value {
    let body: Value = app.client.get(format!("{}/api/surveys/{SLUG}", app.address)).send().await.unwrap().json().await.unwrap();
    body["version"].clone()
}

/// The blank template with the privacy notice's facts filled in, as publishing needs.
fn ready(text: &str) -> String {
    text.replace("controller = \"\"", "controller = \"Example Council\"").replace("contact = \"\"", "contact = \"dpo@example.gov.uk\"")
}

/// The text as the page shows it in its textarea (HTML-escaped, as `app::escaped` writes it).
fn escaped(text: &str) -> String {
    canvass::html::escape(text)
}

#[tokio::test]
async fn a_draft_with_problems_is_kept_and_a_change_is_published_after_it_is_shown() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/edit"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("Edit “Public Sector Social Media Survey”"));
    let at = page.find("<textarea").expect("a textarea");
    assert!(page.contains(&escaped("slug = \"public-sector-social-media\"")), "the live text to edit: {}", &page[at..at + 800]);

    // A wrong keystroke: saved all the same, with the problem and its line.
    let broken = SURVEY.replace("kind = \"matrix\"", "kind = \"grid\"");
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "save"), ("source", &broken)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Draft saved at "), "{page}");
    let line = broken.lines().position(|l| l == "id = \"channels\"").unwrap() + 1;
    assert!(page.contains(&format!("line {line}, column 1: question `channels`: unknown kind `grid`")), "{page}");
    // Reopened later (a closed tab): the draft comes back, and respondents still see version 1.
    let page = app.get_with(&format!("/admin/surveys/{SLUG}/edit"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("kind = &quot;grid&quot;") || page.contains("kind = \"grid\""), "the draft is what opens");
    assert!(page.contains("This is your draft, saved "));
    assert_eq!(live_version(&app).await, 1);

    // Publishing it is refused, with the same problem; nothing changes.
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &broken)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("data-testid=\"editor-problems\"") && page.contains("unknown kind `grid`"), "{page}");
    assert_eq!(live_version(&app).await, 1);

    // A correct change: shown first, wording apart from structure.
    let changed = SURVEY
        .replace(
            "  { code = \"local\", label = \"Local authority\" },",
            "  { code = \"local\", label = \"Local council\" },\n  { code = \"parish\", label = \"Parish or town council\" },",
        )
        // A bilingual survey's new option needs its Welsh too.
        .replace("[translations.cy]\n", "[translations.cy]\n\"org_type.options.parish\" = \"Cyngor cymuned neu dref\"\n");
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &changed)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Publish version 2?"), "{page}");
    assert!(page.contains("Wording changes") && page.contains("option `local` “Local authority” → “Local council”"));
    assert!(page.contains("Structural changes") && page.contains("option `parish` added"));
    assert_eq!(live_version(&app).await, 1, "nothing is published before the confirm");

    let (status, location) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "confirm"), ("source", &changed)]).await;
    assert_eq!((status, location.as_str()), (303, "/admin/surveys/public-sector-social-media?published=2"));
    assert_eq!(live_version(&app).await, 2, "served at once, without a restart");
    let dashboard = app.get_with(&location, Some(&cookie)).await.text().await.unwrap();
    assert!(dashboard.contains("Version 2 is published") && dashboard.contains("Version 2 published"), "the home says which version is live");
    let page = app.get_with(&format!("/admin/surveys/{SLUG}/edit"), Some(&cookie)).await.text().await.unwrap();
    assert!(!page.contains("This is your draft"), "publishing clears the draft");

    // Someone who started from version 1 is told, and keeps their text.
    let stale = SURVEY.replace("About 8 minutes", "About 9 minutes");
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "confirm"), ("source", &stale)]).await;
    assert_eq!(status, 409);
    assert!(page.contains("Someone published version 2 of this survey after you started editing"), "{page}");
    assert!(page.contains("About 9 minutes"), "their text is still there");
    assert_eq!(live_version(&app).await, 2);
}

#[tokio::test]
async fn a_new_survey_is_published_from_the_blank_template_and_a_slug_clash_is_refused() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let page = app.get_with("/admin/new", Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("New survey") && page.contains("slug = &quot;new-survey&quot;") || page.contains("slug = \"new-survey\""), "the blank template");
    let copy = app.get_with(&format!("/admin/new?copy={SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(copy.contains("public-sector-social-media-copy"), "a copy gets its own slug");

    let (status, page) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "publish"), ("source", SURVEY)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("There is already a survey with the slug `public-sector-social-media`"), "{page}");

    let blank = ready(&server::organisers::editing::BLANK.replace("new-survey", "staff-survey-2027"));
    // A new survey goes public on publishing: asked first, saying where and that it is listed.
    let (status, asked) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "publish"), ("source", &blank)]).await;
    assert_eq!(status, 200);
    assert!(asked.contains("Publish this survey?") && asked.contains("/s/staff-survey-2027 as soon as you publish"), "{asked}");
    assert!(asked.contains("The front page will list it") && asked.contains("add listed = false"), "{asked}");
    assert_eq!(app.get_with("/s/staff-survey-2027", None).await.status(), 404, "nothing public before the confirm");
    let (status, location) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "confirm"), ("source", &blank)]).await;
    assert_eq!((status, location.as_str()), (303, "/admin/surveys/staff-survey-2027?published=1"));
    let served = app.client.get(format!("{}/s/staff-survey-2027", app.address)).send().await.unwrap();
    assert_eq!(served.status(), 200, "respondents can open it at once");
    // Its responses are taken and counted in the live totals at once.
    let answered = app
        .client
        .post(format!("{}/api/surveys/staff-survey-2027/responses", app.address))
        .json(&serde_json::json!({"submission_key": "first-staff", "answers": {"org_type": "local"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 201);
    assert_eq!(app.service.hub().results(&canvass::Slug::parse("staff-survey-2027").unwrap()).map(|r| r.responses), Some(1));
    let home = app.client.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("/s/staff-survey-2027"), "it is listed with the open surveys");
}

#[tokio::test]
async fn the_editor_refuses_what_it_cannot_keep_and_is_for_organisers_only() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;

    let slugless = "title = \"No slug\"\n";
    let (status, page) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "save"), ("source", slugless)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Add a slug line such as slug = "), "{page}");

    let retyped = SURVEY.replacen("id = \"email\"\nkind = \"email\"", "id = \"email\"\nkind = \"text\"\nmax_length = 200", 1);
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &retyped)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("question `email` was an email question in version 1 and cannot become a free text question"), "{page}");

    let renamed = SURVEY.replace("slug = \"public-sector-social-media\"", "slug = \"another\"");
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &renamed)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("The slug must stay `public-sector-social-media`"), "{page}");

    let huge = format!("{SURVEY}# {}\n", "x".repeat(1_000_001));
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &huge)]).await;
    assert_eq!(status, 413);
    assert!(page.contains("the most Canvass takes is 1000 KB"), "{}", &page[..page.len().min(2000)]);

    let (status, _) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "delete"), ("source", SURVEY)]).await;
    assert_eq!(status, 400);
    let (status, _) = post(&app, &cookie, &[("editing", "no-such-survey"), ("base_version", "1"), ("action", "save"), ("source", SURVEY)]).await;
    assert_eq!(status, 404);

    let stranger = app.post_form("/admin/editor", &[("action", "publish"), ("source", SURVEY)], None).await;
    assert_eq!(stranger.status(), 401);
    let page = app.get_with("/admin/new", None).await;
    assert_eq!(page.status(), 302, "the editor page sends a stranger to sign in");
    assert_eq!(live_version(&app).await, 1);
}

#[tokio::test]
async fn typing_is_saved_as_a_draft_and_a_new_surveys_draft_is_listed_until_published() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let text = server::organisers::editing::BLANK.replace("new-survey", "board-survey").replace("kind = \"single\"", "kind = \"singel\"");
    let (status, said) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "autosave"), ("source", &text)]).await;
    assert_eq!(status, 200);
    assert!(said.starts_with("Draft saved at "), "{said}");

    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(overview.contains("Drafts not yet published") && overview.contains("/admin/new?draft=board-survey"), "{overview}");
    let reopened = app.get_with("/admin/new?draft=board-survey", Some(&cookie)).await.text().await.unwrap();
    assert!(reopened.contains("kind = &quot;singel&quot;"), "the draft reopens with its problem");

    let (status, said) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "autosave"), ("source", SURVEY)]).await;
    assert_eq!(status, 422);
    assert_eq!(said, "Not saved yet: There is already a survey with the slug `public-sector-social-media`: choose another slug before saving.");
    let (status, said) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "autosave"), ("source", "title = \"x\"")]).await;
    assert_eq!(status, 422);
    assert!(said.starts_with("Not saved yet: Add a slug line"), "{said}");

    let fixed = ready(&text.replace("singel", "single"));
    let (status, _) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "confirm"), ("source", &fixed)]).await;
    assert_eq!(status, 303);
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(!overview.contains("Drafts not yet published"), "published: no longer a draft");
}

/// A draft remembers the version it was started from: publishing it after someone else
/// published a newer one is refused, not a silent undoing of their change.
#[tokio::test]
async fn a_draft_started_before_someone_elses_publish_does_not_undo_it() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let mine = SURVEY.replace("About 8 minutes", "About 9 minutes");
    let (status, _) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "autosave"), ("source", &mine)]).await;
    assert_eq!(status, 200);

    // Meanwhile another organiser publishes version 2.
    let mut theirs = canvass::parse_definition("theirs", SURVEY).unwrap();
    theirs.title = "Public Sector Social Media Survey 2027".into();
    app.service.store().publish(&theirs, None).await.unwrap();
    app.service.refresh_definitions().await.unwrap();

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/edit"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("name=\"base_version\" value=\"1\""), "the draft says it was started from version 1");
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "confirm"), ("source", &mine)]).await;
    assert_eq!(status, 409);
    assert!(page.contains("Someone published version 2 of this survey after you started editing"), "{page}");
    assert_eq!(live_version(&app).await, 2);

    let (status, said) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "autosave"), ("source", "  ")]).await;
    assert_eq!((status, said.as_str()), (422, "Not saved yet: The text is empty: there is nothing to keep."));
}

/// `listed = false`: reachable by its address (or an invitation), never on the front page;
/// the confirm says so before it goes public.
#[tokio::test]
async fn an_unlisted_survey_is_answered_by_its_address_and_left_off_the_front_page() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let unlisted = ready(&server::organisers::editing::BLANK.replace("new-survey", "pilot-2027")).replacen("title = ", "listed = false\ntitle = ", 1);
    let (status, asked) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "publish"), ("source", &unlisted)]).await;
    assert_eq!(status, 200);
    assert!(asked.contains("It will not be listed on the front page"), "{asked}");
    let (status, _) = post(&app, &cookie, &[("editing", ""), ("base_version", "0"), ("action", "confirm"), ("source", &unlisted)]).await;
    assert_eq!(status, 303);
    assert_eq!(app.get_with("/s/pilot-2027", None).await.status(), 200, "answered by its address");
    let front = app.get_with("/", None).await.text().await.unwrap();
    assert!(!front.contains("/s/pilot-2027") && front.contains(&format!("/s/{SLUG}")), "listed surveys only: {front}");
    let written = app.get_with("/admin/surveys/pilot-2027/edit", Some(&cookie)).await.text().await.unwrap();
    assert!(written.contains("listed = false"), "the text keeps it");
}

/// Issue 33: switching anonymity off (or changing who may answer) in mid-fieldwork broke
/// what respondents were promised and was listed as no change. Before anyone answers it is
/// listed; once someone has, it is refused, even when confirmed, and nothing is published.
#[tokio::test]
async fn anonymity_is_listed_before_fieldwork_and_cannot_be_switched_off_once_someone_has_answered() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let named = SURVEY.replacen("anonymous = true", "anonymous = false", 1);
    assert_ne!(named, SURVEY, "the test edits the definition");

    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "publish"), ("source", &named)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Publish version 2?") && page.contains("Structural changes"), "{page}");
    assert!(page.contains("anonymity: answers will be stored with who sent them"), "listed, never “no change”: {page}");

    app.submit_valid("the-first-respondent").await;
    for action in ["publish", "confirm"] {
        let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", action), ("source", &named)]).await;
        assert_eq!(status, 422, "{action}: {page}");
        assert!(page.contains("data-testid=\"editor-problems\""), "{page}");
        assert!(page.contains(&escaped("`anonymous` cannot become false: this survey already has 1 response")), "{action}: {page}");
        assert!(page.contains(&escaped("Keep `anonymous = true`")), "says what to do: {page}");
    }
    let invite_only = SURVEY.replacen("access = \"open\"", "access = \"invite\"", 1);
    let (status, page) = post(&app, &cookie, &[("editing", SLUG), ("base_version", "1"), ("action", "confirm"), ("source", &invite_only)]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("`access` cannot change from \"open\" to \"invite\": this survey already has 1 response"), "{page}");
    assert_eq!(live_version(&app).await, 1, "nothing was published");
    let stored = app.service.store().stored_version(&canvass::Slug::parse(SLUG).unwrap(), None).await.unwrap().unwrap();
    assert!(stored.definition.anonymous, "the live version still keeps answers apart");
}
