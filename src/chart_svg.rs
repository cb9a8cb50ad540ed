//! Charts as standalone SVG documents: what the report shows inline and what organisers
//! download to put in their own publications. Self-contained (presentation attributes,
//! no stylesheet, no script, no external fonts), so a file opens the same in a browser,
//! a word processor or a design tool, and prints crisply at any size. Each carries its
//! figures in words (`<title>` and `<desc>`) for screen readers.
//!
//! Text is measured by characters, not glyphs: labels are wrapped at a width that fits
//! the system sans-serif fonts at these sizes.

use crate::gap::GapFigure;
use crate::html::escape;
use crate::number_summary::{MEDIAN_FROM, QUARTILES_FROM};
use crate::wording::{bars_sentence, bin_text, figure, marks_text, pct, share, spread_text, spread_withheld_text, withheld_text};
use crate::Lang;
use crate::{Benchmark, NumberSummary, OptionTotal, QuestionTotals, MIN_SEGMENT};

const WIDTH: u32 = 680;
const LABEL_CHARS: usize = 30;
const TITLE_CHARS: usize = 78;
const BAR_X: f64 = 220.0;
// The figure beside each bar gives its range ("380 · 95% (92–97%)"): room for 22 characters.
const BAR_WIDTH: f64 = 270.0;
const FIGURE_X: f64 = 500.0;
const LINE: u32 = 16;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif";
const INK: &str = "#0b0c0c";
const MUTED: &str = "#505a5f";
const FILL: &str = "#1d70b8";
const SECOND: &str = "#f47738";
const TRACK: &str = "#f3f2f1";

/// Splits `text` into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// An SVG being laid out top to bottom.
struct Canvas {
    body: String,
    y: u32,
}

impl Canvas {
    fn new() -> Self {
        Canvas { body: String::new(), y: 8 }
    }

    fn text(&mut self, x: f64, y: u32, size: u32, weight: &str, colour: &str, text: &str) {
        self.body.push_str(&format!("<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"{colour}\">{}</text>", escape(text)));
    }

    /// Wrapped lines from the current position down; moves below them.
    fn paragraph(&mut self, text: &str, chars: usize, size: u32, weight: &str, colour: &str) {
        for line in wrap(text, chars) {
            self.y += size + 4;
            self.text(0.0, self.y, size, weight, colour, &line);
        }
        self.y += 6;
    }

    /// One labelled bar: its share, its interval as a whisker, a tick per earlier wave, and
    /// the figure beside it (with the earlier waves' figures under it).
    fn bar(&mut self, label: &str, share: Option<f64>, figure_text: &str, ci95: Option<[f64; 2]>, benchmarks: &[Benchmark], colour: &str) {
        let labels = wrap(label, LABEL_CHARS);
        let marks = marks_text(benchmarks);
        let lines = labels.len().max(if marks.is_empty() { 1 } else { 2 }) as u32;
        let top = self.y + 4;
        for (i, line) in labels.iter().enumerate() {
            self.text(0.0, top + 12 + i as u32 * LINE, 13, "normal", INK, line);
        }
        let bar_y = top + 2;
        let x = |p: f64| BAR_X + p.clamp(0.0, 100.0) / 100.0 * BAR_WIDTH;
        self.body.push_str(&format!("<rect x=\"{BAR_X}\" y=\"{bar_y}\" width=\"{BAR_WIDTH}\" height=\"12\" fill=\"{TRACK}\"/>"));
        if let Some(share) = share {
            self.body.push_str(&format!("<rect x=\"{BAR_X}\" y=\"{bar_y}\" width=\"{:.2}\" height=\"12\" fill=\"{colour}\"/>", x(share) - BAR_X));
        }
        if let Some([low, high]) = ci95 {
            let (l, h, mid) = (x(low), x(high), bar_y + 6);
            self.body.push_str(&format!(
                "<path d=\"M{l:.2} {mid}H{h:.2}M{l:.2} {}V{}M{h:.2} {}V{}\" stroke=\"{INK}\" stroke-width=\"1.5\" fill=\"none\"/>",
                mid - 4,
                mid + 4,
                mid - 4,
                mid + 4
            ));
        }
        for b in benchmarks {
            let bx = x(b.percent);
            self.body.push_str(&format!(
                "<line x1=\"{bx:.2}\" x2=\"{bx:.2}\" y1=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"2\" stroke-dasharray=\"2 1\"/>",
                bar_y - 3,
                bar_y + 15
            ));
        }
        self.text(FIGURE_X, top + 12, 13, "bold", INK, figure_text);
        if !marks.is_empty() {
            self.text(FIGURE_X, top + 12 + LINE, 11, "normal", MUTED, &marks);
        }
        self.y = top + lines * LINE + 8;
    }

    fn option(&mut self, total: &OptionTotal, label: &str) {
        let text = match (total.count, total.percent) {
            (Some(count), Some(percent)) => figure(count, percent, total.ci95),
            _ => withheld_text(Lang::En),
        };
        self.bar(label, total.percent, &text, total.ci95, &total.benchmarks, FILL);
    }

