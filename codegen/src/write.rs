//! The last stage: compare generated text with the files on disk, then write or report.
//!
//! All outputs are computed before this stage runs, so a spec error never leaves a
//! half-written tree; writes go through a temporary file and a rename.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Output, marker};

/// Folders whose generated files belong to the generator: a generated file there that
/// no spec produces any more is removed.
/// Folders are searched with their subfolders.
pub const GENERATED_DIRS: &[&str] = &[
    "wechat-mp/src/api",
    "wechat-mp-mock/src/routes",
    "tests/tests/it/endpoints/generated",
];

/// What differs between the generated outputs and the tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose contents differ or that do not exist.
    pub stale: Vec<PathBuf>,
    /// Generated files no spec produces any more.
    pub orphaned: Vec<PathBuf>,
}

impl Drift {
    /// Whether the tree matches the specs.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.orphaned.is_empty()
    }
}

/// Compares outputs with the tree under `root`.
pub fn drift(root: &Path, outputs: &[Output]) -> io::Result<Drift> {
    let mut drift = Drift::default();
    for out in outputs {
        let on_disk = match fs::read_to_string(root.join(&out.path)) {
            Ok(text) => Some(text.replace("\r\n", "\n")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if on_disk.as_deref() != Some(out.contents.as_str()) {
            drift.stale.push(out.path.clone());
        }
    }
    for dir in GENERATED_DIRS {
        for path in files_under(&root.join(dir)) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if outputs.iter().any(|o| o.path == rel) {
                continue;
            }
            let generated = fs::read_to_string(&path).is_ok_and(|t| t.starts_with(marker::RUST));
            if generated {
                drift.orphaned.push(rel);
            }
        }
    }
    Ok(drift)
}

/// Every file under `dir`, its subfolders included, sorted; none if it does not exist.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Writes stale outputs and removes orphaned files.
pub fn apply(root: &Path, outputs: &[Output], drift: &Drift) -> io::Result<()> {
    let mut staged = Vec::new();
    for out in outputs.iter().filter(|o| drift.stale.contains(&o.path)) {
        let target = root.join(&out.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = target.with_extension("codegen-tmp");
        fs::write(&tmp, &out.contents)?;
        staged.push((tmp, target));
    }
    for (tmp, target) in staged {
        fs::rename(tmp, target)?;
    }
    for path in &drift.orphaned {
        fs::remove_file(root.join(path))?;
        // A folder the generator emptied goes too; one that still holds anything stays.
        if let Some(parent) = root.join(path).parent() {
            let _ = fs::remove_dir(parent);
        }
    }
    Ok(())
}
