//! `wechat-mp/ENDPOINTS.md`: every endpoint and helper, with its seed interface, then
//! each group's endpoints with their parameter and response tables, as in the seed.

use crate::emit::{cell, param_table};
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
            let method = ep.method.as_str();
            let call = format!("`{}`", rust_call(group, ep));
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
    for group in &ir.groups {
        out.push_str(&group_section(group));
    }
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

/// How a user calls `ep`: `client.group().name(required, arguments)`.
fn rust_call(group: &Group, ep: &Endpoint) -> String {
    let args: Vec<&str> = ep
        .params
        .iter()
        .filter(|p| p.constant.is_none() && p.field.required)
        .map(|p| p.field.rust.as_str())
        .collect();
    format!("client.{}().{}({})", group.name, ep.name, args.join(", "))
}

/// A group's endpoints and helpers, each with its tables.
fn group_section(group: &Group) -> String {
    let mut out = format!("\n## {}: {}\n", group.name, cell(&group.title));
    for ep in &group.endpoints {
        out.push_str(&format!(
            "\n### `{}`\n\n{}\n\n`{} {}{}`",
            rust_call(group, ep),
            cell(&ep.summary),
            ep.method.as_str(),
            ep.host.domain(),
            ep.path
        ));
        if let Some(seed) = &ep.seed {
            out.push_str(&format!(", seed interface `{seed}`"));
        }
        if let Some(d) = &ep.deprecated {
            out.push_str(&format!(". Deprecated: {}", cell(&d.note)));
            if let Some(r) = &d.replacement {
                out.push_str(&format!(" Use `{r}`."));
            }
        }
        out.push_str(".\n");
        if let Some(doc) = &ep.doc {
            out.push_str(&format!("\n{}\n", without_rust_links(doc.trim())));
        }
        if let Some(table) = param_table(ep) {
            out.push_str(&format!("\n{table}\n"));
        }
        out.push_str(&format!("\n{}\n", response_section(group, ep)));
        if !ep.errors.is_empty() {
            let errors: Vec<String> = ep
                .errors
                .iter()
                .map(|e| format!("`{}` {}", e.errcode, cell(&e.errmsg)))
                .collect();
            out.push_str(&format!("\nErrors, for example: {}.\n", errors.join("; ")));
        }
    }
    for h in &group.helpers {
        out.push_str(&format!(
            "\n### `{}` (no HTTP call)\n\nSeed interface `{}`. {}\n",
            h.rust,
            h.seed,
            cell(&h.summary)
        ));
    }
    out
}

/// Rustdoc's `[`name`](path)` links as plain `name`: their paths mean nothing outside
/// the crate's docs.
fn without_rust_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let link = &rest[start..];
        let Some(end) = link.find("`](").and_then(|i| link[i..].find(')').map(|j| i + j)) else {
            break;
        };
        out.push_str(&rest[..start]);
        let name_end = link.find("`](").unwrap_or(0);
        out.push_str(&link[1..=name_end]);
        rest = &link[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What an endpoint answers: its top-level response fields, or a sentence.
fn response_section(group: &Group, ep: &Endpoint) -> String {
    let (name, fields) = match &ep.response {
        Response::Empty => return "Answers `errcode`/`errmsg` only.".to_owned(),
        Response::Binary => return "Answers the raw file (an image or media).".to_owned(),
        Response::Json(body) | Response::JsonOrBinary(body) => match body {
            ResponseBody::Fields(fields) => (None, fields),
            ResponseBody::Named(name) => match group.types.iter().find(|t| &t.name == name).map(|t| &t.def) {
                Some(TypeDef::Struct(fields)) => (Some(name), fields),
                _ => return format!("Answers a `{name}`."),
            },
        },
    };
    let mut out = match (name, matches!(ep.response, Response::JsonOrBinary(_))) {
        (Some(name), false) => format!("Response (`{name}`):"),
        (None, false) => "Response:".to_owned(),
        (Some(name), true) => format!("Response, when JSON (`{name}`; other content is the raw file):"),
        (None, true) => "Response, when JSON (other content is the raw file):".to_owned(),
    };
    out.push_str("\n\n| Field | Type | Description |\n|---|---|---|");
    for f in fields {
        out.push_str(&format!(
            "\n| `{}` | `{}` | {} |",
            f.wire,
            f.ty.spelling(),
            cell(&f.doc.clone().unwrap_or_default())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_rust_links;

    #[test]
    fn rust_links_become_plain_code() {
        assert_eq!(
            without_rust_links("See [`add`](KfaccountApi::add), then [`list`](Self::list). [`x` y"),
            "See `add`, then `list`. [`x` y"
        );
    }
}
