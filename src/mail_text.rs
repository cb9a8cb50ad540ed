//! The texts of the emails a survey sends to its panel, as organisers write them in the
//! definition (`[invitation]`, `[reminder]`): a subject and a plain-text body with the
//! placeholders `{name}`, `{link}` and `{closes}`. One place reads them, checks them and
//! fills them in, so a typo such as `{lnk}` is refused when the survey is published, not
//! discovered in a few hundred inboxes.

use serde::{Deserialize, Serialize};

/// Who may answer a survey.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Anyone with the survey's address (invitation links work too).
    #[default]
    Open,
    /// Only through an invitation link: the public address explains how to get one.
    Invite,
}

/// One email's subject and plain-text body (the HTML part is made from the body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// What fills the placeholders of one message.
#[derive(Clone, Debug, Default)]
pub struct Filled<'a> {
    /// The contact's name, or "" (then `{name}` reads "colleague").
    pub name: &'a str,
    pub link: &'a str,
    /// When the survey closes, as respondents read it, or "" when it has no end date.
    pub closes: &'a str,
    /// The language the message is written in: the words Canvass adds are in it too.
    pub lang: crate::Lang,
}

const PLACEHOLDERS: [&str; 3] = ["name", "link", "closes"];

impl MailText {
    /// The invitation sent when a survey's definition has no `[invitation]`.
    pub fn default_invitation(title: &str) -> MailText {
        MailText {
            subject: format!("Invitation: {title}"),
            body: format!(
                "Dear {{name}},\n\nYou are invited to take part in the {title}.\n\nThis link is yours alone: \
                 it opens the survey, keeps your answers if you stop part-way, and takes one response.\n\n{{link}}\n\n\
                 {{closes}}\n\nThank you."
            ),
        }
    }

    /// The reminder sent when a survey's definition has no `[reminder]`.
    /// [`MailText::default_invitation`] in `lang`.
    pub fn default_invitation_in(title: &str, lang: crate::Lang) -> MailText {
        match lang {
            crate::Lang::En => MailText::default_invitation(title),
            crate::Lang::Cy => MailText {
                subject: format!("Gwahoddiad: {title}"),
                body: format!(
                    "Annwyl {{name}},\n\nRydych wedi’ch gwahodd i gymryd rhan yn {title}.\n\nEich dolen chi yn unig yw hon: \
                     mae’n agor yr arolwg, yn cadw eich atebion os byddwch yn stopio hanner ffordd, ac yn derbyn un ymateb.\n\n{{link}}\n\n\
                     {{closes}}\n\nDiolch."
                ),
            },
        }
    }

    /// [`MailText::default_reminder`] in `lang`.
    pub fn default_reminder_in(title: &str, lang: crate::Lang) -> MailText {
        match lang {
            crate::Lang::En => MailText::default_reminder(title),
            crate::Lang::Cy => MailText {
                subject: format!("Nodyn atgoffa: {title}"),
                body: format!(
                    "Annwyl {{name}},\n\nNid ydym wedi cael eich ymateb i {title} eto. Mae’n cymryd ychydig funudau, \
                     ac mae eich dolen yn dal i gadw unrhyw atebion rydych wedi’u cadw.\n\n{{link}}\n\n{{closes}}\n\nDiolch."
                ),
            },
        }
    }

    pub fn default_reminder(title: &str) -> MailText {
        MailText {
            subject: format!("Reminder: {title}"),
            body: format!(
                "Dear {{name}},\n\nWe have not yet had your response to the {title}. It takes a few minutes, \
                 and your link still keeps any answers you have saved.\n\n{{link}}\n\n{{closes}}\n\nThank you."
            ),
        }
    }

    /// Every problem with the text, named after its table (`invitation`, `reminder`).
    pub fn problems(&self, table: &str) -> Vec<String> {
        let mut problems = Vec::new();
        if self.subject.trim().is_empty() {
            problems.push(format!("[{table}] subject is empty; write the line recipients see in their inbox"));
        }
        if self.subject.contains(['\r', '\n']) {
            problems.push(format!("[{table}] subject must be one line"));
        }
        for (part, text) in [("subject", &self.subject), ("body", &self.body)] {
            for name in placeholders(text) {
                if !PLACEHOLDERS.contains(&name) {
                    problems.push(format!(
                        "[{table}] {part} uses {{{name}}}, which Canvass cannot fill; the placeholders are {{name}}, {{link}} and {{closes}}"
                    ));
                }
            }
        }
        if !placeholders(&self.body).any(|n| n == "link") {
            problems.push(format!("[{table}] body has no {{link}}: each recipient's own survey link goes where it is written"));
        }
        problems
    }

