//! What the organisers' editor does: open a survey's text (its draft, else its live
//! version; for a new survey the blank template or a copy), keep drafts, and publish
//! with the checks that make publishing safe. The page is `app::admin_pages::editor`;
//! the form posts to `routes::editor`.

use canvass::located::{locate, Problem};
use canvass::pages::{EditorSource, PendingChanges};
use canvass::{parse_definition, Definition, Slug};

use crate::organisers::definition_toml::to_toml;
use crate::service::Service;
use crate::storage::{PublishError, Published};

/// What a new survey starts from.
pub const BLANK: &str = include_str!("../../templates/blank-survey.toml");

/// What publishing from the editor came to.
pub enum Outcome {
    /// Published as this version of this survey: go to its dashboard.
    Published { slug: Slug, version: u32 },
    /// Nothing to publish, or not yet: say this and show the text again.
    Shown { problems: Vec<Problem>, notice: Option<String>, pending: Option<PendingChanges>, conflict: bool },
}

impl Outcome {
    fn problems(problems: Vec<Problem>) -> Self {
        Outcome::Shown { problems, notice: None, pending: None, conflict: false }
    }

    fn problem(message: String) -> Self {
        Self::problems(vec![Problem::general(message)])
    }

    fn notice(notice: String, conflict: bool) -> Self {
        Outcome::Shown { problems: Vec::new(), notice: Some(notice), pending: None, conflict }
    }
}

/// Why the editor kept no draft: each refusal says what to do first.
#[derive(Debug, thiserror::Error)]
pub enum SaveDraftError {
    #[error("The text is empty: there is nothing to keep")]
    Empty,
    #[error("Add a slug line such as slug = \"staff-survey-2027\" so the draft can be kept under its survey")]
    NoSlug,
    /// A new survey's text names an existing survey's slug (on `line` of the text).
    #[error("There is already a survey with the slug `{slug}`: choose another slug before saving")]
    SlugTaken { slug: String, line: Option<usize> },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl SaveDraftError {
    /// The refusal as the editor lists it, at its line when it has one.
    pub fn problem(&self) -> Problem {
        let line = match self {
            SaveDraftError::SlugTaken { line, .. } => *line,
            _ => None,
        };
        Problem { line, column: None, message: self.to_string() }
    }
}

/// The text `slug = "…"` names, found even when the rest does not parse, so a draft with
/// problems can still be saved under its survey.
pub fn slug_line(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("slug")?.trim_start().strip_prefix('=')?.trim();
        let slug = rest.strip_prefix('"')?.split('"').next()?.to_string();
        (!slug.is_empty()).then_some(slug)
    })
}

