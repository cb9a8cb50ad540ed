//! How much a percentage can be trusted, in numbers a reader can check: the Wilson score
//! 95% interval for a proportion (optionally corrected for a finite population), the
//! warning for a small base, and Newcombe's hybrid score interval for the difference
//! between this survey's figure and an earlier wave's. Pure arithmetic, shared by the
//! server (results, API, report) and the browser (live updates), so every place shows the
//! same numbers.
//!
//! References: E. B. Wilson (1927), "Probable inference, the law of succession, and
//! statistical inference", JASA 22:209–212; R. G. Newcombe (1998), "Two-sided confidence
//! intervals for the single proportion: comparison of seven methods", Statistics in
//! Medicine 17:857–872 (worked examples, Table II), and "Interval estimation for the
//! difference between independent proportions: comparison of eleven methods", Statistics
//! in Medicine 17:873–890 (method 10, worked examples, Table II).

use serde::{Deserialize, Serialize};

/// The normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Under this many answers a percentage is flagged as resting on a small base, and a
/// change against an earlier wave is not tested at all ([`too_few_to_test`]).
pub const SMALL_BASE: u64 = 30;

/// Whether `n` answers are too few to test a change against an earlier wave. With a
/// handful of answers the interval of a difference is so wide that the rare one which
/// excludes zero says more about who happened to answer first than about the sector (at
/// 5 of 5 against 70% of 400, chance alone "finds" a change), and live figures are looked
/// at again and again. Under [`SMALL_BASE`] every surface says "too few to test" instead.
pub fn too_few_to_test(n: u64) -> bool {
    n < SMALL_BASE
}

/// An interval as proportions, 0–1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    /// In percentage points, 0–100, to a hundredth of a point, for showing and for the
    /// API (a figure of few digits reads back from JSON exactly, so every view of the
    /// same totals carries the very same numbers).
    pub fn percent(&self) -> [f64; 2] {
        [hundredths(self.low * 100.0), hundredths(self.high * 100.0)]
    }
}

fn hundredths(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// The Wilson score interval for `x` successes in `n` trials (`x` may be fractional: a
/// benchmark known only as a percentage of its base). `None` when `n` is 0: there is no
/// proportion to bound.
pub fn wilson(x: f64, n: f64) -> Option<Interval> {
    if n.is_nan() || n <= 0.0 || !(0.0..=n).contains(&x) {
        return None;
    }
    let p = x / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval { low: (centre - half).max(0.0), high: (centre + half).min(1.0) })
}

/// [`wilson`] for a sample of `n` from a population of `population` (organisations in the
/// sector, say): the sampling variance shrinks by the finite population correction
/// (N − n)/(N − 1), applied as a larger effective sample. A census (n ≥ N) has no sampling
/// error: the interval is the observed proportion itself.
pub fn wilson_in_population(x: f64, n: f64, population: Option<u64>) -> Option<Interval> {
    let Some(population) = population.map(|p| p as f64).filter(|&p| p > 1.0) else {
        return wilson(x, n);
    };
    if n >= population {
        let p = (n > 0.0).then(|| x / n)?;
        return Some(Interval { low: p, high: p });
    }
    let correction = (population - n) / (population - 1.0);
    let effective = n / correction;
    wilson(x / n * effective, effective)
}

/// The difference between this survey's proportion and an earlier wave's, in percentage
/// points, with its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Now minus then, in percentage points.
    pub points: f64,
    /// The interval of the difference, in percentage points.
    pub ci95: [f64; 2],
    /// The interval excludes zero with enough answers to test: more than chance would
    /// explain. Always false when [`Change::too_few`].
    pub significant: bool,
    /// Fewer than [`SMALL_BASE`] answered now: not tested ([`too_few_to_test`]), whatever
    /// the interval says.
    #[serde(default)]
    pub too_few: bool,
}

/// Newcombe's hybrid score interval (method 10) for p1 − p2, from each proportion and its
/// Wilson interval.
pub fn newcombe(p1: f64, one: Interval, p2: f64, two: Interval) -> Interval {
    let d = p1 - p2;
    Interval { low: d - ((p1 - one.low).powi(2) + (two.high - p2).powi(2)).sqrt(), high: d + ((one.high - p1).powi(2) + (p2 - two.low).powi(2)).sqrt() }
}

