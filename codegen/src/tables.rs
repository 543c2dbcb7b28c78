//! The parameter and response tables of an endpoint, nested fields included, shared by
//! its rustdoc and `ENDPOINTS.md`.
//!
//! A nested field is a dotted row (`card.groupon.base_info.logo_url`), so that each of
//! WeChat's (and the seed's) tables appears whole. A type met a second time in one table
//! is not expanded again: its row points at the first place. Flattened either-or fields
//! show the keys that go on the wire, not the parameter's Rust name.

use std::collections::BTreeMap;

use crate::emit::cell;
use crate::ir::*;

/// Enums with at most this many values list them in the row.
const LISTED_VALUES: usize = 16;

struct Row {
    path: String,
    location: &'static str,
    ty: String,
    required: String,
    doc: String,
}

/// Walks a table's nested types.
struct Walk<'a, 'i> {
    index: &'a TypeIndex<'i>,
    rows: Vec<Row>,
    /// Types expanded so far, with the path where they were.
    expanded: BTreeMap<String, String>,
    /// Types on the way to the current row, which must not be expanded again.
    ancestors: Vec<String>,
}

impl Walk<'_, '_> {
    fn row(&mut self, path: String, location: &'static str, field: &Field, required: String) {
        let mut doc = field.doc.clone().unwrap_or_default();
        if let Some(note) = &field.deprecated {
            doc.push_str(&format!(" Deprecated: {note}"));
        }
        self.push(path, location, field.ty.spelling(), required, doc, &field.ty);
    }