/// `text` with its slug line naming `slug` instead.
fn with_slug(text: &str, slug: &str) -> String {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !done && slug_line(line).is_some() {
                done = true;
                format!("slug = \"{slug}\"")
            } else {
                line.to_string()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

/// Checks a text as `canvass check` does, with each problem's line and column.
pub fn check(text: &str) -> Result<Definition, Vec<Problem>> {
    parse_definition("definition", text).map_err(|e| locate(text, &e.problems))
}

impl Service {
    pub async fn editor_source(&self, slug: Option<&str>, copy: Option<&str>, draft: Option<&str>) -> anyhow::Result<Option<EditorSource>> {
        if let (None, Some(draft)) = (slug, draft) {
            // A new survey's draft, saved before it was ever published.
            return Ok(self.store().definition_draft(draft).await?.map(|(source, saved_at, _)| EditorSource {
                source,
                base_version: 0,
                draft_saved_at: Some(self.zone().stamp(&saved_at)),
            }));
        }
        match (slug, copy) {
            (Some(slug), _) => {
                // The page's `?slug=` as typed: one that does not parse is no survey.
                let Some(live) = Slug::parse(slug).ok().and_then(|slug| self.catalog().get(&slug)) else { return Ok(None) };
                if let Some((source, saved_at, base)) = self.store().definition_draft(slug).await? {
                    // The version the draft was started from, not the live one: publishing it
                    // then says so if someone has published since.
                    let saved = self.zone().stamp(&saved_at);
                    return Ok(Some(EditorSource { source, base_version: base.max(0) as u32, draft_saved_at: Some(saved) }));
                }
                Ok(Some(EditorSource { source: self.live_text(&live.slug).await?, base_version: live.version, draft_saved_at: None }))
            }
            (None, Some(copy)) => {
                let Some(original) = Slug::parse(copy).ok().and_then(|copy| self.catalog().get(&copy)) else {
                    return Ok(None);
                };
                let source = with_slug(&self.live_text(&original.slug).await?, &format!("{copy}-copy"));
                Ok(Some(EditorSource { source, base_version: 0, draft_saved_at: None }))
            }
            (None, None) => Ok(Some(EditorSource { source: BLANK.to_string(), base_version: 0, draft_saved_at: None })),
        }
    }

    /// The live version's text: the file it was published from, or written out.
    async fn live_text(&self, slug: &Slug) -> anyhow::Result<String> {
        let stored = self.store().stored_version(slug, None).await?.ok_or_else(|| anyhow::anyhow!("no stored version of {slug}"))?;
        match stored.source {
            Some(source) => Ok(source),
            None => to_toml(&stored.definition),
        }
    }

    /// Saves the text as the draft of the survey it names (or is being edited as).
    pub async fn save_editor_draft(&self, editing: Option<&str>, text: &str, by: &str, base_version: u32) -> Result<String, SaveDraftError> {
        if text.trim().is_empty() {
            return Err(SaveDraftError::Empty);
        }
        let Some(slug) = editing.map(str::to_string).or_else(|| slug_line(text)) else {
            return Err(SaveDraftError::NoSlug);
        };
        if editing.is_none() && Slug::parse(&slug).ok().and_then(|slug| self.catalog().get(&slug)).is_some() {
            // A new survey's draft must not take the place of an existing survey's.
            let line = canvass::located::locate(text, &[format!("slug `{slug}`")]).first().and_then(|p| p.line);
            return Err(SaveDraftError::SlugTaken { slug, line });
        }
        let saved_at = self.store().save_definition_draft(&slug, text, by, base_version).await?;
        Ok(self.zone().stamp(&saved_at))
    }

    /// Where respondents will find a new survey once published, and from when.
    fn going_public(&self, definition: &canvass::Definition) -> String {
        let address = format!("{}/s/{}", self.public_url().origin(), definition.slug);
        let opens = definition.opens_at.as_deref().filter(|_| crate::service::phase_now(definition) == canvass::schedule::Phase::NotYetOpen);
        let from = match opens {
            Some(at) => format!("from {} (its opens_at); until then its address says when it opens", self.zone().when(at)),
            None => "as soon as you publish".to_string(),
        };
        let who = match definition.access {
            canvass::mail_text::Access::Invite => format!("Invited respondents can answer through their invitation links to {address}"),
            canvass::mail_text::Access::Open => format!("Anyone can answer at {address}"),
        };
        let listing = if definition.listed {
            "The front page will list it for anyone to find; to keep it off the list (a pilot, a panel survey), add listed = false."
        } else {
            "It will not be listed on the front page (listed = false): only those given its address or an invitation will find it."
        };
        format!("{who} {from}. {listing}")
    }

    /// Publishes from the editor: refused with every problem, a slug clash, a slug
    /// changed under an existing survey, or a version published by someone else since
    /// `base_version`; with changes against the live version, shown first unless
    /// `confirmed`. Once published the catalog takes it at once, and the draft goes.
    pub async fn publish_from_editor(&self, editing: Option<&str>, text: &str, base_version: u32, confirmed: bool) -> anyhow::Result<Outcome> {
        let definition = match check(text) {
            Ok(definition) => definition,
            Err(problems) => return Ok(Outcome::problems(problems)),
        };
        let missing = canvass::data_protection::publish_problems(&definition);
        if !missing.is_empty() {
            return Ok(Outcome::problems(missing.into_iter().map(Problem::general).collect()));
        }
        let slug = definition.slug.clone();
        let live = self.catalog().get(&slug);
        if let Some(refused) = slug_refused(editing, &slug, live.is_some()) {
            return Ok(refused);
        }
        let live_version = live.as_ref().map_or(0, |d| d.version);
        if live_version != base_version {
            return Ok(Outcome::notice(
                format!(
                    "Someone published version {live_version} of this survey after you started editing, so yours was not published. \
                     Your text is below: save it as a draft, reload the page to see theirs, and publish again"
                ),
                true,
            ));
        }
        if let Some(live) = &live {
            if live.same_content(&definition) {
                return Ok(Outcome::notice(format!("No change: version {live_version} already says this; nothing was published."), false));
            }
            if !confirmed {
                return Ok(match self.store().pending_changes(&definition).await {
                    Err(PublishError::Refused { reasons, .. }) => Outcome::problems(reasons.into_iter().map(Problem::general).collect()),
                    Err(other) => return Err(other.into()),
                    Ok(changes) => Outcome::Shown {
                        problems: Vec::new(),
                        notice: None,
                        pending: Some(PendingChanges {
                            version: live_version + 1,
                            wording: changes.wording,
                            structure: changes.structure,
                            going_public: None,
                        }),
                        conflict: false,
                    },
                });
            }
        }
        if live.is_none() && !confirmed {
            // A new survey goes public on publishing: say where and from when, first.
            return Ok(Outcome::Shown {
                problems: Vec::new(),
                notice: None,
                pending: Some(PendingChanges {
                    version: 1,
                    wording: Vec::new(),
                    structure: Vec::new(),
                    going_public: Some(self.going_public(&definition)),
                }),
                conflict: false,
            });
        }
        self.publish_now(&definition, text).await
    }

    /// Publishes `definition` (its text kept as written) and drops its draft; another
    /// publication at the same moment wins and this one says so.
    async fn publish_now(&self, definition: &canvass::Definition, text: &str) -> anyhow::Result<Outcome> {
        let slug = definition.slug.clone();
        match self.store().publish(definition, Some(text)).await {
            Ok(Published::New { version, .. }) => {
                if let Err(e) = self.store().delete_definition_draft(slug.as_str()).await {
                    tracing::warn!(error = ?e, slug = slug.as_str(), "removing a published draft failed");
                }
                self.refresh_definitions().await?;
                tracing::info!(slug = slug.as_str(), version, "published from the editor");
                Ok(Outcome::Published { slug, version })
            }
            Ok(Published::Unchanged { version }) => {
                Ok(Outcome::notice(format!("No change: version {version} already says this; nothing was published."), false))
            }
            Err(PublishError::Refused { reasons, .. }) => {
                Ok(Outcome::problems(reasons.into_iter().map(Problem::general).collect()))
            }
            Err(PublishError::Conflict { version, .. }) => Ok(Outcome::notice(
                format!("Someone published version {version} of this survey at the same moment, so yours was not published. Reload the page to see theirs, and publish again"),
                true,
            )),
            Err(PublishError::Unexpected(e)) => Err(e),
        }
    }
}

/// Why the editor may not publish under this slug: a new survey's slug already taken, or
/// an existing survey's slug changed.
fn slug_refused(editing: Option<&str>, slug: &Slug, taken: bool) -> Option<Outcome> {
    match editing {
        None if taken => Some(Outcome::problem(format!(
            "There is already a survey with the slug `{slug}`: choose another slug, or edit that survey from its dashboard"
        ))),
        Some(editing) if editing != slug.as_str() => Some(Outcome::problem(format!(
            "The slug must stay `{editing}`: it is the survey's address and its responses' key. To make a new survey, start one from “New survey”"
        ))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slug_line_is_found_in_a_text_that_does_not_parse() {
        assert_eq!(slug_line("# x\n  slug = \"staff-2027\"\ntitle = \"unclosed\n"), Some("staff-2027".into()));
        assert_eq!(slug_line("title = \"T\"\n"), None);
    }

    #[test]
    fn a_copy_gets_its_own_slug_and_keeps_everything_else() {
        let copy = with_slug(BLANK, "new-survey-copy");
        assert_eq!(slug_line(&copy), Some("new-survey-copy".into()));
        assert_eq!(copy.lines().count(), BLANK.lines().count());
    }

    #[test]
    fn the_blank_template_is_a_valid_definition() {
        assert!(check(BLANK).is_ok());
    }
}
