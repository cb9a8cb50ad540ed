//! A closed question's benchmarks: the published figures of earlier waves (the year, a
//! percentage for each option, the base when it is known), as the default survey has for
//! 2011 and 2013. A table a wave, and an empty one to add a wave; an emptied figure goes.
//! A grid takes a figure for each row and column.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canvass::builder::{apply, Edit, Figure, Part};
use canvass::definition::{Benchmark, Choice, Kind, Question};
use serde::Deserialize;

use super::page_parts::{error_summary, frame, hidden, text_field, Problem};
use super::{keep, see_other, working, Building};
use crate::http::plain_page::escape;
use crate::http::posted_form::PostedForm;
use crate::http::state::AppState;

#[derive(Deserialize)]
pub(super) struct Which {
    id: String,
}

/// The cells of a question's benchmark table: a choice (a grid's row), and for a grid the
/// column its figure counts.
struct Cell<'q> {
    part: Part,
    choice: &'q Choice,
    column: Option<&'q Choice>,
}

impl Cell<'_> {
    fn field(&self, block: usize) -> String {
        match self.column {
            Some(column) => format!("w{block}_p_{}.{}", self.choice.code, column.code),
            None => format!("w{block}_p_{}", self.choice.code),
        }
    }

    fn words(&self) -> String {
        match self.column {
            Some(column) => format!("{}: {}", self.choice.label, column.label),
            None => self.choice.label.clone(),
        }
    }

    fn benchmark(&self, wave: &str) -> Option<&Benchmark> {
        self.choice.benchmarks.iter().find(|b| b.wave == wave && b.column.as_deref() == self.column.map(|c| c.code.as_str()))
    }
}

fn cells(question: &Question) -> Vec<Cell<'_>> {
    match &question.kind {
        Kind::Single { options } | Kind::Multiple { options, .. } => {
            options.iter().map(|choice| Cell { part: Part::Options, choice, column: None }).collect()
        }
        Kind::Matrix { rows, columns } => {
            rows.iter().flat_map(|choice| columns.iter().map(move |column| Cell { part: Part::Rows, choice, column: Some(column) })).collect()
        }
        _ => Vec::new(),
    }
}

/// The waves the question has figures for, in order.
fn waves(question: &Question) -> Vec<String> {
    let mut waves: Vec<String> = cells(question).iter().flat_map(|c| c.choice.benchmarks.iter().map(|b| b.wave.clone())).collect();
    waves.sort();
    waves.dedup();
    waves
}

pub(super) async fn page(State(state): State<AppState>, mut building: Building, Query(which): Query<Which>) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let definition = canvass::parse_draft("definition", &working.text).ok();
    match definition.as_ref().and_then(|d| d.question(&which.id)).filter(|q| q.kind.is_closed()) {
        Some(question) => render(&building, question, None, &[], StatusCode::OK),
        None => no_such(&building, &which.id),
    }
}

fn no_such(building: &Building, id: &str) -> Response {
    let body = format!(
        "<p>There is no question `{}` with options to compare: benchmarks are for one-choice, several-choice and grid questions.</p><p><a href=\"{}\">Back to the questions</a></p>",
        escape(id),
        escape(&building.base())
    );
    frame(building, "No such question", &body, StatusCode::NOT_FOUND)
}

