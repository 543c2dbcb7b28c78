//! The `use` items of a generated file, found from what its code names.
//!
//! Emitters write short names (`Vec`, `Serialize`, `ApiRequest`, `Button`); once a file's
//! body is printed, the names it uses are looked up here and only their `use` items are
//! written, so that no file imports what it does not use. Intra-doc links to spec types
//! get the type's full path instead: an import used only by docs is an unused import
//! to rustc.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

/// Where each name a file may use comes from: name → module path.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    names: BTreeMap<String, String>,
}

/// Items of the std, serde and runtime crates generated code uses by short name.
const RUNTIME: &[(&str, &str)] = &[
    ("fmt", "std"),
    ("BTreeMap", "std::collections"),
    ("Bytes", "bytes"),
    ("NaiveDate", "chrono"),
    ("Stream", "futures_core"),
    ("Deserialize", "serde"),
    ("Deserializer", "serde"),
    ("Serialize", "serde"),
    ("Serializer", "serde"),
    ("de", "serde"),
    ("SerializeMap", "serde::ser"),
    ("Map", "serde_json"),
    ("Value", "serde_json"),
    ("Client", "crate"),
    ("Error", "crate"),
    ("Secret", "crate"),
    ("Auth", "crate::endpoint"),
    ("Endpoint", "crate::endpoint"),
    ("Host", "crate::endpoint"),
    ("Method", "crate::endpoint"),
    ("ResponseKind", "crate::endpoint"),
    ("Paged", "crate::client::paginate"),
    ("ApiFuture", "crate::request"),
    ("ApiRequest", "crate::request"),
    ("Part", "crate::request"),
    ("api_future", "crate::request"),
    ("check_date_range", "crate::request"),
    ("ByteStream", "crate::response"),
    ("JsonOrBinary", "crate::response"),
    ("Upload", "crate::upload"),
];

impl Scope {
    /// The runtime items, as seen from inside the `wechat-mp` crate.
    pub fn runtime() -> Self {
        let mut scope = Scope::default();
        for (name, path) in RUNTIME {
            scope.add(name, path);
        }
        scope
    }

    /// The items a test file of the tests crate uses by short name.
    pub fn tests() -> Self {
        let mut scope = Scope::default();
        scope.add("BTreeMap", "std::collections");
        scope.add("NaiveDate", "chrono");
        scope.add("Value", "serde_json");
        scope.add("Upload", "wechat_mp::upload");
        scope.add("Auth", "wechat_mp::endpoint");
        scope.add("MockWechat", "wechat_mp_mock");
        scope.add("FILE_BYTES", "wechat_mp_mock");
        for name in [
            "SentBody",
            "arg",
            "assert_api_error",
            "assert_example",
            "assert_sent",
            "respond",
            "respond_error",
        ] {
            scope.add(name, "wechat_mp_tests::examples");
        }
        scope
    }

    /// Makes `name` available from `path`.
    pub fn add(&mut self, name: &str, path: &str) {
        self.names.insert(name.to_owned(), path.to_owned());
    }

    /// The names of this scope that `code` uses, which its `use` items bring in.
    pub fn imported(&self, code: &str) -> BTreeSet<String> {
        let used = identifiers(code);
        self.names
            .keys()
            .filter(|n| used.contains(n.as_str()))
            .cloned()
            .collect()
    }

    /// The `use` items for the names `code` uses, grouped as rustfmt would: std, other
    /// crates, this crate, then relative paths; a blank line between groups.
    pub fn uses_for(&self, code: &str) -> String {
        self.uses_of(&self.imported(code))
    }

