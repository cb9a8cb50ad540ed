//! The report's headline findings and its downloadable charts, written from the totals of
//! the default survey.

use canvass::chart_svg::{gap_chart, question_chart};
use canvass::headlines::headlines;
use canvass::{parse_definition, validate, Definition, OptionTotal, QuestionTotals, RawAnswers, Results, Tally};
use serde_json::json;

/// `n` responses of which the first `yes` say social media is in their strategy; the
/// channels and users' channels mirror the 2013 figures (Twitter 21% using and 9%
/// planning, Facebook 18% using, service users on Facebook 52%), so only the strategy
/// can have moved. The other 48% say their users are on Twitter, and 10% use YouTube.
fn responses(n: usize, yes: usize) -> (Definition, Results) {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new(&survey);
    for i in 0..n {
        let share = i * 100 / n;
        let twitter = if share < 21 {
            "using"
        } else if share < 30 {
            "planning"
        } else {
            "no_plans"
        };
        let facebook = if share < 18 { "using" } else { "no_plans" };
        let users = if share < 52 { ["facebook"] } else { ["twitter"] };
        let youtube = if share < 10 { "using" } else { "no_plans" };
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": "local", "role": "other", "strategy": if i < yes { "yes" } else { "no" }, "purposes": ["news"],
            "channels": {"twitter": twitter, "facebook": facebook, "youtube": youtube, "linkedin": "no_plans",
                         "instagram": "no_plans", "flickr": "no_plans", "blogs": "no_plans"},
            "user_channels": users,
        }))
        .unwrap();
        tally.add(validate(&survey, &raw).unwrap().answers());
    }
    let results = tally.results(&survey);
    (survey, results)
}

#[test]
fn at_400_responses_a_rise_from_87_to_95_percent_leads_as_more_than_chance() {
    let (survey, results) = responses(400, 380);
    let found = headlines(&results, &survey);
    assert_eq!(
        found.changes[0],
        "Social media in the communications strategy: 95% (92–97%) of the 400 who answered, up from 87% in 2013. A rise of 8 points, more than chance would explain."
    );
    assert!(found.changes[1..].iter().all(|c| c.contains("which chance could explain")), "the rest mirror 2013: {:?}", found.changes);
}

/// Under 30 answers no change is tested: with so few, the rare interval that excludes
/// zero says more about who answered first than about the sector.
#[test]
fn at_12_responses_a_change_is_too_few_to_test() {
    let (survey, results) = responses(12, 11);
    let found = headlines(&results, &survey);
    let strategy = found.changes.iter().find(|c| c.starts_with("Social media in the communications strategy")).expect("strategy is a headline");
    assert_eq!(
        strategy,
        "Social media in the communications strategy: 92% (65–99%) of the 12 who answered, against 87% in 2013. A difference of +5 points, not tested: 12 answers are too few to test a change (at least 30 are needed)."
    );
    assert!(found.changes.iter().all(|c| !c.contains("more than chance")), "12 answers show no real change: {:?}", found.changes);
}

/// 5 of 5 organisations with social media in their strategy (100%) against 2013's 87% of
/// 400: once printed as "more than chance would explain" on a handful of answers.
#[test]
fn below_30_responses_the_significance_sentence_says_too_few_to_test() {
    for n in [5, 10, 20, 29] {
        let (survey, results) = responses(n, n);
        let found = headlines(&results, &survey);
        assert!(found.changes.iter().all(|c| !c.contains("more than chance")), "{n} responses: {:?}", found.changes);
        let strategy = found.changes.iter().find(|c| c.starts_with("Social media in the communications strategy")).expect("strategy is a headline");
        assert!(strategy.contains(&format!("not tested: {n} answers are too few to test a change (at least 30 are needed)")), "{strategy}");
    }
    let (survey, results) = responses(30, 30);
    let found = headlines(&results, &survey);
    assert!(
        found.changes[0].starts_with("Social media in the communications strategy: 100% (89–100%) of the 30 who answered, up from 87% in 2013"),
        "{:?}",
        found.changes
    );
}

#[test]
fn the_widest_gaps_between_organisations_and_their_users_come_first() {
    let (survey, results) = responses(400, 380);
    let found = headlines(&results, &survey);
    assert_eq!(
        found.gaps[0],
        "Facebook: 52% (47–57%) of organisations say their service users actively use it, but 18% (15–22%) use it themselves: a gap of 34 points where organisations are missing people."
    );
    assert_eq!(found.gaps[1], "Twitter/X: 48% (43–53%) of organisations say their service users actively use it, but 21% (17–25%) use it themselves: a gap of 27 points where organisations are missing people.");
    assert_eq!(
        found.gaps[2],
        "YouTube: 10% (7–13%) of organisations use it, though only 0% (0–1%) say their service users do: 10 points ahead of their users."
    );
}

