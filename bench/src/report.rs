//! BENCHMARKS.md.

use std::process::Command;

/// One measured table.
pub struct Section {
    pub title: String,
    pub method: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

pub struct Report {
    machine: String,
    sections: Vec<Section>,
}

fn today() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

impl Report {
    pub fn new(machine: String) -> Self {
        Report {
            machine,
            sections: Vec::new(),
        }
    }

    pub fn section(&mut self, section: Section) {
        self.sections.push(section);
    }

    pub fn render(&self) -> String {
        let mut out = String::from("# Benchmarks\n\n");
        out.push_str("Written by `cargo run --release -p wechat-mp-bench`; rerun it to refresh every figure.\n\n");
        out.push_str(&format!("- Date: {}\n- Machine: {}\n", today(), self.machine));
        for s in &self.sections {
            out.push_str(&format!("\n## {}\n", s.title));
            if !s.method.is_empty() {
                out.push_str(&format!("\n{}\n", s.method));
            }
            // A section that could not be measured has only its note.
            if !s.header.is_empty() {
                out.push_str(&format!("\n| {} |\n", s.header.join(" | ")));
                out.push_str(&format!("|{}\n", "---|".repeat(s.header.len())));
                for row in &s.rows {
                    out.push_str(&format!("| {} |\n", row.join(" | ")));
                }
            }
            for note in &s.notes {
                out.push_str(&format!("\n{note}\n"));
            }
        }
        out
    }
}
