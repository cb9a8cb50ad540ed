//! Number answers summarised: how many answered, the median and quartiles, and how the
//! answers spread across ranges ("bins"). Worked out from the tally's counts per value
//! (`crate::Tally`), so the live totals stay incremental: a response adds one to one count.
//!
//! Organisers see the whole summary ([`summarise`]): the lowest and highest answers and
//! every bin. What may be shown to anyone else, and printed in the report they publish, is
//! [`NumberSummary::publishable`], under the k = 5 rule ([`MIN_SEGMENT`]).
//!
//! # What a single respondent could reveal, and the rule that stops it
//!
//! - **The lowest and highest answers** are each set by one organisation alone (an outlier
//!   spending £900,000 a month *is* the maximum): never published.
//! - **Bin edges** are fixed in advance, never taken from the answers (1–2–5 steps: 0, 1,
//!   2–4, 5–9, 10–19, …; or one bin per whole number when the question's own `min`–`max`
//!   holds at most [`PER_VALUE_UP_TO`] of them), so an edge says nothing about who answered.
//!   Bins of fewer than five answers are merged with their neighbours, working up from the
//!   lowest, until each holds at least five (a remainder at the top joins the bin below it);
//!   and the lowest and highest published bins are open-ended ("under £200", "£1,000 or
//!   more"), since a fixed top edge would still say roughly how large the largest answer
//!   was. A single bin (everyone in one range) says nothing and is left out.
//! - **A median or quartile** is a cut with answers on either side; it is published only
//!   when at least five answers lie on each side of it: the median from 10 answers, the
//!   quartiles from 20 ([`MEDIAN_FROM`], [`QUARTILES_FROM`]). No one answer can then move it further than to its neighbour's.
//! - **Snapshots**: respondents see totals only at multiples of five responses
//!   (`crate::privacy`), so two public summaries differ by at least five answers, as
//!   counts of a closed question do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::tally::MIN_SEGMENT;

/// A question whose `min`–`max` holds at most this many whole numbers (a 1–10 scale, a
/// count of staff up to 12) gets one bin per value; wider ranges get 1–2–5 steps.
pub const PER_VALUE_UP_TO: i64 = 12;

/// The median is published from this many answers: five on each side of it.
pub const MEDIAN_FROM: u64 = 2 * MIN_SEGMENT;

/// The quartiles are published from this many answers: five below the lower one, five
/// above the upper one.
pub const QUARTILES_FROM: u64 = 4 * MIN_SEGMENT;

/// One number question's answers, summarised. In a [`crate::QuestionTotals`] of kind
/// `number`, whose `answered` says how many answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberSummary {
    /// What the numbers count ("£"), as the definition says.
    #[serde(default)]
    pub unit: Option<String>,
    /// The lowest answer: organisers only, `None` in what is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// The highest answer: organisers only, `None` in what is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// The middle answer (the mean of the two middle ones for an even count); `None` with
    /// no answers, or when too few answered to publish it.
    #[serde(default)]
    pub median: Option<f64>,
    /// The lower and upper quartiles (medians of the lower and upper halves, Tukey's
    /// hinges): between them lies the middle half of the answers.
    #[serde(default)]
    pub quartiles: Option<[f64; 2]>,
    /// How many answered in each range, lowest first; contiguous.
    #[serde(default)]
    pub bins: Vec<Bin>,
}

/// A range of answers and how many fell in it. Bounds are inclusive whole numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    /// The lowest value in the range; `None`: open below ("under …").
    pub from: Option<i64>,
    /// The highest value in the range; `None`: open above ("… or more").
    pub to: Option<i64>,
    pub count: u64,
}

/// The fixed ranges of one question, from its definition alone (never from its answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// One bin per whole number from `min` to `max`; anything outside (an answer to an
    /// older version with a wider range) in an open-ended bin beyond them.
    Each { min: i64, max: i64 },
    /// 1–2–5 steps each side of zero: 0, 1, 2–4, 5–9, 10–19, 20–49, 50–99, 100–199, …
    Steps,
}

impl Scale {
    /// The scale of a number question allowing `min` to `max`.
    pub fn of(min: i64, max: i64) -> Scale {
        if (max as i128) - (min as i128) < PER_VALUE_UP_TO as i128 {
            Scale::Each { min, max }
        } else {
            Scale::Steps
        }
    }