/// The page; `posted` keeps what was typed when it is shown again with problems.
fn render(building: &Building, question: &Question, posted: Option<&PostedForm>, problems: &[Problem], status: StatusCode) -> Response {
    let cells = cells(question);
    let mut blocks: Vec<Option<String>> = waves(question).into_iter().map(Some).collect();
    blocks.push(None);
    let value = |name: &str, stored: String| posted.map_or(stored, |form| form.get(name).to_string());
    let mut body = format!(
        "{}<p>“{}”</p><p>Published figures from earlier waves, shown beside this wave’s results and tested for change when the base is known. \
         Empty a figure to remove it.</p><form method=\"post\" action=\"{}/benchmarks\" class=\"builder-form\">{}",
        error_summary(problems),
        escape(&question.text),
        escape(&building.base()),
        hidden("id", &question.id)
    );
    for (k, wave) in blocks.iter().enumerate() {
        let n = wave.as_deref().and_then(|w| cells.iter().find_map(|c| c.benchmark(w).and_then(|b| b.n))).map(|n| n.to_string()).unwrap_or_default();
        let legend = match wave {
            Some(wave) => format!("Wave {}", escape(wave)),
            None => "Another wave".to_string(),
        };
        body.push_str(&format!("<fieldset class=\"builder-choices\"><legend>{legend}</legend>"));
        body.push_str(&match wave {
            Some(wave) => hidden(&format!("w{k}_wave"), wave),
            None => [
                hidden(&format!("w{k}_new"), "1"),
                text_field(&format!("w{k}_wave"), "Year of the wave", Some("Such as 2013."), &value(&format!("w{k}_wave"), String::new()), ""),
            ]
            .concat(),
        });
        body.push_str(&text_field(
            &format!("w{k}_n"),
            "Base",
            Some("How many responded in that wave, if published."),
            &value(&format!("w{k}_n"), n),
            " inputmode=\"numeric\"",
        ));
        body.push_str("<div class=\"table-scroll\"><table class=\"admin-table\"><thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">Percentage</th></tr></thead><tbody>");
        for cell in &cells {
            let field = cell.field(k);
            let stored = wave.as_deref().and_then(|w| cell.benchmark(w)).map(|b| b.percent.to_string()).unwrap_or_default();
            body.push_str(&format!(
                "<tr><th scope=\"row\"><label for=\"{f}\">{}</label></th><td><input id=\"{f}\" name=\"{f}\" value=\"{}\" inputmode=\"decimal\"> %</td></tr>",
                escape(&cell.words()),
                escape(&value(&field, stored)),
                f = escape(&field)
            ));
        }
        body.push_str("</tbody></table></div></fieldset>");
    }
    body.push_str(&format!(
        "<div class=\"step-buttons\"><button type=\"submit\" class=\"submit\">Save benchmarks</button><a href=\"{}\">Cancel</a></div></form>",
        escape(&building.base())
    ));
    frame(building, "Benchmarks", &body, status)
}

pub(super) async fn post(State(state): State<AppState>, mut building: Building, form: PostedForm) -> Response {
    let working = match working(&state, &mut building).await {
        Ok(working) => working,
        Err(refusal) => return refusal,
    };
    let id = form.get("id").to_string();
    let definition = canvass::parse_draft("definition", &working.text).ok();
    let Some(question) = definition.as_ref().and_then(|d| d.question(&id)).filter(|q| q.kind.is_closed()) else {
        return no_such(&building, &id);
    };
    let (edits, problems) = edits(question, &form);
    if !problems.is_empty() {
        return render(&building, question, Some(&form), &problems, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut text = working.text.clone();
    for edit in &edits {
        match apply(&text, edit) {
            Ok(edited) => text = edited.text,
            Err(refusal) => {
                let problems: Vec<Problem> = refusal.into_iter().map(Problem::general).collect();
                return render(&building, question, Some(&form), &problems, StatusCode::UNPROCESSABLE_ENTITY);
            }
        }
    }
    if text != working.text {
        let change = format!("Changed the benchmarks of “{}”", question.text);
        if let Err(refusal) = keep(&state, &building, &text, working.base, &change).await {
            return refusal;
        }
    }
    see_other(format!("{}?done=benchmarks#q-{id}", building.base()))
}

/// The edits the posted tables ask for, or what to fix in them.
fn edits(question: &Question, form: &PostedForm) -> (Vec<Edit>, Vec<Problem>) {
    let (mut edits, mut problems) = (Vec::new(), Vec::new());
    let cells = cells(question);
    for k in 0.. {
        let wave_field = format!("w{k}_wave");
        if !form.fields.contains_key(&wave_field) {
            break;
        }
        let wave = form.get(&wave_field).trim().to_string();
        let n_field = format!("w{k}_n");
        let n = match form.get(&n_field).trim() {
            "" => None,
            n => match n.replace(',', "").parse::<u64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    problems.push(Problem::at(&n_field, "Enter the base as a whole number of responses, such as 400, or leave it empty"));
                    None
                }
            },
        };
        let typed: Vec<(&Cell, String)> = cells.iter().map(|c| (c, form.get(&c.field(k)).trim().trim_end_matches('%').trim().to_string())).collect();
        if wave.is_empty() {
            if typed.iter().any(|(_, v)| !v.is_empty()) {
                problems.push(Problem::at(&wave_field, "Enter the year of the wave these figures are from, such as 2013"));
            }
            continue;
        }
        // A wave names its figures' translation keys and the translator's file: plain.
        if wave.len() > 20 || !wave.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            problems
                .push(Problem::at(&wave_field, "Enter the wave as a year or a short name of letters, digits and hyphens, such as 2013 or 2013-autumn"));
            continue;
        }
        if form.fields.contains_key(&format!("w{k}_new")) && waves(question).contains(&wave) {
            problems.push(Problem::at(&wave_field, format!("There are already figures for {wave}: change them in its own table above")));
            continue;
        }
        for (cell, value) in typed {
            let figure = match value.as_str() {
                "" => None,
                value => match value.parse::<f64>() {
                    Ok(percent) if (0.0..=100.0).contains(&percent) => {
                        let label = cell.benchmark(&wave).map_or_else(|| cell.words(), |b| b.label.clone());
                        Some(Figure { percent, n, label })
                    }
                    _ => {
                        problems.push(Problem::at(&cell.field(k), format!("Enter {}’s percentage as a number from 0 to 100", cell.words())));
                        continue;
                    }
                },
            };
            if figure.is_none() && cell.benchmark(&wave).is_none() {
                continue;
            }
            edits.push(Edit::Benchmark {
                id: question.id.clone(),
                part: cell.part,
                code: cell.choice.code.clone(),
                column: cell.column.map(|c| c.code.clone()),
                wave: wave.clone(),
                figure,
            });
        }
    }
    (edits, problems)
}
