//! What a signed-in organiser does: watch the results, read the responses, close and
//! reopen a survey, export responses and the codebook over HTTP.

mod support;

use std::collections::BTreeMap;

use canvass::{parse_definition, Kind};
use serde_json::{json, Value};
use support::{spawn_app, spawn_app_with, valid_answers, EventReader, SLUG};

#[tokio::test]
async fn a_closed_survey_refuses_submissions_on_every_path_and_reopening_accepts_them_again() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    app.submit_valid("before-close").await;
    // A respondent part-way through, without JavaScript: their answers are in a draft.
    let step = app.post_form(&format!("/s/{SLUG}"), &[("_step", "1"), ("_nav", "continue"), ("org_type", "local")], None).await;
    assert!(step.headers()["set-cookie"].to_str().unwrap().starts_with("canvass_draft_"));

    // Close asks first, saying who would be cut off; nothing changes until confirmed.
    let asked = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "close")], Some(&cookie)).await;
    assert_eq!(asked.status(), 303);
    assert_eq!(asked.headers()["location"], format!("/admin/surveys/{SLUG}/close"));
    assert!(!app.service.closed(&canvass::Slug::parse(SLUG).unwrap()), "not closed without confirming");
    let confirm = app.get_with(&format!("/admin/surveys/{SLUG}/close"), Some(&cookie)).await.text().await.unwrap();
    assert!(confirm.contains("Close this survey?") && confirm.contains("1 respondent is part-way through answering"), "{confirm}");
    assert!(confirm.contains("Yes, close the survey") && confirm.contains(r#"name="confirm" value="yes""#));
    let closed = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "close"), ("confirm", "yes")], Some(&cookie)).await;
    assert_eq!(closed.status(), 303);
    assert_eq!(closed.headers()["location"], format!("/admin/surveys/{SLUG}/settings?done=closed"));

    let api = app.post_response(&json!({"submission_key": "while-closed", "answers": valid_answers()})).await;
    assert_eq!(api.status(), 409);
    assert!(api.json::<Value>().await.unwrap()["detail"].as_str().unwrap().contains("is closed"));
    let form = app.post_form(&format!("/s/{SLUG}"), &[("submission_key", "form-closed"), ("org_type", "local")], None).await;
    assert_eq!(form.status(), 409);
    assert!(form.text().await.unwrap().contains("This survey is closed"));
    let page = app.get_with(&format!("/s/{SLUG}"), None).await.text().await.unwrap();
    assert!(page.contains("This survey is closed") && !page.contains("<form method=\"post\" action=\"/s/"), "respondents see a closed page, no form");
    let open_now = app.get_with("/", None).await.text().await.unwrap();
    assert!(!open_now.contains(&format!("/s/{SLUG}\"")) && open_now.contains("No surveys are open just now"), "the list of open surveys leaves it out");
    assert_eq!(app.stored_rows("responses").await, 1, "nothing stored while closed; earlier responses kept");
    let settings = app.get_with(&format!("/admin/surveys/{SLUG}/settings?done=closed"), Some(&cookie)).await.text().await.unwrap();
    assert!(settings.contains("Reopen the survey") && settings.contains("The survey is closed: no new responses are accepted."), "{settings}");
    let home = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(home.contains("data-testid=\"survey-state\">Closed<"), "the home says so: {home}");

    let bad = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "delete")], Some(&cookie)).await;
    assert_eq!(bad.status(), 400);
    let reopened = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "reopen")], Some(&cookie)).await;
    assert_eq!(reopened.status(), 303);
    app.submit_valid("after-reopen").await;
    assert_eq!(app.stored_rows("responses").await, 2);
}

