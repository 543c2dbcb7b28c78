//! Reading `specs/`: stage one of the pipeline.
//!
//! A group is `specs/GROUP.yaml`, or a folder `specs/GROUP/` of section files whose main
//! one is `specs/GROUP/GROUP.yaml`. Files whose name starts with `_` describe the specs
//! instead: `_shared.yaml` (types every group may use), `_errors.yaml` (the global
//! errcode table) and `_seed.yaml` (the seed's interfaces, read by [`crate::seed`]).

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;
use crate::spec::{ErrorsFile, SharedFile, SpecFile};

/// The shared types file, relative to the workspace root.
pub const SHARED_FILE: &str = "specs/_shared.yaml";
/// The errcode table, relative to the workspace root.
pub const ERRORS_FILE: &str = "specs/_errors.yaml";

/// A parsed group spec file and where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// Path relative to the workspace root, e.g. `specs/menu.yaml`.
    pub file: PathBuf,
    /// The group the file's place says it belongs to: its stem, or its folder's name.
    pub group: String,
    /// `None` for a group's main file, else the section's name (the file stem).
    pub section: Option<String>,
    /// Its contents.
    pub spec: SpecFile,
}

/// Another file of `specs/` and where it came from.
#[derive(Debug)]
pub struct LoadedFile<T> {
    /// Path relative to the workspace root.
    pub file: PathBuf,
    /// Its contents.
    pub spec: T,
}

/// Everything under `specs/`.
#[derive(Debug, Default)]
pub struct Specs {
    /// Group spec files: top-level files, then folders, each in file-name order.
    pub files: Vec<Loaded>,
    /// `specs/_shared.yaml`, if present.
    pub shared: Option<LoadedFile<SharedFile>>,
    /// `specs/_errors.yaml`, if present.
    pub errors: Option<LoadedFile<ErrorsFile>>,
}

/// Reads and parses every spec under `root/specs`.
///
/// Returns every file that failed to parse as a diagnostic, not just the first.
pub fn load_specs(root: &Path) -> Result<Specs, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut specs = Specs::default();
    let mut groups: Vec<(PathBuf, String, Option<String>)> = Vec::new();
    for path in list(root, &root.join("specs")).map_err(|d| vec![d])? {
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() && !name.starts_with(['_', '.']) {
            for inner in list(root, &path).map_err(|d| vec![d])? {
                if is_yaml(&inner) {
                    let stem = stem(&inner);
                    let section = (stem != name).then_some(stem);
                    groups.push((inner, name.clone(), section));
                }
            }
        } else if is_yaml(&path) && !name.starts_with('_') {
            groups.push((path.clone(), stem(&path), None));
        }
    }
    // Top-level files first, as before folders existed, then each folder's files.
    groups.sort_by_key(|(path, _, _)| (path.components().count(), path.clone()));
    for (path, group, section) in groups {
        match read::<SpecFile>(root, &path) {
            Ok((file, spec)) => specs.files.push(Loaded {
                file,
                group,
                section,
                spec,
            }),
            Err(d) => diagnostics.push(d),
        }
    }
    match read_optional::<SharedFile>(root, SHARED_FILE) {
        Ok(shared) => specs.shared = shared,
        Err(d) => diagnostics.push(d),
    }
    match read_optional::<ErrorsFile>(root, ERRORS_FILE) {
        Ok(errors) => specs.errors = errors,
        Err(d) => diagnostics.push(d),
    }
    if diagnostics.is_empty() {
        Ok(specs)
    } else {
        Err(diagnostics)
    }
}

fn is_yaml(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e == "yaml")
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned()
}

/// The entries of `dir`, sorted.
fn list(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let entries = fs::read_dir(dir).map_err(|e| io_diagnostic(rel, &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

fn read<T: DeserializeOwned>(root: &Path, path: &Path) -> Result<(PathBuf, T), Diagnostic> {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let text = fs::read_to_string(path).map_err(|e| io_diagnostic(&rel, &e))?;
    let spec = serde_saphyr::from_str::<T>(&text).map_err(|e| parse_error(&rel, &e))?;
    Ok((rel, spec))
}

fn read_optional<T: DeserializeOwned>(root: &Path, rel: &str) -> Result<Option<LoadedFile<T>>, Diagnostic> {
    let path = root.join(rel);
    if !path.exists() {
        return Ok(None);
    }
    read(root, &path).map(|(file, spec)| Some(LoadedFile { file, spec }))
}

/// Parses one spec's text; `file` is only used in the diagnostic.
pub fn parse_spec(file: &Path, text: &str) -> Result<SpecFile, Diagnostic> {
    serde_saphyr::from_str::<SpecFile>(text).map_err(|e| parse_error(file, &e))
}

/// A serde-saphyr error as a located diagnostic.
pub fn parse_error(file: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
    let full = e.without_snippet().to_string();
    // The location goes in front, file:line:col style, so drop serde-saphyr's suffix.
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_owned();
    let hint = if message.starts_with("unknown field") {
        Some("specs/README.md lists every key".to_owned())
    } else if message.starts_with("duplicate mapping key") {
        Some("each key may appear once per mapping".to_owned())
    } else {
        None
    };
    let message = match message.split_once(", set DuplicateKeyPolicy") {
        Some((m, _)) => m.to_owned(),
        None => message,
    };
    Diagnostic {
        file: file.to_path_buf(),
        line,
        column,
        message,
        hint,
    }
}

fn io_diagnostic(file: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
        hint: None,
    }
}
