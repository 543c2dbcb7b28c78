//! Repository tasks. `cargo xtask codegen [--check]` regenerates the `wechat-mp` crate
//! from `specs/*.yaml`, or checks that the checked-in files match them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen"] => codegen(codegen::Mode::Write),
        ["codegen", "--check"] => codegen(codegen::Mode::Check),
        _ => bail!("usage: cargo xtask codegen [--check]"),
    }
}

fn workspace_root() -> anyhow::Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(PathBuf::from)
        .context("xtask lives one level below the workspace root")
}

fn codegen(mode: codegen::Mode) -> anyhow::Result<()> {
    let root = workspace_root()?;
    let start = Instant::now();
    let summary = codegen::run(&root, mode)?;
    let elapsed = start.elapsed();
    match mode {
        codegen::Mode::Check => println!("{} generated files are up to date ({elapsed:.2?})", summary.total),
        codegen::Mode::Write => {
            for path in &summary.written {
                println!("wrote {}", path.display());
            }
            for path in &summary.removed {
                println!("removed {}", path.display());
            }
            println!(
                "{} generated files, {} written, {} removed ({elapsed:.2?})",
                summary.total,
                summary.written.len(),
                summary.removed.len()
            );
        }
    }
    Ok(())
}