#[tokio::test]
async fn results_count_and_show_activity_and_responses_show_escaped_free_text_a_page_at_a_time() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    for i in 0..23 {
        let mut answers = valid_answers();
        answers["obstacle"] = json!(format!("<script>alert({i})</script> & <b>bold</b>"));
        app.post_response(&json!({"submission_key": format!("d{i}"), "answers": answers})).await;
    }
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(overview.contains(&format!("data-testid=\"count-{SLUG}\">23<")), "the overview counts responses");
    // The default survey is anonymous: its responses keep the day only.
    let today = humantime::format_rfc3339(std::time::SystemTime::now()).to_string()[..10].to_string();
    assert!(overview.contains("Open") && overview.contains(&format!("{today}<")), "state and the last response's day");

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/results"), Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("data-testid=\"dashboard-count\">23<"));
    assert!(page.contains("Responses per day") && page.contains("Local authority"), "activity and the breakdown by organisation type");
    assert!(!page.contains("alert("), "free text is not on the results page");
    let home = app.get_with(&format!("/admin/surveys/{SLUG}"), Some(&cookie)).await.text().await.unwrap();
    assert!(home.contains("data-testid=\"home-responses\">23<"), "the home counts them too");

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/responses"), Some(&cookie)).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("&lt;script&gt;alert(22)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"), "free text is escaped");
    assert!(!page.contains("<script>alert("), "and never markup");
    assert!(!page.contains("alert(2)<"), "the oldest answers are on the next page");
    assert!(page.contains("Older answers"));
    let older = app.get_with(&format!("/admin/surveys/{SLUG}/responses?page=1"), Some(&cookie)).await.text().await.unwrap();
    assert!(older.contains("alert(2)&lt;") && older.contains("Newer answers") && !older.contains("alert(22)"));
    for part in ["", "/results", "/responses", "/settings"] {
        let unknown = app.get_with(&format!("/admin/surveys/no-such-survey{part}"), Some(&cookie)).await;
        assert_eq!(unknown.status(), 404, "{part}");
    }
}

/// The database keeps UTC; an organiser in London reads London time. A response at 23:30
/// UTC on a July evening arrived at 00:30 BST the next day, and is counted on that day.
#[tokio::test]
async fn the_results_show_times_and_days_in_the_organisers_zone_and_name_it() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    app.submit_valid("summer-night").await;
    app.set_submitted_at("2026-07-01T23:30:00.000Z").await;

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/results"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("the last at 2026-07-02 00:30 BST"), "last response in London summer time");
    assert!(page.contains("Days and times in Europe/London time.") && page.contains("<td>2026-07-02</td>"), "counted on the London day");
    assert!(!page.contains("2026-07-01") && !page.contains("UTC"), "no UTC day or time shown");
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(overview.contains("2026-07-02 00:30 BST"), "the overview too");

    let in_utc = spawn_app_with(|s| s.zone = server::organisers::zone::OrganiserZone::parse("UTC").unwrap()).await;
    let cookie = in_utc.organiser_cookie().await;
    in_utc.submit_valid("summer-night").await;
    in_utc.set_submitted_at("2026-07-01T23:30:00.000Z").await;
    let page = in_utc.get_with(&format!("/admin/surveys/{SLUG}/results"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("the last at 2026-07-01 23:30 UTC") && page.contains("Days and times in UTC time."), "a configured zone is used and named");
}

/// A right-to-left override makes `report\u{202E}fdp.exe` read as `reportexe.pdf`; a NUL
/// cuts text short in some tools. The dashboard and the export show them as codes, and
/// a formula after a `;` cannot become a cell of its own.
#[tokio::test]
async fn hidden_controls_show_as_codes_on_the_responses_page_and_in_the_export() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let mut answers = valid_answers();
    answers["obstacle"] = json!("report\u{202E}fdp.exe\u{0} safe;=1+1");
    let stored = app.post_response(&json!({"submission_key": "bidi", "answers": answers})).await;
    assert_eq!(stored.status(), 201);

    let page = app.get_with(&format!("/admin/surveys/{SLUG}/responses"), Some(&cookie)).await.text().await.unwrap();
    assert!(page.contains("report[U+202E]fdp.exe[U+0000] safe;=1+1"), "the responses page shows the codes");
    assert!(!page.contains('\u{202E}') && !page.contains('\u{0}'), "and never the controls themselves");

    let export = app.get_with(&format!("/admin/surveys/{SLUG}/export.csv"), Some(&cookie)).await.text().await.unwrap();
    assert!(export.contains(",\"report[U+202E]fdp.exe[U+0000] safe;'=1+1\""), "quoted, coded and neutralised: {export}");
    assert!(!export.contains('\u{202E}') && !export.contains('\u{0}'));
}

