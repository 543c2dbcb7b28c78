//! `wechat-mp/ENDPOINTS.md`: every endpoint with a link to WeChat's page, then each
//! group's endpoints with their whole parameter and response tables, then how much of
//! the MP API's endpoint universe the specs cover, and what the SDK covers of the PHP
//! SDK `tianye/wechat-mp-sdk`, whose README the first specs follow.

use crate::emit::cell;
use crate::ir::*;
use crate::marker;
use crate::seed::Seed;
use crate::tables::{param_table, response_table};
use crate::universe::{UNIVERSE_FILE, Universe, UniverseEndpoint};

/// Renders the endpoints table.
pub fn endpoints_md(ir: &Ir, seed: Option<&Seed>, universe: Option<&Universe>) -> String {
    let index = ir.index();
    let mut out = format!("{} from specs/. Do not edit by hand. -->\n\n", marker::MARKDOWN);
    out.push_str("# Endpoints\n\n");
    out.push_str("Every endpoint of the `wechat-mp` crate, generated from `specs/`, with WeChat's page for it.\n\n");
    out.push_str("| Group | Method | Host + path | Rust call | WeChat docs | Deprecated |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    let mut endpoints = 0;
    for group in &ir.groups {
        for ep in &group.endpoints {
            endpoints += 1;
            let deprecated = match &ep.deprecated {
                Some(d) if d.of_group => "yes: the whole group".to_owned(),
                Some(d) => match &d.replacement {
                    Some(r) => format!("yes: `{r}`"),
                    None => format!("yes: {}", cell(&d.note)),
                },
                None => String::new(),
            };
            out.push_str(&format!(
                "| {} | {} | `{}{}` | `{}` | {} | {deprecated} |\n",
                group.name,
                ep.method.as_str(),
                ep.host.domain(),
                ep.path,
                rust_call(group, ep),
                doc_link(ep),
            ));
        }
    }
    out.push_str(&format!(
        "\n{endpoints} HTTP endpoints in {} groups.\n",
        ir.groups.len()
    ));
    for group in &ir.groups {
        out.push_str(&group_section(group, &index));
    }
    if let Some(universe) = universe {
        out.push_str(&universe_coverage(ir, universe));
    }
    out.push_str(&coverage(ir, seed));
    out
}

/// How much of the universe the SDK generates: a headline, then per family (as the
/// universe's sources file them), per Rust group, and every deprecated endpoint.
fn universe_coverage(ir: &Ir, universe: &Universe) -> String {
    let mut families = String::from(
        "| Family | Endpoints | Generated | of them deprecated | Runtime | Missing |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let (mut all, mut specced_all, mut deprecated_all, mut runtime_all) = (0, 0, 0, 0);
    let mut missing_lists = String::new();
    let mut deprecated_rows = String::new();
    for group in &universe.groups {
        let units = group.units();
        let total = units.len();
        let runtime = units.iter().filter(|u| u.iter().any(|e| e.runtime)).count();
        // A path with `action` variants counts as specced when every variant is: a unit
        // is missing when any of its variants is.
        let missing_by_unit: Vec<Vec<&UniverseEndpoint>> = units
            .iter()
            .filter(|u| !u.iter().any(|e| e.runtime))
            .map(|u| u.iter().copied().filter(|e| !e.specced(ir)).collect::<Vec<_>>())
            .filter(|missing| !missing.is_empty())
            .collect();
        let missing_units = missing_by_unit.len();
        let missing: Vec<&UniverseEndpoint> = missing_by_unit.into_iter().flatten().collect();
        let specced = total - runtime - missing_units;
        let deprecated = units.iter().filter(|u| u.iter().all(|e| e.deprecated(ir))).count();
        families.push_str(&format!(
            "| {} — {} | {total} | {specced} | {deprecated} | {runtime} | {missing_units} |\n",
            group.name, group.title
        ));
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|e| format!("`{}`", e.spelling())).collect();
            missing_lists.push_str(&format!("- **{}**: {}\n", group.name, names.join(", ")));
        }
        for e in group.endpoints.iter().filter(|e| e.deprecated(ir)) {
            for (g, ep) in e.serving(ir) {
                let d = ep.deprecated.as_ref().expect("only deprecated specs serve it");
                // A deprecated group is one row below, not one per endpoint.
                if d.of_group {
                    continue;
                }
                let instead = d.replacement.as_ref().map_or_else(String::new, |r| format!("`{r}`"));
                deprecated_rows.push_str(&format!(
                    "| `{}` | `{}` | {} | {instead} |\n",
                    e.spelling(),
                    rust_call(g, ep),
                    cell(&d.note),
                ));
            }
        }
        all += total;
        specced_all += specced;
        deprecated_all += deprecated;
        runtime_all += runtime;
    }
    let missing_all = all - specced_all - runtime_all;
    families.push_str(&format!(
        "| **all** | **{all}** | **{specced_all}** | **{deprecated_all}** | **{runtime_all}** | **{missing_all}** |\n",
    ));

    let mut out = "\n## Coverage of the MP API\n\n".to_owned();
    out.push_str(&format!(
        "`{UNIVERSE_FILE}` lists every server endpoint of the Official Account API, by the \
         family its sources file it under. An endpoint counts as generated when a spec has its \
         host and path (and its `action`, for the variants of one path), and as deprecated when \
         every spec of it is; the runtime fetches tokens and tickets itself.\n\n"
    ));
    out.push_str(&format!(
        "**Generated: {specced_all} of the {all} endpoints of the MP API ({deprecated_all} of \
         them deprecated). Served by the runtime: {runtime_all}. Not specced yet: {missing_all}.**\n\n"
    ));
    out.push_str(&families);
    if !missing_lists.is_empty() {
        out.push_str("\nNot specced yet:\n\n");
        out.push_str(&missing_lists);
    }
    out.push_str(&groups_coverage(ir, universe));
    for g in ir.groups.iter().filter(|g| g.deprecated.is_some()) {
        deprecated_rows.push_str(&format!(
            "| every endpoint of `{}` ({}) | `client.{}()` | {} | |\n",
            g.name,
            g.endpoints.len(),
            g.name,
            cell(g.deprecated.as_deref().unwrap_or_default()),
        ));
    }
    if !deprecated_rows.is_empty() {
        out.push_str(
            "\n### Deprecated endpoints\n\nStill generated, so that code calling them keeps \
             compiling, with `#[deprecated]` naming why and what to call instead.\n\n\
             | Endpoint | Rust call | Why | Instead |\n|---|---|---|---|\n",
        );
        out.push_str(&deprecated_rows);
    }
    out
}

