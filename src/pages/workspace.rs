//! A survey's workspace: its home (a task list in fieldwork order) and one page for each
//! part of the work, reached from one sub-navigation that says where you are. One list
//! here says which parts there are, where each lives and which role opens it, so the
//! server's plain pages and the app's live Results page draw the same navigation, and an
//! organiser is never shown a part their role cannot open.

use crate::roles::{Action, Role};
use crate::survey_state::SurveyState;

/// A part of the workspace, in the sub-navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Home,
    Results,
    Responses,
    Panel,
    Downloads,
    Settings,
}

impl Part {
    pub const ALL: [Part; 6] = [Part::Home, Part::Results, Part::Responses, Part::Panel, Part::Downloads, Part::Settings];

    /// Its name in the navigation and as its page's heading.
    pub fn label(self) -> &'static str {
        match self {
            Part::Home => "Home",
            Part::Results => "Results",
            Part::Responses => "Responses",
            Part::Panel => "Panel and invitations",
            Part::Downloads => "Downloads",
            Part::Settings => "Settings",
        }
    }

    /// Its address under `/admin/surveys/{slug}`.
    pub fn path(self, slug: &str) -> String {
        let tail = match self {
            Part::Home => "",
            Part::Results => "/results",
            Part::Responses => "/responses",
            Part::Panel => "/panel",
            Part::Downloads => "/downloads",
            Part::Settings => "/settings",
        };
        format!("/admin/surveys/{slug}{tail}")
    }

    /// What a role must allow to open it (the server's guard checks the same action).
    pub fn needs(self) -> Action {
        match self {
            Part::Home | Part::Results => Action::SeeTotals,
            Part::Responses => Action::ReadFreeText,
            Part::Downloads => Action::Export,
            Part::Panel | Part::Settings => Action::Manage,
        }
    }

    /// Whether `role` opens it.
    pub fn open_to(self, role: Role) -> bool {
        role >= self.needs().needs()
    }
}

/// The parts `role` opens, in order.
pub fn parts_for(role: Role) -> Vec<Part> {
    Part::ALL.into_iter().filter(|part| part.open_to(role)).collect()
}

/// The sub-navigation as HTML (for the server's plain pages; the app draws the same
/// list with its own components): each part `role` opens, `current` marked as the page.
pub fn nav_html(slug: &str, role: Role, current: Part) -> String {
    let items: String = parts_for(role)
        .into_iter()
        .map(|part| {
            let here = if part == current { " aria-current=\"page\"" } else { "" };
            format!("<li><a href=\"{}\"{here}>{}</a></li>", crate::html::escape(&part.path(slug)), part.label())
        })
        .collect();
    format!("<nav class=\"workspace-nav\" aria-label=\"This survey\" data-testid=\"workspace-nav\"><ul>{items}</ul></nav>")
}

/// What the survey home says of where fieldwork stands: read by the server, worded here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The version respondents see.
    pub live_version: u32,
    /// When a draft not yet published was last saved, as shown.
    pub draft_saved_at: Option<String>,
    pub state: SurveyState,
    /// The state in organisers' words ("Open: closes …").
    pub state_words: String,
    pub responses: u64,
    /// As shown, in the organisers' zone.
    pub last_response_at: Option<String>,
    pub on_panel: u64,
    pub invited: u64,
    pub responded: u64,
    /// "42%", or "–" before anyone is invited.
    pub rate: String,
    pub findings_sent: bool,
}

/// One task of the survey home's list: what to do, where, and how far it has got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub name: &'static str,
    pub href: String,
    pub status: String,
    /// Whether the status is a state of completion (drawn as a filled tag) rather than
    /// something still to do.
    pub done: bool,
}

