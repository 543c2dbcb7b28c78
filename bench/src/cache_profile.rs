//! Per-call cost of the overhead loops as cachegrind counts it: instructions, cache
//! misses and branch mispredictions. Unlike calls/s, these come out the same on every
//! run whatever the host's load, so they show what a change to the runtime does.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::Section;

/// Calls in the short and the long run of each loop: the per-call figure is their
/// difference, so start-up, connection set-up and the first token fetch cancel out.
const SHORT: u64 = 500;
const LONG: u64 = 2_500;

/// The `call_profile` modes measured, with their labels.
const LOOPS: [(&str, &str); 3] = [
    ("bare", "bare reqwest"),
    ("typed", "bare + serde_json into `UserInfo`"),
    ("secret", "wechat-mp (`user().info()`, app secret)"),
];

/// The cachegrind events shown, in its names.
const EVENTS: [&str; 6] = ["Ir", "I1mr", "D1mr", "D1mw", "Bcm", "Bim"];

fn valgrind_version() -> Option<String> {
    let out = Command::new("valgrind").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn build_profile_binary(root: &Path) -> Option<PathBuf> {
    let ok = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "build",
            "--quiet",
            "--release",
            "-p",
            "wechat-mp-bench",
            "--example",
            "call_profile",
        ])
        .status()
        .ok()?
        .success();
    ok.then(|| target_dir(root).join("release/examples/call_profile"))
}

/// The totals of `EVENTS` over a whole run of `calls` calls of `mode`.
fn totals(binary: &Path, mode: &str, calls: u64) -> Option<[u64; EVENTS.len()]> {
    let out_file = std::env::temp_dir().join(format!("wechat-mp-cachegrind-{}-{mode}-{calls}", std::process::id()));
    let ok = Command::new("valgrind")
        .args(["--tool=cachegrind", "--cache-sim=yes", "--branch-sim=yes"])
        .arg(format!("--cachegrind-out-file={}", out_file.display()))
        .arg(binary)
        .args([mode, &calls.to_string()])
        .output()
        .ok()?
        .status
        .success();
    let text = std::fs::read_to_string(&out_file).ok();
    let _ = std::fs::remove_file(&out_file);
    if !ok {
        return None;
    }
    parse_totals(&text?)
}

/// Reads the `events:` and `summary:` lines of a cachegrind output file.
fn parse_totals(text: &str) -> Option<[u64; EVENTS.len()]> {
    let line = |prefix: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .map(|rest| rest.split_whitespace().collect::<Vec<_>>())
    };
    let names = line("events:")?;
    let values = line("summary:")?;
    let mut totals = [0; EVENTS.len()];
    for (slot, event) in totals.iter_mut().zip(EVENTS) {
        let at = names.iter().position(|n| *n == event)?;
        *slot = values.get(at)?.parse().ok()?;
    }
    Some(totals)
}

/// Per-call figures of `mode`: the long run's totals less the short run's.
fn per_call(binary: &Path, mode: &str) -> Option<[f64; EVENTS.len()]> {
    let short = totals(binary, mode, SHORT)?;
    let long = totals(binary, mode, LONG)?;
    let calls = (LONG - SHORT) as f64;
    Some(std::array::from_fn(|i| long[i].saturating_sub(short[i]) as f64 / calls))
}

fn skipped(why: String) -> Section {
    Section {
        title: TITLE.into(),
        method: String::new(),
        header: Vec::new(),
        rows: Vec::new(),
        notes: vec![format!("Not measured: {why}.")],
    }
}

const TITLE: &str = "SDK overhead under cachegrind: what one call costs";

pub fn run(root: &Path) -> Section {
    let Some(version) = valgrind_version() else {
        return skipped("valgrind is not installed".into());
    };
    let Some(binary) = build_profile_binary(root) else {
        return skipped("the call_profile example did not build".into());
    };
    let mut rows = Vec::new();
    let mut bare: Option<[f64; EVENTS.len()]> = None;
    for (mode, label) in LOOPS {
        let Some(figures) = per_call(&binary, mode) else {
            return skipped(format!("cachegrind failed on the `{mode}` loop"));
        };
        let [ir, i1, d1r, d1w, bc, bi] = figures;
        let instructions = match bare {
            None => format!("{ir:.0}"),
            Some(base) => format!("{ir:.0} ({:+.1}%)", 100.0 * (ir / base[0] - 1.0)),
        };
        bare.get_or_insert(figures);
        rows.push(vec![
            label.to_owned(),
            instructions,
            format!("{i1:.0}"),
            format!("{:.0}", d1r + d1w),
            format!("{:.0}", bc + bi),
        ]);
    }
    Section {
        title: TITLE.into(),
        method: format!(
            "The loops of the overhead table, one call after another on a current-thread runtime with the \
             server in the same thread (`bench/examples/call_profile.rs`), run under {version} with its cache \
             and branch simulation. Each figure is per call: a run of {LONG} calls less a run of {SHORT}, so \
             start-up, connection set-up and the token fetch cancel out. It counts the client and the \
             in-process server together. These counts do not move with the host's load; calls/s does, and on \
             this machine a call misses the level-1 caches several thousand times, so a loop that touches more \
             cache lines loses more calls/s than its instruction count alone would say."
        ),
        header: vec![
            "loop".into(),
            "instructions (vs bare)".into(),
            "L1 instruction-cache misses".into(),
            "L1 data-cache misses".into(),
            "branch mispredictions".into(),
        ],
        rows,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_read_by_event_name() {
        let text = "desc: I1 cache: 32768 B, 64 B, 8-way associative\n\
                    cmd: x\n\
                    events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw Bc Bcm Bi Bim\n\
                    fl=a.rs\n\
                    summary: 100 7 0 50 6 0 40 5 0 30 4 20 3\n";
        assert_eq!(parse_totals(text), Some([100, 7, 6, 5, 4, 3]));
    }

    #[test]
    fn a_file_without_the_events_is_none() {
        assert_eq!(parse_totals("events: Ir\nsummary: 100\n"), None);
        assert_eq!(parse_totals("garbage"), None);
    }
}
