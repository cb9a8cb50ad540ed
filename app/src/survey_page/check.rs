//! "Check your answers": every answer with a Change link back to its section, then the
//! one Submit that stores the response.

use canvass::validate::{amount, parse_whole_number};
use canvass::{Choice, Kind, Question};
use leptos::prelude::*;

use super::shared::{asked, ErrorSummary};
use super::Step;
use super::{Journey, NAV_FIELD, STEP_FIELD, SUBMISSION_KEY_FIELD};
use crate::language_switch::STEP_FORM_ID;
use crate::words::t;

/// An answer in words, from the form fields: labels rather than codes.
fn describe(question: &Question, fields: &[(String, String)]) -> Option<String> {
    fn given<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
        fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
    }
    let values = |name: &str| given(fields, name).map(str::to_string).collect::<Vec<_>>().into_iter();
    let label = |options: &[Choice], code: &str| Choice::find(options, code).map_or(code.to_string(), |o| o.label.clone());
    let id = question.id.as_str();
    let text = match &question.kind {
        Kind::Single { options } | Kind::Multiple { options, .. } => values(id).map(|code| label(options, &code)).collect::<Vec<_>>().join(", "),
        Kind::Matrix { rows, columns } => rows
            .iter()
            .filter_map(|row| values(&format!("{id}.{}", row.code)).next().map(|c| format!("{}: {}", row.label, label(columns, &c))))
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Number { unit, .. } => {
            values(id).next().map(|typed| parse_whole_number(&typed).map_or(typed, |n| amount(n, unit.as_deref()))).unwrap_or_default()
        }
        Kind::Consent { .. } => values(id).next().map(|_| t("answer-yes")).unwrap_or_default(),
        Kind::Text { .. } | Kind::Email => values(id).next().unwrap_or_default(),
    };
    (!text.is_empty()).then_some(text)
}

#[component]
pub fn CheckAnswers(journey: Journey) -> impl IntoView {
    let Journey { definition, submission_key, values: fields, errors } = journey;
    let action = format!("/s/{}", definition.slug);
    let summary = definition
        .sections
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let rows = section
                .questions
                .iter()
                .filter(|q| asked(q, &fields))
                .map(|q| {
                    let answer = describe(q, &fields);
                    let change = format!("{}#{}", Step::Section(index).query_returning(), crate::fields::field_anchor(&q.id));
                    view! {
                        <div class="check-row">
                            <dt>{q.text.clone()}</dt>
                            <dd data-testid=format!("answer-{}", q.id)>
                                {answer.unwrap_or_else(|| t("not-answered"))}
                            </dd>
                            <dd class="change">
                                <a href=change>{t("change")}<span class="visually-hidden">{format!(" {}", q.short)}</span></a>
                            </dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <h3>{section.title.clone()}</h3>
                <dl class="check-answers">{rows}</dl>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">{t("check-heading")}</h2>
        <ErrorSummary errors definition=definition.clone() on_check_page=true/>
        {summary}
        <form id=STEP_FORM_ID method="post" action=action novalidate=true data-hydrated="false">
            <input type="hidden" name=STEP_FIELD value="check"/>
            <input type="hidden" name=SUBMISSION_KEY_FIELD value=submission_key/>
            <p>{t("confirm-submit")}</p>
            <button type="submit" name=NAV_FIELD value="submit" class="submit">{t("submit")}</button>
        </form>
    }
}
