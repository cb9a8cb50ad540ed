//! The privacy notice of a survey: `/s/{slug}/privacy`, shown in full on the start page
//! and linked from every respondent page. Written from the definition's
//! `[data_protection]` and `[retention]` (`canvass::data_protection`,
//! `canvass::retention`) in the page's language; the fixed sentences are the
//! catalogue's. Rendered on the server: no island, nothing in the respondent's download.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::words::{t, t_with};

/// What the notice says, in the page's language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoticeFacts {
    pub slug: String,
    pub title: String,
    pub controller: String,
    pub purpose: String,
    pub contact: String,
    /// The lawful basis's code (`public-task`, …).
    pub basis: String,
    /// The survey's own short privacy text.
    pub privacy: String,
    /// Days each is kept; `None`: until the organisers delete it.
    pub responses: Option<u32>,
    pub contacts: Option<u32>,
    /// Days a draft saved part-way really lasts (`Retention::draft_days`): the same
    /// figure the saved page and the resume email give.
    pub drafts: u64,
    /// Whether the survey asks for an email address, and has a consent box: the notice
    /// speaks only of what this survey has.
    pub asks_email: bool,
    pub has_consent: bool,
    /// Only invited organisations may answer (`access = "invite"`): the notice says how
    /// far the steps of 5 protect them, which differs from a survey anyone can answer.
    #[serde(default)]
    pub invite_only: bool,
}

impl NoticeFacts {
    /// From a definition already in the page's language, and the server's draft expiry.
    pub fn of(definition: &canvass::Definition, server_draft_days: u64) -> Self {
        let periods = definition.retention.periods();
        let protection = &definition.data_protection;
        let has = |wanted: fn(&canvass::Kind) -> bool| definition.questions().any(|q| wanted(&q.kind));
        NoticeFacts {
            slug: definition.slug.to_string(),
            title: definition.title.clone(),
            controller: protection.controller.clone(),
            purpose: protection.purpose.clone(),
            contact: protection.contact.clone(),
            basis: protection.basis_code().to_string(),
            privacy: definition.privacy.clone(),
            responses: periods.responses.map(|p| p.days),
            contacts: periods.contacts.map(|p| p.days),
            drafts: definition.retention.draft_days(server_draft_days),
            asks_email: has(|k| matches!(k, canvass::Kind::Email)),
            has_consent: has(|k| matches!(k, canvass::Kind::Consent { .. })),
            invite_only: definition.access == canvass::mail_text::Access::Invite,
        }
    }

    pub fn controller_words(&self) -> String {
        if self.controller.trim().is_empty() {
            t("pn-controller-unset")
        } else {
            self.controller.clone()
        }
    }

    pub fn contact_words(&self) -> String {
        if self.contact.trim().is_empty() {
            t("pn-contact-unset")
        } else {
            t_with("pn-contact", &[("contact", self.contact.clone().into())])
        }
    }
}

/// A period in words, in the page's language ("2 years", "2 flynedd").
fn period(days: u32) -> String {
    let (n, id) = if days.is_multiple_of(365) {
        (days / 365, "period-years")
    } else if days.is_multiple_of(30) && days >= 60 {
        (days / 30, "period-months")
    } else if days.is_multiple_of(7) {
        (days / 7, "period-weeks")
    } else {
        (days, "period-days")
    };
    t_with(id, &[("n", n.into())])
}

