//! The surveys this server serves: the live (newest published) version of each, as the
//! database holds them. Shared by every request and refreshed while serving, so a
//! version published by another process (`canvass survey publish`, another instance) is
//! served without a restart.
//!
//! Definition files are one way in: at start the `surveys/` folder is read and each file
//! published (see `storage::Store::import`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use anyhow::Context;
use canvass::{parse_definition, Definition, Slug};

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    surveys: Arc<RwLock<BTreeMap<Slug, Arc<Definition>>>>,
}

impl Catalog {
    pub fn new(definitions: impl IntoIterator<Item = Definition>) -> Self {
        let catalog = Self::default();
        catalog.update(definitions);
        catalog
    }

    pub fn get(&self, slug: &Slug) -> Option<Arc<Definition>> {
        self.read().get(slug).cloned()
    }

    /// Every survey's live version, by slug.
    pub fn all(&self) -> Vec<Arc<Definition>> {
        self.read().values().cloned().collect()
    }

    /// Puts in place each definition that is new or a newer version than the one held,
    /// and returns those.
    pub fn update(&self, live: impl IntoIterator<Item = Definition>) -> Vec<Arc<Definition>> {
        let mut surveys = self.surveys.write().unwrap_or_else(|e| e.into_inner());
        let mut changed = Vec::new();
        for definition in live {
            if surveys.get(&definition.slug).is_some_and(|held| held.version >= definition.version) {
                continue;
            }
            let definition = Arc::new(definition);
            surveys.insert(definition.slug.clone(), definition.clone());
            changed.push(definition);
        }
        changed
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<Slug, Arc<Definition>>> {
        self.surveys.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A definition file as read: where it came from, its text (kept, so exporting a survey
/// gives back the organiser's file with its comments), and what it defines.
pub struct DefinitionFile {
    pub path: PathBuf,
    pub source: String,
    pub definition: Definition,
}

/// Reads every `*.toml` in `dir`. Any broken file stops start-up with its problems
/// listed: serving half a survey set would be worse than not starting.
pub fn read_folder(dir: &Path) -> anyhow::Result<Vec<DefinitionFile>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("reading survey definitions from {}; pass --surveys DIR to point elsewhere", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    paths.sort();
    let mut files: Vec<DefinitionFile> = Vec::new();
    for path in paths {
        let file = read_file(&path)?;
        if let Some(previous) = files.iter().find(|f| f.definition.slug == file.definition.slug) {
            anyhow::bail!(
                "{}: slug `{}` is already used by {} (“{}”); give each survey its own slug",
                path.display(),
                file.definition.slug,
                previous.path.display(),
                previous.definition.title
            );
        }
        files.push(file);
    }
    Ok(files)
}

/// Reads and checks one definition file.
pub fn read_file(path: &Path) -> anyhow::Result<DefinitionFile> {
    let source = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let definition = parse_definition(&path.display().to_string(), &source).map_err(|e| {
        // `FILE:LINE:COLUMN: problem`, as compilers write it: editors jump to each line.
        let lines: Vec<String> = canvass::located::locate(&source, &e.problems)
            .into_iter()
            .map(|p| match (p.line, p.column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", path.display(), p.message),
                _ => format!("{}: {}", path.display(), p.message),
            })
            .collect();
        anyhow::anyhow!(lines.join("\n"))
    })?;
    Ok(DefinitionFile { path: path.to_path_buf(), source, definition })
}

/// Only the definition of one file (`canvass check`).
pub fn read_definition(path: &Path) -> anyhow::Result<Definition> {
    Ok(read_file(path)?.definition)
}
