//! Snapshot tests: each fixture under `tests/fixtures/NAME/specs` is generated and
//! compared with `tests/fixtures/NAME/expected`, one fixture per concern so that a
//! change of output points at what changed. Run with `UPDATE_SNAPSHOTS=1` to accept new
//! output, then review the diff.
//!
//! The generated modules of the single-group fixtures are also compiled, and their
//! builders exercised, inside wechat-mp's unit tests (`wechat-mp/src/tests/`). `layout`
//! (a folder group, shared types, a type of another group, the errcode table) names
//! `crate::api::` paths that only the real tree has; the real specs compile those shapes.

use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn check_fixture(name: &str) {
    let root = fixtures().join(name);
    let generated = codegen::generate(&root).unwrap_or_else(|e| panic!("fixture {name} fails to generate:\n{e}"));
    let mut files = generated.files;
    files.push(codegen::Output::new(
        "wechat-mp/Cargo.toml.features",
        generated.features,
    ));
    let expected_dir = root.join("expected");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    if update {
        let _ = fs::remove_dir_all(&expected_dir);
    }
    let mut mismatched = Vec::new();
    for file in &files {
        let path = expected_dir.join(&file.path);
        if update {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &file.contents).unwrap();
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(text) if text == file.contents => {}
            _ => mismatched.push(file.path.display().to_string()),
        }
    }
    assert!(
        mismatched.is_empty(),
        "snapshots of fixture `{name}` differ: {mismatched:?}; rerun with UPDATE_SNAPSHOTS=1 and review"
    );
}

#[test]
fn bodies_snapshot_matches() {
    check_fixture("bodies");
}

#[test]
fn queries_snapshot_matches() {
    check_fixture("queries");
}

#[test]
fn uploads_snapshot_matches() {
    check_fixture("uploads");
}

#[test]
fn credentials_snapshot_matches() {
    check_fixture("credentials");
}

#[test]
fn paging_snapshot_matches() {
    check_fixture("paging");
}

#[test]
fn layout_snapshot_matches() {
    check_fixture("layout");
}

#[test]
fn generation_is_deterministic() {
    for name in ["bodies", "layout"] {
        let root = fixtures().join(name);
        let a = codegen::generate(&root).unwrap();
        let b = codegen::generate(&root).unwrap();
        assert_eq!(a.files, b.files);
        assert_eq!(a.features, b.features);
    }
}

#[test]
fn dates_snapshot_matches() {
    check_fixture("dates");
}