/// The notice's sections.
#[component]
pub fn Notice(facts: NoticeFacts) -> impl IntoView {
    let kept = |days: Option<u32>, id: &str| match days {
        Some(days) => t_with(id, &[("period", period(days).into())]),
        None => t(&format!("{id}-open")),
    };
    // In days, as the saved page and the resume email say it ("7 days", not "1 week").
    let drafts = t_with("pn-keep-drafts", &[("period", t_with("period-days", &[("n", facts.drafts.into())]).into())]);
    let contact = facts.contact_words();
    let basis = t_with("pn-basis", &[("basis", facts.basis.clone().into())]);
    let basis = if facts.has_consent { format!("{basis} {}", t("pn-basis-consent-box")) } else { basis };
    view! {
        <div class="privacy-notice" data-testid="privacy-notice">
            <h3>{t("pn-controller-heading")}</h3>
            <p data-testid="controller">{facts.controller_words()}</p>
            {(!facts.purpose.is_empty()).then(|| view! {
                <h3>{t("pn-purpose-heading")}</h3>
                <p>{facts.purpose.clone()}</p>
            })}
            <h3>{t("pn-basis-heading")}</h3>
            <p data-testid="lawful-basis">{basis}</p>
            <h3>{t("pn-kept-heading")}</h3>
            <ul>
                <li>{t("pn-kept-answers")}</li>
                {facts.asks_email.then(|| view! { <li>{t("pn-kept-email")}</li> })}
                <li>{t("pn-kept-drafts")}</li>
            </ul>
            {(!facts.privacy.is_empty()).then(|| view! { <p>{facts.privacy.clone()}</p> })}
            <h3>{t("pn-retention-heading")}</h3>
            <ul data-testid="retention">
                <li>{kept(facts.responses, "pn-keep-responses")}</li>
                {facts.asks_email.then(|| view! { <li>{kept(facts.contacts, "pn-keep-contacts")}</li> })}
                <li>{drafts}</li>
            </ul>
            <h3>{t("pn-totals-heading")}</h3>
            <p data-testid="who-sees-totals">{t("pn-totals")}</p>
            <p>{t(if facts.invite_only { "pn-totals-invite" } else { "pn-totals-open" })}</p>
            <h3>{t("pn-rights-heading")}</h3>
            <p>{t("pn-rights")}</p>
            <p>{contact}</p>
        </div>
    }
}

/// What the start page says about privacy (GOV.UK's pattern): who runs the survey, whom
/// to ask, one sentence on who sees the answers, and the full notice (with the survey's
/// own privacy text) one click away, closed, so that on a phone the first question is on
/// the first screen.
#[component]
pub fn NoticeSummary(facts: NoticeFacts) -> impl IntoView {
    view! {
        <div class="privacy-summary" data-testid="privacy-summary">
            <p>{t_with("pn-run-by", &[("controller", facts.controller_words().trim_end_matches('.').to_string().into())])}" "{facts.contact_words()}</p>
            <p>{t("pn-summary-default")}</p>
            <details class="privacy">
                <summary>{t("pn-read-full")}</summary>
                <Notice facts/>
            </details>
        </div>
    }
}

/// `/s/{slug}/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let notice = Resource::new(slug, load_notice);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match notice.await {
                    Ok(Some(facts)) => view! {
                        <crate::escaped::PageTitle text=t_with("privacy-notice-title", &[("title", facts.title.clone().into())])/>
                        <h1>{t("privacy-notice-heading")}</h1>
                        <p class="meta">{facts.title.clone()}</p>
                        <p><a href=format!("/s/{}", facts.slug)>{t("pn-back")}</a></p>
                        <Notice facts/>
                    }.into_any(),
                    Ok(None) => view! { <crate::NotFound/> }.into_any(),
                    Err(_) => view! { <crate::LoadFailed heading=t("privacy-notice-heading")/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The link to the notice, at the foot of every page of a survey.
#[component]
pub fn PrivacyLink() -> impl IntoView {
    let page = use_context::<crate::words::PageLanguage>().unwrap_or_default();
    let slug = page.path.strip_prefix("/s/").and_then(|rest| rest.split('/').next()).filter(|s| !s.is_empty()).map(str::to_string);
    slug.map(|slug| {
        view! {
            <footer class="survey-footer">
                <a href=format!("/s/{slug}/privacy") data-testid="privacy-link">{t("privacy-notice-link")}</a>
            </footer>
        }
    })
}

#[server(prefix = "/_fn", endpoint = "privacy_notice")]
pub async fn load_notice(slug: String) -> Result<Option<NoticeFacts>, ServerFnError> {
    let backend = use_context::<canvass::pages::SharedBackend>().ok_or_else(|| ServerFnError::new("the server is not set up: no backend in context"))?;
    Ok(backend.definition(&slug).map(|definition| {
        let definition = canvass::translation::localized(&definition, crate::words::lang().code());
        NoticeFacts::of(&definition, backend.draft_expiry_days())
    }))
}
