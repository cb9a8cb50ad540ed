//! What organisers and respondents do with the panel and email, through the service:
//! queue invitations and reminders, send the findings to respondents who asked, email a
//! respondent their own resume link, and the panel's numbers for the dashboard.

use std::collections::BTreeMap;

use canvass::pages::PanelView;
use canvass::{Answer, Definition, Slug};

use crate::auth::tokens::Token;
use crate::mail::compose::{findings_message, panel_message, resume_message, PanelMessage};
use crate::service::Service;
use crate::storage::{Contacts, PanelLinks, PanelMember, ResumeMailLimits};

/// Queues invitations (to contacts not yet invited) or reminders; how many.
pub async fn queue_panel(service: &Service, definition: &Definition, which: PanelMessage) -> anyhow::Result<usize> {
    let closes = |lang: canvass::Lang| definition.closes_at.as_deref().map(|t| service.zone().when_in(t, lang)).unwrap_or_default();
    let public = service.public_url().clone();
    let compose = |member: &PanelMember, links: &PanelLinks| panel_message(which, definition, &public, &closes, member, links);
    match which {
        PanelMessage::Invitation => service.store().invite_panel(&definition.slug, &compose).await,
        PanelMessage::Reminder => service.store().remind_panel(&definition.slug, &compose).await,
    }
}

/// Why the findings were not sent.
#[derive(Debug, thiserror::Error)]
pub enum FindingsError {
    #[error("the link must start with https:// or http://")]
    BadLink,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// The addresses of respondents who asked for the findings (`canvass::findings`), with
/// their receipt: (address, receipt). The receipt is for the owners' contact list and
/// erasure, never for the findings email: a receipt opens that respondent's own answers.
/// `which`: what the owners may see (`Contacts::Released`: on an anonymous survey in
/// groups of at least 5), or everyone who asked (`Contacts::All`, only to send to).
pub(crate) async fn findings_recipients(service: &Service, definition: &Definition, which: Contacts) -> anyhow::Result<Vec<(String, String)>> {
    let mut recipients = Vec::new();
    for (receipt, details) in service.store().contact_details(&definition.slug, which).await? {
        let Ok(details) = serde_json::from_str::<BTreeMap<String, Answer>>(&details) else { continue };
        if let Some(address) = canvass::findings::findings_address(definition, &details) {
            recipients.push((address, receipt));
        }
    }
    Ok(recipients)
}

/// The public findings page: the published totals, identifying no one.
pub fn findings_page_url(service: &Service, slug: &Slug) -> String {
    format!("{}/s/{slug}/findings", service.public_url().origin())
}

/// What the findings email links to: the owners' own report if they give one (checked),
/// else the public findings page.
pub fn findings_link(service: &Service, slug: &Slug, link: &str) -> Result<String, FindingsError> {
    let link = link.trim();
    if link.is_empty() {
        return Ok(findings_page_url(service, slug));
    }
    if !(link.starts_with("https://") || link.starts_with("http://")) {
        return Err(FindingsError::BadLink);
    }
    Ok(link.to_string())
}

/// Queues one message to every respondent who asked for the findings, each the same
/// link: the owners' report, or the public findings page, which this publishes. Never a
/// respondent's own receipt: whoever a message is forwarded to would see their answers
/// marked and could withdraw them. The owners confirm first (`routes::panel`).
pub async fn send_findings(service: &Service, definition: &Definition, link: &str, note: &str, by: &str) -> Result<usize, FindingsError> {
    let link = findings_link(service, &definition.slug, link)?;
    if link == findings_page_url(service, &definition.slug) {
        service.store().publish_findings(&definition.slug, by).await?;
    }
    let messages: Vec<_> = findings_recipients(service, definition, Contacts::All)
        .await?
        .into_iter()
        .map(|(address, _)| findings_message(definition, &address, &link, note))
        .collect();
    service.store().queue_mail(&messages).await?;
    Ok(messages.len())
}

/// How often "Email me this link" sends (issue 33: a probe sent one draft's link to 30
/// strangers): a draft's link at most 3 times a day, and one address at most 5 resume
/// links a day, whatever the drafts.
pub const RESUME_MAIL_LIMITS: ResumeMailLimits = ResumeMailLimits { per_draft: 3, per_address: 5, window_ms: 24 * 3600 * 1000 };

/// Whether a resume link was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emailed {
    Queued,
    /// The draft or the address has had its share for today ([`RESUME_MAIL_LIMITS`]).
    Throttled,
}

/// Queues a respondent's resume link to the address they typed (used for this message
/// only: the queue forgets it once sent), within [`RESUME_MAIL_LIMITS`]. The throttle
/// counts keyed hashes of the draft's token and of the address, never either itself.
pub async fn email_resume_link(service: &Service, definition: &Definition, draft: &Token, to: &str) -> anyhow::Result<Emailed> {
    let link = format!("{}{}", service.public_url().origin(), canvass::web::resume_path(definition.slug.as_str(), draft.as_str()));
    let message = resume_message(definition, to, &link, definition.retention.draft_days(service.draft_expiry_days()));
    let key = service.key();
    let draft_key = key.fingerprint("resume-mail-draft", draft.as_str());
    let address_key = key.fingerprint("resume-mail-address", &to.trim().to_lowercase());
    let now = crate::storage::unix_ms();
    Ok(match service.store().queue_resume_link(&message, &draft_key, &address_key, now, RESUME_MAIL_LIMITS).await? {
        true => Emailed::Queued,
        false => Emailed::Throttled,
    })
}

/// The panel's numbers as the dashboard shows them.
pub async fn panel_view(service: &Service, definition: &Definition) -> anyhow::Result<PanelView> {
    Ok(PanelView {
        panel: service.store().panel_counts(&definition.slug, definition.anonymous).await?,
        queue: service.store().queue_counts(&definition.slug).await?,
        mail_configured: service.mail_configured(),
        anonymous: definition.anonymous,
        findings_recipients: findings_recipients(service, definition, Contacts::Released).await?.len() as u64,
        findings_sent: service.store().findings_sent(&definition.slug).await?,
    })
}
