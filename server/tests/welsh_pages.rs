//! Every kind of page a respondent can meet, in Welsh: each says `lang="cy"`, and none
//! shows a word of the English catalogue or of the survey's English texts. Welsh public
//! bodies' forms must work fully in Welsh; a page with English holes treats Welsh
//! speakers less favourably.

mod support;

use canvass::translation::{localized, text_keys};
use canvass::words::{catalogue, say, Arg};
use canvass::Lang;
use support::sections::SECTIONS;
use support::{spawn_app, spawn_app_with, TestApp, SLUG};

const WELSH: &str = "canvass_lang=cy";

/// The words of each English message between its placeables, that Welsh never uses.
fn english_catalogue_words() -> Vec<String> {
    let hole = "\u{1}";
    let welsh_catalogue: String = catalogue::ids(Lang::Cy).iter().map(|id| say(Lang::Cy, id, &[])).collect::<Vec<_>>().join("\n");
    let names = [
        "title",
        "date",
        "time",
        "n",
        "total",
        "section",
        "survey",
        "answer",
        "question",
        "seconds",
        "min",
        "step",
        "base",
        "points",
        "count",
        "max",
        "questions",
        "sections",
        "days",
    ];
    let args: Vec<(&str, Arg)> = names.iter().map(|n| (*n, Arg::Text(hole.into()))).collect();
    let mut words: Vec<String> = catalogue::ids(Lang::En)
        .iter()
        .flat_map(|id| say(Lang::En, id, &args).split(hole).map(|part| part.trim_matches(|c: char| !c.is_alphanumeric()).to_string()).collect::<Vec<_>>())
        .filter(|part| part.chars().filter(|c| c.is_alphabetic()).count() >= 4 && !welsh_catalogue.contains(part.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The default survey's own English texts that its Welsh does not share (not brand names).
fn english_survey_texts(app: &TestApp) -> Vec<String> {
    let survey = app.service.catalog().get(&canvass::Slug::parse(SLUG).unwrap()).unwrap();
    let welsh: Vec<String> = text_keys(&localized(&survey, "cy")).into_iter().map(|(_, t)| t).collect();
    text_keys(&survey).into_iter().map(|(_, t)| t).filter(|t| t.len() > 12 && !welsh.contains(t)).collect()
}

/// What a reader meets on the page: its text, its title and the labels read aloud; not
/// its scripts (the islands' props) or markup.
fn readable(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("</script>").map_or("", |end| &rest[start + end + 9..]);
    }
    text.push_str(rest);
    let labels: Vec<String> = ["aria-label=\"", "title=\"", "alt=\""]
        .iter()
        .flat_map(|attr| text.match_indices(attr).filter_map(|(at, _)| text[at + attr.len()..].split('"').next().map(str::to_string)).collect::<Vec<_>>())
        .collect();
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.replace("&amp;", "&").replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    format!("{plain}\n{}", labels.join("\n"))
}

fn contains_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

struct Checker {
    catalogue: Vec<String>,
    survey: Vec<String>,
    checked: Vec<String>,
}

impl Checker {
    fn new(app: &TestApp) -> Self {
        Checker { catalogue: english_catalogue_words(), survey: english_survey_texts(app), checked: Vec::new() }
    }

    /// The English words a reader of `html` would meet.
    fn english_in(&self, html: &str) -> Vec<&String> {
        let text = readable(html);
        self.catalogue.iter().chain(&self.survey).filter(|w| contains_words(&text, w)).collect()
    }

    fn page(&mut self, name: &str, html: &str) {
        assert!(html.contains(r#"<html lang="cy""#), "{name}: not marked as Welsh:\n{html}");
        let english = self.english_in(html);
        assert!(english.is_empty(), "{name} shows English: {english:?}\n{}", readable(html));
        self.checked.push(name.to_string());
    }
}

async fn step(app: &TestApp, number: &str, nav: &str, fields: &[(&str, &str)], cookie: &str) -> reqwest::Response {
    let mut all = vec![("_step", number), ("_nav", nav), ("submission_key", "welsh-pages-1")];
    all.extend_from_slice(fields);
    app.post_form(&format!("/s/{SLUG}"), &all, Some(cookie)).await
}

#[tokio::test]
async fn every_respondent_page_kind_reads_wholly_in_welsh() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.submit_valid(&format!("welsh-seed-{i}")).await;
    }
    let mut check = Checker::new(&app);
    assert!(check.catalogue.len() > 100 && check.survey.len() > 50, "{} {}", check.catalogue.len(), check.survey.len());
    let get = |path: String, cookie: String| {
        let app = &app;
        async move { app.get_with(&path, Some(&cookie)).await.text().await.unwrap() }
    };

    // The check has teeth: the same pages in English are full of what it looks for.
    let english_start = get(format!("/s/{SLUG}"), "canvass_lang=en".into()).await;
    assert!(check.english_in(&english_start).len() > 15, "{:?}", check.english_in(&english_start));

    check.page("the front page", &get("/".into(), WELSH.into()).await);
    check.page("a page not found", &get("/s/no-such-survey".into(), WELSH.into()).await);
    let start = get(format!("/s/{SLUG}"), WELSH.into()).await;
    check.page("the start page", &start);
    assert!(start.contains("Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus") && start.contains("Adran 1 o 5"), "{start}");
    assert!(start.contains(r#"hreflang="en-GB""#) && start.contains(r#"hreflang="cy""#), "both languages' addresses are given");

    // Continue with nothing: the rules' messages, the summary and the title in Welsh.
    let refused = step(&app, "1", "continue", &[], WELSH).await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    check.page("a section with problems", &refused);
    assert!(refused.contains("Dewiswch ateb ar gyfer math o sefydliad.") && refused.contains("<title>Gwall: "), "{refused}");

    let first = step(&app, "1", "continue", SECTIONS[0], WELSH).await;
    assert_eq!(first.status(), 303);
    let draft = support::set_cookie(&first, &format!("canvass_draft_{SLUG}=")).unwrap();
    let cookie = format!("{draft}; {WELSH}");
    for (i, fields) in SECTIONS.iter().enumerate().skip(1) {
        check.page(&format!("section {}", i + 1), &get(format!("/s/{SLUG}?step={}", i + 1), cookie.clone()).await);
        assert_eq!(step(&app, &(i + 1).to_string(), "continue", fields, &cookie).await.status(), 303);
    }
    let check_page = get(format!("/s/{SLUG}?step=check"), cookie.clone()).await;
    check.page("the check page", &check_page);
    assert!(check_page.contains("Gwiriwch eich atebion") && check_page.contains("Awdurdod lleol"), "{check_page}");

    assert_eq!(step(&app, "5", "save", &[], &cookie).await.status(), 303);
    check.page("the saved page", &get(format!("/s/{SLUG}/saved"), cookie.clone()).await);
    check.page("no saved answers", &get(format!("/s/{SLUG}/saved"), WELSH.into()).await);
    check.page("an expired resume link", &get(format!("/s/{SLUG}/resume/{}", "A".repeat(43)), WELSH.into()).await);
    // The saved link, opened in a browser that did not save it: asked first, in Welsh.
    let resume = format!("/s/{SLUG}/resume/{}", &draft[draft.find('=').unwrap() + 1..]);
    let asked = get(resume, WELSH.into()).await;
    check.page("a resume link in another browser", &asked);
    assert!(asked.contains("Parhau â’r atebion hyn") && asked.contains("Dechrau o’r newydd"), "{asked}");

    let submitted = step(&app, "check", "submit", &[], &cookie).await;
    assert_eq!(submitted.status(), 303, "{:?}", submitted.text().await);
    let receipt = support::set_cookie(&submitted, &format!("canvass_receipt_{SLUG}=")).unwrap();
    let results = get(format!("/s/{SLUG}/results"), format!("{receipt}; {WELSH}")).await;
    check.page("the receipt and results, with charts, benchmarks and the gap", &results);
    assert!(results.contains("Sut mae sefydliadau’n cymharu") && results.contains("r-gap") && results.contains("yn 2013"), "{results}");
    check.page("the survey after responding", &get(format!("/s/{SLUG}"), format!("{receipt}; {WELSH}")).await);
    check.page("results without a receipt", &get(format!("/s/{SLUG}/results"), WELSH.into()).await);
    let notice = get(format!("/s/{SLUG}/privacy"), WELSH.into()).await;
    check.page("the privacy notice", &notice);
    assert!(notice.contains("Tasg gyhoeddus") && notice.contains("2 flynedd"), "{notice}");
    check.page("confirming a withdrawal", &get(format!("/s/{SLUG}/withdraw"), format!("{receipt}; {WELSH}")).await);
    check.page("nothing to withdraw", &get(format!("/s/{SLUG}/withdraw"), WELSH.into()).await);
    let bad_link = app.get_with(&format!("/s/{SLUG}/receipt/not-a-receipt"), Some(WELSH)).await;
    check.page("a results link that does not work", &bad_link.text().await.unwrap());

    // 409: the survey closed while the respondent was answering.
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), true, "organiser@example.gov.uk").await.unwrap();
    check.page("the closed survey", &get(format!("/s/{SLUG}"), WELSH.into()).await);
    let closed = step(&app, "1", "continue", SECTIONS[0], WELSH).await;
    assert_eq!(closed.status(), 409);
    check.page("a post to the closed survey (409)", &closed.text().await.unwrap());

    // Before its opening time, with the date in Welsh.
    app.service.set_closed(&canvass::Slug::parse(SLUG).unwrap(), false, "organiser@example.gov.uk").await.unwrap();
    let survey = include_str!("../../surveys/public-sector-social-media.toml");
    let text = survey.replacen("title = ", "opens_at = \"2099-01-10T09:00:00Z\"\ntitle = ", 1);
    let definition = canvass::parse_definition("scheduled", &text).unwrap();
    app.service.store().publish(&definition, Some(&text)).await.unwrap();
    app.service.refresh_definitions().await.unwrap();
    let not_open = get(format!("/s/{SLUG}"), WELSH.into()).await;
    check.page("not open yet", &not_open);
    assert!(not_open.contains("Mae’n agor ar 10 Ionawr 2099 am 09:00 GMT."), "{not_open}");
    assert_eq!(check.checked.len(), 23, "{:?}", check.checked);
}

#[tokio::test]
async fn refusals_before_the_app_speak_welsh_too() {
    let app =
        spawn_app_with(|s| s.rate_limit = Some(server::respondents::limits::RateLimit { per_minute: 1, burst: 1, trust_forwarded_for: false })).await;
    let mut check = Checker::new(&app);
    assert_eq!(step(&app, "1", "continue", SECTIONS[0], WELSH).await.status(), 303);
    let limited = step(&app, "1", "continue", SECTIONS[0], WELSH).await;
    assert_eq!(limited.status(), 429);
    let limited = limited.text().await.unwrap();
    check.page("too many submissions (429)", &limited);
    assert!(limited.contains("Arhoswch ychydig"), "{limited}");

    let app = spawn_app().await;
    let mut check = Checker::new(&app);
    let unknown = app.get_with(&format!("/i/{}", "B".repeat(43)), Some(WELSH)).await;
    assert_eq!(unknown.status(), 404);
    check.page("an invitation link not recognised", &unknown.text().await.unwrap());
    let unknown = app.get_with(&format!("/u/{}", "B".repeat(43)), Some(WELSH)).await;
    check.page("an unsubscribe link not recognised", &unknown.text().await.unwrap());
    // A survey by invitation only, opened without one.
    let survey = include_str!("../../surveys/public-sector-social-media.toml").replacen("access = \"open\"", "access = \"invite\"", 1);
    let definition = canvass::parse_definition("invite", &survey).unwrap();
    app.service.store().publish(&definition, Some(&survey)).await.unwrap();
    app.service.refresh_definitions().await.unwrap();
    let by_invitation = app.get_with(&format!("/s/{SLUG}"), Some(WELSH)).await;
    assert_eq!(by_invitation.status(), 403);
    let by_invitation = by_invitation.text().await.unwrap();
    check.page("a survey by invitation (403)", &by_invitation);
    assert!(by_invitation.contains("Drwy wahoddiad"), "{by_invitation}");

    let huge = "x".repeat(3 * 1024 * 1024);
    let too_large = app.post_form(&format!("/s/{SLUG}"), &[("obstacle", huge.as_str())], Some(WELSH)).await;
    assert_eq!(too_large.status(), 413);
    let said = too_large.text().await.unwrap();
    assert!(said.starts_with("Mae eich atebion yn hwy"), "{said}");
}
