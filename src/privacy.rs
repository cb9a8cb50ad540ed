//! What respondents may see of the live totals: privacy by arithmetic (k = 5).
//!
//! Organisers are trusted and watch every response arrive. Anyone else who can open the
//! results (a respondent, or whoever holds a receipt) could otherwise compare two
//! snapshots and read off exactly what the organisation that answered in between said.
//! So respondents see nothing until [`MIN_RESPONSES`] responses are stored, and after
//! that only the totals as they stood at a multiple of [`PUBLIC_STEP`] responses: two
//! snapshots always differ by at least five responses.
//!
//! Taking the public totals at exact multiples (rather than "five more than last time")
//! makes them reproducible: after a restart the server recounts the stored responses in
//! storage order and arrives at the very same public totals, so a restart cannot reveal
//! a difference of one either.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::answers::Answer;
use crate::definition::Definition;
use crate::tally::{Results, Tally, MIN_SEGMENT};

/// Respondents see no totals until this many responses are stored.
pub const MIN_RESPONSES: u64 = MIN_SEGMENT;

/// The totals respondents see change only in steps of this many responses.
pub const PUBLIC_STEP: u64 = MIN_SEGMENT;

/// Whether the totals at this response count are ones respondents may see.
pub fn is_public_count(responses: u64) -> bool {
    responses >= MIN_RESPONSES && responses.is_multiple_of(PUBLIC_STEP)
}

/// The highest count up to `responses` whose totals respondents may see; 0 when none.
pub fn last_public_count(responses: u64) -> u64 {
    let stepped = responses - responses % PUBLIC_STEP;
    if stepped >= MIN_RESPONSES {
        stepped
    } else {
        0
    }
}

/// The totals as a respondent sees them. Serialised with a `status` tag, so the results
/// API and the live stream say plainly which it is:
/// `{"status": "waiting", "minimum": 5}` or `{"status": "shown", "responses": 45, …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PublicResults {
    /// Too few responses yet to show any totals.
    Waiting { minimum: u64 },
    /// The totals as of a public count (see [`is_public_count`]); organisers' views are
    /// shown this way too, with every response.
    Shown(Results),
}

impl PublicResults {
    pub fn waiting() -> Self {
        PublicResults::Waiting { minimum: MIN_RESPONSES }
    }

    /// The totals, unless they are withheld.
    pub fn shown(self) -> Option<Results> {
        match self {
            PublicResults::Waiting { .. } => None,
            PublicResults::Shown(results) => Some(results),
        }
    }

    /// The responses these totals include; 0 while waiting.
    pub fn responses(&self) -> u64 {
        match self {
            PublicResults::Waiting { .. } => 0,
            PublicResults::Shown(results) => results.responses,
        }
    }
}

/// A survey's running tally, and what it takes to know the tally as it stood at the last
/// public count: what organisers see and what respondents see, kept together so they can
/// never disagree about which responses they include.
///
/// The responses added since the last public count (at most four) are kept aside, and the
/// respondents' tally is the running one without them, worked out when it is asked for.
/// Copying the whole tally at every public count instead would cost the writer, which
/// counts every committed response, a copy per five responses.
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    pub tally: Tally,
    /// Added since the last public count, oldest first.
    since_public: Vec<BTreeMap<String, Answer>>,
}

impl Counts {
    pub fn new(definition: &Definition) -> Self {
        Self { tally: Tally::new(definition), since_public: Vec::new() }
    }

    /// Resumes from a tally taken at a public count (or at zero).
    pub fn resume(tally: Tally) -> Self {
        Self { tally, since_public: Vec::new() }
    }

    /// Adds one stored response, in storage order.
    pub fn add(&mut self, answers: BTreeMap<String, Answer>) {
        self.tally.add(&answers);
        if last_public_count(self.tally.responses()) == self.tally.responses() {
            self.since_public.clear();
        } else {
            self.since_public.push(answers);
        }
    }

    /// Adds responses in storage order (a recount). Returns the index of the row at which
    /// the last public count was reached, if it was reached among them.
    pub fn extend(&mut self, rows: &[BTreeMap<String, Answer>]) -> Option<usize> {
        let start = self.tally.responses();
        let public_at = last_public_count(start + rows.len() as u64);
        let mut taken = None;
        for (i, answers) in rows.iter().enumerate() {
            self.tally.add(answers);
            if public_at > start && self.tally.responses() == public_at {
                taken = Some(i);
                self.since_public.clear();
            } else if self.tally.responses() > public_at {
                self.since_public.push(answers.clone());
            }
        }
        taken
    }

    /// The tally as it stood at the last public count; `None` before there was one.
    pub fn public(&self) -> Option<Tally> {
        (self.public_count() > 0).then(|| {
            let mut tally = self.tally.clone();
            self.since_public.iter().for_each(|answers| tally.remove(answers));
            tally
        })
    }

