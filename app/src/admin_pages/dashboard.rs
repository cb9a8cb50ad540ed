//! `/admin/surveys/{slug}`: the live dashboard. Server-rendered complete (so it works
//! without JavaScript, with a Refresh link); in its island, totals follow the organisers'
//! event stream and the activity below them (responses per day, last response, free
//! text) is re-read at most every few seconds while responses arrive.

use canvass::Results;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{refused, AdminBar};
use crate::admin_api::{admin_dashboard, AdminView, Dashboard};
use crate::results_page::{results_from_json, subscribe, ResultsBody};
use canvass::pages::{Activity, PanelView};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    // Set by the server when Close was pressed: the page asks to confirm.
    let confirming = move || query.read_untracked().get("confirm").as_deref() == Some("close");
    // Set by the editor after publishing: the page says which version is now live.
    let published = move || query.read_untracked().get("published").and_then(|v| v.parse::<u32>().ok());
    // Set by the server after a panel action: what it did.
    let panel_notice = move || {
        let q = query.read_untracked();
        let n = |key: &str| q.get(key).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        panel_notice(q.get("panel").as_deref(), n("n"), n("updated"), n("merged"))
    };
    let dashboard = Resource::new(move || (slug(), page()), |(slug, page)| admin_dashboard(slug, page));
    view! {
        <Suspense fallback=|| view! { <p>"Loading the dashboard…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(AdminView::Shown(dashboard)) => view! {
                        <crate::escaped::PageTitle text=format!("Dashboard – {}", dashboard.results.title)/>
                        <Live dashboard slug=slug() confirming=confirming() published=published() panel_notice=panel_notice() words=crate::charts::ResultsWords::current()/>
                    }.into_any(),
                    Ok(other) => refused(other),
                    Err(_) => view! { <crate::LoadFailed heading="The dashboard could not be loaded"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a panel action did, from the server's redirect (only these words, never text from the address).
fn panel_notice(action: Option<&str>, n: u64, updated: u64, merged: u64) -> Option<String> {
    let plural = |n: u64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    Some(match action? {
        "invited" if n == 0 => "No invitations queued: everyone on the panel is already invited.".to_string(),
        "invited" => format!("{} queued: they go out at the server's sending rate.", plural(n, "invitation", "invitations")),
        "reminded" if n == 0 => "No reminders queued: everyone invited has responded, unsubscribed, bounced or still has a message waiting.".to_string(),
        "reminded" => format!("{} queued, to those invited not counted as responded.", plural(n, "reminder", "reminders")),
        "imported" => format!(
            "Contacts imported: {} new, {} updated{}.",
            n,
            updated,
            if merged > 0 { format!(", {} merged", plural(merged, "duplicate", "duplicates")) } else { String::new() }
        ),
        "findings" => format!("The findings are queued to {}.", plural(n, "respondent", "respondents")),
        _ => return None,
    })
}

/// The dashboard itself, an island (lazy: its code is fetched on this page only).
#[island(lazy)]
fn Live(
    dashboard: Dashboard,
    slug: String,
    confirming: bool,
    published: Option<u32>,
    panel_notice: Option<String>,
    words: crate::charts::ResultsWords,
) -> impl IntoView {
    let Dashboard { email, role, results, state, activity, version } = dashboard;
    // What the page offers follows the organiser's role (`canvass::roles`); the server
    // refuses the same things whatever the page shows.
    let (analyst, owner) = (role >= canvass::Role::Analyst, role >= canvass::Role::Owner);
    let title = results.title.clone();
    let page = activity.page;
    let drafts = activity.drafts_in_progress;
    let current = RwSignal::new(results);
    let activity = RwSignal::new(activity);
    let connected = RwSignal::new(false);
    subscribe(format!("/admin/surveys/{slug}/live"), current, connected, results_from_json);
    refresh_activity(slug.clone(), page, current, activity);
    let base = format!("/admin/surveys/{slug}");
    let refresh = if page > 0 { format!("{base}?page={page}") } else { base.clone() };
    view! {
        <AdminBar email/>
        <p><a href="/admin">"All surveys"</a></p>
        <h1>{title}</h1>
        {published.map(|v| view! { <p class="notice" role="status" data-testid="published">{format!("Version {v} is published: respondents see it now.")}</p> })}
        <p class="survey-version">
            {format!("Live version {version} · ")}
            {owner.then(|| view! {
                <a href=format!("/admin/surveys/{slug}/build") data-testid="build-survey">"Build the survey"</a>
                " · "
                <a href=format!("/admin/surveys/{slug}/edit") data-testid="edit-survey">"Edit the survey"</a>
                " · "
            })}
            <a href=format!("/admin/surveys/{slug}/report") data-testid="report-link">"The report to publish"</a>
            " · "
            <a href=format!("/admin/surveys/{slug}/tokens") data-testid="tokens-link">"API tokens"</a>
            {owner.then(|| view! {
                " · "
                <a href=format!("/admin/surveys/{slug}/members") data-testid="members-link">"Members"</a>
                " · "
                <a href=format!("/admin/surveys/{slug}/webhooks") data-testid="webhooks-link">"Webhooks"</a>
                " · "
                <a href=format!("/admin/surveys/{slug}/audit") data-testid="audit-link">"Audit trail"</a>
                " · "
                <a href=format!("/admin/surveys/{slug}/contacts.csv") rel="external" download="" data-testid="contacts-csv">"Findings contacts (CSV)"</a>
            })}
        </p>
        {move || activity.with(|a| (!a.retention.is_empty()).then(|| view! {
            <div class="notice" role="status" data-testid="retention-warning">
                {a.retention.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}
            </div>
        }))}
        {move || activity.with(|a| (!a.webhooks.is_empty()).then(|| view! {
            <div class="notice" role="alert" data-testid="webhook-warning">
                {a.webhooks.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}
            </div>
        }))}
        <p class="role hint" data-testid="your-role">{format!("Your role: {} ({}).", role.code(), role.description())}</p>
        <p class="total" aria-live="polite">
            <strong data-testid="dashboard-count">{move || current.with(|r| r.responses)}</strong>
            {move || if current.with(|r| r.responses) == 1 { " response" } else { " responses" }}
            {move || activity.with(|a| a.last_response_at.as_deref().map(|t| format!(", the last at {t}")).unwrap_or_default())}
            ". "
            {move || if connected.get() {
                view! { <span class="live-badge" data-testid="live">"Updating live"</span> }.into_any()
            } else {
                view! { <a href=refresh.clone()>"Refresh"</a> }.into_any()
            }}
        </p>
        {owner.then(|| view! { <StateForm slug=slug.clone() state words=activity.with_untracked(|a| a.state_words.clone()) confirming drafts/> })}
        {analyst.then(|| view! { <Exports base=base.clone()/> })}
        {owner.then(|| view! { <Panel slug=slug.clone() activity notice=panel_notice/> })}
        {owner.then(|| view! { <DeleteResponse slug=slug.clone()/> })}
        <PerDay activity/>
        <ResultsBody current chosen=canvass::Chosen::default() provisional=state.figures_provisional() words/>
        {analyst.then(|| view! { <FreeText activity base/> })}
    }
}

/// Deleting one response for a subject-access or erasure request (owners): a plain form;
/// the server asks to confirm.
#[component]
fn DeleteResponse(slug: String) -> impl IntoView {
    view! {
        <details class="delete-response">
            <summary>"Delete a response (erasure request)"</summary>
            <form method="post" action=format!("/admin/surveys/{slug}/responses/delete")>
                <p>
                    <label for="delete-response">"The response’s id (from the export) or the reference on its receipt"</label><br/>
                    <input id="delete-response" name="response" type="text" autocomplete="off" required maxlength="64"/>
                </p>
                <p><button type="submit">"Delete…"</button></p>
            </form>
        </details>
    }
}

/// Close or reopen: a plain form, so it works without JavaScript too. Closing asks first
/// (the server sends Close back here with `?confirm=close`), saying how many respondents
/// are part-way through: they will not be able to submit.
#[component]
fn StateForm(slug: String, state: canvass::SurveyState, words: String, confirming: bool, drafts: u64) -> impl IntoView {
    use canvass::SurveyState;
    // What each state means for respondents, and what the button does about it.
    let (action, button, hint) = match state {
        SurveyState::Scheduled => (
            Some("close"),
            "Close the survey",
            "Respondents are told when it opens and cannot answer before. Closing now keeps it shut at its opening time until you reopen it.",
        ),
        SurveyState::Open => (Some("close"), "Close the survey", "Respondents can answer. Closing stops new responses at once; stored ones are kept."),
        SurveyState::Closed | SurveyState::Archived => {
            (Some("reopen"), "Reopen the survey", "Respondents see that the survey is closed; submissions are refused.")
        }
        SurveyState::Ended => (
            None,
            "",
            "Respondents see that the survey is closed; submissions are refused. To take more responses, give it a later closes_at and publish.",
        ),
    };
    let closed = matches!(state, SurveyState::Closed | SurveyState::Archived);
    let archived = state == SurveyState::Archived;
    let action_url = format!("/admin/surveys/{slug}/state");
    if confirming && !closed {
        let in_progress = match drafts {
            0 => "No one is part-way through answering just now.".to_string(),
            1 => "1 respondent is part-way through answering: they will not be able to submit.".to_string(),
            n => format!("{n} respondents are part-way through answering: they will not be able to submit."),
        };
        return view! {
            <form class="state confirm" method="post" action=action_url data-testid="confirm-close">
                <h2>"Close this survey?"</h2>
                <p>"No new responses will be accepted; the stored ones are kept, and you can reopen it at any time."</p>
                <p><strong data-testid="drafts-in-progress">{in_progress}</strong></p>
                <input type="hidden" name="action" value="close"/>
                <input type="hidden" name="confirm" value="yes"/>
                <button type="submit" class="warning">"Yes, close the survey"</button>
                " "
                <a href=format!("/admin/surveys/{slug}")>"Cancel"</a>
            </form>
        }
        .into_any();
    }
    let (archive, archive_button, archive_hint) = if archived {
        ("unarchive", "Bring back from the archive", "Archived: listed apart on the surveys page.")
    } else {
        ("archive", "Archive the survey", "Archiving lists it apart on the surveys page; its responses are kept and can still be exported.")
    };
    view! {
        <form class="state" method="post" action=action_url.clone()>
            <p><strong>"State: " <span data-testid="survey-state">{words}</span></strong>". " {hint}</p>
            {action.map(|action| view! {
                <input type="hidden" name="action" value=action/>
                <button type="submit" class="secondary">{button}</button>
            })}
        </form>
        {closed.then(|| view! {
            <form class="state" method="post" action=action_url>
                <p>{archive_hint}</p>
                <input type="hidden" name="action" value=archive/>
                <button type="submit" class="secondary" data-testid="archive">{archive_button}</button>
            </form>
        })}
    }
    .into_any()
}

/// Downloads, not pages: `rel="external"` keeps the client-side router out of them.
#[component]
fn Exports(base: String) -> impl IntoView {
    view! {
        <section class="exports">
            <h2>"Export"</h2>
            <ul>
                <li><a href=format!("{base}/export.csv") rel="external" download="" data-testid="export-csv">"Responses as CSV (codes)"</a></li>
                <li><a href=format!("{base}/export.csv?labels=1") rel="external" download="">"Responses as CSV (labels)"</a></li>
                <li><a href=format!("{base}/export.csv?labels=1&bom=1") rel="external" download="">"Responses for Excel (labels, UTF-8 marked)"</a></li>
                <li><a href=format!("{base}/codebook.csv") rel="external" download="">"Codebook: every column, what its codes mean, and when it is asked"</a></li>
                <li><a href=format!("{base}/codebook.csv?bom=1") rel="external" download="">"Codebook for Excel (UTF-8 marked)"</a></li>
                <li><a href=format!("{base}/by-segment.csv?bom=1") rel="external" download="" data-testid="export-by-segment">"Every closed question by organisation type: counts and column percentages (groups under 5 left out)"</a></li>
                <li><a href=format!("{base}/export.csv?names=stata") rel="external" download="" data-testid="export-stata">"Responses for Stata or SPSS (column names without dots)"</a>
                    " and "<a href=format!("{base}/codebook.csv?names=stata") rel="external" download="">"its codebook"</a></li>
            </ul>
            <p class="hint">"One row per response, one column per option of a multiple-choice question. Contact details are never included."</p>
        </section>
    }
}

/// Invitations: the panel's numbers (live with the activity), and the actions on it as
/// plain forms, so they work without JavaScript.
#[component]
fn Panel(slug: String, activity: RwSignal<Activity>, notice: Option<String>) -> impl IntoView {
    let action = format!("/admin/surveys/{slug}/panel");
    let import = format!("/admin/surveys/{slug}/panel/import");
    let numbers = move || panel_numbers(activity.with(|a| a.panel.clone()));
    let status = move || {
        let p = activity.with(|a| a.panel.clone());
        (!p.mail_configured).then(|| view! {
            <p class="notice" data-testid="no-mail">"This server has no mail relay (--smtp-url and --mail-from): messages wait in the queue until one is set."</p>
        })
    };
    let findings = move || activity.with(|a| (a.panel.findings_recipients, a.panel.findings_sent));
    view! {
        <section class="invitations" data-testid="panel">
            <h2>"Invitations"</h2>
            {notice.map(|n| view! { <p class="notice" role="status" data-testid="panel-notice">{n}</p> })}
            {numbers}
            {status}
            <div class="panel-actions">
                <form method="post" action=action.clone()>
                    <input type="hidden" name="action" value="send"/>
                    <button type="submit" class="submit" data-testid="send-invitations">"Send invitations"</button>
                    <span class="hint">" to everyone on the panel not yet invited"</span>
                </form>
                <form method="post" action=action.clone()>
                    <input type="hidden" name="action" value="remind"/>
                    <button type="submit" class="secondary" data-testid="send-reminders">"Send reminders"</button>
                    <span class="hint">" to those invited who have not responded"</span>
                </form>
            </div>
            <form method="post" action=import enctype="multipart/form-data" class="panel-import">
                <label for="panel-file">"Import contacts (CSV: email, name, organisation, language, any other columns kept)"</label>
                <input type="file" id="panel-file" name="file" accept=".csv,text/csv" data-testid="panel-file"/>
                <button type="submit" class="secondary" data-testid="import-panel">"Import"</button>
            </form>
            <form method="post" action=action class="panel-findings">
                <h3>"Send the findings"</h3>
                <p class="hint">{move || {
                    let (n, sent) = findings();
                    let said = format!("One message to each respondent who gave an address and asked for the findings ({n} so far). You are asked to confirm first.");
                    if sent { format!("The findings were sent. {said}") } else { said }
                }}</p>
                <input type="hidden" name="action" value="findings"/>
                <label for="findings-link">{format!("Link to the report (leave empty to send the survey's public findings page, /s/{slug}/findings, which identifies no one)")}</label>
                <input type="url" id="findings-link" name="link" placeholder="https://"/>
                <label for="findings-note">"A note to go with it (optional)"</label>
                <textarea id="findings-note" name="note" rows="3"></textarea>
                <button type="submit" class="secondary" data-testid="send-findings">"Send the findings…"</button>
            </form>
        </section>
    }
}

/// The panel's numbers: invited, responded, the rates by organisation and by the contact
/// list's columns (grouped under 5 on anonymous surveys), and the mail queue.
fn panel_numbers(p: PanelView) -> AnyView {
    if p.panel.contacts == 0 {
        return view! { <p data-testid="panel-empty">"No panel yet. Import a CSV file of the people to invite (columns email, name, organisation; a spreadsheet saved as CSV)."</p> }.into_any();
    }
    let (by_organisation, by_column) = (p.by_organisation(), p.by_column());
    view! {
        <table class="admin-table stacks" data-testid="panel-numbers">
            <thead><tr>
                <th scope="col">"On the panel"</th><th scope="col">"Invited"</th><th scope="col">"Responded"</th>
                <th scope="col">"Response rate"</th><th scope="col">"Bounced"</th><th scope="col">"Unsubscribed"</th>
            </tr></thead>
            <tbody><tr>
                <td data-label="On the panel">{p.panel.contacts}</td>
                <td data-label="Invited" data-testid="panel-invited">{p.panel.invited}</td>
                <td data-label="Responded" data-testid="panel-responded">{p.panel.responded}</td>
                <td data-label="Response rate" data-testid="panel-rate">{p.rate()}</td>
                <td data-label="Bounced" data-testid="panel-bounced">{p.panel.bounced}</td>
                <td data-label="Unsubscribed" data-testid="panel-unsubscribed">{p.panel.unsubscribed}</td>
            </tr></tbody>
        </table>
        {(p.anonymous && p.panel.invited > 0).then(|| view! {
            // Never how many wait to be counted: that number would move by one as each invitee answered.
            <p class="hint" data-testid="panel-held-back">
                "On an anonymous survey, responses through invitations are counted here only once 5 have gathered, so up to 4 more may have responded: nobody's response is marked on its own. Reminders go to everyone not counted yet."
            </p>
        })}
        {(!by_organisation.is_empty()).then(|| view! {
            <table class="admin-table stacks" data-testid="panel-by-organisation">
                <caption>{if p.anonymous { "By organisation (organisations with fewer than 5 invited are shown together)" } else { "By organisation" }}</caption>
                <thead><tr><th scope="col">"Organisation"</th><th scope="col">"Invited"</th><th scope="col">"Responded"</th><th scope="col">"Rate"</th></tr></thead>
                <tbody>
                    {by_organisation.iter().map(|(o, i, r, rate)| view! {
                        <tr><td data-label="Organisation">{o.clone()}</td><td data-label="Invited">{*i}</td><td data-label="Responded">{*r}</td><td data-label="Rate">{rate.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {by_column.iter().map(|(column, rows)| view! {
            <table class="admin-table stacks" data-testid=format!("panel-by-{column}")>
                <caption>{format!("Response rate by {column} (from the contact list){}", if p.anonymous { "; groups with fewer than 5 invited are shown together" } else { "" })}</caption>
                <thead><tr><th scope="col">{column.clone()}</th><th scope="col">"Invited"</th><th scope="col">"Responded"</th><th scope="col">"Rate"</th></tr></thead>
                <tbody>
                    {rows.iter().map(|(v, i, r, rate)| view! {
                        <tr><td data-label=column.clone()>{v.clone()}</td><td data-label="Invited">{*i}</td><td data-label="Responded">{*r}</td><td data-label="Rate">{rate.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        }).collect_view()}
        {(p.panel.invited > 0 && by_column.is_empty()).then(|| view! {
            <p class="hint" data-testid="panel-by-column-hint">"To see response rates by organisation type or region, add such a column (for example org_type) to the contact list and import it again."</p>
        })}
        <p data-testid="panel-queue">{format!("Email: {} waiting, {} sent, {} failed, {} uncertain.", p.waiting(), p.queue.sent, p.queue.failed, p.queue.uncertain)}</p>
        {(p.queue.uncertain > 0).then(|| view! {
            <p class="hint">"Uncertain: a server stopped while the mail server was taking these, so they may or may not have arrived. They are not sent again on their own."</p>
        })}
    }.into_any()
}

#[component]
fn PerDay(activity: RwSignal<Activity>) -> impl IntoView {
    view! {
        <section class="per-day">
            <h2>"Responses per day"</h2>
            {move || {
                let (days, zone) = activity.with(|a| (a.per_day.clone(), a.zone.clone()));
                if days.is_empty() {
                    return view! { <p>"No responses yet."</p> }.into_any();
                }
                let most = days.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
                view! {
                    <p class="hint" data-testid="zone">{format!("Days and times in {zone} time.")}</p>
                    <table class="admin-table">
                        <thead><tr><th scope="col">"Day"</th><th scope="col">"Responses"</th></tr></thead>
                        <tbody>
                            {days.into_iter().map(|(day, n)| view! {
                                <tr>
                                    <td>{day}</td>
                                    <td>
                                        // SVG attributes, not a style attribute: the CSP allows no inline styles.
                                        <svg class="day-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                            <rect class="fill" x="0" y="0" height="8" width=format!("{:.1}", n as f64 * 100.0 / most as f64)></rect>
                                        </svg>
                                        " " {n}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// Free-text answers, newest first, a page at a time. Text is inserted as text, never
/// as markup, so whatever a respondent typed is shown and nothing runs.
#[component]
fn FreeText(activity: RwSignal<Activity>, base: String) -> impl IntoView {
    move || {
        let Activity { texts, page, more, .. } = activity.get();
        let base = base.clone();
        texts
            .into_iter()
            .map(move |t| {
                let base = base.clone();
                view! {
                    <section class="free-text">
                        <h2>{format!("Free text: {}", t.text)}</h2>
                        {if t.answers.is_empty() {
                            view! { <p>"No answers on this page."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="answers" data-testid=format!("texts-{}", t.question)>
                                    {t.answers.into_iter().map(|(at, text)| view! {
                                        <li><p>{text}</p><p class="hint">{at}</p></li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                        <nav class="pages" aria-label="Pages of free-text answers">
                            {(page > 0).then(|| view! { <a href=format!("{base}?page={}", page - 1)>"Newer answers"</a> })}
                            " "
                            {more.then(|| view! { <a href=format!("{base}?page={}", page + 1)>"Older answers"</a> })}
                        </nav>
                    </section>
                }
            })
            .collect_view()
    }
}

/// In the browser: when the live count changes, re-read the activity, at most once every
/// few seconds however fast responses arrive.
#[allow(unused_variables)]
fn refresh_activity(slug: String, page: u32, current: RwSignal<Results>, activity: RwSignal<Activity>) {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new(false);
        let seen = StoredValue::new(current.with_untracked(|r| r.responses));
        Effect::new(move |_| {
            let count = current.with(|r| r.responses);
            if count == seen.get_value() || pending.get_value() {
                return;
            }
            seen.set_value(count);
            pending.set_value(true);
            let slug = slug.clone();
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        if let Ok(AdminView::Shown(fresh)) = crate::admin_api::admin_activity(slug, page).await {
                            activity.set(fresh);
                        }
                        pending.set_value(false);
                    })
                },
                std::time::Duration::from_secs(2),
            );
        });
    }
}
