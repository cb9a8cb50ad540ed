//! Counting responses: a tally that grows one response at a time, and the totals it
//! yields for a definition (what the results page and the results API show).
//!
//! Tallies count by stable codes, so responses to older definition versions count under
//! the same options. Number answers are counted per value and summarised
//! (`crate::number_summary`). Free text and contact details are never counted.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::answers::Answer;
use crate::definition::{Benchmark, Choice, Definition, Kind};
use crate::number_summary::{summarise, NumberSummary};

/// Segments with fewer responses than this are never shown: too few to stay anonymous.
pub const MIN_SEGMENT: u64 = 5;

/// The one rule for a segment's size, wherever it appears: in the breakdown by segment
/// and in the totals of the question that defines the segments (a count of 1 "NHS or
/// health body" there would name the group the breakdown hides). `None`: withheld.
pub fn segment_size(n: u64) -> Option<u64> {
    (n >= MIN_SEGMENT).then_some(n)
}

/// The key of a matrix cell, as the tally counts it and [`crate::Chosen`] marks it.
pub(crate) fn cell_key(row: &str, column: &str) -> String {
    format!("{row}.{column}")
}

/// Counts per question, option and matrix cell. Rebuildable at any time from the stored
/// responses, which stay the truth. Serialisable so the server can keep a checkpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The closed and number questions (`Kind::is_counted`): only these are counted, so
    /// free text never enters the tally. A saved tally whose set differs is not resumed
    /// (`fits`): one saved before numbers were counted is recounted from the responses.
    counted: BTreeSet<String>,
    responses: u64,
    /// Respondents who answered each question.
    answered: BTreeMap<String, u64>,
    /// question → option (or `"row.column"`) → count. Nested so that counting a known
    /// option allocates nothing.
    counts: HashMap<String, HashMap<String, u64>>,
    /// Number question → answer → how many gave it. A median needs every answer, and
    /// counts per value keep them, sorted, in one entry per distinct answer: at most one
    /// per response, and fewer in practice (amounts cluster on round figures: a survey of
    /// thousands gives a few hundred distinct spends, some kilobytes). Adding or taking
    /// out a response stays one step (`O(log distinct)`), so totals stay incremental.
    #[serde(default)]
    values: HashMap<String, BTreeMap<i64, u64>>,
}

impl Tally {
    pub fn new(definition: &Definition) -> Self {
        let counted = definition.questions().filter(|q| q.kind.is_counted()).map(|q| q.id.clone()).collect();
        Self { counted, ..Self::default() }
    }

    pub fn responses(&self) -> u64 {
        self.responses
    }

    /// Counts, from now on, the closed questions a newer version of the definition adds.
    /// Nothing is dropped: a removed question's counts stay (and are simply not shown),
    /// so a question brought back later has its earlier answers still counted. Counts
    /// already made stay right, because a question new to the survey has no answers yet.
    pub fn widen(&mut self, definition: &Definition) {
        self.counted.extend(definition.questions().filter(|q| q.kind.is_counted()).map(|q| q.id.clone()));
    }

    /// Whether this tally counts exactly the closed questions of `definition`, so a saved
    /// one may be resumed for it.
    pub fn fits(&self, definition: &Definition) -> bool {
        self.counted == Tally::new(definition).counted
    }

    /// Adds one stored response's answers.
    pub fn add(&mut self, answers: &BTreeMap<String, Answer>) {
        self.responses += 1;
        for (question, answer) in answers.iter().filter(|(q, _)| self.counted.contains(*q)) {
            match self.answered.get_mut(question) {
                Some(n) => *n += 1,
                None => {
                    self.answered.insert(question.clone(), 1);
                }
            }
            if let Answer::Number(n) = answer {
                *self.values.entry(question.clone()).or_default().entry(*n).or_insert(0) += 1;
                continue;
            }
            if !self.counts.contains_key(question) {
                self.counts.insert(question.clone(), HashMap::new());
            }
            let Some(options) = self.counts.get_mut(question) else { continue };
            let mut bump = |code: &str| match options.get_mut(code) {
                Some(n) => *n += 1,
                None => {
                    options.insert(code.to_string(), 1);
                }
            };
            match answer {
                Answer::Text(code) => bump(code),
                Answer::List(codes) => codes.iter().for_each(|c| bump(c)),
                Answer::Map(rows) => rows.iter().for_each(|(r, c)| bump(&cell_key(r, c))),
                Answer::Number(_) | Answer::Flag(_) => {}
            }
        }
    }

