//! What respondents may see of the live totals: privacy by arithmetic (k = 5).
//!
//! Organisers are trusted and watch every response arrive. Anyone else who can open the
//! results (a respondent, or whoever holds a receipt) could otherwise compare two
//! snapshots and read off exactly what the organisation that answered in between said.
//! So respondents see only *releases*: the totals as they stood when at least
//! [`PUBLIC_STEP`] responses had arrived since the last release (nothing before
//! [`MIN_RESPONSES`]). Two releases always differ by at least five responses that the
//! viewer did not give, whatever else happened between them.
//!
//! A release is never rebuilt. A withdrawal (or an owner's deletion) changes the
//! organisers' totals at once, but what respondents see changes only at the next
//! release, together with at least five new responses: were the totals recounted
//! instead, the first five responses after the withdrawn one would slide into view one
//! at a time, and a respondent who withdrew their own answers could read off the
//! next respondent's exactly. The server stores each release before it shows it, so a
//! restart or a recount shows the very same totals.
//!
//! Without withdrawals a release holds a multiple of five responses, in storage order.

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

/// One stored response's answers, as counted.
pub type Answers = BTreeMap<String, Answer>;

/// What respondents were shown: the tally at a release, the release's number (1, 2, …,
/// so that instances sharing a database can tell whose release is the newest), and the
/// storage number of the newest response it holds. Responses numbered above `through`
/// are not in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Release {
    pub number: u64,
    pub through: i64,
    pub tally: Tally,
}

/// A survey's running tally (what organisers see), the last release (what respondents
/// see), and the responses counted since that release, kept together so the two views
/// can never disagree about which responses they include.
///
/// The responses since the release are few (under five once it is stored), so their
/// answers are kept: the next release is the running tally without the newest of them,
/// taken at a whole step of five.
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    pub tally: Tally,
    shown: Option<Release>,
    /// Counted, with a storage number above the release's, in the order counted.
    pending: Vec<(i64, Answers)>,
}

impl Counts {
    pub fn new(definition: &Definition) -> Self {
        Self { tally: Tally::new(definition), shown: None, pending: Vec::new() }
    }

    /// Resumes from stored state: the running tally of every stored response, the last
    /// release stored, and the stored responses numbered above it (in storage order).
    pub fn resume(tally: Tally, shown: Option<Release>, above: Vec<(i64, Answers)>) -> Self {
        let mut counts = Self { tally, shown, pending: Vec::new() };
        counts.keep_pending(above);
        counts
    }

    fn keep_pending(&mut self, rows: Vec<(i64, Answers)>) {
        let through = self.through();
        self.pending = rows.into_iter().filter(|(number, _)| *number > through).collect();
    }

    /// The storage number of the newest response in the last release; 0 before one.
    pub fn through(&self) -> i64 {
        self.shown.as_ref().map_or(0, |release| release.through)
    }

    /// Counts one stored response. `number` is its storage number; a response without
    /// one is counted for organisers and goes out with the next release that is due.
    pub fn add(&mut self, number: Option<i64>, answers: Answers) {
        self.tally.add(&answers);
        if let Some(number) = number.filter(|n| *n > self.through()) {
            self.pending.push((number, answers));
        }
    }

    /// Replaces the running tally with a recount of what is stored (after a deletion),
    /// keeping the release: `above` are the stored responses numbered above some point
    /// at or below the release's `through`, in storage order.
    pub fn recounted(&mut self, tally: Tally, above: Vec<(i64, Answers)>) {
        self.tally = tally;
        self.keep_pending(above);
    }

    /// The next release, when one is due: at least [`PUBLIC_STEP`] responses since the
    /// last. It holds every counted response but the newest `pending % 5`, so without
    /// withdrawals releases fall on multiples of five. Not yet shown: the caller stores
    /// it, then hands it to [`Counts::released`].
    pub fn release_due(&self) -> Option<Release> {
        let whole = self.pending.len() - self.pending.len() % PUBLIC_STEP as usize;
        if whole == 0 {
            return None;
        }
        let mut tally = self.tally.clone();
        self.pending[whole..].iter().for_each(|(_, answers)| tally.remove(answers));
        let through = self.pending[..whole].iter().map(|(n, _)| *n).fold(self.through(), i64::max);
        let number = self.shown.as_ref().map_or(0, |release| release.number) + 1;
        (tally.responses() >= MIN_RESPONSES).then_some(Release { number, through, tally })
    }

    /// Shows `release` (this instance's, once stored, or a newer one another instance
    /// stored): what it holds leaves the pending responses.
    pub fn released(&mut self, release: Release) {
        let through = release.through;
        self.pending.retain(|(number, _)| *number > through);
        self.shown = Some(release);
    }

    /// The last release; `None` before there was one.
    pub fn shown(&self) -> Option<&Release> {
        self.shown.as_ref()
    }

    /// The count respondents see now (0 while withheld).
    pub fn public_count(&self) -> u64 {
        self.shown.as_ref().map_or(0, |release| release.tally.responses())
    }

