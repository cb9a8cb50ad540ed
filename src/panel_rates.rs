//! A panel's response rate by each closed question of its contact list: a column such as
//! `org_type` or `region` whose values are few and shared, where a rate per organisation is
//! useless when each organisation has one contact. Groups under the release group are
//! folded together when the survey is anonymous, as every group under 5 is hidden.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A column is a closed question when it has between 2 and this many values (free text,
/// such as a phone number or job title, has nearly one per contact).
pub const MAX_VALUES: usize = 12;

/// One invited contact: their contact-list columns (beyond email, name, organisation and
/// language) and whether their response is counted (released, on an anonymous survey).
pub struct Invited<'a> {
    pub columns: &'a BTreeMap<String, String>,
    pub responded: bool,
}

/// The rate by one column: (value, invited, responded), by value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByColumn {
    pub column: String,
    pub groups: Vec<(String, u64, u64)>,
}

/// Every closed column's breakdown. `fold_under`: when anonymous, the release group (5):
/// values with fewer invited go into one line, and a column that would show nothing else
/// is left out; `None` shows every value.
pub fn by_closed_columns(invited: &[Invited<'_>], fold_under: Option<u64>) -> Vec<ByColumn> {
    let mut tallies: BTreeMap<&str, BTreeMap<&str, (u64, u64)>> = BTreeMap::new();
    for contact in invited {
        for (column, value) in contact.columns {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let cell = tallies.entry(column.as_str()).or_default().entry(value).or_default();
            cell.0 += 1;
            cell.1 += u64::from(contact.responded);
        }
    }
    tallies
        .into_iter()
        .filter(|(_, values)| (2..=MAX_VALUES).contains(&values.len()) && values.values().any(|(n, _)| *n > 1))
        .filter_map(|(column, values)| {
            let groups: Vec<_> = values.into_iter().map(|(value, (n, responded))| (value.to_string(), n, responded)).collect();
            if fold_under.is_some_and(|group| groups.iter().all(|(_, n, _)| *n < group)) {
                return None;
            }
            let others = format!("Others (each fewer than {} invited)", fold_under.unwrap_or_default());
            Some(ByColumn { column: column.to_string(), groups: fold_small(groups, fold_under, &others) })
        })
        .collect()
}

/// `groups` (name, invited, responded) with those of fewer than `fold_under` invited
/// folded into one last line named `others`: the one rule for the panel's breakdowns, by a
/// contact-list column and by organisation. `None` folds nothing.
pub fn fold_small(groups: Vec<(String, u64, u64)>, fold_under: Option<u64>, others: &str) -> Vec<(String, u64, u64)> {
    let (small, mut shown): (Vec<_>, Vec<_>) = groups.into_iter().partition(|(_, n, _)| fold_under.is_some_and(|group| *n < group));
    if !small.is_empty() {
        let (invited, responded) = small.iter().fold((0, 0), |(i, r), (_, n, k)| (i + n, r + k));
        shown.push((others.to_string(), invited, responded));
    }
    shown
}

/// Whether a rate per organisation says anything: some organisation shown on its own
/// (not folded) has more than one contact invited. With one each, every rate is 0% or 100%.
pub fn organisations_shared(groups: &[(String, u64, u64)], fold_under: Option<u64>) -> bool {
    groups.iter().any(|(_, n, _)| *n > 1 && fold_under.is_none_or(|group| *n >= group))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(org_type: &str, phone: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("org_type".to_string(), org_type.to_string()), ("phone".to_string(), phone.to_string())])
    }

    #[test]
    fn a_closed_column_gives_rates_and_free_text_columns_are_left_out() {
        let columns: Vec<_> = (0..8).map(|i| contact(if i < 5 { "local" } else { "health" }, &format!("0100 {i}"))).collect();
        let invited: Vec<Invited> = columns.iter().enumerate().map(|(i, c)| Invited { columns: c, responded: i % 2 == 0 }).collect();
        let shown = by_closed_columns(&invited, None);
        assert_eq!(shown.len(), 1, "phone has a value per contact: not a closed question");
        assert_eq!(shown[0].column, "org_type");
        assert_eq!(shown[0].groups, [("health".to_string(), 3, 1), ("local".to_string(), 5, 3)]);
    }

    #[test]
    fn on_an_anonymous_survey_small_groups_are_folded_and_a_column_of_only_small_groups_is_left_out() {
        let columns: Vec<_> = (0..8).map(|i| contact(if i < 5 { "local" } else { "health" }, "")).collect();
        let invited: Vec<Invited> = columns.iter().map(|c| Invited { columns: c, responded: true }).collect();
        let shown = by_closed_columns(&invited, Some(5));
        assert_eq!(shown[0].groups, [("local".to_string(), 5, 5), ("Others (each fewer than 5 invited)".to_string(), 3, 3)]);
        let few: Vec<_> = (0..4).map(|i| contact(if i < 2 { "a" } else { "b" }, "")).collect();
        let invited: Vec<Invited> = few.iter().map(|c| Invited { columns: c, responded: false }).collect();
        assert!(by_closed_columns(&invited, Some(5)).is_empty());
        assert!(by_closed_columns(&[], None).is_empty(), "no panel, nothing to show");
    }

    #[test]
    fn a_rate_per_organisation_is_worth_showing_only_when_one_shown_alone_has_several_contacts() {
        let one_each: Vec<_> = (0..6).map(|i| (format!("Body {i}"), 1, 0)).collect();
        assert!(!organisations_shared(&one_each, None) && !organisations_shared(&one_each, Some(5)));
        let shared = vec![("Council".to_string(), 2, 1), ("Trust".to_string(), 1, 0)];
        assert!(organisations_shared(&shared, None));
        assert!(!organisations_shared(&shared, Some(5)), "folded on an anonymous survey: it is not shown alone");
        assert_eq!(fold_small(shared, Some(5), "Others"), [("Others".to_string(), 3, 1)], "every group under 5 folded into one line");
    }
}
