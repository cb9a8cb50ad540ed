//! Broken definition files are refused with a message naming the file, question and fix.

use canvass::{parse_definition, Kind};

const HEAD: &str = "slug = \"demo\"\nversion = 1\ntitle = \"Demo\"\n[[sections]]\ntitle = \"Only\"\n";

fn problems(questions: &str) -> Vec<String> {
    let text = format!("{HEAD}{questions}");
    parse_definition("surveys/demo.toml", &text).expect_err("should be refused").to_string().lines().map(str::to_string).collect()
}

#[test]
fn the_default_survey_is_complete() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let ids: Vec<&str> = survey.questions().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "org_type",
            "role",
            "nation",
            "strategy",
            "purposes",
            "channels",
            "user_channels",
            "budget",
            "paid_tools",
            "tool_kinds",
            "spend",
            "priorities",
            "would_pay",
            "obstacle",
            "email",
            "consent"
        ]
    );
    let strategy = survey.question("strategy").unwrap();
    let yes = &strategy.kind.options().unwrap()[0];
    let marks: Vec<(&str, f64)> = yes.benchmarks.iter().map(|b| (b.wave.as_str(), b.percent)).collect();
    assert_eq!(marks, [("2011", 70.0), ("2013", 87.0)]);
    assert!(matches!(survey.question("purposes").unwrap().kind, Kind::Multiple { max: Some(3), .. }));
}

#[test]
fn each_broken_definition_is_refused_with_its_reason() {
    let cases = [
        ("unknown kind",
         "[[sections.questions]]\nid = \"a\"\nkind = \"slider\"\ntext = \"A?\"\n",
         "surveys/demo.toml: question `a`: unknown kind `slider`; use one of single, multiple, matrix, number, text, email, consent"),
        ("duplicate question id",
         "[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A?\"\n[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"B?\"\n",
         "surveys/demo.toml: question `a`: duplicate question id; give each question its own id"),
        ("duplicate option code",
         "[[sections.questions]]\nid = \"a\"\nkind = \"single\"\ntext = \"A?\"\noptions = [{code = \"x\", label = \"X\"}, {code = \"x\", label = \"Y\"}]\n",
         "surveys/demo.toml: question `a`: duplicate options code `x`; codes must be unique"),
        ("show_if on a missing question",
         "[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A?\"\nshow_if = {question = \"ghost\", equals = \"yes\"}\n",
         "surveys/demo.toml: question `a`: `show_if` names question `ghost`, which is not a question before this one"),
        ("show_if on a missing option",
         "[[sections.questions]]\nid = \"a\"\nkind = \"single\"\ntext = \"A?\"\noptions = [{code = \"yes\", label = \"Yes\"}]\n[[sections.questions]]\nid = \"b\"\nkind = \"email\"\ntext = \"B?\"\nshow_if = {question = \"a\", equals = \"maybe\"}\n",
         "surveys/demo.toml: question `b`: `show_if` expects `a` to equal `maybe`, which is not one of its options (yes)"),
        ("max above the option count",
         "[[sections.questions]]\nid = \"a\"\nkind = \"multiple\"\ntext = \"A?\"\nmax = 3\noptions = [{code = \"x\", label = \"X\"}, {code = \"y\", label = \"Y\"}]\n",
         "surveys/demo.toml: question `a`: `max` is 3 but there are only 2 options; lower `max` to at most 2"),
        ("field of another kind",
         "[[sections.questions]]\nid = \"a\"\nkind = \"text\"\ntext = \"A?\"\nmax = 3\n",
         "surveys/demo.toml: question `a`: `max` does not apply to a text question; remove it"),
        ("missing options",
         "[[sections.questions]]\nid = \"a\"\nkind = \"single\"\ntext = \"A?\"\n",
         "surveys/demo.toml: question `a`: a single question needs `options`"),
        ("number range upside down",
         "[[sections.questions]]\nid = \"a\"\nkind = \"number\"\ntext = \"A?\"\nmin = 5\nmax = 1\n",
         "surveys/demo.toml: question `a`: `min` (5) is larger than `max` (1); swap them"),
        ("benchmark above 100%",
         "[[sections.questions]]\nid = \"a\"\nkind = \"single\"\ntext = \"A?\"\noptions = [{code = \"x\", label = \"X\", benchmarks = [{wave = \"2013\", percent = 120.0, label = \"X\"}]}]\n",
         "surveys/demo.toml: question `a`: benchmark for `x` (2013) is 120%; use a percentage from 0 to 100"),
        ("matrix benchmark on a missing column",
         "[[sections.questions]]\nid = \"a\"\nkind = \"matrix\"\ntext = \"A?\"\ncolumns = [{code = \"on\", label = \"On\"}]\nrows = [{code = \"r\", label = \"R\", benchmarks = [{wave = \"2013\", percent = 5.0, label = \"R\", column = \"off\"}]}]\n",
         "surveys/demo.toml: question `a`: benchmark for `r` names column `off`, which does not exist"),
        ("question id unfit for a CSV header",
         "[[sections.questions]]\nid = \"Org Type\"\nkind = \"email\"\ntext = \"A?\"\n",
         "surveys/demo.toml: question `Org Type`: id must be lowercase letters, digits and underscores (it is a CSV column code)"),
    ];
    for (case, questions, expected) in cases {
        assert_eq!(problems(questions), [expected.to_string()], "case: {case}");
    }
}

#[test]
fn a_file_that_is_not_toml_names_the_line() {
    let error = parse_definition("surveys/demo.toml", "slug = \"demo\nversion = 1").unwrap_err();
    assert_eq!(error.file, "surveys/demo.toml");
    assert!(error.to_string().starts_with("surveys/demo.toml: not a valid definition: "), "{error}");
    assert!(error.to_string().contains("line 1"), "{error}");
}

