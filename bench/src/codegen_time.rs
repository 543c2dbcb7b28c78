//! Codegen: the time to regenerate every spec (in memory) and to check the tree.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::report::Section;

const RUNS: usize = 20;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn run(root: &Path) -> Section {
    let generate = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let generated = codegen::generate(root).expect("specs generate");
                std::hint::black_box(generated);
                start.elapsed()
            })
            .collect(),
    );
    let check = median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let result = codegen::run(root, codegen::Mode::Check);
                std::hint::black_box(result.is_ok());
                start.elapsed()
            })
            .collect(),
    );
    let generated = codegen::generate(root).expect("specs generate");
    let endpoints: usize = generated.ir.groups.iter().map(|g| g.endpoints.len()).sum();
    Section {
        title: "Codegen".into(),
        method: format!(
            "In-process calls of the generator library (release build), median of {RUNS} runs: `generate` loads, \
             validates and emits every spec without writing; `check` also compares each output with the file on disk, \
             as `cargo xtask codegen --check` does."
        ),
        header: vec!["specs".into(), "endpoints".into(), "generate".into(), "check".into()],
        rows: vec![vec![
            generated.ir.groups.len().to_string(),
            endpoints.to_string(),
            format!("{:.1} ms", generate.as_secs_f64() * 1e3),
            format!("{:.1} ms", check.as_secs_f64() * 1e3),
        ]],
        notes: Vec::new(),
    }
}
