//! The list of seed interfaces (`specs/_seed.yaml`): what every `seed:` must name, and
//! what coverage is measured against.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diag::{Diagnostic, Sink, did_you_mean};
use crate::load::Loaded;
use crate::load::parse_error;

/// The seed file, relative to the workspace root.
pub const SEED_FILE: &str = "specs/_seed.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    interfaces: IndexMap<String, Vec<String>>,
}

/// The seed interfaces, as `Group.name`, in the seed's order.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    /// All interfaces.
    pub interfaces: Vec<String>,
}

/// Reads `specs/_seed.yaml`; `None` when the workspace has none (as in fixtures).
pub fn load_seed(root: &Path) -> Result<Option<Seed>, Vec<Diagnostic>> {
    let Ok(text) = std::fs::read_to_string(root.join(SEED_FILE)) else {
        return Ok(None);
    };
    let file: SeedFile = serde_saphyr::from_str(&text).map_err(|e| vec![parse_error(Path::new(SEED_FILE), &e)])?;
    let interfaces = file
        .interfaces
        .iter()
        .flat_map(|(group, names)| names.iter().map(move |n| format!("{group}.{n}")))
        .collect();
    Ok(Some(Seed { interfaces }))
}

/// Reports every `seed:` that names no seed interface.
pub fn check_seed_names(seed: &Seed, files: &[Loaded]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for loaded in files {
        let mut sink = Sink::new(loaded.file.clone());
        let names = loaded
            .spec
            .endpoints
            .iter()
            .filter_map(|e| e.value.seed.as_ref())
            .chain(loaded.spec.helpers.iter().map(|h| &h.value.seed));
        for name in names {
            if !seed.interfaces.contains(&name.value) {
                let hint = did_you_mean(&name.value, seed.interfaces.iter().map(String::as_str)).map_or_else(
                    || format!("{SEED_FILE} lists the seed's interfaces"),
                    |s| format!("did you mean `{s}`?"),
                );
                sink.error_hint(
                    &name.referenced,
                    format!("`{}` is not an interface of the seed", name.value),
                    hint,
                );
            }
        }
        out.append(&mut sink.diagnostics);
    }
    out
}
