//! Reading `specs/*.yaml`: stage one of the pipeline.

use std::fs;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::lower::Loaded;
use crate::spec::SpecFile;

/// Reads and parses every `*.yaml` in `root/specs`, in file-name order.
///
/// Returns every file that failed to parse as a diagnostic, not just the first.
pub fn load_specs(root: &Path) -> Result<Vec<Loaded>, Vec<Diagnostic>> {
    let dir = root.join("specs");
    let entries = fs::read_dir(&dir).map_err(|e| vec![io_diagnostic(Path::new("specs"), &e)])?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        // `_seed.yaml` and other `_` files describe the specs; they are not groups.
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('_'))
        })
        .collect();
    paths.sort();
    let mut loaded = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match fs::read_to_string(&path) {
            Ok(text) => match parse_spec(&rel, &text) {
                Ok(spec) => loaded.push(Loaded { file: rel, spec }),
                Err(d) => diagnostics.push(d),
            },
            Err(e) => diagnostics.push(io_diagnostic(&rel, &e)),
        }
    }
    if diagnostics.is_empty() {
        Ok(loaded)
    } else {
        Err(diagnostics)
    }
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