    /// The subject and body with the placeholders filled in.
    pub fn fill(&self, with: &Filled<'_>) -> (String, String) {
        (fill(&self.subject, with).replace(['\r', '\n'], " "), fill(&self.body, with))
    }
}

/// The names between braces in `text`, in order.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

fn fill(text: &str, with: &Filled<'_>) -> String {
    let anyone = match with.lang {
        crate::Lang::En => "colleague",
        crate::Lang::Cy => "gydweithiwr",
    };
    let name = if with.name.trim().is_empty() { anyone } else { with.name.trim() };
    let closes = match (with.closes.is_empty(), with.lang) {
        (true, _) => String::new(),
        (false, crate::Lang::En) => format!("The survey closes on {}.", with.closes),
        (false, crate::Lang::Cy) => format!("Mae’r arolwg yn cau ar {}.", with.closes),
    };
    let mut filled = text.replace("{name}", name).replace("{link}", with.link).replace("{closes}", &closes);
    // An empty `{closes}` on a line of its own leaves no gap of two blank lines.
    while filled.contains("\n\n\n") {
        filled = filled.replace("\n\n\n", "\n\n");
    }
    filled
}

/// The HTML part of a message: the plain text, escaped, with paragraphs kept and the
/// links made clickable. Nothing from the definition is taken as markup.
pub fn html_body(text: &str, links: &[&str]) -> String {
    use crate::html::escape;
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let mut p = escape(p.trim()).replace('\n', "<br>");
            for link in links.iter().filter(|l| !l.is_empty()) {
                let l = escape(link);
                p = p.replace(&l, &format!("<a href=\"{l}\">{l}</a>"));
            }
            p
        })
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    format!("<!DOCTYPE html><html><body style=\"font-family: Arial, sans-serif; font-size: 16px\">{}</body></html>", paragraphs.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_a_missing_name_reads_colleague() {
        let text = MailText { subject: "Survey for {name}".into(), body: "Dear {name},\n\n{link}\n\n{closes}".into() };
        let (subject, body) = text.fill(&Filled { name: "", link: "https://s.example/i/abc", closes: "10 January 2027", lang: crate::Lang::En });
        assert_eq!(subject, "Survey for colleague");
        assert_eq!(body, "Dear colleague,\n\nhttps://s.example/i/abc\n\nThe survey closes on 10 January 2027.");
    }

    #[test]
    fn an_unknown_placeholder_or_a_body_without_the_link_is_refused_with_what_to_write() {
        let text = MailText { subject: "Hi {nme}".into(), body: "Dear {name}, {lnk}".into() };
        assert_eq!(
            text.problems("invitation"),
            vec![
                "[invitation] subject uses {nme}, which Canvass cannot fill; the placeholders are {name}, {link} and {closes}",
                "[invitation] body uses {lnk}, which Canvass cannot fill; the placeholders are {name}, {link} and {closes}",
                "[invitation] body has no {link}: each recipient's own survey link goes where it is written",
            ]
        );
        let two_lines = MailText { subject: "a\nb".into(), body: "{link}".into() };
        assert_eq!(two_lines.problems("reminder"), vec!["[reminder] subject must be one line"]);
    }

    #[test]
    fn the_default_texts_pass_their_own_checks() {
        assert!(MailText::default_invitation("T").problems("invitation").is_empty());
        assert!(MailText::default_reminder("T").problems("reminder").is_empty());
    }

    #[test]
    fn the_html_part_escapes_the_text_and_links_the_link() {
        let html = html_body("Dear <b>A</b>,\n\nhttps://s.example/i/x", &["https://s.example/i/x"]);
        assert!(html.contains("<p>Dear &lt;b&gt;A&lt;/b&gt;,</p>"), "{html}");
        assert!(html.contains("<a href=\"https://s.example/i/x\">https://s.example/i/x</a>"), "{html}");
    }
}