#[tokio::test]
async fn organisers_get_live_totals_as_responses_arrive() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let stream = app.get_with(&format!("/admin/surveys/{SLUG}/live"), Some(&cookie)).await;
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut events = EventReader::new(stream);
    assert_eq!(events.next().await.unwrap()["responses"], 0);
    app.submit_valid("live-1").await;
    let mut latest = 0;
    while latest < 1 {
        latest = events.next().await.expect("an update arrives")["responses"].as_u64().unwrap();
    }
    assert_eq!(latest, 1);
}

/// A tiny deterministic generator: the same "random" responses on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

const TEXTS: &[&str] = &[
    "=SUM(A1:A9)",
    "+44 20 7946 0000",
    "-minus first",
    "@handle",
    "plain, with a comma",
    "\"quoted\" words",
    "line one\nline two",
    "Café £500 — naïve 中文",
    "ordinary",
];

/// Random complete answers to the default survey, drawn from its own options.
fn random_answers(rng: &mut Rng) -> Value {
    let definition = parse_definition("default", include_str!("../../surveys/public-sector-social-media.toml")).unwrap();
    let mut answers = serde_json::Map::new();
    for q in definition.questions() {
        let value = match &q.kind {
            Kind::Single { options } => json!(options[rng.next(options.len())].code),
            Kind::Multiple { options, max } => {
                let limit = max.map(|m| m as usize).unwrap_or(options.len()).min(options.len());
                let mut chosen: Vec<&str> = options.iter().map(|o| o.code.as_str()).filter(|_| rng.next(2) == 0).collect();
                chosen.truncate(limit);
                if chosen.is_empty() {
                    chosen.push(&options[0].code);
                }
                json!(chosen)
            }
            Kind::Matrix { rows, columns } => {
                json!(rows.iter().map(|r| (r.code.clone(), json!(columns[rng.next(columns.len())].code))).collect::<serde_json::Map<_, _>>())
            }
            Kind::Number { max, .. } => json!(rng.next((*max).min(1_000_000) as usize)),
            Kind::Text { .. } => json!(TEXTS[rng.next(TEXTS.len())]),
            Kind::Email => json!("someone.private@example.org"),
            Kind::Consent { .. } => json!(true),
        };
        answers.insert(q.id.clone(), value);
    }
    Value::Object(answers)
}

/// The cell the export must hold for `answer` in column `column`, written from the CSV
/// contract (ARCHITECTURE.md, "CSV export"), independent of the export code: a 0/1 column
/// per option of a multiple choice, a column per matrix row, blank for a question not
/// shown, a formula start neutralised.
fn expected_cell(column: &str, answers: &Value) -> String {
    let (question, part) = column.split_once('.').map(|(q, p)| (q, Some(p))).unwrap_or((column, None));
    let shown = question != "tool_kinds" || answers["paid_tools"] == "yes";
    if !shown {
        return String::new();
    }
    match (&answers[question], part) {
        (Value::Array(chosen), Some(option)) => if chosen.iter().any(|c| c == option) { "1" } else { "0" }.into(),
        (Value::Object(rows), Some(row)) => rows[row].as_str().unwrap().into(),
        (Value::String(text), None) => {
            let text = text.trim();
            if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{text}")
            } else {
                text.into()
            }
        }
        (Value::Number(n), None) => n.to_string(),
        other => panic!("no expectation for {column}: {other:?}"),
    }
}