    /// Takes one response's answers back out: the inverse of [`Tally::add`] for answers
    /// that were added. Lets the respondents' view be worked out from the running tally
    /// when it is asked for, instead of copying the tally at every public count.
    pub fn remove(&mut self, answers: &BTreeMap<String, Answer>) {
        self.responses = self.responses.saturating_sub(1);
        for (question, answer) in answers.iter().filter(|(q, _)| self.counted.contains(*q)) {
            if let Some(n) = self.answered.get_mut(question) {
                *n = n.saturating_sub(1);
            }
            if let Answer::Number(n) = answer {
                // An answer no one now gives goes: it must not stay the lowest or highest.
                if let Some(values) = self.values.get_mut(question) {
                    if let Some(count) = values.get_mut(n) {
                        *count = count.saturating_sub(1);
                        if *count == 0 {
                            values.remove(n);
                        }
                    }
                    if values.is_empty() {
                        self.values.remove(question);
                    }
                }
                continue;
            }
            let Some(options) = self.counts.get_mut(question) else { continue };
            let mut drop = |code: &str| {
                if let Some(n) = options.get_mut(code) {
                    *n = n.saturating_sub(1);
                }
            };
            match answer {
                Answer::Text(code) => drop(code),
                Answer::List(codes) => codes.iter().for_each(|c| drop(c)),
                Answer::Map(rows) => rows.iter().for_each(|(r, c)| drop(&cell_key(r, c))),
                Answer::Number(_) | Answer::Flag(_) => {}
            }
        }
    }

    fn count(&self, question: &str, code: &str) -> u64 {
        self.counts.get(question).and_then(|o| o.get(code)).copied().unwrap_or(0)
    }

    /// Totals for every closed question of `definition`: each option's count and its share
    /// of those who answered the question (a follow-up that was hidden was not asked), with
    /// the 95% interval and the change against each earlier wave (`crate::stats`); and for
    /// every number question its summary, whole, as organisers see it (the respondents'
    /// view takes [`NumberSummary::publishable`], `crate::privacy`).
    pub fn results(&self, definition: &Definition) -> Results {
        let total = |count: Option<u64>, base: u64, c: &Choice, benchmarks: Vec<Benchmark>| {
            let interval = count.and_then(|n| crate::stats::wilson_in_population(n as f64, base as f64, definition.population));
            let changes = match count {
                Some(n) if base > 0 => benchmarks.iter().map(|b| crate::stats::change(n, base, b.percent, b.n)).collect(),
                _ => Vec::new(),
            };
            OptionTotal {
                code: c.code.clone(),
                label: c.label.clone(),
                count,
                percent: count.map(|n| percent(n, base)),
                base: count.map(|_| base),
                ci95: interval.map(|i| i.percent()),
                benchmarks,
                changes,
                withheld: false,
            }
        };
        let questions = definition
            .questions()
            .filter(|q| q.kind.is_counted())
            .map(|q| {
                let base = self.answered.get(&q.id).copied().unwrap_or(0);
                let summary = match &q.kind {
                    Kind::Number { min, max, unit } => Some(summarise(self.values.get(&q.id).unwrap_or(&BTreeMap::new()), *min, *max, unit.clone())),
                    _ => None,
                };
                let is_segments = definition.segment_by.as_deref() == Some(q.id.as_str());
                let (options, rows) = match &q.kind {
                    Kind::Matrix { rows, columns } => (
                        Vec::new(),
                        rows.iter()
                            .map(|r| RowTotals {
                                code: r.code.clone(),
                                label: r.label.clone(),
                                cells: columns
                                    .iter()
                                    .map(|c| {
                                        let marks = r.benchmarks.iter().filter(|b| b.column.as_deref() == Some(c.code.as_str())).cloned().collect();
                                        total(Some(self.count(&q.id, &format!("{}.{}", r.code, c.code))), base, c, marks)
                                    })
                                    .collect(),
                            })
                            .collect(),
                    ),
                    other => (
                        other
                            .options()
                            .unwrap_or_default()
                            .iter()
                            .map(|o| {
                                let n = self.count(&q.id, &o.code);
                                let mut option = total(Some(n), base, o, o.benchmarks.clone());
                                option.withheld = is_segments && segment_size(n).is_none();
                                option
                            })
                            .collect(),
                        Vec::new(),
                    ),
                };
                QuestionTotals { id: q.id.clone(), text: q.text.clone(), kind: q.kind.name().to_string(), answered: base, options, rows, summary }
            })
            .collect();
        Results {
            slug: definition.slug.to_string(),
            title: definition.title.clone(),
            responses: self.responses,
            segments: self.segments(definition),
            gap: self.gap(definition),
            questions,
        }
    }

    /// Responses per segment, each marked `withheld` below [`MIN_SEGMENT`].
    fn segments(&self, definition: &Definition) -> Option<SegmentTotals> {
        let question = definition.question(definition.segment_by.as_deref()?)?;
        let groups = question
            .kind
            .options()?
            .iter()
            .map(|o| {
                let n = self.count(&question.id, &o.code);
                SegmentGroup { code: o.code.clone(), label: o.label.clone(), responses: Some(n), withheld: segment_size(n).is_none() }
            })
            .collect();
        Some(SegmentTotals { question: question.id.clone(), text: question.text.clone(), groups })
    }

