//! The contributor's loop: after a warm build, add one endpoint block to a spec, run
//! `cargo xtask codegen`, then run that endpoint's generated test, as a contributor does.
//!
//! It edits the real `specs/menu.yaml`, so the spec is restored, and the tree
//! regenerated, whatever happens; a run that cannot restore it panics rather than
//! leave the tree changed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::report::Section;

/// The block a contributor adds: WeChat's menu trymatch endpoint.
const BLOCK: &str = "
  - name: bench_try_match
    summary: Show which menu a follower would see (added by the contributor benchmark).
    method: POST
    path: /cgi-bin/menu/trymatch
    body:
      user_id: { type: string, required: true, doc: 粉丝的OpenID或微信号 }
    response:
      fields:
        button: { type: \"[Button]\", doc: 该用户看到的菜单 }
    examples:
      - request: { user_id: weixin }
        response: { button: [ { type: view, name: tx, url: \"http://www.qq.com/\", sub_button: [] } ] }
";

fn cargo(root: &Path, args: &[&str]) -> Option<Duration> {
    let start = Instant::now();
    let ok = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(args)
        .status()
        .ok()?
        .success();
    ok.then(|| start.elapsed())
}

const CODEGEN: &[&str] = &["run", "--quiet", "-p", "xtask", "--", "codegen"];
const TEST: &[&str] = &[
    "test",
    "--quiet",
    "-p",
    "wechat-mp-tests",
    "--all-features",
    "--test",
    "it",
    "--",
    "--exact",
    "endpoints::generated::menu::bench_try_match_example_1",
];

/// The warm build a contributor starts from: the test binary, built and not run.
fn warm(root: &Path) {
    let build: Vec<&str> = TEST[..TEST.len() - 3].iter().copied().chain(["--no-run"]).collect();
    cargo(root, &build);
}

/// Restores the spec and the generated files when dropped.
struct Restore<'a> {
    root: &'a Path,
    original: String,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        std::fs::write(self.root.join("specs/menu.yaml"), &self.original).expect("specs/menu.yaml is restored");
        cargo(self.root, CODEGEN).expect("the tree is regenerated from the restored spec");
    }
}

pub fn run(root: &Path) -> Section {
    let spec = root.join("specs/menu.yaml");
    let original = std::fs::read_to_string(&spec).expect("specs/menu.yaml");
    warm(root);
    let (codegen, test) = {
        let _restore = Restore {
            root,
            original: original.clone(),
        };
        let edited = original.replacen("\ntypes:\n", &format!("{BLOCK}\ntypes:\n"), 1);
        assert_ne!(
            edited, original,
            "specs/menu.yaml has a `types:` section to insert before"
        );
        std::fs::write(&spec, edited).expect("specs/menu.yaml is writable");
        let codegen = cargo(root, CODEGEN);
        let test = codegen.and_then(|_| cargo(root, TEST));
        (codegen, test)
    };
    let secs = |d: Option<Duration>| d.map_or_else(|| "failed".to_owned(), |d| format!("{:.1} s", d.as_secs_f64()));
    let total = codegen.zip(test).map(|(a, b)| a + b);
    // Leave the test binary warm again for whatever runs next.
    warm(root);
    Section {
        title: "Contributor's loop".into(),
        method: "From a warm build of the test suite: add one endpoint block (menu trymatch, with an example) to \
                 `specs/menu.yaml`, run `cargo xtask codegen`, then `cargo test -p wechat-mp-tests --all-features \
                 --test it -- <its generated test>`; the spec is restored and the tree regenerated afterwards."
            .into(),
        header: vec!["step".into(), "time".into()],
        rows: vec![
            vec!["`cargo xtask codegen`".into(), secs(codegen)],
            vec!["build and run the endpoint's generated test".into(), secs(test)],
            vec!["**edit to green test**".into(), secs(total)],
        ],
        notes: Vec::new(),
    }
}
