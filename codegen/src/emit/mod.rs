//! Emitting Rust and Markdown from the IR: stage three of the pipeline.
//!
//! Rust is built as tokens with `quote`, parsed with `syn` (so invalid Rust fails here,
//! before anything is written) and printed with `prettyplease`.

mod api;
mod examples;
mod shared;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Group, Ir, TypeRef};
use crate::{Output, marker};

pub use api::param_table;
pub use examples::examples_file;

/// Every generated Rust file of the `wechat-mp` crate and the tests crate.
pub fn rust_files(ir: &Ir) -> Result<Vec<Output>, String> {
    let shared = shared::shared_types(ir);
    let mut out = Vec::new();
    out.push(Output::new(
        "wechat-mp/src/api/mod.rs",
        render(&api_mod(ir, &shared), "specs/*.yaml")?,
    ));
    if !shared.is_empty() {
        out.push(Output::new(
            "wechat-mp/src/api/shared.rs",
            render(&shared::shared_file(&shared), "specs/*.yaml")?,
        ));
    }
    for group in &ir.groups {
        let tokens = group_file(group, &shared);
        out.push(Output::new(
            format!("wechat-mp/src/api/{}.rs", group.name),
            render(&tokens, &source(group))?,
        ));
    }
    out.push(Output::new(
        "tests/tests/endpoints/generated/mod.rs",
        render(&examples::examples_mod(ir), "specs/*.yaml")?,
    ));
    for group in &ir.groups {
        let tokens = examples_file(group);
        out.push(Output::new(
            format!("tests/tests/endpoints/generated/{}.rs", group.name),
            render(&tokens, &source(group))?,
        ));
    }
    Ok(out)
}

fn source(group: &Group) -> String {
    group.file.to_string_lossy().replace('\\', "/")
}

/// Formats tokens as a Rust file with the generated-file header.
pub fn render(tokens: &TokenStream, source: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens.clone()).map_err(|e| format!("generated invalid Rust for {source}: {e}"))?;
    let body = space_out(&prettyplease::unparse(&file));
    Ok(format!(
        "{} from {source}. Do not edit by hand.\n\n{body}",
        marker::RUST
    ))
}

/// Puts a blank line between items, which prettyplease does not do, so that the
/// generated files read like hand-written ones.
fn space_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = "";
    for line in text.lines() {
        let closes_item = prev == "}" || prev == "};" || prev == "    }";
        let indent = line.len() - line.trim_start().len();
        let opens_item = !line.trim_start().starts_with('}') && !line.trim().is_empty();
        if closes_item && opens_item && indent == prev.len() - prev.trim_start().len() {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

/// A raw string literal holding `text`, with enough `#`s to be unambiguous.
pub fn raw_str(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

fn api_mod(ir: &Ir, shared: &BTreeMap<&str, shared::Shared<'_>>) -> TokenStream {
    let mods = ir.groups.iter().map(|g| {
        let name = crate::ident::ident(&g.name);
        let feature = &g.name;
        let doc = doc_lines(&format!("{} (`{}`, feature `{feature}`).", g.title, g.file.display()));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #name;
        }
    });
    let extends = ir.groups.iter().map(|g| {
        let name = crate::ident::ident(&g.name);
        let feature = &g.name;
        quote! {
            #[cfg(feature = #feature)]
            all.extend_from_slice(#name::ENDPOINTS);
        }
    });
    let shared_mod = shared::shared_mod(shared);
    quote! {
        //! The API groups, one module per spec file, each behind the cargo feature of the
        //! same name. See `ENDPOINTS.md` for every endpoint and its seed interface.
        #(#mods)*
        #shared_mod

        /// Every endpoint of the enabled groups, in spec order: for introspection, such
        /// as listing what a build supports.
        pub fn endpoints() -> ::std::vec::Vec<&'static crate::endpoint::Endpoint> {
            #[allow(unused_mut)]
            let mut all: ::std::vec::Vec<&'static crate::endpoint::Endpoint> = ::std::vec::Vec::new();
            #(#extends)*
            all
        }
    }
}

fn group_file(group: &Group, shared: &BTreeMap<&str, shared::Shared<'_>>) -> TokenStream {
    let mut doc = format!("{}\n\nGenerated from `{}`", group.title, source(group));
    doc.push_str(&format!(" (cargo feature `{}`).", group.name));
    if let Some(d) = &group.doc {
        doc = format!("{}\n\n{}", doc, d.trim());
    }
    let doc = inner_doc_lines(&doc);
    let api = api::group_api(group);
    let types = group.types.iter().map(|t| match shared.contains_key(t.name.as_str()) {
        true => shared::reexport(&t.name),
        false => types::named_type(group, t),
    });
    quote! {
        #doc
        #api
        #(#types)*
    }
}

/// The Rust type of a type expression.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::File => quote!(crate::upload::Upload),
        TypeRef::List(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = crate::ident::ident(name);
            quote!(#name)
        }
    }
}

/// One line of Markdown table text: no newlines, no bare pipes.
pub fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// `text` as a Markdown code span, taken literally: WeChat's messages hold brackets
/// that rustdoc would read as links. The fence is one backtick longer than any run of
/// them inside.
pub fn code_span(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space inside the fence.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `#![doc]` attributes for a block of text, one per line.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    quote!(#(#lines)*)
}

/// `#[doc]` attributes for a block of text, one per line so rustdoc keeps the layout.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use super::code_span;

    #[test]
    fn a_code_span_takes_brackets_and_backticks_literally() {
        assert_eq!(
            code_span("invalid card id hint: [wlq]"),
            "`invalid card id hint: [wlq]`"
        );
        assert_eq!(code_span("a  b\n c"), "`a b c`");
        assert_eq!(code_span("use `x` here"), "``use `x` here``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