/// Per Rust group: its endpoint methods, how many are deprecated, and how many of the
/// universe's endpoints they serve.
fn groups_coverage(ir: &Ir, universe: &Universe) -> String {
    let mut out = String::from(
        "\n### By Rust group\n\nEach group is a cargo feature and `client.GROUP()`. A group \
         may have more methods than endpoints it serves, where one WeChat endpoint does several \
         things (the QR code kinds, invoice's `setbizattr` actions).\n\n\
         | Group | Methods | Deprecated | MP API endpoints |\n|---|---:|---:|---:|\n",
    );
    let (mut methods_all, mut deprecated_all) = (0, 0);
    for group in &ir.groups {
        let methods = group.endpoints.len();
        let deprecated = group.endpoints.iter().filter(|ep| ep.deprecated.is_some()).count();
        let served = universe
            .groups
            .iter()
            .flat_map(|g| g.units())
            .filter(|u| u.iter().any(|e| e.serving(ir).any(|(g, _)| g.name == group.name)))
            .count();
        out.push_str(&format!("| `{}` | {methods} | {deprecated} | {served} |\n", group.name));
        methods_all += methods;
        deprecated_all += deprecated;
    }
    out.push_str(&format!(
        "| **all {} groups** | **{methods_all}** | **{deprecated_all}** | |\n",
        ir.groups.len()
    ));
    out
}

