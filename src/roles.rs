//! Who may do what with a survey: the one place the rule lives. Every admin route, page,
//! download, event stream and server function asks [`Access::allows`]; the server only
//! looks the organiser's roles up.
//!
//! Three roles per survey, each with everything the one below it has:
//! - **viewer**: a survey's totals (its home and Results) as respondents see them (steps of 5), nothing a
//!   respondent typed, no export;
//! - **analyst**: also the free-text answers and every export;
//! - **owner**: also editing, publishing, opening and closing, invitations, members,
//!   the audit trail and deleting a response.
//!
//! An **administrator** may create surveys and acts as owner of every survey.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Analyst,
    Owner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Owner];

    pub fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Owner => "owner",
        }
    }

    pub fn parse(text: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|role| role.code().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| format!("`{text}` is not a role; use owner, analyst or viewer"))
    }

    /// What the role may do, in the words the members page shows.
    pub fn description(self) -> &'static str {
        match self {
            Role::Viewer => "sees the totals only, in steps of 5 as respondents do: no free text, no export",
            Role::Analyst => "also reads free-text answers and exports responses",
            Role::Owner => "also edits, publishes, opens and closes, invites, manages members, reads the audit trail and deletes responses",
        }
    }
}

/// What an organiser asks to do with one survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// The totals on a survey's home and Results, charts and report figures, and the organisers' live stream.
    SeeTotals,
    /// Anything a respondent typed: free-text answers on a survey's Responses page.
    ReadFreeText,
    /// Responses, codebook and breakdowns as files.
    Export,
    /// Edit, publish, open, close, archive, invite, manage members, read the audit trail,
    /// download contact details, delete a response.
    Manage,
}

impl Action {
    /// The least role that may do it.
    pub fn needs(self) -> Role {
        match self {
            Action::SeeTotals => Role::Viewer,
            Action::ReadFreeText | Action::Export => Role::Analyst,
            Action::Manage => Role::Owner,
        }
    }
}

/// One organiser's standing: administrator or not, and their role on each survey.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub admin: bool,
    pub surveys: BTreeMap<String, Role>,
}

impl Access {
    /// The role this organiser has on `slug` (an administrator is everyone's owner).
    pub fn role(&self, slug: &str) -> Option<Role> {
        if self.admin {
            return Some(Role::Owner);
        }
        self.surveys.get(slug).copied()
    }

    pub fn allows(&self, slug: &str, action: Action) -> bool {
        self.role(slug).is_some_and(|role| role >= action.needs())
    }

    /// Whether the totals they watch move with each response. Those who may export every
    /// response learn nothing more from that; a viewer ("dashboard totals only") could
    /// rebuild each response's closed answers from consecutive updates, so viewers see
    /// the releases respondents see instead (steps of 5, `crate::privacy`).
    pub fn sees_each_response(&self, slug: &str) -> bool {
        self.allows(slug, Action::Export)
    }

    /// Whether they see the survey at all (listed on their overview).
    pub fn sees(&self, slug: &str) -> bool {
        self.allows(slug, Action::SeeTotals)
    }

    /// Only administrators start new surveys and make owners of others.
    pub fn may_create_surveys(&self) -> bool {
        self.admin
    }

    /// Whether this organiser may give (or take away) `role` on `slug`: administrators
    /// any role on any survey; an owner analysts and viewers on their survey. Owners are
    /// made by administrators.
    pub fn may_grant(&self, slug: &str, role: Role) -> bool {
        self.admin || (self.allows(slug, Action::Manage) && role < Role::Owner)
    }

    /// Whether this organiser may change someone's role on `slug` from `current` to `new`
    /// (`None`: no role). The role taken away must be theirs to give as much as the role
    /// given: giving a co-owner "viewer" replaces their owner role, so an owner who could do
    /// it could demote, then remove, every other owner. Only administrators lower owners.
    pub fn may_change_role(&self, slug: &str, current: Option<Role>, new: Option<Role>) -> bool {
        self.allows(slug, Action::Manage) && [current, new].into_iter().flatten().all(|role| self.may_grant(slug, role))
    }

    /// Whether a new password for the account whose standing is `theirs` may be shown to
    /// this organiser (a one-time password to pass on, where no email can carry a link).
    /// Only if they could have given every role that account holds: whoever knows the
    /// password can sign in as that person, with roles others gave them too.
    pub fn may_see_new_password_of(&self, theirs: &Access) -> bool {
        (self.admin || !theirs.admin) && theirs.surveys.iter().all(|(slug, role)| self.may_grant(slug, *role))
    }
}

