//! `cargo run --release -p wechat-mp-bench [-- --skip-compile]`: measures wechat-mp
//! against the physical limit of this machine and writes `BENCHMARKS.md`.
//! `-- --only SECTION` (overhead, profile, storm, rejection, redis, codegen, compile, contributor) runs one
//! section and prints it instead, for working on one figure.
//!
//! Every loop is bounded in count and in time; every server binds 127.0.0.1.

mod cache_profile;
mod codegen_time;
mod compile;
mod contributor;
mod machine;
mod overhead;
mod redis_latency;
mod rejection;
mod report;
mod server;
mod storm;

use std::path::PathBuf;

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let skip_compile = args.iter().any(|a| a == "--skip-compile");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .map(|i| args.get(i + 1).cloned().unwrap_or_default());
    let wanted = |section: &str| only.as_deref().is_none_or(|o| o == section);
    let root = workspace_root();
    let mut report = report::Report::new(machine::describe());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        if wanted("overhead") {
            report.section(overhead::run().await);
        }
        if wanted("storm") {
            report.section(storm::run().await);
        }
        if wanted("rejection") {
            report.section(rejection::run().await);
        }
        if wanted("redis") {
            report.section(redis_latency::run().await);
        }
    });
    if wanted("profile") {
        report.section(cache_profile::run(&root));
    }
    if wanted("codegen") {
        report.section(codegen_time::run(&root));
    }
    if wanted("compile") && !skip_compile {
        report.section(compile::run(&root));
    }
    if wanted("contributor") && !skip_compile {
        report.section(contributor::run(&root));
    }
    if only.is_some() {
        print!("{}", report.render());
        return;
    }
    let path = root.join("BENCHMARKS.md");
    // The callback figures come from `cargo bench -p wechat-mp --bench callback`; keep them.
    let previous = std::fs::read_to_string(&path).unwrap_or_default();
    let callback = previous
        .find("\n## Callback")
        .map(|i| previous[i..].to_owned())
        .unwrap_or_default();
    std::fs::write(&path, report.render() + &callback).expect("BENCHMARKS.md is writable");
    println!("wrote {}", path.display());
}