#[test]
fn with_no_responses_there_are_no_findings() {
    let (survey, results) = responses(0, 0);
    let found = headlines(&results, &survey);
    assert!(found.changes.is_empty() && found.gaps.is_empty(), "{found:?}");
}

#[test]
fn a_question_chart_is_a_standalone_svg_with_its_figures_in_words() {
    let (_survey, results) = responses(400, 380);
    let strategy = results.questions.iter().find(|q| q.id == "strategy").unwrap();
    let svg = question_chart(strategy, "chart-strategy");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "a file of its own");
    assert!(
        svg.contains(
            "<title id=\"chart-strategy-title\">Has social media been built into your organisation&#39;s overall communications strategy?</title>"
        ) || svg
            .contains("<title id=\"chart-strategy-title\">Has social media been built into your organisation's overall communications strategy?</title>")
    );
    assert!(svg.contains(">380 · 95% (92–97%)</text>"), "the figure with its interval as a range: {svg}");
    assert!(!svg.contains('±'), "no ± anywhere: the interval is uneven");
    assert!(svg.contains(">2011: 70%, 2013: 87%</text>"), "the earlier waves beside it");
    assert!(svg.contains("Yes: 380 of 400 who answered, 95%, 95% interval 92% to 97% (70% in 2011 (its base is not published, so not tested); up from 87% in 2013: more than chance would explain)"), "{svg}");
    assert!(!svg.contains("<script") && !svg.contains("<style") && !svg.contains("href"), "nothing to run or fetch");
}

#[test]
fn chart_text_from_a_definition_is_escaped() {
    let question = QuestionTotals {
        id: "q".into(),
        text: "Tom & Jerry <b>".into(),
        kind: "single".into(),
        answered: 0,
        options: vec![OptionTotal {
            code: "a".into(),
            label: "\"quoted\" <i>".into(),
            count: Some(0),
            percent: Some(0.0),
            base: Some(0),
            ci95: None,
            benchmarks: vec![],
            changes: vec![],
            withheld: false,
        }],
        rows: vec![],
        summary: None,
    };
    let svg = question_chart(&question, "c");
    assert!(svg.contains("Tom &amp; Jerry &lt;b&gt;") && svg.contains("&quot;quoted&quot; &lt;i&gt;"), "{svg}");
    assert!(!svg.contains("<b>") && !svg.contains("<i>"));
}

#[test]
fn the_gap_chart_shows_both_shares_and_the_gap_of_each_channel() {
    let (survey, results) = responses(400, 380);
    let svg = gap_chart(&results.gap.as_ref().unwrap().title, &canvass::gap::gap_figures(&results, &survey), "chart-gap");
    assert!(svg.contains(">Facebook: gap +34 points</text>"), "{svg}");
    assert!(
        svg.contains("Facebook: 18% (15–22%) of 400 organisations use it, 52% (47–57%) of 400 say their service users do, a gap of +34 points"),
        "{svg}"
    );
}

/// Monthly spend, a number question, as the report charts it: what may be published, so
/// the median and ranges of five or more, and never the one large budget.
#[test]
fn the_spend_chart_shows_the_median_and_ranges_but_never_the_largest_answer() {
    let survey = parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap();
    let mut tally = Tally::new(&survey);
    let spends = [0, 0, 50, 80, 100, 150, 200, 250, 300, 400, 900, 987_654];
    for spend in spends {
        let raw: RawAnswers = serde_json::from_value(json!({
            "org_type": "local", "role": "other", "strategy": "yes", "purposes": ["news"],
            "channels": {"twitter": "using", "facebook": "using", "youtube": "using", "linkedin": "using",
                         "instagram": "using", "flickr": "using", "blogs": "using"},
            "spend": spend,
        }))
        .unwrap();
        tally.add(validate(&survey, &raw).unwrap().answers());
    }
    let results = tally.results(&survey);
    let spend = results.questions.iter().find(|q| q.id == "spend").expect("number questions have totals");
    assert_eq!((spend.kind.as_str(), spend.answered), ("number", 12));
    assert_eq!(spend.summary.as_ref().unwrap().max, Some(987_654), "organisers' totals hold the largest");
    let svg = question_chart(spend, "chart-spend");
    assert!(svg.contains("Of 12 who answered. Median £175."), "{svg}");
    assert!(svg.contains(">under £200</text>") && svg.contains(">£200 or more</text>") && svg.contains(">6 · 50%</text>"), "{svg}");
    assert!(!svg.contains("987") && !svg.contains("999,999") && !svg.contains("highest £"), "no trace of the largest answer: {svg}");
}