    /// The `use` items for `names`, names of this scope as [`imported`](Self::imported)
    /// gives them, grouped as [`uses_for`](Self::uses_for) groups them.
    pub fn uses_of(&self, names: &BTreeSet<String>) -> String {
        let mut by_path: BTreeMap<(u8, &str), BTreeSet<&str>> = BTreeMap::new();
        for (name, path) in &self.names {
            if names.contains(name) {
                let rank = match path.split("::").next().unwrap_or_default() {
                    "std" => 0,
                    "crate" => 2,
                    "super" | "self" => 3,
                    _ => 1,
                };
                by_path.entry((rank, path)).or_default().insert(name);
            }
        }
        let mut groups: BTreeMap<u8, Vec<TokenStream>> = BTreeMap::new();
        for ((rank, path), names) in by_path {
            let path: syn::Path = syn::parse_str(path).unwrap_or_else(|_| syn::parse_quote!(crate));
            let names: Vec<syn::Ident> = names
                .iter()
                .map(|n| syn::Ident::new(n, proc_macro2::Span::call_site()))
                .collect();
            let item = match names.as_slice() {
                [one] => quote!(use #path::#one;),
                many => quote!(use #path::{#(#many),*};),
            };
            groups.entry(rank).or_default().push(item);
        }
        let blocks: Vec<String> = groups
            .into_values()
            .filter_map(|items| syn::parse2::<syn::File>(quote!(#(#items)*)).ok())
            .map(|file| prettyplease::unparse(&file))
            .collect();
        blocks.join("\n")
    }
}

/// `text` with each bare intra-doc link to a spec type (`` [`Button`] ``) given the
/// type's module path from `types`, so that the link resolves wherever the doc is;
/// names already in scope (`in_scope`) keep their short link, which rustdoc prefers.
pub fn link_docs(text: &str, types: &BTreeMap<String, String>, in_scope: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) || !line.contains("[`") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("[`") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("`]") else { break };
            let name = &after[..end];
            let follows = &after[end + 2..];
            out.push_str(&rest[..start]);
            match types.get(name) {
                Some(path) if !follows.starts_with('(') && !follows.starts_with('[') && !in_scope.contains(name) => {
                    out.push_str(&format!("[`{name}`]({path}::{name})"));
                }
                _ => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = follows;
        }
        out.push_str(rest);
    }
    out
}

/// The items `code` declares at its top level: structs, enums and statics.
pub fn declared(code: &str) -> BTreeSet<String> {
    code.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("pub ").unwrap_or(l);
            let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
            let rest = rest
                .strip_prefix("struct ")
                .or_else(|| rest.strip_prefix("enum "))
                .or_else(|| rest.strip_prefix("static "))?;
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            Some(rest[..end].to_owned())
        })
        .collect()
}

/// The identifiers `code` uses as the first segment of a path or as a lone name: not
/// after `::`, `.` or `'`, not in comments or string literals, and not the variant names
/// an `enum` declares (`MiniProgram,` names no type to import).
fn identifiers(code: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    // Brace depth inside the `enum` being read, if any: its variants sit at depth 1.
    let mut in_enum: Option<usize> = None;
    for line in code.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let variant_line = in_enum == Some(1);
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        in_enum = match in_enum {
            None if trimmed.contains("enum ") && opens > closes => Some(opens - closes),
            Some(depth) => (depth + opens).checked_sub(closes).filter(|d| *d > 0),
            None => None,
        };
        let bytes = line.as_bytes();
        let mut i = 0;
        if variant_line {
            // Skip the variant's own name; its payload's types still count.
            let start = line.len() - trimmed.len();
            i = start
                + trimmed
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(trimmed.len());
        }
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'"' {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let before = &line[..start];
                let qualified = before.ends_with("::") || before.ends_with('.') || before.ends_with('\'');
                // `r#"…"#` raw strings: skip to the closing quote and hashes. (`r#type`,
                // a raw identifier, is a keyword and names nothing to import.)
                let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
                if &line[start..i] == "r" && hashes > 0 && bytes.get(i + hashes) == Some(&b'"') {
                    let close = format!("\"{}", "#".repeat(hashes));
                    i = line[i + hashes + 1..]
                        .find(&close)
                        .map_or(bytes.len(), |p| i + hashes + 1 + p + close.len());
                    continue;
                }
                if !qualified {
                    out.insert(&line[start..i]);
                }
                continue;
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_the_code_uses_are_imported() {
        let mut scope = Scope::runtime();
        scope.add("Button", "super::types");
        let code = "/// A [`Client`] doc.\npub fn f(c: &Client, b: Vec<Button>) -> Result<(), Error> {\n    let s = \"Serialize\";\n    serde::de::Error::custom(x.fmt);\n}\n";
        let uses = scope.uses_for(code);
        assert_eq!(uses, "use crate::{Client, Error};\n\nuse super::types::Button;\n");
    }

    #[test]
    fn raw_strings_and_lifetimes_are_not_names() {
        let used = identifiers("impl<'de> X for Y { const S: &str = r#\"Value\"#; }");
        assert!(used.contains("X") && used.contains("Y") && used.contains("S"));
        assert!(!used.contains("de") && !used.contains("Value"), "{used:?}");
        // An enum's variant names are not uses; the types in their payloads are.
        let used = identifiers(
            "pub enum Kind {\n    /// Doc.\n    MiniProgram,\n    Other(Map<String, Value>),\n}\nfn f(x: MiniProgramPage) {}\n",
        );
        assert!(!used.contains("MiniProgram") && !used.contains("Other"), "{used:?}");
        assert!(
            used.contains("Map") && used.contains("Value") && used.contains("MiniProgramPage"),
            "{used:?}"
        );
        // A raw identifier is not a raw string: what follows it is still read.
        let used = identifiers("fn f(r#type: impl Into<RuleType>, b: Button) {}");
        assert!(used.contains("RuleType") && used.contains("Button"), "{used:?}");
    }

    #[test]
    fn bare_doc_links_to_spec_types_get_their_path() {
        let types = BTreeMap::from([("Lang".to_owned(), "crate::api::shared".to_owned())]);
        let text = "/// Sends [`Lang`], see [`Lang`](x) and [`Other`].\nlet a = [`Lang`];\n";
        assert_eq!(
            link_docs(text, &types, &BTreeSet::new()),
            "/// Sends [`Lang`](crate::api::shared::Lang), see [`Lang`](x) and [`Other`].\nlet a = [`Lang`];\n"
        );
    }
}