    fn gap(&self, definition: &Definition) -> Option<GapTotals> {
        let gap = definition.gap.as_ref()?;
        let Kind::Matrix { rows, .. } = &definition.question(&gap.organisations)?.kind else { return None };
        let users = definition.question(&gap.users)?.kind.options()?;
        let rows = rows
            .iter()
            .filter_map(|row| {
                let user_option = Choice::find(users, &row.code)?;
                let organisations = self.count(&gap.organisations, &format!("{}.{}", row.code, gap.column));
                let users_count = self.count(&gap.users, &row.code);
                // Each share is of those who answered its own question, as every other figure
                // (`crate::gap` gives the report their bases and intervals).
                let organisations_base = self.answered.get(&gap.organisations).copied().unwrap_or(0);
                let users_base = self.answered.get(&gap.users).copied().unwrap_or(0);
                Some(GapRow {
                    code: row.code.clone(),
                    label: row.label.clone(),
                    organisations: percent(organisations, organisations_base),
                    users: percent(users_count, users_base),
                    organisations_benchmarks: row.benchmarks.iter().filter(|b| b.column.as_deref() == Some(gap.column.as_str())).cloned().collect(),
                    users_benchmarks: user_option.benchmarks.clone(),
                })
            })
            .collect();
        Some(GapTotals { title: gap.title.clone(), rows })
    }
}

fn percent(count: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        count as f64 * 100.0 / of as f64
    }
}

/// Aggregate totals: the same numbers on the results page and in the results API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub slug: String,
    pub title: String,
    /// The number of stored responses.
    pub responses: u64,
    pub questions: Vec<QuestionTotals>,
    pub segments: Option<SegmentTotals>,
    pub gap: Option<GapTotals>,
}

impl Results {
    /// The figures as respondents and the public may see them, the one place the k = 5
    /// rule is applied to totals: every group marked `withheld` loses its number
    /// ([`segment_size`]), and each number question's summary is cut to what may be
    /// published ([`crate::NumberSummary::publishable`]: no lowest or highest answer, bins
    /// of five or more). Organisers, who may download every row, see the totals as
    /// counted, the small groups marked.
    pub fn published(mut self) -> Results {
        for question in &mut self.questions {
            if let Some(summary) = &mut question.summary {
                *summary = summary.publishable();
            }
            for option in question.options.iter_mut().filter(|o| o.withheld) {
                option.count = None;
                option.percent = None;
                option.base = None;
                option.ci95 = None;
                option.changes.clear();
            }
        }
        if let Some(segments) = &mut self.segments {
            for group in segments.groups.iter_mut().filter(|g| g.withheld) {
                group.responses = None;
            }
        }
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentTotals {
    pub question: String,
    pub text: String,
    pub groups: Vec<SegmentGroup>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentGroup {
    pub code: String,
    pub label: String,
    /// `None` where published: the segment has fewer than [`MIN_SEGMENT`] responses.
    pub responses: Option<u64>,
    /// Below [`MIN_SEGMENT`]: organisers see the count, marked; published figures
    /// ([`Results::published`]) show none.
    #[serde(default)]
    pub withheld: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapTotals {
    pub title: String,
    pub rows: Vec<GapRow>,
}

/// One channel: the share of organisations using it against the share saying their
/// users do, each with the published figures of earlier waves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapRow {
    pub code: String,
    pub label: String,
    /// Share of those who answered the organisations' question using the channel, 0–100.
    pub organisations: f64,
    /// Share of those who answered the users' question saying their users are on it.
    pub users: f64,
    // No more fields here without measuring the survey page's download: four more (the
    // bases and intervals, now in `crate::gap`) moved 21 KB of other islands' code into
    // the survey page's wasm module when it was split (BENCHMARKS.md, 2026-11-30 evening).
    pub organisations_benchmarks: Vec<Benchmark>,
    pub users_benchmarks: Vec<Benchmark>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionTotals {
    pub id: String,
    pub text: String,
    pub kind: String,
    pub answered: u64,
    /// For single and multiple choice questions.
    pub options: Vec<OptionTotal>,
    /// For matrix questions: one entry per row, one cell per column.
    pub rows: Vec<RowTotals>,
    /// For number questions (kind `number`, with no options or rows): how the answers
    /// spread. Whole for organisers; only what may be published for anyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<NumberSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionTotal {
    pub code: String,
    pub label: String,
    /// `None` when withheld: an option of the segment question chosen by fewer than
    /// [`MIN_SEGMENT`] responses ([`segment_size`]).
    pub count: Option<u64>,
    /// Share of those who answered the question, 0–100; `None` when the count is withheld.
    pub percent: Option<f64>,
    /// Those who answered the question: what the percentage is "of".
    #[serde(default)]
    pub base: Option<u64>,
    /// The 95% interval of `percent` (Wilson score), in the same unit.
    #[serde(default)]
    pub ci95: Option<[f64; 2]>,
    pub benchmarks: Vec<Benchmark>,
    /// Against each benchmark (same order): the change and whether chance explains it;
    /// `None` for a benchmark without its base. Empty when the count is withheld.
    #[serde(default)]
    pub changes: Vec<Option<crate::stats::Change>>,
    /// An option of the segment question chosen by fewer than [`MIN_SEGMENT`]: organisers
    /// see its count, marked; published figures ([`Results::published`]) show none.
    #[serde(default)]
    pub withheld: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowTotals {
    pub code: String,
    pub label: String,
    pub cells: Vec<OptionTotal>,
}
