//! The live tally is built one response at a time; it must always equal a recount of
//! the stored responses, whatever they are and in whatever order they arrive.

use std::collections::BTreeMap;

use canvass::{parse_definition, segment_size, validate, Answer, Definition, Kind, RawAnswers, Tally, ValidResponse};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn survey() -> Definition {
    parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap()
}

/// A valid response built from random picks: every closed question answered with
/// options chosen by the picks, optional ones sometimes left out.
fn response_from(definition: &Definition, picks: &[u8]) -> RawAnswers {
    let mut next = picks.iter().copied().cycle();
    let mut pick = move |n: usize| next.next().unwrap_or(0) as usize % n.max(1);
    let mut answers = Map::new();
    for q in definition.questions() {
        if !q.required && pick(4) == 0 {
            continue;
        }
        let value = match &q.kind {
            Kind::Single { options } => json!(options[pick(options.len())].code),
            Kind::Multiple { options, max } => {
                let limit = max.map(|m| m as usize).unwrap_or(options.len());
                let count = 1 + pick(limit);
                let chosen: Vec<&str> = (0..count).map(|_| options[pick(options.len())].code.as_str()).collect();
                json!(chosen)
            }
            Kind::Matrix { rows, columns } => {
                let cells: Map<String, Value> = rows.iter().map(|r| (r.code.clone(), json!(columns[pick(columns.len())].code))).collect();
                Value::Object(cells)
            }
            Kind::Number { min, max, .. } => json!(min + (pick(1000) as i64) % (max - min + 1)),
            Kind::Text { .. } => json!("free text is never counted"),
            Kind::Email | Kind::Consent { .. } => continue,
        };
        answers.insert(q.id.clone(), value);
    }
    serde_json::from_value(Value::Object(answers)).unwrap()
}

/// Counts by scanning the stored responses directly, independently of `Tally`.
fn recount(definition: &Definition, responses: &[ValidResponse]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for r in responses {
        for (q, a) in r.answers().iter().filter(|(q, _)| definition.question(q).is_some_and(|q| q.kind.is_closed())) {
            let keys: Vec<String> = match a {
                Answer::Text(c) => vec![format!("{q}.{c}")],
                Answer::List(cs) => cs.iter().map(|c| format!("{q}.{c}")).collect(),
                Answer::Map(m) => m.iter().map(|(row, col)| format!("{q}.{row}.{col}")).collect(),
                _ => vec![],
            };
            for k in keys {
                *counts.entry(k).or_insert(0) += 1;
            }
        }
    }
    // The segment question's small groups are withheld, as the breakdown withholds them.
    let segments = definition.segment_by.as_deref().unwrap_or_default();
    counts.retain(|key, n| !key.strip_prefix(segments).is_some_and(|rest| rest.starts_with('.')) || segment_size(*n).is_some());
    counts
}

/// The same counts, read back from the tally's results as published.
fn counts_in(tally: &Tally, definition: &Definition) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for q in tally.results(definition).published().questions {
        for o in &q.options {
            if let Some(count) = o.count.filter(|n| *n > 0) {
                counts.insert(format!("{}.{}", q.id, o.code), count);
            }
        }
        for row in &q.rows {
            for cell in &row.cells {
                if let Some(count) = cell.count.filter(|n| *n > 0) {
                    counts.insert(format!("{}.{}.{}", q.id, row.code, cell.code), count);
                }
            }
        }
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn incremental_tally_equals_a_recount_in_any_order(picks in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..40), 0..80)) {
        let definition = survey();
        let responses: Vec<ValidResponse> = picks
            .iter()
            .map(|p| validate(&definition, &response_from(&definition, p)).expect("generated responses are valid"))
            .collect();
        let mut forward = Tally::new(&definition);
        for r in &responses {
            forward.add(r.answers());
        }
        let mut backward = Tally::new(&definition);
        for r in responses.iter().rev() {
            backward.add(r.answers());
        }
        prop_assert_eq!(forward.responses(), responses.len() as u64);
        prop_assert_eq!(counts_in(&forward, &definition), recount(&definition, &responses));
        prop_assert_eq!(forward.results(&definition), backward.results(&definition));
    }
}
