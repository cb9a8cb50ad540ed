//! Counting stored responses into the totals the results page shows.

use canvass::{parse_definition, validate, RawAnswers, Tally};
use serde_json::json;

#[test]
fn totals_count_each_option_and_matrix_cell_as_a_share_of_all_responses() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new();
    for (org, strategy) in [("local", "yes"), ("local", "no"), ("health", "yes"), ("central", "yes")] {
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": org, "role": "other", "strategy": strategy, "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "planning", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"},
            "obstacle": "private words", "email": "a@b.org", "consent": true
        })).unwrap();
        tally.add(&validate(&survey, &raw).unwrap().answers);
    }
    let results = tally.results(&survey);
    assert_eq!(results.responses, 4);
    let strategy = results.questions.iter().find(|q| q.id == "strategy").unwrap();
    let yes = &strategy.options[0];
    assert_eq!((yes.code.as_str(), yes.count, yes.percent), ("yes", 3, 75.0));
    assert_eq!(yes.benchmarks.len(), 2);
    let channels = results.questions.iter().find(|q| q.id == "channels").unwrap();
    let facebook = channels.rows.iter().find(|r| r.code == "facebook").unwrap();
    let counts: Vec<u64> = facebook.cells.iter().map(|c| c.count).collect();
    assert_eq!(counts, [0, 4, 0]);
    assert_eq!(facebook.cells[0].benchmarks[0].percent, 18.0);
    assert!(results.questions.iter().all(|q| q.id != "obstacle" && q.id != "email"),
        "free text and contact details are never counted");
}
