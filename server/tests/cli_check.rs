//! `canvass check FILE` as an organiser runs it.

mod support;

use std::process::Command;

fn canvass() -> Command {
    Command::new(env!("CARGO_BIN_EXE_canvass"))
}

#[test]
fn check_accepts_the_default_survey() {
    let out = canvass().args(["check", concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml")]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok") && stdout.contains("16 questions"), "{stdout}");
}

#[test]
fn check_lists_every_problem_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(
        &file,
        "slug = \"b\"\nversion = 1\ntitle = \"B\"\n[[sections]]\ntitle = \"S\"\n\
         [[sections.questions]]\nid = \"a\"\nkind = \"slider\"\ntext = \"A\"\n\
         [[sections.questions]]\nid = \"b\"\nkind = \"email\"\ntext = \"B\"\nshow_if = {question = \"zz\", equals = \"y\"}\n",
    )
    .unwrap();
    let out = canvass().arg("check").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("question `a`: unknown kind `slider`"), "{stderr}");
    assert!(stderr.contains("question `b`: `show_if` names question `zz`"), "{stderr}");
    assert!(stderr.contains("broken.toml"), "names the file: {stderr}");
}

#[test]
fn check_of_a_missing_file_says_so() {
    let out = canvass().args(["check", "/nonexistent/survey.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading /nonexistent/survey.toml"));
}

#[test]
fn serve_refuses_a_time_zone_it_does_not_know_and_says_what_to_use() {
    let out = canvass().args(["serve", "--time-zone", "Europe/Londn", "--database", "sqlite::memory:"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'Europe/Londn' is not a time zone Canvass knows: use an IANA name such as Europe/London"), "{stderr}");
}

#[test]
fn survey_schema_prints_the_json_schema_of_a_definition() {
    let out = canvass().args(["survey", "schema"]).output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(schema["title"], "Canvass survey definition");
    assert!(schema["$defs"]["question"]["properties"]["show_if"].is_object());
}

/// A translator's table for Welsh, from the default survey: every key with its English
/// above it. Filled in and added to the file with `languages = ["en", "cy"]`, `check`
/// accepts it; with a line left empty, `check` names it.
#[test]
fn a_translation_table_is_printed_filled_in_and_checked() {
    // The default survey in English alone (it ships with its Welsh: see the last check).
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../surveys/public-sector-social-media.toml");
    let english = support::english_only(&std::fs::read_to_string(shipped).unwrap());
    let english_dir = tempfile::tempdir().unwrap();
    let english_file = english_dir.path().join("english.toml");
    std::fs::write(&english_file, &english).unwrap();
    let default = english_file.to_str().unwrap();
    let out = canvass().args(["survey", "translation", default, "--lang", "cy"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("[translations.cy]\n# Public Sector Social Media Survey\ntitle = \"\"\n"), "{table}");
    assert!(table.contains("\"org_type.options.local\" = \"\""), "{table}");

    let source = std::fs::read_to_string(default).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bilingual.toml");
    // Each email body carries the recipient's link, as the English ones must.
    let filled = table.replace(" = \"\"\n", " = \"Testun Cymraeg\"\n").replace("body\" = \"Testun Cymraeg\"", "body\" = \"Testun Cymraeg {link}\"");
    std::fs::write(&file, format!("languages = [\"en\", \"cy\"]\n{source}\n{filled}")).unwrap();
    let checked = canvass().arg("check").arg(&file).output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));

    let holed = filled.replacen("\"org_type.options.local\" = \"Testun Cymraeg\"", "\"org_type.options.local\" = \"\"", 1);
    std::fs::write(&file, format!("languages = [\"en\", \"cy\"]\n{source}\n{holed}")).unwrap();
    let refused = canvass().arg("check").arg(&file).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("the Welsh (Cymraeg) text of `org_type.options.local` is missing from [translations.cy]"), "{said}");

    for (lang, expected) in
        [("en", "the file's own texts are English"), ("fr", "translate into one of the others Canvass has interface words for: cy (Welsh (Cymraeg))")]
    {
        let out = canvass().args(["survey", "translation", default, "--lang", lang]).output().unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(expected), "{}", String::from_utf8_lossy(&out.stderr));
    }

    // The shipped survey's table is its Welsh as it stands, every line filled in.
    let out = canvass().args(["survey", "translation", shipped, "--lang", "cy"]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("title = \"Arolwg Cyfryngau Cymdeithasol y Sector Cyhoeddus\"") && !table.contains(" = \"\"\n"), "{table}");
}
