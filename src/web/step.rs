//! Which step of the questionnaire a URL or a posted form names.

/// A step of the journey: a section (0-based) or the check-answers page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Section(usize),
    Check,
}

impl Step {
    /// `?step=` as written in URLs: 1-based section numbers, or `check`; `None` for a step
    /// this survey does not have.
    pub fn named(value: Option<&str>, sections: usize) -> Option<Step> {
        match value? {
            "check" => Some(Step::Check),
            n => n.parse::<usize>().ok().filter(|n| (1..=sections).contains(n)).map(|n| Step::Section(n - 1)),
        }
    }

    /// The step a URL names; no step, or one the survey lacks, is the first section.
    pub fn parse(value: Option<&str>, sections: usize) -> Step {
        Step::named(value, sections).unwrap_or(Step::Section(0))
    }

    pub fn query(self) -> String {
        match self {
            Step::Section(i) => format!("?step={}", i + 1),
            Step::Check => "?step=check".into(),
        }
    }

    /// This step opened from "Check your answers", to return there (see
    /// [`RETURN_FIELD`](super::RETURN_FIELD)).
    pub fn query_returning(self) -> String {
        format!("{}&return=check", self.query())
    }

    /// The step after Continue from section `index`.
    pub fn after(index: usize, sections: usize) -> Step {
        if index + 1 < sections {
            Step::Section(index + 1)
        } else {
            Step::Check
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_steps_from_one_and_the_check_page() {
        assert_eq!(Step::named(Some("1"), 3), Some(Step::Section(0)));
        assert_eq!(Step::named(Some("check"), 3), Some(Step::Check));
        assert_eq!(Step::named(Some("4"), 3), None);
        assert_eq!(Step::named(Some("0"), 3), None);
        assert_eq!(Step::named(None, 3), None);
        assert_eq!(Step::parse(Some("x"), 3), Step::Section(0));
        assert_eq!(Step::Section(1).query(), "?step=2");
        assert_eq!(Step::Check.query_returning(), "?step=check&return=check");
        assert_eq!(Step::after(1, 3), Step::Section(2));
        assert_eq!(Step::after(2, 3), Step::Check);
    }
}
