//! Emitting Rust from the IR: stage three of the pipeline.
//!
//! Rust is built as tokens with `quote`, parsed with `syn` (so invalid Rust fails here,
//! before anything is written) and printed with `prettyplease`. Each group becomes a
//! folder: `api/GROUP/mod.rs` (the handle and re-exports), `requests.rs` (endpoint
//! statics and builders) and `types.rs` (named and response types), with one subfolder
//! of the same shape per section file of a folder group.

mod body;
mod error_codes;
mod group;
mod imports;
mod mock;
mod requests;
mod shared;
mod tests;
mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Home, Ir, TypeIndex, TypeRef};
use crate::{Output, marker};

pub use imports::Scope;
pub use requests::method_doc;

/// Every generated Rust file of the `wechat-mp` crate, the mock's route tables and the
/// tests crate.
pub fn rust_files(ir: &Ir) -> Result<Vec<Output>, String> {
    let index = ir.index();
    let mut out = vec![Output::new(
        "wechat-mp/src/api/mod.rs",
        render("specs/", &api_mod_doc(), &api_mod(ir), &Scope::runtime(), &index)?,
    )];
    if !ir.shared.is_empty() {
        out.push(Output::new(
            "wechat-mp/src/api/shared.rs",
            shared::shared_file(ir, &index)?,
        ));
    }
    for group in &ir.groups {
        out.extend(group::group_files(group, &index)?);
    }
    if !ir.error_codes.is_empty() {
        out.push(Output::new(
            "wechat-mp/src/error/code_table.rs",
            error_codes::code_table(&ir.error_codes)?,
        ));
    }
    out.push(Output::new(
        "wechat-mp-mock/src/routes/mod.rs",
        mock::routes_mod(ir, &index)?,
    ));
    if !ir.shared.is_empty() {
        out.push(Output::new(
            "wechat-mp-mock/src/routes/shared.rs",
            mock::shared_file(ir, &index)?,
        ));
    }
    for group in &ir.groups {
        out.push(Output::new(
            format!("wechat-mp-mock/src/routes/{}.rs", group.name),
            mock::group_file(group, &index)?,
        ));
    }
    out.push(Output::new(
        "tests/tests/it/endpoints/generated/mod.rs",
        render(
            "specs/",
            &tests::mod_doc(),
            &tests::tests_mod(ir),
            &Scope::default(),
            &index,
        )?,
    ));
    for group in &ir.groups {
        out.push(Output::new(
            format!("tests/tests/it/endpoints/generated/{}.rs", group.name),
            tests::tests_file(group, &index)?,
        ));
    }
    Ok(out)
}

/// The module path a named type is reachable at from anywhere in the crate.
pub fn type_module(home: &Home) -> String {
    match home {
        Home::Shared => "crate::api::shared".to_owned(),
        Home::Group { group, .. } => format!("crate::api::{group}"),
    }
}

/// Every spec type's crate path, for doc links.
fn type_paths(index: &TypeIndex<'_>) -> BTreeMap<String, String> {
    index.values().map(|t| (t.name.clone(), type_module(&t.home))).collect()
}

/// Formats a Rust file: the generated-file header, the inner docs, the `use` items the
/// body needs (from `scope`), then the body with blank lines between items.
pub fn render(
    source: &str,
    doc: &str,
    body: &TokenStream,
    scope: &Scope,
    index: &TypeIndex<'_>,
) -> Result<String, String> {
    let file: syn::File = syn::parse2(body.clone()).map_err(|e| format!("generated invalid Rust for {source}: {e}"))?;
    let code = space_out(&prettyplease::unparse(&file));
    let imported = scope.imported(&code);
    let uses = scope.uses_of(&imported);
    let mut in_scope = imported;
    in_scope.extend(imports::declared(&code));
    let paths = type_paths(index);
    let code = autolink_urls(&imports::link_docs(&code, &paths, &in_scope));
    let mut text = format!("{} from {source}. Do not edit by hand.\n\n", marker::RUST);
    for line in doc.trim_end().lines() {
        if line.is_empty() {
            text.push_str("//!\n");
        } else {
            text.push_str(&format!("//! {line}\n"));
        }
    }
    let mut text = autolink_urls(&imports::link_docs(&text, &paths, &in_scope));
    // Inner attributes go before every item, `use` items included.
    let inner: Vec<&str> = code.lines().take_while(|l| l.starts_with("#![")).collect();
    let code = code.lines().skip(inner.len()).collect::<Vec<_>>().join("\n");
    for line in &inner {
        text.push_str(line);
        text.push('\n');
    }
    if !uses.is_empty() {
        text.push('\n');
        text.push_str(&uses);
    }
    let code = code.trim_start_matches('\n');
    if !code.trim().is_empty() {
        text.push('\n');
        text.push_str(code);
        text.push('\n');
    }
    Ok(text)
}

