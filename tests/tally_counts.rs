//! Counting stored responses into the totals the results page shows.

use canvass::{parse_definition, validate, RawAnswers, Tally};
use serde_json::json;

#[test]
fn totals_count_each_option_and_matrix_cell_as_a_share_of_all_responses() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new(&survey);
    for (org, strategy) in [("local", "yes"), ("local", "no"), ("health", "yes"), ("central", "yes")] {
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": org, "role": "other", "strategy": strategy, "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "planning", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"},
            "obstacle": "private words", "email": "a@b.org", "consent": true
        }))
        .unwrap();
        tally.add(validate(&survey, &raw).unwrap().answers());
    }
    let results = tally.results(&survey);
    assert_eq!(results.responses, 4);
    let strategy = results.questions.iter().find(|q| q.id == "strategy").unwrap();
    let yes = &strategy.options[0];
    assert_eq!((yes.code.as_str(), yes.count, yes.percent), ("yes", Some(3), Some(75.0)));
    assert_eq!(yes.benchmarks.len(), 2);
    let channels = results.questions.iter().find(|q| q.id == "channels").unwrap();
    let facebook = channels.rows.iter().find(|r| r.code == "facebook").unwrap();
    let counts: Vec<u64> = facebook.cells.iter().filter_map(|c| c.count).collect();
    assert_eq!(counts, [0, 4, 0]);
    assert_eq!(facebook.cells[0].benchmarks[0].percent, 18.0);
    assert!(results.questions.iter().all(|q| q.id != "obstacle" && q.id != "email"), "free text and contact details are never counted");
}

fn tally_of(org_types: &[&str], user_channels: &[&str]) -> (canvass::Definition, Tally) {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new(&survey);
    for (i, org) in org_types.iter().enumerate() {
        let using = if i % 2 == 0 { "using" } else { "no_plans" };
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": org, "role": "other", "strategy": "yes", "purposes": ["news"],
            "channels": {"twitter": using, "facebook": using, "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"},
            "user_channels": user_channels,
        }))
        .unwrap();
        tally.add(validate(&survey, &raw).unwrap().answers());
    }
    (survey, tally)
}

#[test]
fn segments_with_fewer_than_five_responses_show_no_number_where_published() {
    let (survey, tally) = tally_of(&["local", "local", "local", "local", "local", "health", "health"], &["facebook"]);
    let segments = tally.results(&survey).published().segments.expect("the default survey segments by organisation type");
    let shown: Vec<(&str, Option<u64>)> = segments.groups.iter().map(|g| (g.code.as_str(), g.responses)).collect();
    assert_eq!(shown[1], ("local", Some(5)));
    assert_eq!(shown[2], ("health", None), "2 responses are too few to show");
    assert_eq!(shown[0], ("central", None), "0 responses are not shown either");
}

/// The question that defines the segments follows the same rule in its own totals: a
/// count of 2 "NHS or health body" there would name the group the breakdown hides.
#[test]
fn the_segment_questions_totals_withhold_the_groups_the_breakdown_withholds() {
    let (survey, tally) = tally_of(&["local", "local", "local", "local", "local", "health", "health"], &["facebook"]);
    let results = tally.results(&survey).published();
    let org_type = results.questions.iter().find(|q| q.id == "org_type").unwrap();
    let segments = results.segments.unwrap();
    for option in &org_type.options {
        let group = segments.groups.iter().find(|g| g.code == option.code).unwrap();
        assert_eq!(option.count, group.responses, "{}: one rule for both", option.code);
        assert_eq!(option.percent.is_some(), group.responses.is_some());
    }
    let local = org_type.options.iter().find(|o| o.code == "local").unwrap();
    assert_eq!((local.count, local.percent.map(f64::round)), (Some(5), Some(71.0)));
    let health = org_type.options.iter().find(|o| o.code == "health").unwrap();
    assert_eq!((health.count, health.percent), (None, None));
    let strategy = results.questions.iter().find(|q| q.id == "strategy").unwrap();
    assert_eq!(strategy.options[0].count, Some(7), "other questions show every count");
}

