//! An organiser-written survey title reaches every page's `<title>` and headings as text,
//! never as markup: a title that closes the `<title>` and adds a refresh to another site
//! redirects no one (issue 33).

mod support;

use support::{spawn_app, SLUG};

const EVIL: &str = "Evil </textarea></title><meta http-equiv=refresh content=0;url=https://evil.example>";

#[tokio::test]
async fn a_title_with_markup_is_text_on_every_page_kind() {
    let app = spawn_app().await;
    let text = include_str!("../../surveys/public-sector-social-media.toml")
        .replace("slug = \"public-sector-social-media\"", "slug = \"evil\"")
        .replace("title = \"Public Sector Social Media Survey\"", &format!("title = \"{EVIL}\""));
    let definition = canvass::parse_definition("evil.toml", &text).expect("a valid definition");
    app.service.store().publish(&definition, Some(&text)).await.unwrap();
    app.service.refresh_definitions().await.unwrap();
    let cookie = app.organiser_cookie().await;
    let respondent = ["/s/evil", "/s/evil?step=2", "/s/evil?step=check", "/s/evil/privacy", "/s/evil/results", "/s/evil/withdraw", "/"];
    let organisers = ["/admin", "/admin/surveys/evil", "/admin/surveys/evil/report", "/admin/surveys/evil/edit", "/admin/surveys/evil/members"];
    for path in respondent.iter().chain(organisers.iter()) {
        let page = app.get_with(path, Some(&cookie)).await.text().await.unwrap();
        assert!(!page.contains("<meta http-equiv=refresh") && !page.contains("</textarea></title>"), "{path} carries the title as markup: {page}");
    }
    let start = app.get_with("/s/evil", None).await.text().await.unwrap();
    assert!(start.contains("Evil &lt;/textarea&gt;&lt;/title&gt;&lt;meta http-equiv=refresh"), "shown as the text it is: {start}");
    assert_eq!(app.get_with(&format!("/s/{SLUG}"), None).await.status(), 200);
}

/// A respondent's free-text answer shown again (a step refused for another problem) stays
/// inside its textarea, whatever it holds.
#[tokio::test]
async fn a_free_text_answer_shown_again_stays_inside_its_textarea() {
    let app = spawn_app().await;
    let answer = "Proof </textarea><b id=\"pwned\">markup</b>";
    let refused = app
        .post_form(
            &format!("/s/{SLUG}"),
            &[("_step", "5"), ("_nav", "continue"), ("submission_key", "textarea-1"), ("obstacle", answer), ("email", "a@council.gov.uk")],
            None,
        )
        .await;
    assert_eq!(refused.status(), 422, "the missing consent refuses the step");
    let page = refused.text().await.unwrap();
    assert!(!page.contains("<b id=\"pwned\">"), "the answer became markup: {page}");
    assert!(page.contains("Proof &lt;/textarea&gt;&lt;b id=&quot;pwned&quot;&gt;markup&lt;/b&gt;"), "kept as the text typed: {page}");
}