    /// The inclusive bounds of the bin holding `v`.
    fn bin_of(self, v: i64) -> (Option<i64>, Option<i64>) {
        match self {
            Scale::Each { min, .. } if v < min => (None, Some(min - 1)),
            Scale::Each { max, .. } if v > max => (Some(max + 1), None),
            Scale::Each { .. } => (Some(v), Some(v)),
            Scale::Steps => {
                let magnitude = (v as i128).abs();
                let (low, next) = step_of(magnitude);
                let fits = |x: i128| i64::try_from(x).ok();
                if v >= 0 {
                    (fits(low), next.and_then(|n| fits(n - 1)))
                } else {
                    (next.and_then(|n| fits(-(n - 1))), fits(-low))
                }
            }
        }
    }
}

/// For a magnitude `m` ≥ 0, the 1–2–5 step holding it: its lowest value and the next
/// step's (`None` past the largest step an `i64` can hold).
fn step_of(m: i128) -> (i128, Option<i128>) {
    if m == 0 {
        return (0, Some(1));
    }
    let mut decade: i128 = 1;
    loop {
        for (low, next) in [(1, 2), (2, 5), (5, 10)] {
            let (low, next) = (low * decade, next * decade);
            if m < next {
                return (low, (next <= i64::MAX as i128 + 1).then_some(next));
            }
        }
        decade *= 10;
        if decade > i64::MAX as i128 {
            // Beyond every step (cannot happen for an i64, whose largest is 9.2 × 10^18).
            return (5 * decade / 10, None);
        }
    }
}

/// The whole summary of one question's answers, as organisers see it: `values` holds how
/// many gave each answer; `min` and `max` are the question's allowed range (they choose
/// the bins, never the answers do).
pub fn summarise(values: &BTreeMap<i64, u64>, min: i64, max: i64, unit: Option<String>) -> NumberSummary {
    let n: u64 = values.values().sum();
    let nth = |rank: u64| -> i64 {
        let mut seen = 0;
        for (&value, &count) in values {
            seen += count;
            if rank < seen {
                return value;
            }
        }
        // Unreachable for rank < n; the largest answer otherwise.
        values.keys().next_back().copied().unwrap_or(0)
    };
    // The median of the `len` answers starting at rank `start`.
    let middle = |start: u64, len: u64| -> f64 {
        let (a, b) = if len % 2 == 1 { (nth(start + len / 2), nth(start + len / 2)) } else { (nth(start + len / 2 - 1), nth(start + len / 2)) };
        // In i128, so two answers near i64::MAX do not overflow.
        (a as i128 + b as i128) as f64 / 2.0
    };
    let half = n / 2;
    NumberSummary {
        unit,
        min: values.keys().next().copied(),
        max: values.keys().next_back().copied(),
        median: (n > 0).then(|| middle(0, n)),
        quartiles: (half > 0).then(|| [middle(0, half), middle(n - half, half)]),
        bins: bins(values, Scale::of(min, max)),
    }
}

/// Every bin from the lowest answer's to the highest's, empty ones between included.
fn bins(values: &BTreeMap<i64, u64>, scale: Scale) -> Vec<Bin> {
    let (Some(&lowest), Some(&highest)) = (values.keys().next(), values.keys().next_back()) else { return Vec::new() };
    let last = scale.bin_of(highest);
    let mut bins = Vec::new();
    let (mut from, mut to) = scale.bin_of(lowest);
    let mut answers = values.iter().peekable();
    loop {
        let mut count = 0;
        while let Some((_, c)) = answers.next_if(|&(&v, _)| to.is_none_or(|to| v <= to)) {
            count += *c;
        }
        bins.push(Bin { from, to, count });
        match to {
            Some(end) if (from, to) != last => (from, to) = scale.bin_of(end.saturating_add(1)),
            _ => break,
        }
    }
    bins
}

