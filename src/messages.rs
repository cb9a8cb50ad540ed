//! The answer rules' messages, in every language a survey can be answered in.
//!
//! The rules (`validate`) say which problem an answer has; this says it in words. Both
//! the server and the browser (the same core in wasm) word a problem here, in the
//! language of the definition they check against (a survey `localized` to Welsh speaks
//! Welsh), so a respondent reads the same sentence whichever of them found it.
//!
//! The `short` names come from the definition, already in the respondent's language. The
//! Welsh is a careful first translation, to be reviewed by a Welsh translator with the
//! rest (see the README).

use crate::language::Lang;

/// One problem with an answer, with what its message names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem<'a> {
    UnknownQuestion { id: &'a str },
    ConsentWithOther { short: &'a str, other: &'a str },
    ChooseOne { short: &'a str },
    ChooseAtLeastOne { short: &'a str },
    ChooseEveryRow { short: &'a str },
    TickToAgree { short: &'a str },
    Enter { short: &'a str },
    OnlyOne { short: &'a str },
    SendOneCode { short: &'a str },
    NotListed { short: &'a str, code: &'a str },
    SendCodeList { short: &'a str },
    AtMost { short: &'a str, max: u32, chosen: usize },
    SendRowMap { short: &'a str },
    NoSuchRow { short: &'a str, row: &'a str },
    ListedAnswerForRow { short: &'a str, row: &'a str },
    RowsMissing { short: &'a str, rows: String },
    WholeNumber { short: &'a str },
    Between { short: &'a str, min: String, max: String },
    SendText { short: &'a str },
    Shorten { short: &'a str, max: String, length: String },
    EmailFormat,
    SendTrueFalse { short: &'a str },
}

impl Problem<'_> {
    /// The message, in `lang`: what is wrong and what to do.
    pub fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Cy => self.welsh(),
        }
    }

    fn english(&self) -> String {
        use Problem::*;
        match self {
            UnknownQuestion { id } => format!("This survey has no question “{id}”; remove it from the answers."),
            ConsentWithOther { short, other } => format!("Tick the box to agree to {short}, or remove your {other}."),
            ChooseOne { short } => format!("Choose an answer for {short}."),
            ChooseAtLeastOne { short } => format!("Choose at least one answer for {short}."),
            ChooseEveryRow { short } => format!("Choose an answer for every row of {short}."),
            TickToAgree { short } => format!("Tick the box to agree to {short}."),
            Enter { short } => format!("Enter {short}."),
            OnlyOne { short } => format!("Choose only one answer for {short}."),
            SendOneCode { short } => format!("Send {short} as one option code (a string)."),
            SendCodeList { short } => format!("Send {short} as a list of option codes."),
            NotListed { short, code } => format!("Choose one of the listed answers for {short}; “{code}” is not one of them."),
            AtMost { short, max, chosen } => format!("Choose at most {max} {short}; you chose {chosen}."),
            SendRowMap { short } => format!("Send {short} as an object of row code → column code."),
            NoSuchRow { short, row } => format!("{short} has no row “{row}”; answer only the rows listed."),
            ListedAnswerForRow { short, row } => format!("Choose one of the listed answers for {row} in {short}."),
            RowsMissing { short, rows } => format!("Choose an answer for {rows} in {short}."),
            WholeNumber { short } => format!("Enter {short} as a whole number, like 250."),
            Between { short, min, max } => format!("Enter {short} between {min} and {max}."),
            SendText { short } => format!("Send {short} as text (a string)."),
            Shorten { short, max, length } => format!("Shorten {short} to {max} characters or fewer; it has {length}."),
            EmailFormat => "Enter an email address in the correct format, like name@example.org.".into(),
            SendTrueFalse { short } => format!("Send {short} as true or false."),
        }
    }

    fn welsh(&self) -> String {
        use Problem::*;
        match self {
            UnknownQuestion { id } => format!("Nid oes gan yr arolwg hwn gwestiwn “{id}”; tynnwch ef o’r atebion."),
            ConsentWithOther { short, other } => format!("Ticiwch y blwch i gytuno ynghylch {short}, neu tynnwch eich {other}."),
            ChooseOne { short } => format!("Dewiswch ateb ar gyfer {short}."),
            ChooseAtLeastOne { short } => format!("Dewiswch o leiaf un ateb ar gyfer {short}."),
            ChooseEveryRow { short } => format!("Dewiswch ateb ar gyfer pob rhes o {short}."),
            TickToAgree { short } => format!("Ticiwch y blwch i gytuno ynghylch {short}."),
            Enter { short } => format!("Rhowch {short}."),
            OnlyOne { short } => format!("Dewiswch un ateb yn unig ar gyfer {short}."),
            SendOneCode { short } => format!("Anfonwch {short} fel un cod opsiwn (llinyn)."),
            SendCodeList { short } => format!("Anfonwch {short} fel rhestr o godau opsiwn."),
            NotListed { short, code } => format!("Dewiswch un o’r atebion a restrir ar gyfer {short}; nid yw “{code}” yn un ohonynt."),
            AtMost { short, max, chosen } => format!("Dewiswch {max} ar y mwyaf ar gyfer {short}; fe ddewisoch {chosen}."),
            SendRowMap { short } => format!("Anfonwch {short} fel gwrthrych o god rhes → cod colofn."),
            NoSuchRow { short, row } => format!("Nid oes rhes “{row}” yn {short}; atebwch y rhesi a restrir yn unig."),
            ListedAnswerForRow { short, row } => format!("Dewiswch un o’r atebion a restrir ar gyfer {row} yn {short}."),
            RowsMissing { short, rows } => format!("Dewiswch ateb ar gyfer {rows} yn {short}."),
            WholeNumber { short } => format!("Rhowch {short} fel rhif cyfan, er enghraifft 250."),
            Between { short, min, max } => format!("Rhowch {short} rhwng {min} a {max}."),
            SendText { short } => format!("Anfonwch {short} fel testun (llinyn)."),
            Shorten { short, max, length } => format!("Byrhewch {short} i {max} nod neu lai; mae ganddo {length}."),
            EmailFormat => "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.org.".into(),
            SendTrueFalse { short } => format!("Anfonwch {short} fel true neu false."),
        }
    }
}
