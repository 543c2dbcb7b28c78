//! A group's folder: `mod.rs` with the group handle, the endpoint list and the
//! re-exports, and per section its `requests.rs` and `types.rs`.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::imports::Scope;
use super::{doc_lines, render, requests, types};
use crate::Output;
use crate::ident::{ident, pascal};
use crate::ir::*;

/// The name of an endpoint's static.
pub fn endpoint_static(ep: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}_ENDPOINT", ep.name.to_shouty_snake_case())
}

/// The name of a group's handle, `MenuApi`.
pub fn handle_name(group: &Group) -> proc_macro2::Ident {
    format_ident!("{}Api", pascal(&group.name))
}

/// The spec file as written in headers: forward slashes on every platform.
pub fn source(file: &std::path::Path) -> String {
    file.to_string_lossy().replace('\\', "/")
}

/// The group's spec files as code spans, `` `specs/card/card.yaml`, `specs/card/codes.yaml` ``.
pub fn sources(group: &Group) -> String {
    group
        .sections
        .iter()
        .map(|s| format!("`{}`", source(&s.file)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every file of a group's folder.
pub fn group_files(group: &Group, index: &TypeIndex<'_>) -> Result<Vec<Output>, String> {
    let dir = format!("wechat-mp/src/api/{}", group.name);
    let mut out = Vec::new();
    let mut children = Vec::new();
    for section in &group.sections {
        let section_dir = match &section.name {
            None => dir.clone(),
            Some(name) => format!("{dir}/{name}"),
        };
        let (files, modules) = section_files(group, section, &section_dir, index)?;
        out.extend(files);
        match &section.name {
            None => children.extend(modules),
            Some(name) => {
                let module = ident(name);
                let body = section
                    .doc
                    .as_deref()
                    .map(|d| format!("\n\n{}", d.trim()))
                    .unwrap_or_default();
                let doc = format!("{}{body}\n\nGenerated from `{}`.", section.title, source(&section.file));
                let tokens = reexports(&modules);
                out.push(Output::new(
                    format!("{section_dir}/mod.rs"),
                    render(&source(&section.file), &doc, &tokens, &Scope::default(), index)?,
                ));
                children.push(module);
            }
        }
    }
    let mut doc = group.title.clone();
    if let Some(note) = &group.deprecated {
        doc.push_str(&format!(
            "\n\n**Deprecated**, every endpoint of the group with it: {note}"
        ));
    }
    if let Some(d) = &group.doc {
        doc = format!("{doc}\n\n{}", d.trim());
    }
    if mentions_php_sdk(group) {
        doc.push_str(
            "\n\nNotes below name \"the PHP SDK\": `tianye/wechat-mp-sdk`, whose README the first specs of \
             this crate follow, where it differs from WeChat.",
        );
    }
    doc.push_str(&format!(
        "\n\nGenerated from {}; needs the cargo feature `{}`.",
        sources(group),
        group.name
    ));
    let tokens = group_mod(group, &children, index);
    out.insert(
        0,
        Output::new(
            format!("{dir}/mod.rs"),
            render(&source(&group.file), &doc, &tokens, &Scope::runtime(), index)?,
        ),
    );
    Ok(out)
}

/// Whether any doc of the group speaks of the PHP SDK the first specs follow.
fn mentions_php_sdk(group: &Group) -> bool {
    let says = |doc: &Option<String>| doc.as_deref().is_some_and(|d| d.contains("PHP SDK"));
    let fields_say = |fields: &[Field]| fields.iter().any(|f| says(&f.doc));
    says(&group.doc)
        || group.endpoints.iter().any(|e| {
            says(&e.doc)
                || e.params.iter().any(|p| says(&p.field.doc))
                || matches!(&e.response, Response::Json(ResponseBody::Fields(f)) if fields_say(f))
        })
        || group.types.iter().any(|t| {
            says(&t.doc)
                || match &t.def {
                    TypeDef::Struct(fields) => fields_say(fields),
                    TypeDef::Enum(values) | TypeDef::Codes(values) => values.iter().any(|v| says(&v.doc)),
                    TypeDef::OneOf { variants, .. } => variants.iter().any(|v| says(&v.doc)),
                }
        })
}

/// `mod` items for a folder's modules, and a glob re-export of each.
fn reexports(modules: &[proc_macro2::Ident]) -> TokenStream {
    quote! {
        #(mod #modules;)*
        #(pub use #modules::*;)*
    }
}

/// The `requests.rs` and `types.rs` of one section, and the modules they make.
fn section_files(
    group: &Group,
    section: &Section,
    dir: &str,
    index: &TypeIndex<'_>,
) -> Result<(Vec<Output>, Vec<proc_macro2::Ident>), String> {
    let endpoints: Vec<&Endpoint> = group.endpoints.iter().filter(|e| e.section == section.name).collect();
    let named: Vec<&NamedType> = group
        .types
        .iter()
        .filter(|t| matches!(&t.home, Home::Group { section: s, .. } if *s == section.name))
        .collect();
    let src = source(&section.file);
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let scope = section_scope(group, section, index, true);
    if !endpoints.is_empty() {
        let tokens = requests::requests_file(group, &endpoints, index);
        let doc = format!(
            "Requests of {}: a builder per endpoint, sent by `.await`.",
            section_label(group, section)
        );
        let mut scope = scope.clone();
        let handle = handle_name(group);
        match &section.name {
            None => scope.add(&handle.to_string(), "super"),
            Some(_) => scope.add(&handle.to_string(), &format!("crate::api::{}", group.name)),
        }
        for ep in &endpoints {
            if let Some(n) = types::response_struct_name(ep) {
                scope.add(&n, "super::types");
            }
        }
        files.push(Output::new(
            format!("{dir}/requests.rs"),
            render(&src, &doc, &tokens, &scope, index)?,
        ));
        modules.push(format_ident!("requests"));
    }
    let tokens = types::types_file(&named, &endpoints, group, index);
    if !tokens.is_empty() {
        let doc = format!(
            "Types of {}: what its endpoints send and answer.",
            section_label(group, section)
        );
        files.push(Output::new(
            format!("{dir}/types.rs"),
            render(&src, &doc, &tokens, &section_scope(group, section, index, false), index)?,
        ));
        modules.push(format_ident!("types"));
    }
    Ok((files, modules))
}

fn section_label(group: &Group, section: &Section) -> String {
    match &section.name {
        None => format!("the `{}` group", group.name),
        Some(name) => format!("the `{name}` section of the `{}` group", group.name),
    }
}

/// The names a section's files may import: the runtime's, and every spec type from
/// where it lives. The section's own types are imported from `super::types` by its
/// requests (`own`), and not at all by its types file, which declares them.
fn section_scope(group: &Group, section: &Section, index: &TypeIndex<'_>, own: bool) -> Scope {
    let mut scope = Scope::runtime();
    for t in index.values() {
        match &t.home {
            Home::Group { group: g, section: s } if *g == group.name && *s == section.name => {
                if own {
                    scope.add(&t.name, "super::types");
                }
            }
            home => scope.add(&t.name, &super::type_module(home)),
        }
    }
    scope
}

/// The shared and other groups' types a group's own declarations and parameters name
/// directly, by the module they live in: the group re-exports them, so that
/// `api::user::Lang` is the shared `Lang` and `api::media::UploadType` is material's.
fn foreign_types_used<'a>(group: &Group, index: &TypeIndex<'a>) -> BTreeMap<String, BTreeSet<&'a str>> {
    let mut names: Vec<&TypeRef> = Vec::new();
    for ep in &group.endpoints {
        names.extend(ep.params.iter().map(|p| &p.field.ty));
        match &ep.response {
            Response::Json(ResponseBody::Fields(f)) | Response::JsonOrBinary(ResponseBody::Fields(f)) => {
                names.extend(f.iter().map(|f| &f.ty));
            }
            _ => {}
        }
    }
    for t in &group.types {
        match &t.def {
            TypeDef::Struct(fields) => names.extend(fields.iter().map(|f| &f.ty)),
            TypeDef::OneOf { variants, .. } => names.extend(variants.iter().map(|v| &v.ty)),
            TypeDef::Enum(_) | TypeDef::Codes(_) => {}
        }
    }
    names
        .into_iter()
        .filter_map(TypeRef::named)
        .filter_map(|n| index.get(n).copied())
        .filter(|t| match &t.home {
            Home::Shared => true,
            Home::Group { group: home, .. } => *home != group.name,
        })
        .fold(BTreeMap::new(), |mut by_module, t| {
            by_module
                .entry(super::type_module(&t.home))
                .or_insert_with(BTreeSet::new)
                .insert(t.name.as_str());
            by_module
        })
}

/// The group's `mod.rs` body.
fn group_mod(group: &Group, children: &[proc_macro2::Ident], index: &TypeIndex<'_>) -> TokenStream {
    let handle = handle_name(group);
    let accessor = ident(&group.name);
    let feature = &group.name;
    let accessor_doc = doc_lines(&format!("The `{}` endpoints: {}.", group.name, group.title));
    let handle_doc = doc_lines(&format!(
        "Endpoints of the `{}` group ({}). Get one with [`Client::{}`].",
        group.name, group.title, group.name
    ));
    let statics = group.endpoints.iter().map(endpoint_static);
    let list_doc = doc_lines(&format!("Every endpoint of the `{}` group, in spec order.", group.name));
    let foreign = foreign_types_used(group, index).into_iter().map(|(module, names)| {
        let module: TokenStream = module.parse().unwrap_or_default();
        let names = names.into_iter().map(ident);
        quote! {
            #[doc(no_inline)]
            pub use #module::{#(#names),*};
        }
    });
    let mods = reexports(children);
    quote! {
        #mods
        #(#foreign)*

        #list_doc
        pub static ENDPOINTS: &[&Endpoint] = &[#(&#statics),*];

        #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
        impl Client {
            #accessor_doc
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        #handle_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a Client,
        }
    }
}
