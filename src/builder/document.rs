//! The definition's text as an editable document: where its sections, questions and
//! choices are, in either of the shapes TOML allows for a list of tables (`[[header]]`
//! tables or an inline array of `{ … }`), and the few writes the builder makes, each
//! keeping the comments and layout around what it changes.

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// A list of tables written either way TOML allows.
pub(crate) enum List<'a> {
    Tables(&'a mut ArrayOfTables),
    Inline(&'a mut Array),
}

impl<'a> List<'a> {
    /// The list at `key` of `table`, when there is one.
    pub(crate) fn at(table: &'a mut dyn TableLike, key: &str) -> Option<List<'a>> {
        match table.get_mut(key)? {
            Item::ArrayOfTables(tables) => Some(List::Tables(tables)),
            Item::Value(Value::Array(array)) => Some(List::Inline(array)),
            _ => None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            List::Tables(tables) => tables.len(),
            List::Inline(array) => array.len(),
        }
    }

    /// The `i`th table (`None` past the end, or for an inline element that is not a table).
    pub(crate) fn get(&mut self, i: usize) -> Option<&mut dyn TableLike> {
        match self {
            List::Tables(tables) => tables.get_mut(i).map(|t| t as &mut dyn TableLike),
            List::Inline(array) => array.get_mut(i)?.as_inline_table_mut().map(|t| t as &mut dyn TableLike),
        }
    }

    /// Every table's string at `key`, in order (empty where there is none).
    pub(crate) fn strings(&mut self, key: &str) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).and_then(|t| t.get(key)?.as_str().map(str::to_string)).unwrap_or_default()).collect()
    }

    /// Removes the `i`th table; an inline list keeps the layout of its other elements.
    pub(crate) fn remove(&mut self, i: usize) {
        match self {
            List::Tables(tables) => {
                tables.remove(i);
            }
            List::Inline(array) => {
                array.remove(i);
            }
        }
    }

    /// Puts the tables in the order `order` gives (indices into the current order), each
    /// with the comments written before it.
    pub(crate) fn reorder(&mut self, order: &[usize]) {
        match self {
            List::Tables(tables) => {
                let mut old: Vec<Option<Table>> = std::mem::take(*tables).into_iter().map(Some).collect();
                for &i in order {
                    if let Some(table) = old.get_mut(i).and_then(Option::take) {
                        tables.push(table);
                    }
                }
            }
            List::Inline(array) => {
                // An element keeps a comment written before it; one with only spacing takes
                // its new place's spacing, so an element moved to the front of a one-line
                // list does not bring the space that followed a comma.
                let prefixes: Vec<String> = array.iter().map(|v| prefix_of(v.decor().prefix())).collect();
                let mut old: Vec<Option<Value>> = array.iter().cloned().map(Some).collect();
                array.clear();
                for (slot, &i) in order.iter().enumerate() {
                    if let Some(mut value) = old.get_mut(i).and_then(Option::take) {
                        let own = prefixes.get(i).map(String::as_str).unwrap_or_default();
                        if !own.contains('#') {
                            if let Some(prefix) = prefixes.get(slot) {
                                value.decor_mut().set_prefix(spacing(prefix));
                            }
                        }
                        array.push_formatted(value);
                    }
                }
            }
        }
    }

    /// Adds a table at `at` (the end when past it), laid out like its neighbours.
    pub(crate) fn insert(&mut self, at: usize, entries: Vec<(&str, Value)>) {
        match self {
            List::Tables(tables) => {
                let mut table = Table::new();
                for (key, value) in entries {
                    table.insert(key, Item::Value(value));
                }
                table.decor_mut().set_prefix("\n");
                let at = at.min(tables.len());
                tables.insert(at, table);
            }
            List::Inline(array) => {
                let mut table = InlineTable::new();
                for (key, value) in entries {
                    table.insert(key, value);
                }
                table.fmt();
                let at = at.min(array.len());
                let prefix = array.get(at.saturating_sub(1)).or_else(|| array.get(0)).map(|v| spacing(&prefix_of(v.decor().prefix())));
                let mut value = Value::InlineTable(table);
                value.decor_mut().set_prefix(prefix.unwrap_or_else(|| "\n  ".to_string()));
                if array.is_empty() {
                    array.set_trailing("\n");
                    array.set_trailing_comma(true);
                }
                array.insert_formatted(at, value);
            }
        }
    }
}

/// A prefix's spacing without any comment in it: what follows its last line break.
fn spacing(prefix: &str) -> String {
    match prefix.rfind('\n') {
        Some(at) if prefix.contains('#') => prefix[at..].to_string(),
        _ => prefix.to_string(),
    }
}

fn prefix_of(prefix: Option<&toml_edit::RawString>) -> String {
    prefix.and_then(|p| p.as_str()).unwrap_or(" ").to_string()
}

/// Sets `key` to `value`, keeping the spaces and comment around the old value.
pub(crate) fn set(table: &mut dyn TableLike, key: &str, value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        Some(other) => *other = Item::Value(value),
        None => {
            // An inline table's last value carries the space before its `}`: the new last
            // value takes it over, so `{ code = "yes", label = "Yes" }` gains `, key = …`
            // without a stray space before the comma.
            if let Some((_, Item::Value(last))) = table.iter_mut().last() {
                if last.decor().suffix().and_then(|s| s.as_str()) == Some(" ") {
                    last.decor_mut().set_suffix("");
                }
            }
            table.insert(key, Item::Value(value));
        }
    }
}

/// Sets `key` to the string, or removes it when `None`.
pub(crate) fn set_or_remove(table: &mut dyn TableLike, key: &str, value: Option<Value>) {
    match value {
        Some(value) => set(table, key, value),
        None => {
            table.remove(key);
        }
    }
}

/// A new inline array laid out one element a line, as the shipped definitions write
/// option lists.
pub(crate) fn one_a_line(elements: Vec<InlineTable>) -> Value {
    let mut array = Array::new();
    for mut element in elements {
        element.fmt();
        let mut value = Value::InlineTable(element);
        value.decor_mut().set_prefix("\n  ");
        array.push_formatted(value);
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
    Value::Array(array)
}

/// An inline table of these entries, spaced as `{ a = 1, b = 2 }`.
pub(crate) fn inline(entries: Vec<(&str, Value)>) -> InlineTable {
    let mut table = InlineTable::new();
    for (key, value) in entries {
        table.insert(key, value);
    }
    table.fmt();
    table
}

/// Keeps the text's table headers in the order of the document's structure after a
/// table moved: toml_edit writes tables by their position in the text they came from,
/// so a moved question would otherwise be written where it was (and its sub-tables
/// would follow the wrong question). Positions already in order are left alone, so a
/// file whose tables were written in another legal order keeps that order until a
/// move needs otherwise.
pub(crate) fn settle_positions(document: &mut DocumentMut) {
    let mut positions = Vec::new();
    walk(document.as_table_mut(), &mut |table| positions.push(table.position()));
    let known: Vec<isize> = positions.into_iter().flatten().collect();
    if known.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let mut next = 0isize;
    walk(document.as_table_mut(), &mut |table| {
        table.set_position(Some(next));
        next += 1;
    });
}

/// Visits every table of `table` (itself included), depth first, as toml_edit writes them.
fn walk(table: &mut Table, visit: &mut dyn FnMut(&mut Table)) {
    if !table.is_dotted() {
        visit(table);
    }
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => walk(inner, visit),
            Item::ArrayOfTables(tables) => {
                for inner in tables.iter_mut() {
                    walk(inner, visit);
                }
            }
            _ => {}
        }
    }
}
