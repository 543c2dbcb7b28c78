//! Compile time of `wechat-mp` with one API group and with all of them.
//!
//! Everything is built once from scratch into a scratch target directory, for scale;
//! then, per feature set, the dependencies are brought up to date untimed and
//! `wechat-mp` alone is cleaned and rebuilt, so the figure is what the features change.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::report::Section;

/// `None` builds with `--all-features`; `Some(list)` with exactly the listed ones.
fn cargo_build(root: &Path, target: &Path, features: Option<&str>) -> Option<Duration> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args(["build", "--quiet", "-p", "wechat-mp"]);
    match features {
        None => cmd.arg("--all-features"),
        Some(list) => cmd.args(["--no-default-features", "--features", list]),
    };
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

/// How many endpoints the group `name` has, and all groups together.
fn endpoint_counts(root: &Path, name: &str) -> Option<(usize, usize)> {
    let ir = codegen::generate(root).ok()?.ir;
    let one = ir.groups.iter().find(|g| g.name == name)?.endpoints.len();
    let all = ir.groups.iter().map(|g| g.endpoints.len()).sum();
    Some((one, all))
}

pub fn run(root: &Path) -> Section {
    let target = std::env::temp_dir().join(format!("wechat-mp-bench-target-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let clean_all = cargo_build(root, &target, None);
    let mut rows = vec![vec![
        "everything, from scratch (all features)".to_owned(),
        secs(clean_all),
    ]];
    let mut times = Vec::new();
    for (label, features) in [
        ("`wechat-mp` only, one API group (`menu`)", Some("menu")),
        ("`wechat-mp` only, every API group (`full`, the default)", Some("full")),
        ("`wechat-mp` only, all features (every group, `axum`, `redis`)", None),
    ] {
        // Dependencies are unified per feature set and may need a rebuild of their own;
        // that build is not what the features cost, so it is done untimed first.
        cargo_build(root, &target, features);
        clean_crate(root, &target);
        let time = cargo_build(root, &target, features);
        times.push(time);
        rows.push(vec![label.to_owned(), secs(time)]);
    }
    let _ = std::fs::remove_dir_all(&target);
    let mut notes = Vec::new();
    if let (Some(one), Some(all), Some((menu, total))) = (times[0], times[1], endpoint_counts(root, "menu")) {
        let per = (all.as_secs_f64() - one.as_secs_f64()) / (total - menu).max(1) as f64;
        notes.push(format!(
            "Per endpoint: {:.0} ms, (every group − `menu`) / ({total} − {menu} endpoints). One group is {:.0}% of \
             every group's time.",
            per * 1000.0,
            100.0 * one.as_secs_f64() / all.as_secs_f64()
        ));
    }
    Section {
        title: "Compile time".into(),
        method: "`cargo build -p wechat-mp` (dev profile) into a scratch target directory: first everything from \
                 scratch, then, per feature set, an untimed build that brings the dependencies up to date, \
                 `cargo clean -p wechat-mp` and a timed rebuild of the crate alone: with one API-group feature, \
                 every API group, and all features."
            .into(),
        header: vec!["build".into(), "time".into()],
        rows,
        notes,
    }
}