/// Organisers, who may export every row, see every count; the small groups are marked as
/// withheld in what is published, and published figures drop exactly those.
#[test]
fn organisers_see_every_count_with_the_groups_published_figures_withhold_marked() {
    let (survey, tally) = tally_of(&["local", "local", "local", "local", "local", "health", "health"], &["facebook"]);
    let results = tally.results(&survey);
    let org_type = results.questions.iter().find(|q| q.id == "org_type").unwrap();
    let health = org_type.options.iter().find(|o| o.code == "health").unwrap();
    assert_eq!((health.count, health.withheld), (Some(2), true));
    let local = org_type.options.iter().find(|o| o.code == "local").unwrap();
    assert_eq!((local.count, local.withheld), (Some(5), false));
    let groups = results.segments.clone().unwrap().groups;
    let health = groups.iter().find(|g| g.code == "health").unwrap();
    assert_eq!((health.responses, health.withheld), (Some(2), true));
    let published = results.published();
    let health = published.segments.unwrap().groups.into_iter().find(|g| g.code == "health").unwrap();
    assert_eq!(health.responses, None);
}

#[test]
fn the_gap_compares_channels_used_with_channels_users_use() {
    let (survey, tally) = tally_of(&["local", "local", "local", "local"], &["facebook", "youtube"]);
    let gap = tally.results(&survey).gap.expect("the default survey has a gap view");
    let facebook = gap.rows.iter().find(|r| r.code == "facebook").unwrap();
    assert_eq!((facebook.organisations, facebook.users), (50.0, 100.0));
    assert_eq!(facebook.organisations_benchmarks[0].percent, 18.0);
    assert_eq!(facebook.users_benchmarks[0].percent, 52.0);
    let twitter = gap.rows.iter().find(|r| r.code == "twitter").unwrap();
    assert_eq!((twitter.organisations, twitter.users), (50.0, 0.0));
    let figures = canvass::gap::gap_figures(&tally.results(&survey), &survey);
    let twitter = figures.iter().find(|r| r.code == "twitter").unwrap();
    assert_eq!((twitter.organisations.base, twitter.users.base), (Some(4), Some(4)), "each share says its base");
    let [low, high] = twitter.users.ci95.expect("an interval");
    assert!(low == 0.0 && high > 40.0, "0 of 4 is not a sure 0%: {low}..{high}");
}

#[test]
fn a_share_is_of_those_who_were_asked_with_its_interval_and_its_change_since_2013() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new(&survey);
    for (i, paid) in ["yes", "yes", "no", "no"].iter().enumerate() {
        let mut answers = json!({
            "org_type": "local", "role": "other", "strategy": if i < 3 { "yes" } else { "no" }, "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "planning", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"},
            "paid_tools": paid
        });
        if *paid == "yes" {
            answers["tool_kinds"] = json!(["analytics"]);
        }
        let raw: RawAnswers = serde_json::from_value(answers).unwrap();
        tally.add(validate(&survey, &raw).unwrap().answers());
    }
    let results = tally.results(&survey);
    // The follow-up was asked of the two who pay for tools: its shares are of those two.
    let kinds = results.questions.iter().find(|q| q.id == "tool_kinds").unwrap();
    let analytics = kinds.options.iter().find(|o| o.code == "analytics").unwrap();
    assert_eq!((analytics.count, analytics.base, analytics.percent), (Some(2), Some(2), Some(100.0)));
    // 3 of 4 (75%): the Wilson interval, 30.1% to 95.4%, and against 2013's 87% of 400
    // a difference well within the margin of error.
    let yes = &results.questions.iter().find(|q| q.id == "strategy").unwrap().options[0];
    let [low, high] = yes.ci95.unwrap();
    assert_eq!((format!("{low:.1}"), format!("{high:.1}")), ("30.1".to_string(), "95.4".to_string()));
    let by_wave: Vec<(&str, Option<bool>)> = yes.benchmarks.iter().zip(&yes.changes).map(|(b, c)| (b.wave.as_str(), c.map(|c| c.significant))).collect();
    assert_eq!(by_wave, [("2011", None), ("2013", Some(false))], "2011 has no published base to test against");
}