impl NumberSummary {
    /// What may be shown to respondents and published: no lowest or highest answer, bins
    /// merged to at least [`MIN_SEGMENT`] answers each with open ends, and the median and
    /// quartiles only with [`MIN_SEGMENT`] answers on each side of them (see the module's
    /// rule). From the organisers' summary of the same answers.
    pub fn publishable(&self) -> NumberSummary {
        let n: u64 = self.bins.iter().map(|b| b.count).sum();
        let mut groups: Vec<Bin> = Vec::new();
        let mut current: Option<Bin> = None;
        for bin in &self.bins {
            let group = current.get_or_insert(Bin { from: bin.from, to: bin.to, count: 0 });
            group.to = bin.to;
            group.count += bin.count;
            if group.count >= MIN_SEGMENT {
                groups.extend(current.take());
            }
        }
        if let (Some(rest), Some(top)) = (current, groups.last_mut()) {
            top.to = rest.to;
            top.count += rest.count;
        }
        if groups.len() < 2 {
            groups.clear();
        }
        if let Some(bottom) = groups.first_mut() {
            bottom.from = None;
        }
        if let Some(top) = groups.last_mut() {
            top.to = None;
        }
        NumberSummary {
            unit: self.unit.clone(),
            min: None,
            max: None,
            median: self.median.filter(|_| n >= MEDIAN_FROM),
            quartiles: self.quartiles.filter(|_| n >= QUARTILES_FROM),
            bins: groups,
        }
    }