/// What an API token may do (issue 22), never more than its creator's role allows: a
/// token is checked against both its scope and its creator's role at every use, so
/// taking a role away takes its tokens' power too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The survey's definition and its totals.
    Results,
    /// Also every response (JSON pages and the CSV).
    Responses,
    /// Also webhooks and changes (as an owner).
    Manage,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Results, Scope::Responses, Scope::Manage];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Results => "results",
            Scope::Responses => "responses",
            Scope::Manage => "manage",
        }
    }

    pub fn parse(text: &str) -> Result<Scope, String> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.code().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| format!("`{text}` is not a token scope; use results, responses or manage"))
    }

    /// The least role a creator needs to give a token this scope.
    pub fn needs(self) -> Role {
        match self {
            Scope::Results => Role::Viewer,
            Scope::Responses => Role::Analyst,
            Scope::Manage => Role::Owner,
        }
    }

    /// Whether a token of this scope, made by someone with `access`, may do `action` on
    /// `slug` now.
    pub fn allows(self, access: &Access, slug: &str, action: Action) -> bool {
        self.needs() >= action.needs() && access.allows(slug, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(slug: &str, role: Role) -> Access {
        Access { admin: false, surveys: BTreeMap::from([(slug.to_string(), role)]) }
    }

    #[test]
    fn each_role_has_everything_below_it_and_nothing_above() {
        let cases = [(Role::Viewer, [true, false, false, false]), (Role::Analyst, [true, true, true, false]), (Role::Owner, [true, true, true, true])];
        for (role, expected) in cases {
            let access = member("s", role);
            let got = [Action::SeeTotals, Action::ReadFreeText, Action::Export, Action::Manage].map(|a| access.allows("s", a));
            assert_eq!(got, expected, "{role:?}");
        }
    }

    #[test]
    fn a_role_on_one_survey_gives_nothing_on_another() {
        let access = member("a", Role::Owner);
        assert!(!access.sees("b"));
        assert!(!access.allows("b", Action::SeeTotals));
        assert!(!access.may_create_surveys());
    }

    #[test]
    fn an_administrator_owns_every_survey_and_may_create_them() {
        let admin = Access { admin: true, surveys: BTreeMap::new() };
        assert!(admin.allows("anything", Action::Manage));
        assert!(admin.may_create_surveys());
        assert_eq!(admin.role("x"), Some(Role::Owner));
        assert!(admin.may_grant("x", Role::Owner));
    }

    #[test]
    fn owners_give_analyst_and_viewer_roles_but_only_administrators_make_owners() {
        let owner = member("s", Role::Owner);
        assert!(owner.may_grant("s", Role::Analyst) && owner.may_grant("s", Role::Viewer));
        assert!(!owner.may_grant("s", Role::Owner));
        assert!(!owner.may_grant("other", Role::Viewer));
        assert!(!member("s", Role::Analyst).may_grant("s", Role::Viewer));
    }

    #[test]
    fn an_owner_cannot_lower_or_remove_a_co_owner_but_an_administrator_can() {
        let owner = member("s", Role::Owner);
        for new in [Some(Role::Analyst), Some(Role::Viewer), None] {
            assert!(!owner.may_change_role("s", Some(Role::Owner), new), "owner → {new:?}");
        }
        assert!(owner.may_change_role("s", Some(Role::Viewer), Some(Role::Analyst)));
        assert!(owner.may_change_role("s", Some(Role::Analyst), None));
        assert!(owner.may_change_role("s", None, Some(Role::Viewer)));
        assert!(!owner.may_change_role("s", None, Some(Role::Owner)));
        assert!(!owner.may_change_role("other", None, Some(Role::Viewer)));
        assert!(!member("s", Role::Analyst).may_change_role("s", Some(Role::Viewer), None));
        let admin = Access { admin: true, surveys: BTreeMap::new() };
        assert!(admin.may_change_role("s", Some(Role::Owner), Some(Role::Viewer)));
        assert!(admin.may_change_role("s", Some(Role::Owner), None));
    }

    #[test]
    fn a_new_password_is_shown_only_to_someone_who_could_have_given_every_role_of_the_account() {
        let owner = member("s", Role::Owner);
        assert!(owner.may_see_new_password_of(&Access::default()), "a new account");
        assert!(owner.may_see_new_password_of(&member("s", Role::Analyst)));
        assert!(!owner.may_see_new_password_of(&member("s", Role::Owner)), "a co-owner");
        let elsewhere = Access { admin: false, surveys: BTreeMap::from([("s".into(), Role::Viewer), ("t".into(), Role::Viewer)]) };
        assert!(!owner.may_see_new_password_of(&elsewhere), "a role on another survey");
        assert!(!owner.may_see_new_password_of(&Access { admin: true, surveys: BTreeMap::new() }), "an administrator");
        let admin = Access { admin: true, surveys: BTreeMap::new() };
        assert!(admin.may_see_new_password_of(&elsewhere) && admin.may_see_new_password_of(&member("s", Role::Owner)));
    }

    #[test]
    fn a_token_does_no_more_than_its_scope_nor_than_its_creators_role_now() {
        let analyst = member("s", Role::Analyst);
        assert!(Scope::Results.allows(&analyst, "s", Action::SeeTotals));
        assert!(!Scope::Results.allows(&analyst, "s", Action::Export), "beyond its scope");
        assert!(Scope::Responses.allows(&analyst, "s", Action::Export));
        assert!(!Scope::Manage.allows(&analyst, "s", Action::Manage), "beyond its creator's role");
        assert!(!Scope::Responses.allows(&member("s", Role::Viewer), "s", Action::Export), "the creator lost the role");
        assert!(!Scope::Responses.allows(&analyst, "other", Action::SeeTotals), "another survey");
        assert_eq!(Scope::parse("Responses"), Ok(Scope::Responses));
        assert!(Scope::parse("admin").unwrap_err().contains("results, responses or manage"));
    }

    #[test]
    fn roles_parse_from_their_codes_and_refuse_anything_else() {
        assert_eq!(Role::parse("Analyst"), Ok(Role::Analyst));
        let error = Role::parse("superuser").unwrap_err();
        assert!(error.contains("owner, analyst or viewer"), "{error}");
        assert!(Role::parse("").is_err());
    }
}
