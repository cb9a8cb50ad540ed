//! The messages Canvass sends to a survey's panel, written from its definition:
//! invitations and reminders, each with its own link and a one-click unsubscribe.

use canvass::mail_text::{html_body, Filled, MailText};
use canvass::{Definition, Lang};

use crate::auth::tokens::{InviteToken, UnsubscribeToken};
use crate::http::public_url::PublicUrl;
use crate::storage::{Outgoing, PanelLinks, PanelMember};

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

/// The address that unsubscribes an invitation's contact (one click, RFC 8058): its own
/// token, never the invitation's, since this address is handed to mail providers.
pub fn unsubscribe_link(public: &PublicUrl, token: &UnsubscribeToken) -> String {
    format!("{}/u/{}", public.origin(), token.as_str())
}

/// The language a contact is written to: their contact list's `language` where the
/// survey is offered in it, else the survey's own.
pub fn contact_language(definition: &Definition, member_language: &str) -> Lang {
    definition.offered_languages().into_iter().find(|l| l.code() == member_language).unwrap_or_else(|| definition.language())
}

/// An invitation or reminder to one contact, in their language (`contact_language`).
/// `closes` gives the closing time as respondents read it in a language, or "".
pub fn panel_message(
    which: PanelMessage,
    definition: &Definition,
    public: &PublicUrl,
    closes: &dyn Fn(Lang) -> String,
    member: &PanelMember,
    links: &PanelLinks,
) -> Outgoing {
    let link = invitation_link(public, &links.invitation);
    let unsubscribe = unsubscribe_link(public, &links.unsubscribe);
    let lang = contact_language(definition, &member.language);
    let definition = &canvass::translation::localized(definition, lang.code());
    let (kind, text) = match which {
        PanelMessage::Invitation => {
            ("invitation", definition.invitation.clone().unwrap_or_else(|| MailText::default_invitation_in(&definition.title, lang)))
        }
        PanelMessage::Reminder => ("reminder", definition.reminder.clone().unwrap_or_else(|| MailText::default_reminder_in(&definition.title, lang))),
    };
    let (subject, mut body) = text.fill(&Filled { name: &member.name, link: &link, closes: &closes(lang), lang });
    if which == PanelMessage::Reminder && definition.anonymous {
        // Reminders go to everyone not yet counted as responded, which on an anonymous
        // survey includes up to 4 who answered lately (`Store::remind_panel`).
        body = format!("{body}\n\n{}", crate::words::say(lang, "mail-reminder-anonymous", &[]));
    }
    let footer = crate::words::say(lang, "mail-unsubscribe", &[("link", unsubscribe.clone().into())]);
    let body = format!("{body}\n\n--\n{footer}");
    Outgoing {
        kind,
        slug: definition.slug.to_string(),
        invitation_id: Some(member.invitation_id),
        recipient: member.email.clone(),
        subject,
        html_body: html_body(&body, &[&link, &unsubscribe]),
        text_body: body,
        unsubscribe: Some(unsubscribe),
    }
}

/// A respondent's own resume link, sent once to the address they typed (blanked from the
/// queue once sent).
pub fn resume_message(definition: &Definition, to: &str, link: &str, kept_for_days: u64) -> Outgoing {
    let body = format!(
        "Your answers to the {title} are saved.\n\nTo carry on where you stopped, on this or any other device, open:\n\n{link}\n\n\
         On a device other than the one you saved them on, you are asked first: choose \"Continue these answers\". \
         The link works until you submit, or for {kept_for_days} days after your last save. Anyone with it can see and change \
         your answers, so do not forward this email.\n\nYou asked for this email on the survey's \"Save and come back later\" \
         page. Canvass used your address to send it and has not kept it (only a one-way fingerprint, for a day, so that \
         links are not sent to it too often).",
        title = definition.title
    );
    to_respondent("link", definition, to, format!("Your saved answers: {}", definition.title), body, link)
}

/// The findings, to one respondent who gave an address and asked for them.
pub fn findings_message(definition: &Definition, to: &str, link: &str, note: &str) -> Outgoing {
    let note = if note.trim().is_empty() { String::new() } else { format!("{}\n\n", note.trim()) };
    let body = format!(
        "Thank you for taking part in the {title}.\n\n{note}The findings are here:\n\n{link}\n\n\
         You are receiving this because you gave this address and asked for the findings when you responded. \
         This is the only message about them.",
        title = definition.title
    );
    to_respondent("findings", definition, to, format!("The findings: {}", definition.title), body, link)
}

/// A one-off message to a respondent's own address: no invitation, no unsubscribe.
fn to_respondent(kind: &'static str, definition: &Definition, to: &str, subject: String, body: String, link: &str) -> Outgoing {
    Outgoing {
        kind,
        slug: definition.slug.to_string(),
        invitation_id: None,
        recipient: to.to_string(),
        subject,
        html_body: html_body(&body, &[link]),
        text_body: body,
        unsubscribe: None,
    }
}

/// How long a set-your-password link works.
pub const PASSWORD_LINK_DAYS: i64 = 7;

/// The address a set-your-password link opens.
pub fn password_link(public: &PublicUrl, token: &crate::auth::tokens::Token) -> String {
    format!("{}/admin/set-password/{}", public.origin(), token.as_str())
}

/// To someone just given a role on a survey, with a new account: a link to choose their
/// own password, so nobody else ever sees it (no password passed on by hand).
pub fn password_message(definition: &Definition, to: &str, role: &str, by: &str, link: &str) -> Outgoing {
    let body = format!(
        "{by} has made you {role} of the {title} in Canvass.\n\nChoose your password here (the link works once, for \
         {PASSWORD_LINK_DAYS} days):\n\n{link}\n\nThen sign in with this address ({to}) and that password. If the link has \
         expired or was used, ask {by} to add you again. If you did not expect this email, you can ignore it.",
        title = definition.title
    );
    Outgoing {
        kind: "password",
        slug: definition.slug.to_string(),
        invitation_id: None,
        recipient: to.to_string(),
        subject: format!("Choose your Canvass password: {}", definition.title),
        html_body: html_body(&body, &[link]),
        text_body: body,
        unsubscribe: None,
    }
}