    /// Whether anything of the spread is shown (with answers, a publishable summary may
    /// show nothing yet: too few answered).
    pub fn shows_anything(&self) -> bool {
        self.median.is_some() || !self.bins.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(answers: &[i64]) -> BTreeMap<i64, u64> {
        let mut counts = BTreeMap::new();
        for &a in answers {
            *counts.entry(a).or_insert(0) += 1;
        }
        counts
    }

    fn spend(answers: &[i64]) -> NumberSummary {
        summarise(&values(answers), 0, 1_000_000, Some("£".into()))
    }

    fn bin(from: Option<i64>, to: Option<i64>, count: u64) -> Bin {
        Bin { from, to, count }
    }

    #[test]
    fn no_answers_summarise_to_nothing() {
        let s = spend(&[]);
        assert_eq!((s.min, s.max, s.median, s.quartiles), (None, None, None, None));
        assert!(s.bins.is_empty() && !s.shows_anything());
        assert_eq!(s.publishable(), NumberSummary { unit: Some("£".into()), min: None, max: None, median: None, quartiles: None, bins: vec![] });
    }

    #[test]
    fn one_answer_is_its_own_median_for_organisers_and_nothing_publishable() {
        let s = spend(&[250]);
        assert_eq!((s.min, s.max, s.median, s.quartiles), (Some(250), Some(250), Some(250.0), None));
        assert_eq!(s.bins, [bin(Some(200), Some(499), 1)]);
        let public = s.publishable();
        assert!(!public.shows_anything() && public.min.is_none() && public.max.is_none(), "{public:?}");
    }

    #[test]
    fn median_and_quartiles_are_the_middle_answers() {
        let s = spend(&[10, 20, 30, 40, 50, 60, 70, 80]);
        assert_eq!(s.median, Some(45.0), "the mean of the two middle answers");
        assert_eq!(s.quartiles, Some([25.0, 65.0]), "the medians of each half");
        let s = spend(&[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!((s.median, s.quartiles), (Some(4.0), Some([2.0, 6.0])), "an odd count leaves the median out of both halves");
    }

    #[test]
    fn all_equal_answers_share_one_bin_which_alone_is_not_published() {
        let s = spend(&[250; 20]);
        assert_eq!((s.median, s.quartiles, s.min, s.max), (Some(250.0), Some([250.0, 250.0]), Some(250), Some(250)));
        assert_eq!(s.bins, [bin(Some(200), Some(499), 20)]);
        let public = s.publishable();
        assert!(public.bins.is_empty(), "a single range says nothing: {public:?}");
        assert_eq!((public.median, public.quartiles), (Some(250.0), Some([250.0, 250.0])), "twenty share that median");
    }

    #[test]
    fn bins_follow_fixed_1_2_5_steps_with_empty_ones_between_kept() {
        let s = spend(&[0, 3, 3, 120]);
        assert_eq!(
            s.bins,
            [
                bin(Some(0), Some(0), 1),
                bin(Some(1), Some(1), 0),
                bin(Some(2), Some(4), 2),
                bin(Some(5), Some(9), 0),
                bin(Some(10), Some(19), 0),
                bin(Some(20), Some(49), 0),
                bin(Some(50), Some(99), 0),
                bin(Some(100), Some(199), 1),
            ]
        );
    }

    #[test]
    fn a_small_range_gets_a_bin_per_value_and_answers_outside_it_an_open_end() {
        let mut counts = values(&[1, 3, 3, 5]);
        assert_eq!(
            summarise(&counts, 1, 5, None).bins,
            [bin(Some(1), Some(1), 1), bin(Some(2), Some(2), 0), bin(Some(3), Some(3), 2), bin(Some(4), Some(4), 0), bin(Some(5), Some(5), 1)]
        );
        // An answer of 9 given to an earlier version that allowed up to 10.
        counts.insert(9, 1);
        assert_eq!(summarise(&counts, 1, 5, None).bins.last(), Some(&bin(Some(6), None, 1)));
    }

    #[test]
    fn published_bins_hold_five_or_more_and_are_open_at_both_ends() {
        // Eleven modest budgets and one organisation spending £987,654 a month.
        let answers = [0, 0, 50, 80, 100, 150, 200, 250, 300, 400, 900, 987_654];
        let s = spend(&answers);
        assert_eq!(s.max, Some(987_654), "organisers see the largest");
        let public = s.publishable();
        assert_eq!(public.bins, [bin(None, Some(199), 6), bin(Some(200), None, 6)], "{public:?}");
        assert!(public.bins.iter().all(|b| b.count >= MIN_SEGMENT));
        assert_eq!((public.min, public.max), (None, None));
        assert_eq!(public.median, Some(175.0), "12 answers: at least 5 each side of the median");
        assert_eq!(public.quartiles, None, "but not of the quartiles, which need 20");
        let text = serde_json::to_string(&public).unwrap();
        assert!(!text.contains("987654") && !text.contains("999999") && !text.contains("500000"), "no trace of the largest: {text}");
    }

    #[test]
    fn fewer_than_five_answers_publish_nothing() {
        for n in 0..5 {
            let public = spend(&[100, 200, 300, 400][..n.min(4)]).publishable();
            assert!(!public.shows_anything(), "{n} answers: {public:?}");
        }
        let five = spend(&[100, 200, 300, 400, 500]).publishable();
        assert!(five.bins.is_empty() && five.median.is_none(), "five in one merged range, too few for a median: {five:?}");
    }

    #[test]
    fn huge_and_negative_answers_neither_overflow_nor_panic() {
        let s = summarise(&values(&[i64::MIN, -7, 0, 7, i64::MAX, i64::MAX]), i64::MIN, i64::MAX, None);
        assert_eq!((s.min, s.max), (Some(i64::MIN), Some(i64::MAX)));
        assert_eq!(s.median, Some(3.5));
        assert_eq!(s.quartiles, Some([-7.0, i64::MAX as f64]));
        assert_eq!(s.bins.first(), Some(&bin(None, Some(-5_000_000_000_000_000_000), 1)));
        assert_eq!(s.bins.last(), Some(&bin(Some(5_000_000_000_000_000_000), None, 2)));
        assert_eq!(s.bins.iter().map(|b| b.count).sum::<u64>(), 6);
        assert!(s.bins.len() < 120, "1–2–5 steps keep even the widest spread to a bounded number of bins");
        let both = summarise(&values(&[i64::MAX, i64::MAX]), 0, i64::MAX, None);
        assert_eq!(both.median, Some(i64::MAX as f64), "the mean of two largest answers does not overflow");
        let public = summarise(&values(&[i64::MAX; 12]), 0, i64::MAX, None).publishable();
        assert!(public.bins.is_empty() && public.max.is_none());
        assert_eq!(Scale::of(i64::MIN, i64::MAX), Scale::Steps, "the widest range is no overflow either");
    }

    #[test]
    fn the_bins_cover_every_value_exactly_once() {
        for scale in [Scale::Steps, Scale::Each { min: -3, max: 4 }] {
            let mut previous: Option<(Option<i64>, Option<i64>)> = None;
            for v in -1200..=1200 {
                let (from, to) = scale.bin_of(v);
                assert!(from.is_none_or(|f| f <= v) && to.is_none_or(|t| v <= t), "{v} in {from:?}..={to:?}");
                if let Some((_, Some(prev_to))) = previous.filter(|p| *p != (from, to)) {
                    assert_eq!(from, Some(prev_to + 1), "contiguous at {v}");
                }
                previous = Some((from, to));
            }
        }
    }
}
