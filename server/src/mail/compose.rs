//! The messages Canvass sends to a survey's panel, written from its definition:
//! invitations and reminders, each with its own link and a one-click unsubscribe.

use canvass::mail_text::{html_body, Filled};
use canvass::Definition;

use crate::auth::tokens::InviteToken;
use crate::public_url::PublicUrl;
use crate::storage::{Outgoing, PanelMember};

/// Which panel message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelMessage {
    Invitation,
    Reminder,
}

/// The address an invitation link opens.
pub fn invitation_link(public: &PublicUrl, token: &InviteToken) -> String {
    format!("{}/i/{}", public.origin(), token.as_str())
}

/// The address that unsubscribes an invitation's contact (one click, RFC 8058).
pub fn unsubscribe_link(public: &PublicUrl, token: &InviteToken) -> String {
    format!("{}/u/{}", public.origin(), token.as_str())
}

/// An invitation or reminder to one contact. `closes` is the closing time as
/// respondents read it, or "".
pub fn panel_message(
    which: PanelMessage,
    definition: &Definition,
    public: &PublicUrl,
    closes: &str,
    member: &PanelMember,
    token: &InviteToken,
) -> Outgoing {
    let link = invitation_link(public, token);
    let unsubscribe = unsubscribe_link(public, token);
    let (kind, text) = match which {
        PanelMessage::Invitation => ("invitation", definition.invitation_text()),
        PanelMessage::Reminder => ("reminder", definition.reminder_text()),
    };
    let (subject, body) = text.fill(&Filled { name: &member.name, link: &link, closes });
    let body = format!("{body}\n\n--\nTo receive no more email about this survey: {unsubscribe}");
    Outgoing {
        kind,
        slug: definition.slug.clone(),
        invitation_id: Some(member.invitation_id),
        recipient: member.email.clone(),
        subject,
        html_body: html_body(&body, &[&link, &unsubscribe]),
        text_body: body,
        unsubscribe: Some(unsubscribe),
    }
}
