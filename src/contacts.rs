//! A panel of contacts read from a CSV file, as organisers export it from a spreadsheet:
//! a UTF-8 byte order mark or none, `,` or `;` between fields (Excel writes `;` in many
//! locales), quoted fields with `""` inside and line breaks, CRLF or LF. Columns `email`
//! (required), `name`, `organisation`, `language`; any other column is kept as a custom
//! field. Every bad row is reported by its line with the reason, and nothing is imported
//! until the file is clean; the same address twice (any case) is merged and reported.

use std::collections::BTreeMap;

/// The most contacts one file may hold: far beyond any panel, well short of a mistake.
pub const MAX_CONTACTS: usize = 100_000;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    /// Lowercased: the same person whatever the case they were typed in.
    pub email: String,
    pub name: String,
    pub organisation: String,
    /// `en`, `cy`, … or empty.
    pub language: String,
    /// Every other column, by its header.
    pub custom: BTreeMap<String, String>,
}

/// A clean file: its contacts, and what was merged ("line 9: … is also on line 3").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Panel {
    pub contacts: Vec<Contact>,
    pub merged: Vec<String>,
}

/// One problem, on the line (1-based, of the file) where its row starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

const KNOWN: [&str; 4] = ["email", "name", "organisation", "language"];

pub fn read_panel(bytes: &[u8]) -> Result<Panel, Vec<RowProblem>> {
    let problem = |line, message: String| vec![RowProblem { line, message }];
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        problem(line, "the file is not UTF-8 text: in Excel, save it as “CSV UTF-8 (Comma delimited)”".into())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = separator(text.lines().next().unwrap_or(""));
    let records = records(text, separator)?;
    let Some((_, header)) = records.first() else {
        return Err(problem(1, "the file is empty: its first line names the columns, e.g. email,name,organisation".into()));
    };
    let header = Header::read(header).map_err(|message| problem(1, message))?;
    let mut problems = Vec::new();
    let mut panel = Panel::default();
    let mut first_line: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (line, fields) in records.iter().skip(1) {
        let line = *line;
        let contact = match header.contact(fields, separator) {
            Ok(Some(contact)) => contact,
            Ok(None) => continue,
            Err(message) => {
                problems.push(RowProblem { line, message });
                continue;
            }
        };
        match first_line.get(&contact.email) {
            Some(&(at, index)) => {
                panel.merged.push(format!("line {line}: {} is also on line {at}; merged into one contact", contact.email));
                merge(&mut panel.contacts[index], contact);
            }
            None => {
                first_line.insert(contact.email.clone(), (line, panel.contacts.len()));
                panel.contacts.push(contact);
            }
        }
        if panel.contacts.len() > MAX_CONTACTS {
            return Err(problem(line, format!("more than {MAX_CONTACTS} contacts; split the file")));
        }
    }
    if problems.is_empty() {
        Ok(panel)
    } else {
        Err(problems)
    }
}

/// The first line's column names, lower-cased, with where the email address is.
struct Header {
    names: Vec<String>,
    email_at: usize,
}

impl Header {
    /// Every column named once, one of them `email`; else what to change in the first line.
    fn read(fields: &[String]) -> Result<Header, String> {
        let names: Vec<String> = fields.iter().map(|h| h.trim().to_lowercase()).collect();
        let Some(email_at) = names.iter().position(|h| h == "email") else {
            return Err(format!("there is no `email` column (the first line names the columns, found: {}); add one headed email", names.join(", ")));
        };
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(format!("column {} has no name in the first line; name it or delete it", i + 1));
            }
            if names[..i].contains(name) {
                return Err(format!("the column `{name}` appears twice in the first line; keep one"));
            }
        }
        Ok(Header { names, email_at })
    }

    /// One row's contact; `None` for a blank row, else what is wrong with the row.
    fn contact(&self, fields: &[String], separator: char) -> Result<Option<Contact>, String> {
        let header = &self.names;
        if fields.iter().all(|f| f.trim().is_empty()) {
            return Ok(None);
        }
        if fields.len() != header.len() {
            return Err(format!(
                "{} fields where the first line names {}; put a field holding a {} in double quotes",
                fields.len(),
                header.len(),
                if separator == ';' { "semicolon" } else { "comma" }
            ));
        }
        let get = |name: &str| header.iter().position(|h| h == name).map(|i| fields[i].trim().to_string()).unwrap_or_default();
        let email = fields[self.email_at].trim().to_lowercase();
        if email.is_empty() {
            return Err("no email address".into());
        }
        if !crate::validate::is_email(&email) {
            return Err(format!("“{email}” is not an email address"));
        }
        let language = get("language").to_lowercase();
        let code = (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase());
        if !language.is_empty() && !code {
            return Err(format!("language “{language}” is not a language code such as en or cy"));
        }
        let custom = header.iter().zip(fields).filter(|(h, _)| !KNOWN.contains(&h.as_str())).map(|(h, v)| (h.clone(), v.trim().to_string())).collect();
        Ok(Some(Contact { email, name: get("name"), organisation: get("organisation"), language, custom }))
    }
}

