//! Errors in specs, each pointing at a file, line and column.

use std::fmt;
use std::path::PathBuf;

use serde_saphyr::Location;

/// One mistake in one spec, reported as `specs/FILE.yaml:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, relative to the workspace root.
    pub file: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is a good guess.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics for one spec file.
#[derive(Debug)]
pub struct Sink {
    file: PathBuf,
    /// Everything reported so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// A sink for `file`.
    pub fn new(file: PathBuf) -> Self {
        Sink {
            file,
            diagnostics: Vec::new(),
        }
    }

    /// Reports `message` at `at`.
    pub fn error(&mut self, at: &Location, message: impl Into<String>) {
        self.push(at, message.into(), None);
    }

    /// Reports `message` at `at` with a hint.
    pub fn error_hint(&mut self, at: &Location, message: impl Into<String>, hint: impl Into<String>) {
        self.push(at, message.into(), Some(hint.into()));
    }

    fn push(&mut self, at: &Location, message: String, hint: Option<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.file.clone(),
            line: at.line(),
            column: at.column(),
            message,
            hint,
        });
    }
}

/// Suggests the closest known name, for "unknown X" errors.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&wanted_lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (k.len().max(wanted.len()) / 3).max(1))
        .min()
        .map(|(_, k)| k.to_owned())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            did_you_mean("Buton", ["Button", "SubButton"]).as_deref(),
            Some("Button")
        );
        assert_eq!(did_you_mean("Zebra", ["Button", "SubButton"]), None);
    }
}
