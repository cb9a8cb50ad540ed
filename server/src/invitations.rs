//! What organisers and respondents do with the panel and email, through the service:
//! queue invitations and reminders, send the findings to respondents who asked, email a
//! respondent their own resume link, and the panel's numbers for the dashboard.

use std::collections::BTreeMap;

use app::admin_api::PanelView;
use canvass::{Answer, Definition};

use crate::auth::tokens::{InviteToken, Token};
use crate::mail::compose::{findings_message, panel_message, resume_message, PanelMessage};
use crate::mail::status::rate;
use crate::service::Service;
use crate::storage::{Contacts, PanelMember};

/// Queues invitations (to contacts not yet invited) or reminders; how many.
pub async fn queue_panel(service: &Service, definition: &Definition, which: PanelMessage) -> anyhow::Result<usize> {
    let closes = |lang: canvass::Lang| definition.closes_at.as_deref().map(|t| service.zone().when_in(t, lang)).unwrap_or_default();
    let public = service.public_url().clone();
    let compose = |member: &PanelMember, token: &InviteToken| panel_message(which, definition, &public, &closes, member, token);
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
pub fn findings_page_url(service: &Service, slug: &str) -> String {
    format!("{}/s/{slug}/findings", service.public_url().origin())
}

/// What the findings email links to: the owners' own report if they give one (checked),
/// else the public findings page.
pub fn findings_link(service: &Service, slug: &str, link: &str) -> Result<String, FindingsError> {
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

/// Queues a respondent's resume link to the address they typed (used for this message
/// only: the queue forgets it once sent).
pub async fn email_resume_link(service: &Service, definition: &Definition, draft: &Token, to: &str) -> anyhow::Result<()> {
    let link = format!("{}{}", service.public_url().origin(), app::backend::resume_path(&definition.slug, draft.as_str()));
    let message = resume_message(definition, to, &link, definition.retention.draft_days(service.draft_expiry_days()));
    service.store().queue_mail(&[message]).await
}

/// The panel's numbers as the dashboard shows them.
pub async fn panel_view(service: &Service, definition: &Definition) -> anyhow::Result<PanelView> {
    let panel = service.store().panel_counts(&definition.slug, definition.anonymous).await?;
    let queue = service.store().queue_counts(&definition.slug).await?;
    Ok(PanelView {
        contacts: panel.contacts,
        invited: panel.invited,
        responded: panel.responded,
        bounced: panel.bounced,
        unsubscribed: panel.unsubscribed,
        rate: rate(panel.responded, panel.invited),
        by_organisation: if panel.organisations_shared {
            panel.by_organisation.into_iter().map(|(o, i, r)| (o, i, r, rate(r, i))).collect()
        } else {
            Vec::new()
        },
        by_column: panel
            .by_column
            .into_iter()
            .map(|c| (c.column, c.groups.into_iter().map(|(v, i, r)| (v, i, r, rate(r, i))).collect()))
            .collect(),
        queued: queue.queued + queue.sending,
        sent: queue.sent,
        failed: queue.failed,
        uncertain: queue.uncertain,
        mail_configured: service.mail_configured(),
        anonymous: definition.anonymous,
        findings_recipients: findings_recipients(service, definition, Contacts::Released).await?.len() as u64,
        findings_sent: service.store().findings_sent(&definition.slug).await?,
    })
}