#[test]
fn a_survey_without_questions_is_refused() {
    let error = parse_definition("surveys/demo.toml", "slug = \"demo\"\nversion = 1\ntitle = \"Demo\"\n").unwrap_err();
    assert_eq!(error.problems, ["the survey has no questions; add a [[sections]] with [[sections.questions]]"]);
}

#[test]
fn a_gap_or_segment_pointing_at_the_wrong_question_is_refused() {
    let questions = "[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A?\"\n";
    let text = format!("slug = \"demo\"\nversion = 1\ntitle = \"Demo\"\nsegment_by = \"a\"\n[gap]\ntitle = \"G\"\norganisations = \"a\"\ncolumn = \"x\"\nusers = \"zz\"\n[[sections]]\ntitle = \"Only\"\n{questions}");
    let error = parse_definition("surveys/demo.toml", &text).unwrap_err();
    assert_eq!(
        error.problems,
        [
            "segment_by names `a`, a question of kind email; segments need a single choice question",
            "gap: organisations must name a matrix question; `a` is not one",
            "gap: users must name a multiple choice question; `zz` is not one",
        ]
    );
}

#[test]
fn a_definition_over_a_megabyte_is_refused_before_it_is_read() {
    let text = format!("{HEAD}# {}\n", "x".repeat(1_000_001));
    let error = parse_definition("big.toml", &text).unwrap_err().to_string();
    assert_eq!(error, "big.toml: the definition is 1001 KB; the most Canvass takes is 1000 KB. Split it into several surveys");
}

#[test]
fn a_survey_of_more_than_five_hundred_questions_is_refused() {
    let questions: String = (0..501).map(|i| format!("[[sections.questions]]\nid = \"q{i}\"\nkind = \"email\"\ntext = \"Q{i}\"\n")).collect();
    assert_eq!(problems(&questions), ["surveys/demo.toml: the survey has 501 questions; the most Canvass takes is 500. Split it into several surveys"]);
}

#[test]
fn opening_and_closing_times_must_be_utc_and_in_order() {
    let with = |times: &str| {
        format!("slug = \"demo\"\ntitle = \"Demo\"\n{times}[[sections]]\ntitle = \"Only\"\n[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A\"\n")
    };
    let survey = parse_definition("demo.toml", &with("opens_at = \"2027-01-10T09:00Z\"\ncloses_at = \"2027-01-31T17:00:00Z\"\n")).unwrap();
    assert_eq!((survey.opens_at.as_deref(), survey.closes_at.as_deref()), (Some("2027-01-10T09:00:00Z"), Some("2027-01-31T17:00:00Z")));
    let error = parse_definition("demo.toml", &with("opens_at = \"10/01/2027 09:00\"\n")).unwrap_err().to_string();
    assert_eq!(error, "demo.toml: opens_at `10/01/2027 09:00` is not a UTC time: write it like 2027-01-10T09:00:00Z (the Z means UTC)");
    let error =
        parse_definition("demo.toml", &with("opens_at = \"2027-02-01T09:00:00Z\"\ncloses_at = \"2027-01-31T17:00:00Z\"\n")).unwrap_err().to_string();
    assert_eq!(error, "demo.toml: closes_at 2027-01-31T17:00:00Z must be after opens_at 2027-02-01T09:00:00Z");
}

#[test]
fn access_anonymity_and_the_panel_emails_are_read_and_checked() {
    let with = |head: &str| {
        format!("slug = \"demo\"\ntitle = \"Demo\"\n{head}[[sections]]\ntitle = \"Only\"\n[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A\"\n")
    };
    let plain = parse_definition("demo.toml", &with("")).unwrap();
    assert_eq!((plain.access, plain.anonymous), (canvass::mail_text::Access::Open, true), "open and anonymous unless the file says otherwise");
    assert!(plain.invitation_text().body.contains("{link}"));
    let invite =
        parse_definition("demo.toml", &with("access = \"invite\"\nanonymous = false\n[invitation]\nsubject = \"Hello {name}\"\nbody = \"Go: {link}\"\n"))
            .unwrap();
    assert_eq!((invite.access, invite.anonymous), (canvass::mail_text::Access::Invite, false));
    assert_eq!(invite.invitation_text().subject, "Hello {name}");
    let error = parse_definition("demo.toml", &with("access = \"private\"\n")).unwrap_err().to_string();
    assert_eq!(error, "demo.toml: access `private` is not one Canvass knows: write access = \"open\" (anyone with the address) or access = \"invite\" (invitation links only)");
    let error = parse_definition("demo.toml", &with("[reminder]\nsubject = \"Reminder\"\nbody = \"Please answer: {url}\"\n")).unwrap_err().to_string();
    assert_eq!(
        error,
        "demo.toml: [reminder] body uses {url}, which Canvass cannot fill; the placeholders are {name}, {link} and {closes}\n\
         demo.toml: [reminder] body has no {link}: each recipient's own survey link goes where it is written"
    );
}

#[test]
fn a_population_of_zero_is_refused_with_what_to_write() {
    let text = "slug = \"demo\"\ntitle = \"Demo\"\npopulation = 0\n[[sections]]\ntitle = \"Only\"\n[[sections.questions]]\nid = \"a\"\nkind = \"email\"\ntext = \"A\"\n";
    let error = parse_definition("demo.toml", text).unwrap_err().to_string();
    assert_eq!(error, "demo.toml: population is 0: give how many organisations the survey could reach (e.g. population = 450), or leave it out");
    let ok = parse_definition("demo.toml", &text.replace("population = 0", "population = 450")).unwrap();
    assert_eq!(ok.population, Some(450));
}
