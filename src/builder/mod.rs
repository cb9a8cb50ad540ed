//! The survey builder's core: the edits its pages make to a definition's text, and what
//! its overview says about a survey being built. The builder and the text editor edit the
//! same text: every edit here changes only the part of the text it is about (keeping
//! comments, order and layout, through `toml_edit`), and the result must pass the same
//! rules a definition file does, so switching between the two loses nothing.
//!
//! No I/O: the server keeps the text (as the survey's draft) and renders the pages.

mod codes;
mod document;
mod edits;
mod overview;
mod welsh_csv;

pub use codes::code_from_label;
pub use edits::{apply, Details, Direction, Edit, Edited, Figure, Part};
pub use overview::{condition_words, kind_words, overview, Overview, QuestionRow, SectionRow, KINDS};
pub use welsh_csv::{read_translation_csv, translation_csv};