/// Puts a blank line between items, which prettyplease does not do, so that the
/// generated files read like hand-written ones.
fn space_out(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = "";
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let prev_indent = prev.len() - prev.trim_start().len();
        let closes_item =
            matches!(prev.trim(), "}" | "};" | "];") || (prev.trim_end().ends_with(';') && prev_indent == 0);
        // A match arm after an arm's block is not a new item.
        let opens_item = !line.trim_start().starts_with('}') && !line.trim().is_empty() && !line.contains("=>");
        // Consecutive one-line items of a kind (`use`, `mod`, `pub use`) stay together.
        let same_kind =
            first_word(prev) == first_word(line) && prev.trim_end().ends_with(';') && !prev.trim().starts_with('}');
        if closes_item && opens_item && indent == prev_indent && !same_kind {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

fn first_word(line: &str) -> &str {
    let words: Vec<&str> = line.split_whitespace().take(2).collect();
    match words.as_slice() {
        ["pub", second, ..] => second,
        [first, ..] => first,
        [] => "",
    }
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

fn api_mod_doc() -> String {
    "The API groups, one module per spec group, each behind the cargo feature of the same\nname. `ENDPOINTS.md` lists every endpoint with its parameters.".to_owned()
}

fn api_mod(ir: &Ir) -> TokenStream {
    let mods = ir.groups.iter().map(|g| {
        let name = crate::ident::ident(&g.name);
        let feature = &g.name;
        let doc = doc_lines(&format!("{} (feature `{feature}`).", g.title));
        quote! {
            #doc
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
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
    let shared_mod = (!ir.shared.is_empty()).then(|| {
        quote! {
            /// Types several groups use, declared once in `specs/_shared.yaml`.
            pub mod shared;
        }
    });
    quote! {
        #(#mods)*
        #shared_mod

        /// Every endpoint of the enabled groups, in spec order: for introspection, such
        /// as listing what a build supports.
        pub fn endpoints() -> Vec<&'static Endpoint> {
            #[allow(unused_mut)]
            let mut all: Vec<&'static Endpoint> = Vec::new();
            #(#extends)*
            all
        }
    }
}

/// The Rust type of a type expression, by short names: files import what they use.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Date => quote!(NaiveDate),
        TypeRef::Json => quote!(Value),
        TypeRef::File => quote!(Upload),
        TypeRef::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = crate::ident::ident(name);
            quote!(#name)
        }
    }
}

/// Whether a builder method takes a value of `ty` as it is rather than as `impl Into`:
/// numbers, `bool` and dates, so that a literal `0` fits a `u32` parameter (behind
/// `impl Into<u32>` it would be inferred `i32` and fail to convert).
pub fn by_value(ty: &TypeRef) -> bool {
    ty.is_number() || matches!(ty, TypeRef::Bool | TypeRef::Date)
}

/// The parameter type for a value of `ty` whose Rust type is `rust`: `rust` itself, or
/// `impl Into<rust>` ([`by_value`]).
pub fn arg_type(ty: &TypeRef, rust: &TokenStream) -> TokenStream {
    match by_value(ty) {
        true => rust.clone(),
        false => quote!(impl Into<#rust>),
    }
}

/// The argument `name` as the field's value: `name`, or `name.into()` ([`by_value`]).
pub fn arg_value(ty: &TypeRef, name: &proc_macro2::Ident) -> TokenStream {
    match by_value(ty) {
        true => quote!(#name),
        false => quote!(#name.into()),
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

/// `code` with each bare URL in its doc comments written `<https://…>`, which rustdoc
/// links (its `bare_urls` lint rejects a bare one), in parentheses too. URLs in code
/// spans, in Markdown links or autolinks and in HTML attributes are left alone.
pub fn autolink_urls(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) || !line.contains("://") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        let mut in_code = false;
        while let Some(at) = rest.find(['`', 'h']) {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            if let Some(after) = from.strip_prefix('`') {
                in_code = !in_code;
                out.push('`');
                rest = after;
                continue;
            }
            // A scheme alone (`支持http://、https://`) names no address.
            let host = from.strip_prefix("https://").or_else(|| from.strip_prefix("http://"));
            let starts_url = host.is_some_and(|h| h.starts_with(|c: char| c.is_ascii_alphanumeric()));
            let quoted = before.ends_with("](") || before.ends_with(['<', '"', '\'', '=']);
            if !starts_url || in_code || quoted {
                out.push('h');
                rest = &from[1..];
                continue;
            }
            let len = from
                .find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
                .unwrap_or(from.len());
            // Sentence punctuation after a URL is not part of it.
            let len = from[..len].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']).len();
            out.push_str(&format!("<{}>", &from[..len]));
            rest = &from[len..];
        }
        out.push_str(rest);
    }
    out
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
mod unit_tests {
    use super::{autolink_urls, code_span, space_out};

    #[test]
    fn bare_urls_in_docs_become_autolinks() {
        let code = "/// See https://example.com/a?b=1. Or `https://x.y`, <https://z>, [p](https://p), \
                    and \"https://q\"; http://、 (https://r)\n//! 见https://example.com/中文。\nlet s = \"https://code\";\n";
        assert_eq!(
            autolink_urls(code),
            "/// See <https://example.com/a?b=1>. Or `https://x.y`, <https://z>, [p](https://p), \
             and \"https://q\"; http://、 (<https://r>)\n//! 见<https://example.com/>中文。\nlet s = \"https://code\";\n"
        );
    }

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

    #[test]
    fn items_are_spaced_but_runs_of_one_line_items_are_not() {
        let text = "mod a;\nmod b;\npub use a::*;\npub static X: &[u8] = &[\n    1,\n];\n/// Doc.\nfn f() {}\nstruct S;\nimpl S {\n    fn g() {}\n    fn h() {}\n}\n";
        assert_eq!(
            space_out(text),
            "mod a;\nmod b;\n\npub use a::*;\n\npub static X: &[u8] = &[\n    1,\n];\n\n/// Doc.\nfn f() {}\nstruct S;\n\nimpl S {\n    fn g() {}\n    fn h() {}\n}\n"
        );
    }
}