    /// The count respondents see now (0 while withheld), without working out the tally.
    pub fn public_count(&self) -> u64 {
        last_public_count(self.tally.responses() - self.since_public.len() as u64)
    }

    /// The respondents' view of these counts: the tally at the last public count, as
    /// published ([`Results::published`]: no group under 5, each number question's
    /// summary cut to what may be published).
    pub fn public_results(&self, definition: &Definition) -> PublicResults {
        match self.public() {
            Some(tally) => PublicResults::Shown(tally.results(definition).published()),
            None => PublicResults::waiting(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_public_before_five_responses() {
        assert!((0..5).all(|n| !is_public_count(n)));
        assert!((0..5).all(|n| last_public_count(n) == 0));
    }

    #[test]
    fn public_counts_are_the_multiples_of_five() {
        let public: Vec<u64> = (0..=21).filter(|n| is_public_count(*n)).collect();
        assert_eq!(public, [5, 10, 15, 20]);
        assert_eq!([5, 9, 10, 14, 47].map(last_public_count), [5, 5, 10, 10, 45]);
    }

    #[test]
    fn the_respondent_view_says_which_it_is() {
        let json = serde_json::to_value(PublicResults::waiting()).unwrap();
        assert_eq!(json, serde_json::json!({"status": "waiting", "minimum": 5}));
    }

    fn survey() -> Definition {
        crate::parse_definition("default", include_str!("../surveys/public-sector-social-media.toml")).unwrap()
    }

    fn one(org: &str) -> BTreeMap<String, Answer> {
        [("org_type".to_string(), Answer::Text(org.into()))].into_iter().collect()
    }

    #[test]
    fn counting_one_by_one_or_all_at_once_gives_the_same_public_totals() {
        let definition = survey();
        let rows: Vec<_> = ["local", "health", "local", "central", "education", "local", "health"].map(one).to_vec();
        let mut one_by_one = Counts::new(&definition);
        rows.iter().for_each(|r| one_by_one.add(r.clone()));
        let mut at_once = Counts::new(&definition);
        assert_eq!(at_once.extend(&rows), Some(4), "the public totals were reached at the fifth row");
        assert_eq!(one_by_one, at_once);
        assert_eq!((at_once.public_count(), at_once.tally.responses()), (5, 7));
        let mut first_five = Tally::new(&definition);
        rows[..5].iter().for_each(|r| first_five.add(r));
        assert_eq!(at_once.public(), Some(first_five.clone()), "the respondents' tally is the first five, exactly");
        assert_eq!(at_once.public_results(&definition).responses(), 5);
        assert_eq!(Counts::resume(first_five.clone()).public(), Some(first_five));
    }

    fn spending(org: &str, spend: i64) -> BTreeMap<String, Answer> {
        let mut answers = one(org);
        answers.insert("spend".into(), Answer::Number(spend));
        answers
    }

    #[test]
    fn respondents_never_see_the_largest_spend_that_organisers_see() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        for (i, spend) in [100, 150, 200, 250, 300, 350, 400, 450, 500, 987_654].into_iter().enumerate() {
            counts.add(spending(["local", "health"][i % 2], spend));
        }
        let spend = |results: &Results| results.questions.iter().find(|q| q.id == "spend").and_then(|q| q.summary.clone()).expect("a summary");
        let organisers = spend(&counts.tally.results(&definition));
        assert_eq!((organisers.min, organisers.max), (Some(100), Some(987_654)));
        let public = spend(&counts.public_results(&definition).shown().expect("ten responses are public"));
        assert_eq!((public.min, public.max), (None, None));
        assert!(public.bins.iter().all(|b| b.count >= MIN_SEGMENT) && public.bins.last().is_none_or(|b| b.to.is_none()), "{public:?}");
        assert_eq!(public.median, Some(325.0));
    }

    #[test]
    fn taking_a_response_back_out_forgets_its_number() {
        let definition = survey();
        let mut tally = Tally::new(&definition);
        let (small, large) = (spending("local", 10), spending("local", 987_654));
        tally.add(&small);
        tally.add(&large);
        tally.remove(&large);
        let mut only_small = Tally::new(&definition);
        only_small.add(&small);
        assert_eq!(tally, only_small, "nothing of the removed answer remains, not even a zero count");
        let summary = tally.results(&definition).questions.into_iter().find(|q| q.id == "spend").and_then(|q| q.summary).unwrap();
        assert_eq!(summary.max, Some(10));
    }

    #[test]
    fn nothing_is_public_before_five_and_each_step_is_exact() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        let orgs = ["local", "health", "central", "education", "other"];
        for i in 0..13 {
            counts.add(one(orgs[i % orgs.len()]));
            let expected = if i + 1 < 5 { 0 } else { (i as u64 + 1) / 5 * 5 };
            assert_eq!(counts.public_count(), expected, "after {} responses", i + 1);
            assert_eq!(counts.public().map(|t| t.responses()).unwrap_or(0), expected);
        }
    }
}
