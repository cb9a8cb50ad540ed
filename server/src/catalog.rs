//! The surveys this server publishes, read from definition files at start-up.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use canvass::{parse_definition, Definition};

/// Current definitions by slug.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    surveys: BTreeMap<String, Definition>,
}

impl Catalog {
    /// Reads every `*.toml` in `dir`. Any broken file stops start-up with its problems
    /// listed: serving half a survey set would be worse than not starting.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let entries = std::fs::read_dir(dir).with_context(|| {
            format!("reading survey definitions from {}; pass --surveys DIR to point elsewhere", dir.display())
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut catalog = Catalog::default();
        for path in paths {
            let definition = read_definition(&path)?;
            if let Some(previous) = catalog.surveys.get(&definition.slug) {
                anyhow::bail!(
                    "{}: slug `{}` is already used by “{}”; give each survey its own slug",
                    path.display(),
                    definition.slug,
                    previous.title
                );
            }
            catalog.surveys.insert(definition.slug.clone(), definition);
        }
        if catalog.surveys.is_empty() {
            anyhow::bail!("no survey definitions (*.toml) found in {}", dir.display());
        }
        Ok(catalog)
    }

    pub fn get(&self, slug: &str) -> Option<&Definition> {
        self.surveys.get(slug)
    }

    pub fn all(&self) -> impl Iterator<Item = &Definition> {
        self.surveys.values()
    }
}

/// Reads and checks one definition file.
pub fn read_definition(path: &Path) -> anyhow::Result<Definition> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_definition(&path.display().to_string(), &text)?)
}
