//! Compile time of `wechat-mp` with one API group and with all of them.
//!
//! Dependencies are built first into a scratch target directory; then `wechat-mp`
//! alone is cleaned and rebuilt per feature set, so the figure is what the features
//! change, plus one clean build of everything for scale.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::report::Section;

fn cargo_build(root: &Path, target: &Path, features: &[&str]) -> Option<Duration> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "--quiet", "-p", "wechat-mp"]);
    if features.is_empty() {
        cmd.arg("--all-features");
    } else {
        cmd.args(["--no-default-features", "--features", &features.join(",")]);
    }
    let start = Instant::now();
    let ok = cmd.status().ok()?.success();
    ok.then(|| start.elapsed())
}

fn clean_crate(root: &Path, target: &Path) {
    let _ = Command::new(env!("CARGO"))
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args(["clean", "--quiet", "-p", "wechat-mp"])
        .status();
}

fn secs(d: Option<Duration>) -> String {
    d.map_or_else(|| "failed".to_owned(), |d| format!("{:.1} s", d.as_secs_f64()))
}

pub fn run(root: &Path) -> Section {
    let target = std::env::temp_dir().join(format!("wechat-mp-bench-target-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let clean_all = cargo_build(root, &target, &[]);
    let mut rows = vec![vec![
        "everything, from scratch (all features)".to_owned(),
        secs(clean_all),
    ]];
    for (label, features) in [
        ("`wechat-mp` only, feature `menu`", vec!["menu"]),
        ("`wechat-mp` only, all features", vec![]),
    ] {
        clean_crate(root, &target);
        rows.push(vec![label.to_owned(), secs(cargo_build(root, &target, &features))]);
    }
    let _ = std::fs::remove_dir_all(&target);
    Section {
        title: "Compile time".into(),
        method: "`cargo build -p wechat-mp` (dev profile) into a scratch target directory: first everything from \
                 scratch, then `cargo clean -p wechat-mp` and a rebuild of the crate alone with one API-group feature \
                 and with all features."
            .into(),
        header: vec!["build".into(), "time".into()],
        rows,
        notes: Vec::new(),
    }
}
