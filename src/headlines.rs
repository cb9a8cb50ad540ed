//! Headline findings written from the totals, in the published survey's style ("87% of
//! organisations have built social media into their strategy, up from 70% in 2011"): the
//! largest changes since each figure's most recent earlier wave, and the biggest gaps
//! between where organisations are and where their service users are.
//!
//! A change counts as a finding only on the evidence: changes that chance would not
//! explain come first, then the rest by size, each saying which it is, so a report
//! written at 12 responses reads as cautiously as its numbers are: under 30 answers it
//! says the answers are too few to test (`crate::stats::too_few_to_test`).

use crate::gap::gap_figures;
use crate::stats::Change;
use crate::wording::{pct, share};
use crate::{Benchmark, Definition, OptionTotal, Results};

/// How many of each kind of finding the report leads with.
pub const HEADLINES: usize = 3;

/// The report's findings, as sentences.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headlines {
    /// The largest changes since the last wave, the real ones first.
    pub changes: Vec<String>,
    /// The widest gaps between organisations' channels and their users'.
    pub gaps: Vec<String>,
}

struct Candidate<'a> {
    label: String,
    total: &'a OptionTotal,
    benchmark: &'a Benchmark,
    change: Option<Change>,
}

impl Candidate<'_> {
    fn points(&self) -> f64 {
        self.total.percent.unwrap_or(0.0) - self.benchmark.percent
    }

    /// Significant changes first, then tested ones, then those too few or without a base
    /// to test, each by size.
    fn rank(&self) -> (u8, f64) {
        let evidence = match self.change {
            Some(c) if c.significant => 0,
            Some(c) if !c.too_few => 1,
            _ => 2,
        };
        (evidence, -self.points().abs())
    }

    fn sentence(&self) -> String {
        // The share with its interval, as every figure is shown.
        let now = share(self.total.percent.unwrap_or(0.0), self.total.ci95);
        let base = self.total.base.unwrap_or(0);
        let (then, wave) = (pct(self.benchmark.percent), &self.benchmark.wave);
        let points = self.points().round();
        let size = points.abs();
        let unit = if size == 1.0 { "point" } else { "points" };
        let label = &self.label;
        match self.change {
            Some(c) if c.significant => {
                let (direction, movement) = if c.points > 0.0 { ("up", "rise") } else { ("down", "fall") };
                format!("{label}: {now} of the {base} who answered, {direction} from {then} in {wave}. A {movement} of {size:.0} {unit}, more than chance would explain.")
            }
            Some(c) if c.too_few => format!(
                "{label}: {now} of the {base} who answered, against {then} in {wave}. A difference of {points:+.0} {unit}, not tested: {base} answers are too few to test a change (at least {} are needed).",
                crate::stats::SMALL_BASE
            ),
            Some(_) => format!(
                "{label}: {now} of the {base} who answered, against {then} in {wave}. A difference of {points:+.0} {unit}, which chance could explain: not a change this survey can show."
            ),
            None => format!(
                "{label}: {now} of the {base} who answered, against {then} in {wave}. A difference of {points:+.0} {unit}, not tested: the {wave} base is not published."
            ),
        }
    }
}

/// The headline findings of `results` (of the survey `definition`). Empty before anyone
/// has answered.
pub fn headlines(results: &Results, definition: &Definition) -> Headlines {
    let mut candidates: Vec<Candidate> = Vec::new();
    for question in &results.questions {
        let totals = question
            .options
            .iter()
            .map(|o| (o.label.clone(), o))
            .chain(question.rows.iter().flat_map(|row| row.cells.iter().map(move |c| (format!("{}: {}", row.label, c.label), c))));
        for (label, total) in totals {
            if total.percent.is_none() || total.base.unwrap_or(0) == 0 {
                continue;
            }
            // The most recent earlier wave is the one a change is "since".
            let Some((i, benchmark)) = total.benchmarks.iter().enumerate().max_by(|(_, a), (_, b)| a.wave.cmp(&b.wave)) else {
                continue;
            };
            let label = if benchmark.label.is_empty() { label } else { benchmark.label.clone() };
            candidates.push(Candidate { label, total, benchmark, change: total.changes.get(i).copied().flatten() });
        }
    }
    candidates.sort_by(|a, b| a.rank().partial_cmp(&b.rank()).unwrap_or(std::cmp::Ordering::Equal));
    let changes = candidates.iter().take(HEADLINES).map(Candidate::sentence).collect();

    let mut gaps: Vec<_> = gap_figures(results, definition)
        .into_iter()
        .filter(|row| row.organisations.base.unwrap_or(0) > 0 && row.users.base.unwrap_or(0) > 0)
        // A gap that rounds to nothing is no finding.
        .filter(|row| row.gap().abs() >= 0.5)
        .collect();
    gaps.sort_by(|a, b| b.gap().abs().partial_cmp(&a.gap().abs()).unwrap_or(std::cmp::Ordering::Equal));
    let gaps = gaps
        .into_iter()
        .take(HEADLINES)
        .map(|row| {
            let (users, organisations) = (share(row.users.percent.unwrap_or(0.0), row.users.ci95), share(row.organisations.percent.unwrap_or(0.0), row.organisations.ci95));
            let gap = row.gap().round();
            let label = &row.label;
            if gap >= 0.0 {
                format!("{label}: {users} of organisations say their service users actively use it, but {organisations} use it themselves: a gap of {gap:.0} points where organisations are missing people.")
            } else {
                format!("{label}: {organisations} of organisations use it, though only {users} say their service users do: {:.0} points ahead of their users.", -gap)
            }
        })
        .collect();
    Headlines { changes, gaps }
}