fn doc_link(ep: &Endpoint) -> String {
    ep.doc_url
        .as_ref()
        .map_or_else(String::new, |url| format!("[page]({url})"))
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
fn group_section(group: &Group, index: &TypeIndex<'_>) -> String {
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
        if let Some(url) = &ep.doc_url {
            out.push_str(&format!(" ([WeChat's documentation]({url}))"));
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
        if let Some(table) = param_table(ep, index) {
            out.push_str(&format!("\n{}\n", without_rust_links(&table)));
        }
        out.push_str(&format!("\n{}\n", response_section(ep, index)));
        if ep.paginate.is_some() {
            out.push_str("\nPaged: `.pages()` streams every page, `.items()` every item.\n");
        }
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
        out.push_str(&format!("\n### `{}` (no HTTP call)\n\n{}\n", h.rust, cell(&h.summary)));
    }
    out
}

/// Rustdoc's links, `[`name`](path)` and bare `[`name`]`, as plain `name`: their paths
/// mean nothing outside the crate's docs.
fn without_rust_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let link = &rest[start..];
        let Some(close) = link.find("`]") else {
            out.push_str(link);
            return out;
        };
        let name = &link[1..=close];
        let after = &link[close + 2..];
        if let Some(target) = after.strip_prefix('(')
            && let Some(end) = target.find(')')
        {
            out.push_str(name);
            rest = &target[end + 1..];
        } else {
            out.push_str(name);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What an endpoint answers: its response fields, nested ones included, or a sentence.
fn response_section(ep: &Endpoint, index: &TypeIndex<'_>) -> String {
    let intro = match &ep.response {
        Response::Empty => return "Answers `errcode`/`errmsg` only.".to_owned(),
        Response::Binary => return "Answers the raw file (an image or media).".to_owned(),
        Response::Json(ResponseBody::Named(n)) => format!("Response (`{n}`):"),
        Response::Json(ResponseBody::Fields(_)) => "Response:".to_owned(),
        Response::JsonOrBinary(ResponseBody::Named(n)) => {
            format!("Response, when JSON (`{n}`; other content is the raw file):")
        }
        Response::JsonOrBinary(ResponseBody::Fields(_)) => {
            "Response, when JSON (other content is the raw file):".to_owned()
        }
    };
    match response_table(ep, index) {
        Some(table) => format!("{intro}\n\n{}", without_rust_links(&table)),
        None => intro,
    }
}

/// What the SDK covers of the PHP SDK `tianye/wechat-mp-sdk`: each interface of its
/// README and the Rust that serves it.
fn coverage(ir: &Ir, seed: Option<&Seed>) -> String {
    let mut served: Vec<(String, String)> = Vec::new();
    for group in &ir.groups {
        for ep in &group.endpoints {
            if let Some(s) = &ep.seed {
                served.push((s.clone(), format!("`{}`", rust_call(group, ep))));
            }
        }
        for h in &group.helpers {
            served.push((h.seed.clone(), format!("`{}`", h.rust)));
        }
    }
    let mut out = "\n## Coverage of the PHP SDK `tianye/wechat-mp-sdk`\n\n".to_owned();
    out.push_str(
        "The first specs follow the README of the PHP SDK `tianye/wechat-mp-sdk`, which names its \
         interfaces `Group.method`. Each of them and what serves it here:\n\n| Interface | Rust |\n|---|---|\n",
    );
    let order: Vec<String> = match seed {
        Some(seed) => seed.interfaces.clone(),
        None => served.iter().map(|(s, _)| s.clone()).collect(),
    };
    let mut covered = 0;
    for name in &order {
        let rust = served.iter().find(|(s, _)| s == name).map(|(_, r)| r.as_str());
        if rust.is_some() {
            covered += 1;
        }
        out.push_str(&format!("| `{name}` | {} |\n", rust.unwrap_or("not covered yet")));
    }
    out.push_str(&format!("\nInterfaces covered: {covered}/{}.\n", order.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::without_rust_links;

    #[test]
    fn rust_links_become_plain_code() {
        assert_eq!(
            without_rust_links("See [`add`](KfaccountApi::add), then [`list`](Self::list), as [`Lang`] does. [`x` y"),
            "See `add`, then `list`, as `Lang` does. [`x` y"
        );
    }
}
