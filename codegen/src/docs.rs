//! `wechat-mp/ENDPOINTS.md`: every endpoint and helper, with its seed interface.

use crate::emit::cell;
use crate::ir::*;
use crate::marker;
use crate::seed::Seed;

/// Renders the endpoints table.
pub fn endpoints_md(ir: &Ir, seed: Option<&Seed>) -> String {
    let mut out = format!("{} from specs/*.yaml. Do not edit by hand. -->\n\n", marker::MARKDOWN);
    out.push_str("# Endpoints\n\n");
    out.push_str("Every endpoint of the `wechat-mp` crate, generated from `specs/*.yaml`. ");
    out.push_str("Rows without an HTTP method are seed interfaces served by hand-written helpers.\n\n");
    out.push_str("| Group | Seed interface | Method | Host + path | Rust call | Deprecated by |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    let mut endpoints = 0;
    let mut covered: Vec<&str> = Vec::new();
    for group in &ir.groups {
        for ep in &group.endpoints {
            endpoints += 1;
            let seed = ep.seed.as_ref().map_or_else(String::new, |s| {
                covered.push(s);
                format!("`{s}`")
            });
            let method = match ep.method {
                Method::Get => "GET",
                Method::Post => "POST",
            };
            let args: Vec<&str> = ep
                .params
                .iter()
                .filter(|p| p.constant.is_none() && p.field.required)
                .map(|p| p.field.rust.as_str())
                .collect();
            let call = format!("`client.{}().{}({})`", group.name, ep.name, args.join(", "));
            let deprecated = match &ep.deprecated {
                Some(d) => match &d.replacement {
                    Some(r) => format!("deprecated: `{r}`"),
                    None => format!("deprecated: {}", cell(&d.note)),
                },
                None => String::new(),
            };
            out.push_str(&format!(
                "| {} | {seed} | {method} | `{}{}` | {call} | {deprecated} |\n",
                group.name,
                ep.host.domain(),
                ep.path
            ));
        }
        for h in &group.helpers {
            covered.push(&h.seed);
            out.push_str(&format!(
                "| {} | `{}` | | (no HTTP call) | `{}` | |\n",
                group.name, h.seed, h.rust
            ));
        }
    }
    out.push_str(&format!("\n{endpoints} HTTP endpoints.\n"));
    if let Some(seed) = seed {
        let missing: Vec<&String> = seed
            .interfaces
            .iter()
            .filter(|s| !covered.contains(&s.as_str()))
            .collect();
        if !missing.is_empty() {
            let list = missing.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
            out.push_str(&format!("\nNot covered yet: {list}.\n"));
        }
        out.push_str(&format!(
            "\nSeed interfaces covered: {}/{}.\n",
            seed.interfaces.len() - missing.len(),
            seed.interfaces.len()
        ));
    } else {
        out.push_str(&format!("\n{} seed interfaces covered.\n", covered.len()));
    }
    out
}