/// This survey's `x` of `n` against a benchmark of `percent` (0–100) among `base`
/// respondents. `None` without answers or without the benchmark's base (a percentage on
/// its own cannot say how sure it was).
pub fn change(x: u64, n: u64, percent: f64, base: Option<u64>) -> Option<Change> {
    let base = base.filter(|&b| b > 0)? as f64;
    let (x, n) = (x as f64, n as f64);
    let now = wilson(x, n)?;
    let then_p = (percent / 100.0).clamp(0.0, 1.0);
    let then = wilson(then_p * base, base)?;
    let d = newcombe(x / n, now, then_p, then);
    let too_few = too_few_to_test(n as u64);
    Some(Change { points: hundredths((x / n - then_p) * 100.0), ci95: d.percent(), significant: !too_few && (d.low > 0.0 || d.high < 0.0), too_few })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 0.00006, "{actual} is not {expected}");
    }

    fn interval(i: Option<Interval>, low: f64, high: f64) {
        let i = i.expect("an interval");
        close(i.low, low);
        close(i.high, high);
    }

    /// Newcombe (1998a), Table II, method 3 (Wilson score without continuity correction).
    #[test]
    fn wilson_matches_newcombe_1998_table_ii() {
        interval(wilson(81.0, 263.0), 0.2553, 0.3662);
        interval(wilson(15.0, 148.0), 0.0624, 0.1605);
        interval(wilson(0.0, 20.0), 0.0, 0.1611);
        interval(wilson(1.0, 29.0), 0.0061, 0.1718);
    }

    /// The example: 25 of 100 → 17.5% to 34.3%.
    #[test]
    fn a_quarter_of_a_hundred_is_between_17_5_and_34_3_percent() {
        let interval = wilson(25.0, 100.0).unwrap();
        let (low, high) = (interval.low * 100.0, interval.high * 100.0);
        assert_eq!((format!("{low:.1}"), format!("{high:.1}")), ("17.5".to_string(), "34.3".to_string()));
        assert_eq!(interval.percent(), [17.55, 34.3], "to a hundredth of a point (17.545…, 34.304…)");
    }

    #[test]
    fn all_none_and_no_answers_are_bounded_sensibly() {
        interval(wilson(10.0, 10.0), 0.7225, 1.0);
        interval(wilson(0.0, 10.0), 0.0, 0.2775);
        assert_eq!(wilson(0.0, 0.0), None, "no answers, no interval");
        assert_eq!(wilson(3.0, 2.0), None, "more successes than trials is no proportion");
    }

    /// Newcombe (1998b), Table II, method 10 (hybrid score, no continuity correction).
    #[test]
    fn newcombe_difference_matches_newcombe_1998_table_ii() {
        let diff = |x1: f64, n1: f64, x2: f64, n2: f64| newcombe(x1 / n1, wilson(x1, n1).unwrap(), x2 / n2, wilson(x2, n2).unwrap());
        let d = diff(56.0, 70.0, 48.0, 80.0);
        close(d.low, 0.0524);
        close(d.high, 0.3339);
        let d = diff(9.0, 10.0, 3.0, 10.0);
        close(d.low, 0.1705);
        close(d.high, 0.8090);
        let d = diff(6.0, 7.0, 2.0, 7.0);
        close(d.low, 0.0582);
        close(d.high, 0.8062);
        let d = diff(5.0, 56.0, 0.0, 29.0);
        close(d.low, -0.0381);
        close(d.high, 0.1926);
        let d = diff(0.0, 10.0, 0.0, 20.0);
        close(d.low, -0.1611);
        close(d.high, 0.2775);
        let d = diff(10.0, 10.0, 0.0, 20.0);
        close(d.low, 0.6791);
        close(d.high, 1.0);
        let d = diff(10.0, 10.0, 0.0, 10.0);
        close(d.low, 0.6075);
        close(d.high, 1.0);
    }

    #[test]
    fn a_change_is_real_only_when_its_interval_excludes_zero() {
        // 87% of 400 now against 70% of 400 in 2011: far more than chance.
        let up = change(348, 400, 70.0, Some(400)).unwrap();
        assert!((up.points - 17.0).abs() < 1e-9 && up.significant, "{up:?}");
        // 9 of 12 now (75%) against 70%: the interval includes zero (and 12 are too few).
        let same = change(9, 12, 70.0, Some(400)).unwrap();
        assert!(!same.significant && same.ci95[0] < 0.0 && same.ci95[1] > 0.0, "{same:?}");
        assert_eq!(change(9, 12, 70.0, None), None, "a benchmark without its base cannot be tested");
        assert_eq!(change(0, 0, 70.0, Some(400)), None, "nor can no answers");
    }

    #[test]
    fn under_thirty_answers_a_change_is_too_few_to_test_however_wide_the_gap() {
        // 5 of 5 (100%) against 21% of 400: the interval of the difference excludes zero,
        // but five answers are too few to call anything a change.
        let five = change(5, 5, 21.0, Some(400)).unwrap();
        assert!(five.ci95[0] > 0.0, "the interval alone would call it real: {five:?}");
        assert!(five.too_few && !five.significant, "{five:?}");
        let twenty_nine = change(29, 29, 70.0, Some(400)).unwrap();
        assert!(twenty_nine.too_few && !twenty_nine.significant, "{twenty_nine:?}");
        let thirty = change(30, 30, 70.0, Some(400)).unwrap();
        assert!(!thirty.too_few && thirty.significant, "from 30 answers a change is tested: {thirty:?}");
        assert!((0..30).all(too_few_to_test) && !too_few_to_test(30));
    }

    #[test]
    fn a_finite_population_narrows_the_interval_and_a_census_has_none() {
        let plain = wilson(50.0, 100.0).unwrap();
        let corrected = wilson_in_population(50.0, 100.0, Some(200)).unwrap();
        assert!(corrected.high - corrected.low < plain.high - plain.low);
        assert_eq!(wilson_in_population(50.0, 100.0, None), Some(plain));
        assert_eq!(wilson_in_population(40.0, 200.0, Some(200)), Some(Interval { low: 0.2, high: 0.2 }));
    }
}