    fn push(&mut self, path: String, location: &'static str, ty: String, required: String, doc: String, of: &TypeRef) {
        let doc = match of.named().and_then(|n| self.index.get(n)).map(|t| &t.def) {
            Some(TypeDef::Enum(values)) if values.len() <= LISTED_VALUES => {
                let list = values
                    .iter()
                    .map(|v| format!("`{}`", v.wire))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sep = if doc.is_empty() { "" } else { " " };
                format!("{doc}{sep}Values: {list}.")
            }
            Some(TypeDef::Codes(codes)) if codes.len() <= LISTED_VALUES => {
                let list = codes
                    .iter()
                    .map(|c| match &c.doc {
                        Some(d) => format!("`{}` {}", c.wire, d.trim()),
                        None => format!("`{}`", c.wire),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let sep = if doc.is_empty() { "" } else { " " };
                format!("{doc}{sep}Codes: {list}.")
            }
            _ => doc,
        };
        self.rows.push(Row {
            path,
            location,
            ty,
            required,
            doc,
        });
        self.expand(of, location);
    }

    /// Rows for the fields inside the type of the row just pushed.
    fn expand(&mut self, ty: &TypeRef, location: &'static str) {
        let Some(name) = ty.named() else { return };
        let Some(named) = self.index.get(name).copied() else {
            return;
        };
        if matches!(named.def, TypeDef::Enum(_) | TypeDef::Codes(_)) || self.ancestors.iter().any(|a| a == name) {
            return;
        }
        let path = self.rows.last().map(|r| r.path.clone()).unwrap_or_default();
        if let Some(first) = self.expanded.get(name) {
            if let Some(last) = self.rows.last_mut() {
                last.doc.push_str(&format!(" Fields as under `{first}`."));
            }
            return;
        }
        self.expanded.insert(name.to_owned(), path.clone());
        self.ancestors.push(name.to_owned());
        match &named.def {
            TypeDef::Struct(fields) => {
                for f in fields {
                    self.field(&path, location, f);
                }
            }
            TypeDef::OneOf { tag_field, variants } => self.variants(&path, location, tag_field.as_deref(), variants),
            TypeDef::Enum(_) | TypeDef::Codes(_) => {}
        }
        self.ancestors.pop();
    }

    fn field(&mut self, prefix: &str, location: &'static str, f: &Field) {
        if f.flatten
            && let Some(TypeDef::OneOf { tag_field, variants }) =
                f.ty.named().and_then(|n| self.index.get(n)).map(|t| &t.def)
        {
            self.variants(prefix, location, tag_field.as_deref(), variants);
            return;
        }
        let required = if f.required { "yes" } else { "no" };
        self.row(join(prefix, &f.wire), location, f, required.to_owned());
    }

    /// A one-of's keys, of which exactly one is present, and its tag field.
    fn variants(&mut self, prefix: &str, location: &'static str, tag_field: Option<&str>, variants: &[Variant]) {
        if let Some(tag) = tag_field {
            let tags = variants
                .iter()
                .filter_map(|v| v.tag.as_deref())
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.rows.push(Row {
                path: join(prefix, tag),
                location,
                ty: "string".to_owned(),
                required: "yes".to_owned(),
                doc: format!("Names the variant, written by the SDK: {tags}."),
            });
        }
        for v in variants {
            let doc = v.doc.clone().unwrap_or_default();
            self.push(
                join(prefix, &v.key),
                location,
                v.ty.spelling(),
                "one of".to_owned(),
                doc,
                &v.ty,
            );
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk<'a, 'i>(index: &'a TypeIndex<'i>) -> Walk<'a, 'i> {
    Walk {
        index,
        rows: Vec::new(),
        expanded: BTreeMap::new(),
        ancestors: Vec::new(),
    }
}

fn location(p: &Param) -> &'static str {
    match p.location {
        ParamIn::Query => "query",
        ParamIn::Body(_) => "body",
        ParamIn::Multipart { .. } => "form",
    }
}

/// The Markdown table of an endpoint's parameters, nested fields included; `None` when
/// it takes none.
pub fn param_table(ep: &Endpoint, index: &TypeIndex<'_>) -> Option<String> {
    if ep.params.is_empty() {
        return None;
    }
    let mut w = walk(index);
    for p in &ep.params {
        let prefix = match &p.location {
            ParamIn::Body(path) => path.join("."),
            _ => String::new(),
        };
        match &p.constant {
            Some(c) => {
                let fixed = format!("fixed: `{}`", c.as_str().map_or_else(|| c.to_string(), str::to_owned));
                w.row(join(&prefix, &p.field.wire), location(p), &p.field, fixed);
            }
            None => w.field(&prefix, location(p), &p.field),
        }
    }
    let mut table = "| Parameter | In | Type | Required | Description |\n|---|---|---|---|---|".to_owned();
    for r in w.rows {
        table.push_str(&format!(
            "\n| `{}` | {} | `{}` | {} | {} |",
            r.path,
            r.location,
            r.ty,
            r.required,
            cell(&r.doc)
        ));
    }
    Some(table)
}

/// The Markdown table of an endpoint's JSON response fields, nested ones included;
/// `None` when it answers no JSON fields.
pub fn response_table(ep: &Endpoint, index: &TypeIndex<'_>) -> Option<String> {
    let body = match &ep.response {
        Response::Json(b) | Response::JsonOrBinary(b) => b,
        Response::Empty | Response::Binary => return None,
    };
    let mut w = walk(index);
    match body {
        ResponseBody::Fields(fields) => {
            for f in fields {
                w.field("", "", f);
            }
        }
        // The named type's own fields are the top-level rows.
        ResponseBody::Named(name) => match index.get(name.as_str()).map(|t| &t.def) {
            Some(TypeDef::Struct(fields)) => {
                w.ancestors.push(name.clone());
                for f in fields {
                    w.field("", "", f);
                }
            }
            _ => w.expand(&TypeRef::Named(name.clone()), ""),
        },
    }
    if w.rows.is_empty() {
        return None;
    }
    let mut table = "| Field | Type | Description |\n|---|---|---|".to_owned();
    for r in w.rows {
        table.push_str(&format!("\n| `{}` | `{}` | {} |", r.path, r.ty, cell(&r.doc)));
    }
    Some(table)
}
