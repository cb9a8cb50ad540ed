//! The reference (`docs/definitions.md`) and the JSON Schema (`docs/definition.schema.json`)
//! list exactly the keys the parser takes, at every level: neither can drift from it.

use std::collections::BTreeSet;

use canvass::parse_definition;
use serde_json::Value;

const SCHEMA: &str = include_str!("../docs/definition.schema.json");
const REFERENCE: &str = include_str!("../docs/definitions.md");

/// The keys the parser takes where `zzz` sits, read from its "unknown field" message.
fn accepted(text: &str) -> BTreeSet<String> {
    let error = parse_definition("probe", text).expect_err("an unknown key is refused").to_string();
    let listed = error.split("expected one of ").nth(1).or_else(|| error.split("expected ").nth(1)).unwrap_or_else(|| panic!("{error}"));
    listed.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn schema_keys(schema: &Value, pointer: &str) -> BTreeSet<String> {
    schema.pointer(pointer).and_then(Value::as_object).unwrap_or_else(|| panic!("{pointer}")).keys().cloned().collect()
}

const QUESTION: &str = "[[sections.questions]]\nid = \"a\"\nkind = \"single\"\ntext = \"A\"\n";

#[test]
fn the_schema_and_the_reference_list_every_key_the_parser_takes_and_no_other() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let levels = [
        ("/properties", accepted("zzz = 1\nslug = \"s\"\ntitle = \"T\"\n")),
        ("/$defs/section/properties", accepted("slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\nzzz = 1\n")),
        ("/$defs/question/properties", accepted(&format!("slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\n{QUESTION}zzz = 1\n"))),
        (
            "/$defs/choice/properties",
            accepted(&format!("slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\n{QUESTION}options = [{{ code = \"x\", label = \"X\", zzz = 1 }}]\n")),
        ),
        (
            "/$defs/benchmark/properties",
            accepted(&format!(
                "slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\n{QUESTION}options = [{{ code = \"x\", label = \"X\", benchmarks = [{{ wave = \"1\", percent = 1.0, label = \"L\", zzz = 1 }}] }}]\n"
            )),
        ),
        (
            "/$defs/condition/properties",
            accepted(&format!("slug = \"s\"\ntitle = \"T\"\n[[sections]]\ntitle = \"S\"\n{QUESTION}show_if = {{ question = \"q\", equals = \"x\", zzz = 1 }}\n")),
        ),
        ("/$defs/mail/properties", accepted("slug = \"s\"\ntitle = \"T\"\n[invitation]\nsubject = \"S\"\nzzz = 1\n")),
        ("/$defs/gap/properties", accepted("slug = \"s\"\ntitle = \"T\"\n[gap]\ntitle = \"G\"\nzzz = 1\n")),
        ("/$defs/retention/properties", accepted("slug = \"s\"\ntitle = \"T\"\n[retention]\nzzz = 1\n")),
        ("/$defs/data_protection/properties", accepted("slug = \"s\"\ntitle = \"T\"\n[data_protection]\nzzz = 1\n")),
    ];
    for (pointer, parser) in levels {
        assert_eq!(schema_keys(&schema, pointer), parser, "the schema at {pointer} against the parser");
        for key in &parser {
            assert!(REFERENCE.contains(&format!("| `{key}` |")), "docs/definitions.md has no row for `{key}` ({pointer})");
        }
    }
}