/// The later row fills what the first left empty.
fn merge(into: &mut Contact, later: Contact) {
    for (field, value) in [(&mut into.name, later.name), (&mut into.organisation, later.organisation), (&mut into.language, later.language)] {
        if field.is_empty() {
            *field = value;
        }
    }
    for (key, value) in later.custom {
        let entry = into.custom.entry(key).or_default();
        if entry.is_empty() {
            *entry = value;
        }
    }
}

/// `;` when the header has more semicolons than commas outside quotes, else `,`.
pub(crate) fn separator(header: &str) -> char {
    let (mut quoted, mut commas, mut semicolons) = (false, 0, 0);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        ';'
    } else {
        ','
    }
}

/// Each record with the line it starts on. Quoted fields may hold separators, `""` and
/// line breaks; CRLF and LF both end a record.
pub(crate) fn records(text: &str, separator: char) -> Result<Vec<(usize, Vec<String>)>, Vec<RowProblem>> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let (mut line, mut start, mut quoted, mut was_quoted) = (1, 1, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            '\n' if quoted => {
                line += 1;
                field.push('\n');
            }
            '\r' if quoted => {}
            c if c == separator && !quoted => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                was_quoted = false;
                line += 1;
                start = line;
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err(vec![RowProblem { line: start, message: "a quoted field is never closed: a double quote is missing".into() }]);
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excel_file_with_a_bom_semicolons_quotes_and_crlf_is_read() {
        let file = "\u{feff}Email;Name;Organisation;Language;Region\r\n\
                    chief@council.gov.uk;\"Smith; Jo\";Anytown Council;en;North\r\n\
                    \"dpo@nhs.uk\";\"Said \"\"Hi\"\"\nthen left\";NHS Trust;CY;Wales\r\n";
        let panel = read_panel(file.as_bytes()).unwrap();
        assert_eq!(panel.contacts.len(), 2);
        assert_eq!(panel.contacts[0].name, "Smith; Jo");
        assert_eq!(panel.contacts[0].custom.get("region").map(String::as_str), Some("North"));
        assert_eq!(panel.contacts[1].name, "Said \"Hi\"\nthen left");
        assert_eq!(panel.contacts[1].language, "cy");
    }

    #[test]
    fn every_bad_row_is_reported_by_its_line_and_nothing_is_read() {
        let file = "email,name\nok@example.gov.uk,Ok\nnot-an-address,Bad\n,No address\n\"multi\nline@x.gov.uk\",Jo,extra\nlast@example.gov.uk,Last";
        let problems = read_panel(file.as_bytes()).unwrap_err();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "line 3: “not-an-address” is not an email address",
                "line 4: no email address",
                "line 5: 3 fields where the first line names 2; put a field holding a comma in double quotes",
            ]
        );
    }

    #[test]
    fn the_same_address_in_any_case_is_merged_and_reported() {
        let file = "email,name,organisation\nJo@Council.gov.uk,Jo,\njo@council.gov.uk,,Anytown Council\n";
        let panel = read_panel(file.as_bytes()).unwrap();
        assert_eq!(panel.contacts.len(), 1);
        assert_eq!((panel.contacts[0].email.as_str(), panel.contacts[0].organisation.as_str()), ("jo@council.gov.uk", "Anytown Council"));
        assert_eq!(panel.merged, ["line 3: jo@council.gov.uk is also on line 2; merged into one contact"]);
    }

    #[test]
    fn a_file_without_an_email_column_or_in_another_encoding_is_refused_with_what_to_do() {
        let no_email = read_panel(b"name,organisation\nJo,Council\n").unwrap_err();
        assert_eq!(
            no_email[0].to_string(),
            "line 1: there is no `email` column (the first line names the columns, found: name, organisation); add one headed email"
        );
        let latin1 = read_panel(b"email,name\njo@x.gov.uk,Jos\xe9\n").unwrap_err();
        assert_eq!(latin1[0].to_string(), "line 2: the file is not UTF-8 text: in Excel, save it as “CSV UTF-8 (Comma delimited)”");
        let open_quote = read_panel(b"email,name\n\"jo@x.gov.uk,Jo\n").unwrap_err();
        assert_eq!(open_quote[0].to_string(), "line 2: a quoted field is never closed: a double quote is missing");
        let bad_language = read_panel(b"email,language\njo@x.gov.uk,Welsh\n").unwrap_err();
        assert_eq!(bad_language[0].to_string(), "line 2: language “welsh” is not a language code such as en or cy");
    }
}