    fn finish(self, id: &str, title: &str, description: &str, legend: &str) -> String {
        let mut canvas = self;
        canvas.y += 4;
        canvas.paragraph(legend, 100, 11, "normal", MUTED);
        let height = canvas.y + 4;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
             role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{FONT}\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{}</svg>",
            escape(title),
            escape(description),
            canvas.body
        )
    }
}

const LEGEND: &str = "Bars: share of those who answered. In brackets and as whiskers: the 95% interval, uneven near 0% and 100%. Dashed ticks: published figures of earlier waves.";

/// One question's totals: a bar per option, or for a matrix a group of bars per row.
/// `id` prefixes the chart's element ids, so several can share a page.
pub fn question_chart(question: &QuestionTotals, id: &str) -> String {
    if let Some(summary) = &question.summary {
        // Charts are for publishing: a number's spread as anyone may see it.
        return number_chart(question, &summary.publishable(), id);
    }
    let mut canvas = Canvas::new();
    canvas.paragraph(&question.text, TITLE_CHARS, 15, "bold", INK);
    canvas.paragraph(&format!("Of {} who answered.", question.answered), TITLE_CHARS, 12, "normal", MUTED);
    let mut sentences = Vec::new();
    for option in &question.options {
        canvas.option(option, &option.label);
    }
    if !question.options.is_empty() {
        sentences.push(bars_sentence(&question.options, question.answered, &[], Lang::En));
    }
    for row in &question.rows {
        canvas.y += 6;
        canvas.paragraph(&row.label, 60, 13, "bold", INK);
        for cell in &row.cells {
            canvas.option(cell, &cell.label);
        }
        sentences.push(format!("{}: {}", row.label, bars_sentence(&row.cells, question.answered, &[], Lang::En)));
    }
    let description = format!("Of {} who answered. {}.", question.answered, sentences.join(". "));
    canvas.finish(id, &question.text, &description, LEGEND)
}

/// A number question: how many answered, the median and middle half, and a bar per range
/// of answers, from a summary that may be published (no lowest or highest answer).
fn number_chart(question: &QuestionTotals, summary: &NumberSummary, id: &str) -> String {
    let mut canvas = Canvas::new();
    canvas.paragraph(&question.text, TITLE_CHARS, 15, "bold", INK);
    let spread = spread_text(summary, Lang::En).map(|s| format!("{s}.")).unwrap_or_else(|| spread_withheld_text(Lang::En));
    let intro = format!("Of {} who answered. {spread}", question.answered);
    canvas.paragraph(&intro, TITLE_CHARS, 12, "normal", MUTED);
    let answered: u64 = summary.bins.iter().map(|b| b.count).sum();
    let mut sentences = Vec::new();
    for bin in &summary.bins {
        let label = bin_text(bin, summary.unit.as_deref(), Lang::En);
        let percent = bin.count as f64 * 100.0 / answered.max(1) as f64;
        canvas.bar(&label, Some(percent), &figure(bin.count, percent, None), None, &[], FILL);
        sentences.push(format!("{label}: {} of {answered}, {}", bin.count, pct(percent)));
    }
    let description = if sentences.is_empty() { intro } else { format!("{intro} {}.", sentences.join("; ")) };
    let legend = format!(
        "Bars: share of those who answered in each range. Ranges of fewer than {MIN_SEGMENT} answers are merged with their neighbours, and the lowest and highest are open-ended, so that no range shows fewer than {MIN_SEGMENT} answers or the extremes; the median is given from {MEDIAN_FROM} answers and the middle half from {QUARTILES_FROM}."
    );
    canvas.finish(id, &question.text, &description, &legend)
}

/// The gap view: per channel, the share of organisations using it (blue) against the
/// share saying their service users are on it (orange), and the gap in points.
pub fn gap_chart(title: &str, rows: &[GapFigure], id: &str) -> String {
    let mut canvas = Canvas::new();
    canvas.paragraph(title, TITLE_CHARS, 15, "bold", INK);
    let mut sentences = Vec::new();
    for row in rows {
        let points = row.gap();
        canvas.y += 4;
        canvas.paragraph(&format!("{}: gap {points:+.0} points", row.label), 60, 13, "bold", INK);
        let text = |t: &OptionTotal| share(t.percent.unwrap_or(0.0), t.ci95);
        let (o, u) = (&row.organisations, &row.users);
        canvas.bar("Organisations using it", o.percent, &text(o), o.ci95, &o.benchmarks, FILL);
        canvas.bar("Service users on it", u.percent, &text(u), u.ci95, &u.benchmarks, SECOND);
        sentences.push(format!(
            "{}: {} of {} organisations use it, {} of {} say their service users do, a gap of {points:+.0} points",
            row.label,
            text(o),
            o.base.unwrap_or(0),
            text(u),
            u.base.unwrap_or(0)
        ));
    }
    let legend = "Blue: organisations using the channel now. Orange: organisations saying their service users actively use it. Each of those who answered its question; in brackets and as whiskers: the 95% interval; dashed ticks: earlier waves.";
    canvas.finish(id, title, &format!("{}.", sentences.join(". ")), legend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_at_spaces_and_short_ones_stay_whole() {
        assert_eq!(wrap("Social media in the communications strategy", 20), ["Social media in the", "communications", "strategy"]);
        assert_eq!(wrap("Yes", 20), ["Yes"]);
        assert_eq!(wrap("", 20), [""]);
    }
}