/// The tasks of fieldwork in order, those `role` can do: build the questionnaire, set
/// when it runs, invite the panel, watch the results, read the responses, download
/// them, publish the findings, close and archive.
pub fn tasks(slug: &str, role: Role, facts: &Facts) -> Vec<Task> {
    let at = |tail: &str| format!("/admin/surveys/{slug}{tail}");
    let plural = |n: u64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut tasks = Vec::new();
    let mut task = |needs: Action, name: &'static str, href: String, status: String, done: bool| {
        if role >= needs.needs() {
            tasks.push(Task { name, href, status, done });
        }
    };
    let (built, built_done) = match &facts.draft_saved_at {
        Some(at) => (format!("Version {} published; a draft saved at {at} is not yet published", facts.live_version), false),
        None => (format!("Version {} published", facts.live_version), true),
    };
    task(Action::Manage, "Build the questionnaire", at("/build"), built, built_done);
    let ended = matches!(facts.state, SurveyState::Closed | SurveyState::Ended | SurveyState::Archived);
    task(Action::Manage, "When it opens and closes", at("/settings#schedule"), facts.state_words.clone(), ended);
    let panel = match (facts.on_panel, facts.invited) {
        (0, _) => "No panel yet".to_string(),
        (n, 0) => format!("{} on the panel, none invited yet", n),
        (_, invited) => format!("{} invited, {} responded ({})", invited, facts.responded, facts.rate),
    };
    task(Action::Manage, "Invite the panel", at("/panel"), panel, facts.invited > 0 && facts.invited == facts.on_panel);
    let results = match (facts.responses, &facts.last_response_at) {
        (0, _) => "No responses yet".to_string(),
        (n, Some(last)) => format!("{}, the last at {last}", plural(n, "response", "responses")),
        (n, None) => plural(n, "response", "responses"),
    };
    task(Action::SeeTotals, "Watch the results", at("/results"), results, false);
    task(Action::ReadFreeText, "Read the free-text answers", at("/responses"), String::new(), false);
    task(Action::Export, "Download the responses", at("/downloads"), String::new(), false);
    let findings = if facts.findings_sent { "Sent to respondents who asked" } else { "Not sent yet" };
    task(Action::SeeTotals, "Publish the findings", at("/report"), findings.to_string(), facts.findings_sent);
    let closing = match facts.state {
        SurveyState::Archived => "Archived",
        SurveyState::Closed | SurveyState::Ended => "Closed",
        SurveyState::Scheduled | SurveyState::Open => "Taking responses",
    };
    task(Action::Manage, "Close and archive", at("/settings#state"), closing.to_string(), facts.state == SurveyState::Archived);
    tasks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            live_version: 2,
            state: SurveyState::Open,
            state_words: "Open: closes 31 March 2027".into(),
            responses: 412,
            last_response_at: Some("14:05 on 3 March".into()),
            on_panel: 500,
            invited: 500,
            responded: 380,
            rate: "76%".into(),
            ..Facts::default()
        }
    }

    #[test]
    fn the_task_list_runs_in_fieldwork_order_with_each_status() {
        let tasks = tasks("s", Role::Owner, &facts());
        let names: Vec<&str> = tasks.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
                "Build the questionnaire",
                "When it opens and closes",
                "Invite the panel",
                "Watch the results",
                "Read the free-text answers",
                "Download the responses",
                "Publish the findings",
                "Close and archive"
            ]
        );
        assert_eq!(tasks[0].status, "Version 2 published");
        assert_eq!(tasks[2].status, "500 invited, 380 responded (76%)");
        assert_eq!(tasks[3].status, "412 responses, the last at 14:05 on 3 March");
        assert_eq!(tasks[6].status, "Not sent yet");
        assert!(tasks.iter().all(|t| t.href.starts_with("/admin/surveys/s/") || t.href.starts_with("/admin/surveys/s#")));
    }

    #[test]
    fn a_viewer_is_given_only_the_tasks_they_can_do() {
        let names: Vec<&str> = tasks("s", Role::Viewer, &facts()).iter().map(|t| t.name).collect();
        assert_eq!(names, ["Watch the results", "Publish the findings"]);
        let names: Vec<&str> = tasks("s", Role::Analyst, &facts()).iter().map(|t| t.name).collect();
        assert_eq!(names, ["Watch the results", "Read the free-text answers", "Download the responses", "Publish the findings"]);
    }

    #[test]
    fn a_draft_no_panel_and_no_responses_say_so() {
        let quiet = Facts { draft_saved_at: Some("09:00 today".into()), responses: 0, on_panel: 0, invited: 0, ..facts() };
        let tasks = tasks("s", Role::Owner, &quiet);
        assert_eq!(tasks[0].status, "Version 2 published; a draft saved at 09:00 today is not yet published");
        assert!(!tasks[0].done);
        assert_eq!(tasks[2].status, "No panel yet");
        assert_eq!(tasks[3].status, "No responses yet");
    }

    #[test]
    fn a_viewer_is_shown_the_home_and_results_only() {
        assert_eq!(parts_for(Role::Viewer), vec![Part::Home, Part::Results]);
    }

    #[test]
    fn an_analyst_also_reads_responses_and_downloads_and_an_owner_sees_every_part() {
        assert_eq!(parts_for(Role::Analyst), vec![Part::Home, Part::Results, Part::Responses, Part::Downloads]);
        assert_eq!(parts_for(Role::Owner), Part::ALL.to_vec());
    }

    #[test]
    fn the_navigation_marks_the_current_page_and_escapes_the_slug() {
        let html = nav_html("staff-2027", Role::Owner, Part::Panel);
        assert!(html.contains("<a href=\"/admin/surveys/staff-2027/panel\" aria-current=\"page\">Panel and invitations</a>"), "{html}");
        assert_eq!(html.matches("aria-current").count(), 1);
        assert!(nav_html("a&b", Role::Viewer, Part::Home).contains("/admin/surveys/a&amp;b\""));
    }
}
