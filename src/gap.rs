//! The gap view with what an analyst needs beside each share: its base and its 95%
//! interval, read from the questions' own totals (the organisations' matrix cell and the
//! users' option), so the report's gap figures are the very numbers of its other charts.
//! For the report and its downloads, on the server. (The results page's gap view shows
//! the shares only: carrying these in `GapRow` cost the survey page 21 KB of wasm.)

use crate::{Definition, Kind, OptionTotal, Results};

/// One channel of the gap view.
#[derive(Clone, Debug, PartialEq)]
pub struct GapFigure {
    pub code: String,
    pub label: String,
    /// Organisations using the channel: the matrix cell's total.
    pub organisations: OptionTotal,
    /// Organisations saying their service users are on it: the users' option's total.
    pub users: OptionTotal,
}

impl GapFigure {
    /// Users' share less organisations' share, in points.
    pub fn gap(&self) -> f64 {
        self.users.percent.unwrap_or(0.0) - self.organisations.percent.unwrap_or(0.0)
    }
}

/// The gap view of `results`, per channel, as the definition's `[gap]` pairs them; empty
/// when the survey has none.
pub fn gap_figures(results: &Results, definition: &Definition) -> Vec<GapFigure> {
    let Some(gap) = definition.gap.as_ref() else { return Vec::new() };
    let Some(Kind::Matrix { rows, .. }) = definition.question(&gap.organisations).map(|q| &q.kind) else { return Vec::new() };
    let totals = |id: &str| results.questions.iter().find(|q| q.id == id);
    let (Some(organisations), Some(users)) = (totals(&gap.organisations), totals(&gap.users)) else { return Vec::new() };
    rows.iter()
        .filter_map(|row| {
            let cell = organisations.rows.iter().find(|r| r.code == row.code)?.cells.iter().find(|c| c.code == gap.column)?;
            let user = users.options.iter().find(|o| o.code == row.code)?;
            Some(GapFigure { code: row.code.clone(), label: row.label.clone(), organisations: cell.clone(), users: user.clone() })
        })
        .collect()
}