    /// The respondents' view: the last release, as published ([`Results::published`]: no
    /// group under 5, each number question's summary cut to what may be published).
    pub fn public_results(&self, definition: &Definition) -> PublicResults {
        match &self.shown {
            Some(release) => PublicResults::Shown(release.tally.results(definition).published()),
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

    /// Stores and shows the release that is due, as the server's publisher does.
    fn publish(counts: &mut Counts) {
        if let Some(release) = counts.release_due() {
            counts.released(release);
        }
    }

    /// Counts `rows` numbered from `first`, publishing after each as the server would.
    fn arrive(counts: &mut Counts, first: i64, rows: &[Answers]) {
        for (i, answers) in rows.iter().enumerate() {
            counts.add(Some(first + i as i64), answers.clone());
            publish(counts);
        }
    }

    #[test]
    fn a_release_is_the_first_five_exactly_and_a_resume_shows_it_again() {
        let definition = survey();
        let rows: Vec<_> = ["local", "health", "local", "central", "education", "local", "health"].map(one).to_vec();
        let mut counts = Counts::new(&definition);
        arrive(&mut counts, 1, &rows);
        assert_eq!((counts.public_count(), counts.tally.responses()), (5, 7));
        let mut first_five = Tally::new(&definition);
        rows[..5].iter().for_each(|r| first_five.add(r));
        let shown = counts.shown().cloned().expect("five responses make a release");
        assert_eq!((shown.number, shown.through, &shown.tally), (1, 5, &first_five), "the respondents' tally is the first five, exactly");
        let pending: Vec<_> = rows[5..].iter().cloned().enumerate().map(|(i, r)| (6 + i as i64, r)).collect();
        let resumed = Counts::resume(counts.tally.clone(), Some(shown), pending);
        assert_eq!(resumed, counts, "a restart resumes the very same release and pending responses");
    }

    #[test]
    fn a_late_release_still_falls_on_a_step_of_five() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        for i in 0..13 {
            counts.add(Some(i + 1), one("local"));
        }
        publish(&mut counts);
        assert_eq!((counts.public_count(), counts.through()), (10, 10), "thirteen waiting become a release of ten");
        assert_eq!(counts.release_due(), None, "three are left: not enough for another");
    }

    /// The attack: a respondent answers early, waits for the totals to include the
    /// response after the tenth, withdraws, and compares the public totals before and
    /// after. Recounting from storage order would slide the eleventh response into view.
    #[test]
    fn withdrawing_ones_own_response_reveals_no_one_elses() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        let mine = one("central");
        let others: Vec<_> = ["local", "health", "local", "education", "health", "local", "health", "local", "education", "other"].map(one).to_vec();
        arrive(&mut counts, 1, std::slice::from_ref(&mine));
        arrive(&mut counts, 2, &others);
        let before = counts.public_results(&definition);
        assert_eq!(before.responses(), 10, "mine and the next nine");
        // The withdrawal: the server deletes response 1 and recounts what is stored.
        let mut stored = Tally::new(&definition);
        others.iter().for_each(|r| stored.add(r));
        counts.recounted(stored, vec![(11, others[9].clone())]);
        publish(&mut counts);
        assert!(counts.public_results(&definition) == before, "the eleventh response stays out of view");
        assert_eq!(counts.tally.responses(), 10, "organisers see the withdrawal at once");
        let later: Vec<_> = ["local", "health", "central"].map(one).to_vec();
        arrive(&mut counts, 12, &later);
        assert!(counts.public_results(&definition) == before, "the eleventh and three more are not enough to move it");
        arrive(&mut counts, 15, &[one("education")]);
        let after = counts.public_results(&definition);
        assert_eq!(after.responses(), 14, "the withdrawal went out with five others (the 11th to the 15th): 10 - 1 + 5");
        let central = |p: &PublicResults| {
            let results = p.clone().shown().expect("shown");
            results.questions.iter().find(|q| q.id == "org_type").and_then(|q| q.options.iter().find(|o| o.code == "central").map(|o| o.count))
        };
        assert_eq!(central(&before), central(&after), "my answer left and one like it came with four others: nothing tells which");
    }

    #[test]
    fn withdrawing_a_response_not_yet_shown_delays_the_next_release() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        arrive(&mut counts, 1, &["local", "health", "local", "central"].map(one));
        let mut stored = Tally::new(&definition);
        ["local", "health", "local"].map(one).iter().for_each(|r| stored.add(r));
        counts.recounted(stored, ["local", "health", "local"].map(one).into_iter().enumerate().map(|(i, r)| (i as i64 + 1, r)).collect());
        arrive(&mut counts, 5, &[one("education")]);
        assert_eq!(counts.public_count(), 0, "four are stored: still nothing to show");
        arrive(&mut counts, 6, &[one("education")]);
        assert_eq!(counts.public_count(), 5);
    }

    #[test]
    fn a_newer_release_from_another_instance_takes_its_pending_responses() {
        let definition = survey();
        let mut counts = Counts::new(&definition);
        arrive(&mut counts, 1, &["local", "health", "local"].map(one));
        let mut theirs = Tally::new(&definition);
        ["local", "health", "local", "central", "central"].map(one).iter().for_each(|r| theirs.add(r));
        counts.released(Release { number: 1, through: 5, tally: theirs.clone() });
        assert_eq!(counts.release_due(), None, "nothing of mine is left waiting");
        assert_eq!(counts.shown().map(|r| &r.tally), Some(&theirs));
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
            arrive(&mut counts, i as i64 + 1, &[spending(["local", "health"][i % 2], spend)]);
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
            arrive(&mut counts, i as i64 + 1, &[one(orgs[i % orgs.len()])]);
            let expected = if i + 1 < 5 { 0 } else { (i as u64 + 1) / 5 * 5 };
            assert_eq!(counts.public_count(), expected, "after {} responses", i + 1);
        }
    }
}