#[tokio::test]
async fn the_http_export_holds_exactly_the_stored_answers_and_matches_the_command_line_byte_for_byte() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    let mut rng = Rng(0x5eed_cafe_f00d);
    let mut submitted: BTreeMap<String, Value> = BTreeMap::new();
    for i in 0..60 {
        let answers = random_answers(&mut rng);
        let response = app.post_response(&json!({"submission_key": format!("x{i}"), "answers": answers})).await;
        assert_eq!(response.status(), 201, "{answers}");
        let id = response.json::<Value>().await.unwrap()["response_id"].as_str().unwrap().to_string();
        submitted.insert(id, answers);
    }

    let response = app.get_with(&format!("/admin/surveys/{SLUG}/export.csv"), Some(&cookie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let today = server::storage::now_rfc3339()[..10].to_string();
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains(&format!("{SLUG}-responses-{today}.csv")), "named for what it is and when: {disposition}");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(!String::from_utf8_lossy(&bytes).contains("someone.private@example.org"), "no contact details");

    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["response_id", "submitted_at", "version", "language"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), submitted.len(), "one row per response");
    let mut checked_cells = 0;
    for row in &rows {
        let answers = submitted.get(&row[0]).unwrap_or_else(|| panic!("unknown response id {}", &row[0]));
        assert_eq!((&row[2], &row[3]), ("1", "en"), "version 1, answered through the API (English)");
        for (i, column) in header.iter().enumerate().skip(4) {
            assert_eq!(row[i], expected_cell(column, answers), "column {column} of {}", &row[0]);
            checked_cells += 1;
        }
    }
    assert!(checked_cells > 60 * 30, "every answer column was compared ({checked_cells} cells)");

    for (query, flags, name) in [
        ("", &[][..], "responses"),
        ("?labels=1", &["--labels"][..], "responses-labels"),
        ("?labels=1&bom=1", &["--labels", "--bom"][..], "responses-labels-excel"),
    ] {
        let http = app.get_with(&format!("/admin/surveys/{SLUG}/export.csv{query}"), Some(&cookie)).await;
        assert!(http.headers()["content-disposition"].to_str().unwrap().contains(&format!("{SLUG}-{name}-{today}.csv")), "{query}");
        assert_eq!(http.bytes().await.unwrap().to_vec(), app.cli_export(flags), "HTTP {query} and CLI {flags:?} give the same bytes");
    }
    let codebook = app.get_with(&format!("/admin/surveys/{SLUG}/codebook.csv"), Some(&cookie)).await;
    assert!(codebook.headers()["content-disposition"].to_str().unwrap().contains(&format!("{SLUG}-codebook-{today}.csv")));
    assert_eq!(codebook.bytes().await.unwrap().to_vec(), app.cli_export(&["--codebook"]));
    let for_excel = app.get_with(&format!("/admin/surveys/{SLUG}/codebook.csv?bom=1"), Some(&cookie)).await;
    assert!(for_excel.headers()["content-disposition"].to_str().unwrap().contains(&format!("{SLUG}-codebook-excel-{today}.csv")));
    assert!(for_excel.bytes().await.unwrap().starts_with(b"\xEF\xBB\xBFcolumn,"), "the Excel codebook is UTF-8 marked");
}

#[tokio::test]
async fn a_closed_survey_can_be_archived_out_of_the_list_and_keeps_its_data() {
    let app = spawn_app().await;
    let cookie = app.organiser_cookie().await;
    app.submit_valid("kept").await;
    let open = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "archive")], Some(&cookie)).await;
    assert_eq!(open.status(), 409, "an open survey is closed first");
    assert!(open.text().await.unwrap().contains("Only a closed survey can be archived: close it first"));

    app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "close"), ("confirm", "yes")], Some(&cookie)).await;
    let archived = app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "archive")], Some(&cookie)).await;
    assert_eq!(archived.status(), 303);
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(overview.contains("Archived surveys (1)"), "listed apart");
    assert!(!overview.contains(&format!("data-testid=\"count-{SLUG}\"")), "not in the table of surveys");
    let export = app.get_with(&format!("/admin/surveys/{SLUG}/export.csv"), Some(&cookie)).await.text().await.unwrap();
    assert_eq!(export.lines().count(), 2, "its responses are kept and exportable");
    let front = app.client.get(format!("{}/", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!front.contains(&format!("/s/{SLUG}")), "not on the front page");

    // Reopening brings it back into the list.
    app.post_form(&format!("/admin/surveys/{SLUG}/state"), &[("action", "reopen")], Some(&cookie)).await;
    let overview = app.get_with("/admin", Some(&cookie)).await.text().await.unwrap();
    assert!(!overview.contains("Archived surveys") && overview.contains(&format!("data-testid=\"count-{SLUG}\"")));
}
