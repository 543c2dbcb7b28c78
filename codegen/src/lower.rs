//! Validation and lowering of loaded specs into the IR: stage two of the pipeline.
//!
//! Every check reports through a [`Sink`] with the location of the offending YAML, and
//! lowering goes on after an error so that one run reports every mistake.
//!
//! Type names are unique across all specs, so that each names one Rust type wherever
//! it is used. A group names its own types and the shared ones (`specs/_shared.yaml`)
//! plainly, and another group's types with the group in front (`user.Lang`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_saphyr::Location;

use crate::check_examples;
use crate::diag::{Diagnostic, Sink, did_you_mean};
use crate::ident::{is_identifier, is_keyword, pascal, snake};
use crate::ir::*;
use crate::load::{Loaded, Specs};
use crate::spec::{At, CodeSpec, EndpointSpec, FieldSpec, TypeSpec, ValueSpec};

/// Names a parameter may not take: the request builder already has these methods.
pub(crate) const RESERVED_PARAMS: &[&str] = &["send", "send_stream", "to_request", "into_future", "client", "new"];

/// Names a parameter of a paged endpoint may not take either.
pub(crate) const RESERVED_PAGED_PARAMS: &[&str] = &["pages", "items"];

/// Names a spec type may not take: generated files use these items by their short name.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "ApiFuture",
    "ApiRequest",
    "Auth",
    "BTreeMap",
    "Box",
    "ByteStream",
    "Bytes",
    "Client",
    "Default",
    "Deserialize",
    "Deserializer",
    "Endpoint",
    "Error",
    "Future",
    "Host",
    "IntoFuture",
    "JsonOrBinary",
    "Map",
    "Method",
    "Option",
    "Part",
    "ResponseKind",
    "Result",
    "Secret",
    "Self",
    "Serialize",
    "SerializeMap",
    "Serializer",
    "Stream",
    "String",
    "Upload",
    "Value",
    "Vec",
];

/// The page of WeChat's documentation every `doc_url` points into.
pub(crate) const DOC_URL_PREFIX: &str = "https://developers.weixin.qq.com/doc/";

/// One file, lowered: its types, its endpoints, and the other groups it names.
struct LoweredFile<'a> {
    loaded: &'a Loaded,
    types: Vec<NamedType>,
    endpoints: Vec<Endpoint>,
    uses: BTreeSet<String>,
}

/// What a field is part of; decides which keys make sense on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldCtx {
    Struct,
    Response,
    Query,
    Body,
    Multipart,
}

/// Where a type is declared, for "declared twice" and "belongs to" messages.
#[derive(Debug, Clone)]
struct Declared<'a> {
    file: &'a Path,
    at: Location,
    /// `None` for a shared type.
    group: Option<&'a str>,
}

impl Declared<'_> {
    fn place(&self) -> String {
        format!("{}:{}:{}", self.file.display(), self.at.line(), self.at.column())
    }
}

/// The type names one file may use.
struct Scope<'a> {
    /// The group, `None` in `_shared.yaml`.
    group: Option<&'a str>,
    /// Every declared type, by name.
    declared: &'a BTreeMap<&'a str, Declared<'a>>,
}

/// Lowering state of one file.
struct Cx<'a> {
    scope: Scope<'a>,
    /// Other groups this file's types name.
    uses: BTreeSet<String>,
}

impl Cx<'_> {
    /// Parses and resolves a type expression; reports and returns `None` when it does
    /// not name a type this file may use.
    fn resolve(&mut self, sink: &mut Sink, at: &At<String>) -> Option<TypeRef> {
        let ty = match TypeRef::parse(&at.value) {
            Ok(ty) => ty,
            Err(e) => {
                sink.error_hint(
                    &at.referenced,
                    e,
                    "types are string, bool, i32, i64, u32, u64, f64, json, file, [T], map<T>, a named type or group.Type",
                );
                return None;
            }
        };
        let Some(written) = ty.named().map(str::to_owned) else {
            return Some(ty);
        };
        let (qualifier, name) = TypeRef::split_qualified(&written);
        let found = self.scope.declared.get(name);
        match (qualifier, found) {
            (Some(group), Some(d)) if d.group == Some(group) => {
                if self.scope.group != Some(group) {
                    if self.scope.group.is_none() {
                        sink.error_hint(
                            &at.referenced,
                            format!("shared type cannot name `{written}` of group `{group}`"),
                            "move that type to specs/_shared.yaml too",
                        );
                        return None;
                    }
                    self.uses.insert(group.to_owned());
                }
                Some(ty.renamed(name))
            }
            (None, Some(d)) if d.group.is_none() || d.group == self.scope.group => Some(ty),
            (None, Some(d)) => {
                let group = d.group.unwrap_or_default();
                let hint = match self.scope.group {
                    Some(_) => format!("write `{group}.{name}` to use the type of another group"),
                    None => "move that type to specs/_shared.yaml too".to_owned(),
                };
                sink.error_hint(
                    &at.referenced,
                    format!("type `{name}` belongs to group `{group}` ({})", d.place()),
                    hint,
                );
                None
            }
            _ => {
                let known: Vec<&str> = self
                    .scope
                    .declared
                    .iter()
                    .filter(|(_, d)| d.group.is_none() || d.group == self.scope.group)
                    .map(|(n, _)| *n)
                    .collect();
                let list = known.join(", ");
                let hint = match did_you_mean(name, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? known: {list}"),
                    None if list.is_empty() => "declare it under `types:`".to_owned(),
                    None => format!("known: {list}"),
                };
                sink.error_hint(&at.referenced, format!("unknown type `{written}`"), hint);
                None
            }
        }
    }
}

/// Validates every spec and lowers them to the IR, or returns every diagnostic found.
pub fn lower(specs: &Specs) -> Result<Ir, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let declared = declare_types(specs, &mut diagnostics);
    let reserved = reserved_type_names(&specs.files);

    // Types first, so that endpoints can be checked against every type of every spec.
    let mut shared = Vec::new();
    if let Some(file) = &specs.shared {
        let mut sink = Sink::new(file.file.clone());
        let mut cx = Cx {
            scope: Scope {
                group: None,
                declared: &declared,
            },
            uses: BTreeSet::new(),
        };
        shared = lower_types(&mut sink, &mut cx, &file.spec.types, &Home::Shared, &reserved);
        diagnostics.append(&mut sink.diagnostics);
    }
    let mut files: Vec<(&Loaded, Vec<NamedType>, Cx<'_>)> = Vec::new();
    for loaded in &specs.files {
        let mut sink = Sink::new(loaded.file.clone());
        let mut cx = Cx {
            scope: Scope {
                group: Some(&loaded.group),
                declared: &declared,
            },
            uses: BTreeSet::new(),
        };
        let home = Home::Group {
            group: loaded.group.clone(),
            section: loaded.section.clone(),
        };
        let types = lower_types(&mut sink, &mut cx, &loaded.spec.types, &home, &reserved);
        diagnostics.append(&mut sink.diagnostics);
        files.push((loaded, types, cx));
    }

    let all_types: Vec<NamedType> = shared
        .iter()
        .chain(files.iter().flat_map(|(_, types, _)| types))
        .cloned()
        .collect();
    let index: TypeIndex<'_> = all_types.iter().map(|t| (t.name.as_str(), t)).collect();
    check_recursion(specs, &all_types, &index, &mut diagnostics);

    let mut lowered: Vec<LoweredFile<'_>> = Vec::new();
    for (loaded, types, mut cx) in files {
        let mut sink = Sink::new(loaded.file.clone());
        let endpoints: Vec<Endpoint> = loaded
            .spec
            .endpoints
            .iter()
            .filter_map(|ep| lower_endpoint(&mut sink, &mut cx, ep, loaded.section.as_deref(), &index))
            .collect();
        if sink.diagnostics.is_empty() && diagnostics.is_empty() {
            check_examples::check_file(&mut sink, &loaded.spec, &endpoints, &index);
        }
        diagnostics.append(&mut sink.diagnostics);
        lowered.push(LoweredFile {
            loaded,
            types,
            endpoints,
            uses: cx.uses,
        });
    }
    let mut groups = assemble_groups(lowered, &mut diagnostics);
    check_across_groups(specs, &groups, &mut diagnostics);
    let error_codes = lower_error_codes(specs, &mut diagnostics);
    mark_request_types(&mut groups, &mut shared);
    if diagnostics.is_empty() {
        Ok(Ir {
            groups,
            shared,
            error_codes,
        })
    } else {
        Err(diagnostics)
    }
}

/// Every type name of every spec, with where it is declared; a name declared twice is
/// an error at the second place, naming the first.
fn declare_types<'a>(specs: &'a Specs, diagnostics: &mut Vec<Diagnostic>) -> BTreeMap<&'a str, Declared<'a>> {
    let mut declared: BTreeMap<&str, Declared<'_>> = BTreeMap::new();
    let shared = specs.shared.iter().map(|s| (s.file.as_path(), None, &s.spec.types));
    let groups = specs
        .files
        .iter()
        .map(|l| (l.file.as_path(), Some(l.group.as_str()), &l.spec.types));
    for (file, group, types) in shared.chain(groups) {
        let mut sink = Sink::new(file.to_path_buf());
        for (name, ty) in types {
            let here = Declared {
                file,
                at: ty.referenced,
                group,
            };
            if let Some(first) = declared.get(name.as_str()) {
                let hint = if first.group == group {
                    "give one of them another name".to_owned()
                } else {
                    "declare it once, in specs/_shared.yaml, or give one of them another name".to_owned()
                };
                sink.error_hint(
                    &ty.referenced,
                    format!("type `{name}` is already declared at {}", first.place()),
                    hint,
                );
                continue;
            }
            declared.insert(name, here);
        }
        diagnostics.append(&mut sink.diagnostics);
    }
    declared
}

/// Generated item names no spec type may take, with what they are: every group's
/// handle, builders, response structs and body structs (`{Endpoint}Body…`).
fn reserved_type_names(files: &[Loaded]) -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = RESERVED_TYPES
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                "name generated code uses for a runtime or std item".to_owned(),
            )
        })
        .collect();
    for loaded in files {
        names.insert(
            format!("{}Api", pascal(&loaded.group)),
            format!("handle of group `{}`", loaded.group),
        );
        for ep in &loaded.spec.endpoints {
            let p = pascal(&ep.value.name.value);
            let name = &ep.value.name.value;
            names.insert(
                format!("{p}Request"),
                format!("request builder of `{}.{name}`", loaded.group),
            );
            names.insert(format!("{p}Response"), format!("response of `{}.{name}`", loaded.group));
            names.insert(format!("{p}Body"), format!("request body of `{}.{name}`", loaded.group));
        }
    }
    names
}

fn lower_types(
    sink: &mut Sink,
    cx: &mut Cx<'_>,
    types: &IndexMap<String, At<TypeSpec>>,
    home: &Home,
    reserved: &BTreeMap<String, String>,
) -> Vec<NamedType> {
    let mut out = Vec::new();
    for (type_name, ty) in types {
        if !is_identifier(type_name) || pascal(type_name) != *type_name {
            sink.error(
                &ty.referenced,
                format!("type name `{type_name}` must be UpperCamelCase"),
            );
        }
        let body_prefix = reserved
            .iter()
            .find(|(n, what)| what.starts_with("request body") && type_name.starts_with(n.as_str()));
        if let Some((_, what)) = reserved.get_key_value(type_name.as_str()).or(body_prefix) {
            sink.error_hint(
                &ty.referenced,
                format!("type name `{type_name}` collides with the {what}"),
                "pick another name",
            );
        }
        if let Some(def) = lower_type(sink, cx, type_name, ty) {
            out.push(NamedType {
                name: type_name.clone(),
                home: home.clone(),
                doc: ty.value.doc.as_deref().map(|d| d.trim_end().to_owned()),
                def,
                in_request: false,
            });
        }
    }
    out
}

/// An integer enum: each code's variant name must be a fresh UpperCamelCase name.
fn lower_codes(sink: &mut Sink, at: &At<TypeSpec>, name: &str, codes: &IndexMap<i64, At<CodeSpec>>) -> Option<TypeDef> {
    let mut seen: HashMap<&str, i64> = HashMap::new();
    let mut out = Vec::new();
    for (code, spec) in codes {
        let rust = spec.value.name.as_str();
        // `Other` is the fallback; the prelude's names would shadow `Option` and `Result`.
        if pascal(rust) != rust || ["Other", "None", "Some", "Ok", "Err", "Self"].contains(&rust) {
            sink.error_hint(
                &spec.referenced,
                format!("code {code} of `{name}`: `{rust}` is not a usable variant name"),
                "an UpperCamelCase name other than `Other`, `None`, `Some`, `Ok`, `Err` and `Self`, e.g. `MiniProgramCard`",
            );
        }
        if let Some(prev) = seen.insert(rust, *code) {
            sink.error(
                &spec.referenced,
                format!("codes {prev} and {code} of `{name}` are both named `{rust}`"),
            );
        }
        out.push(EnumValue {
            wire: code.to_string(),
            rust: rust.to_owned(),
            doc: spec.value.doc.clone(),
        });
    }
    if out.is_empty() {
        sink.error(&at.referenced, format!("integer enum `{name}` has no codes"));
        return None;
    }
    Some(TypeDef::Codes(out))
}

fn lower_type(sink: &mut Sink, cx: &mut Cx<'_>, name: &str, ty: &At<TypeSpec>) -> Option<TypeDef> {
    let spec = &ty.value;
    let kinds = [
        spec.fields.is_some(),
        spec.values.is_some(),
        spec.codes.is_some(),
        spec.one_of.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        sink.error(
            &ty.referenced,
            format!("type `{name}` needs exactly one of `fields`, `values`, `codes` or `one_of`"),
        );
        return None;
    }
    if spec.tag_field.is_some() && spec.one_of.is_none() {
        sink.error(
            &ty.referenced,
            format!("`tag_field` of `{name}` only makes sense on a `one_of`"),
        );
    }
    if let Some(fields) = &spec.fields {
        return Some(TypeDef::Struct(lower_fields(sink, cx, fields, FieldCtx::Struct)));
    }
    if let Some(values) = &spec.values {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut out = Vec::new();
        for (wire, value) in values {
            let (rust, doc) = match value {
                None => (pascal(wire), None),
                Some(ValueSpec::Doc(doc)) => (pascal(wire), Some(doc.clone())),
                Some(ValueSpec::Named { name: rust, doc }) => {
                    if pascal(rust) != *rust {
                        sink.error(
                            &ty.referenced,
                            format!("value `{wire}` of `{name}`: `{rust}` is not an UpperCamelCase variant name"),
                        );
                    }
                    (rust.clone(), doc.clone())
                }
            };
            // A value such as `1` would make the variant `V1`: ask for a name.
            if rust.starts_with('V') && wire.starts_with(|c: char| c.is_ascii_digit()) && pascal(wire) == rust {
                sink.error_hint(
                    &ty.referenced,
                    format!("value `{wire}` of `{name}` makes no Rust name"),
                    format!("name it: `\"{wire}\": {{ name: Something, doc: ... }}`"),
                );
            }
            if rust == "Other" {
                sink.error(
                    &ty.referenced,
                    format!("enum value `{wire}` of `{name}` would clash with the `Other` fallback"),
                );
            }
            if let Some(prev) = seen.insert(rust.clone(), wire) {
                sink.error(
                    &ty.referenced,
                    format!("enum values `{prev}` and `{wire}` of `{name}` both become variant `{rust}`"),
                );
            }
            out.push(EnumValue {
                wire: wire.clone(),
                rust,
                doc,
            });
        }
        if out.is_empty() {
            sink.error(&ty.referenced, format!("enum `{name}` has no values"));
        }
        return Some(TypeDef::Enum(out));
    }
    if let Some(codes) = &spec.codes {
        return lower_codes(sink, ty, name, codes);
    }
    let one_of = spec.one_of.as_ref()?;
    let tag_field = spec.tag_field.as_ref().map(|t| t.value.clone());
    let mut variants = Vec::new();
    let mut seen = HashSet::new();
    for (key, v) in one_of {
        let rust = v
            .value
            .rust_name
            .as_ref()
            .map_or_else(|| pascal(key), |r| r.value.clone());
        if !is_identifier(&rust) || rust == "Other" || !seen.insert(rust.clone()) {
            sink.error(
                &v.referenced,
                format!("variant `{key}` of `{name}` needs a unique Rust name other than `Other` (got `{rust}`)"),
            );
        }
        if tag_field.is_some() && v.value.tag.is_none() {
            sink.error_hint(
                &v.referenced,
                format!("variant `{key}` of `{name}` has no `tag`"),
                "every variant of a one_of with `tag_field` names its tag value",
            );
        }
        if let Some(ty) = cx.resolve(sink, &v.value.ty) {
            variants.push(Variant {
                key: key.clone(),
                rust,
                ty,
                tag: v.value.tag.clone(),
                doc: v.value.doc.clone(),
            });
        }
    }
    if variants.is_empty() {
        sink.error(&ty.referenced, format!("one_of `{name}` has no variants"));
    }
    Some(TypeDef::OneOf { tag_field, variants })
}

fn lower_fields(
    sink: &mut Sink,
    cx: &mut Cx<'_>,
    fields: &IndexMap<String, At<FieldSpec>>,
    ctx: FieldCtx,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut rust_names = HashSet::new();
    for (wire, spec) in fields {
        if let Some((field, _)) = lower_field(sink, cx, wire, spec, ctx) {
            if !rust_names.insert(field.rust.clone()) {
                sink.error(
                    &spec.referenced,
                    format!("field `{wire}` becomes `{}`, like another field", field.rust),
                );
            }
            out.push(field);
        }
    }
    out
}

/// Lowers one field; the second value is its constant, for parameters.
fn lower_field(
    sink: &mut Sink,
    cx: &mut Cx<'_>,
    wire: &str,
    at: &At<FieldSpec>,
    ctx: FieldCtx,
) -> Option<(Field, Option<serde_json::Value>)> {
    let spec = &at.value;
    let loc = &at.referenced;
    let is_param = matches!(ctx, FieldCtx::Query | FieldCtx::Body | FieldCtx::Multipart);
    if let Some(c) = &spec.constant
        && !(c.is_string() || c.is_number() || c.is_boolean())
    {
        sink.error(loc, format!("`const` of `{wire}` must be a string, number or boolean"));
    }
    if spec.constant.is_some() && !is_param {
        sink.error(
            loc,
            format!("`const` on `{wire}`: only request parameters can be fixed"),
        );
    }
    if spec.at.is_some() && ctx != FieldCtx::Body {
        sink.error(
            loc,
            format!("`at` on `{wire}`: only body fields can be placed in a nested object"),
        );
    }
    if let Some(path) = &spec.at
        && path
            .value
            .split('.')
            .any(|seg| seg.is_empty() || !is_identifier(&snake(seg)))
    {
        sink.error_hint(
            &path.referenced,
            format!("`at: {}` is not a dotted path of JSON keys", path.value),
            "write the keys of the enclosing objects, such as `action_info.scene`",
        );
    }
    if spec.encoding.is_some() && ctx != FieldCtx::Multipart {
        sink.error(
            loc,
            format!("`encoding` on `{wire}`: only multipart fields have an encoding"),
        );
    }
    if let Some(enc) = &spec.encoding
        && enc.value != "json"
    {
        sink.error_hint(
            &enc.referenced,
            format!("unknown encoding `{}`", enc.value),
            "the only encoding is `json`",
        );
    }
    let rust = match &spec.rust_name {
        Some(r) => {
            if !is_identifier(&r.value) || r.value != snake(&r.value) {
                sink.error(
                    &r.referenced,
                    format!("rust_name `{}` must be a snake_case identifier", r.value),
                );
            }
            r.value.clone()
        }
        None => snake(wire),
    };
    if wire.is_empty() || !is_identifier(&rust) {
        sink.error_hint(
            loc,
            format!("field `{wire}` has no usable Rust name"),
            "set `rust_name`",
        );
    }
    if is_param && spec.constant.is_none() && RESERVED_PARAMS.contains(&rust.as_str()) {
        sink.error_hint(
            loc,
            format!("parameter `{wire}` would shadow the builder method `{rust}`"),
            "set `rust_name`",
        );
    }
    let ty = match (&spec.ty, &spec.constant) {
        (Some(t), _) => cx.resolve(sink, t)?,
        (None, Some(c)) => match c {
            serde_json::Value::String(_) => TypeRef::String,
            serde_json::Value::Number(n) if n.is_u64() => TypeRef::U64,
            serde_json::Value::Number(n) if n.is_i64() => TypeRef::I64,
            serde_json::Value::Number(_) => TypeRef::F64,
            serde_json::Value::Bool(_) => TypeRef::Bool,
            _ => TypeRef::Json,
        },
        (None, None) => {
            sink.error_hint(
                loc,
                format!("field `{wire}` has no `type`"),
                "add `type: string` (or the right type), or `const:` for a fixed value",
            );
            return None;
        }
    };
    if ty == TypeRef::File && ctx != FieldCtx::Multipart {
        sink.error(loc, format!("`{wire}`: `file` fields only exist in `multipart`"));
    }
    if ctx == FieldCtx::Query && matches!(ty, TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json) {
        sink.error(loc, format!("query parameter `{wire}` must be a scalar or an enum"));
    }
    if spec.secret && ty != TypeRef::String {
        sink.error(loc, format!("`secret` on `{wire}`: only string fields can be secrets"));
    }
    if spec.loose && !ty.is_number() {
        sink.error(loc, format!("`loose` on `{wire}`: only number fields can be loose"));
    }
    if spec.flatten && !matches!(ctx, FieldCtx::Body | FieldCtx::Struct | FieldCtx::Response) {
        sink.error(
            loc,
            format!("`flatten` on `{wire}`: only body and struct fields can be flattened"),
        );
    }
    let field = Field {
        wire: wire.to_owned(),
        rust,
        ty,
        required: spec.required || spec.constant.is_some(),
        doc: spec.doc.clone(),
        loose: spec.loose,
        flatten: spec.flatten,
        deprecated: spec.deprecated.clone(),
        secret: spec.secret,
    };
    Some((field, spec.constant.clone()))
}

fn lower_endpoint(
    sink: &mut Sink,
    cx: &mut Cx<'_>,
    at: &At<EndpointSpec>,
    section: Option<&str>,
    index: &TypeIndex<'_>,
) -> Option<Endpoint> {
    let ep = &at.value;
    let name = ep.name.value.clone();
    if !is_identifier(&name) || name != snake(&name) || is_keyword(&name) {
        sink.error(
            &ep.name.referenced,
            format!("endpoint name `{name}` must be a snake_case Rust identifier"),
        );
    }
    let method = match ep.method.value.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => {
            sink.error_hint(
                &ep.method.referenced,
                format!("unknown method `{other}`"),
                "WeChat endpoints are GET or POST",
            );
            Method::Get
        }
    };
    let host = match ep.host.as_ref().map(|h| h.value.as_str()) {
        None | Some("api") => Host::Api,
        Some("mp") => Host::Mp,
        Some("open") => Host::Open,
        Some(other) => {
            let at = ep.host.as_ref().map(|h| h.referenced).unwrap_or(at.referenced);
            sink.error_hint(&at, format!("unknown host `{other}`"), "hosts are api, mp and open");
            Host::Api
        }
    };
    let auth = match ep.auth.as_ref().map(|a| a.value.as_str()) {
        None | Some("access_token") => Auth::AccessToken,
        Some("none") => Auth::None,
        Some("oauth_token") => Auth::OAuthToken,
        Some("app_secret") => Auth::AppSecret,
        Some("app_id") => Auth::AppId,
        Some(other) => {
            let at = ep.auth.as_ref().map(|a| a.referenced).unwrap_or(at.referenced);
            sink.error_hint(
                &at,
                format!("unknown auth `{other}`"),
                "auth is access_token, none, oauth_token, app_secret or app_id",
            );
            Auth::AccessToken
        }
    };
    if !ep.path.value.starts_with('/') || ep.path.value.contains(['?', '#', ' ']) {
        sink.error_hint(
            &ep.path.referenced,
            format!("path `{}` must start with `/` and hold no query", ep.path.value),
            "put query parameters under `query:`",
        );
    }
    if let Some(url) = &ep.doc_url
        && (!url.value.starts_with(DOC_URL_PREFIX) || url.value.contains(char::is_whitespace))
    {
        sink.error_hint(
            &url.referenced,
            format!("doc_url `{}` is not a page of WeChat's documentation", url.value),
            format!("doc_url is the official page of the endpoint: {DOC_URL_PREFIX}..."),
        );
    }
    if method == Method::Get && (ep.body.is_some() || !ep.multipart.is_empty()) {
        sink.error(
            &ep.method.referenced,
            format!("GET endpoint `{name}` cannot have a body"),
        );
    }
    if ep.body.is_some() && !ep.multipart.is_empty() {
        sink.error(
            &at.referenced,
            format!("endpoint `{name}` has both a JSON body and a multipart body"),
        );
    }

    let mut params = Vec::new();
    let mut rust_names: HashSet<String> = HashSet::new();
    let no_fields = IndexMap::new();
    let sections = [
        (&ep.query, FieldCtx::Query),
        (ep.body.as_ref().unwrap_or(&no_fields), FieldCtx::Body),
        (&ep.multipart, FieldCtx::Multipart),
    ];
    for (fields, ctx) in sections {
        for (wire, spec) in fields {
            let Some((field, constant)) = lower_field(sink, cx, wire, spec, ctx) else {
                continue;
            };
            if constant.is_none() && !rust_names.insert(field.rust.clone()) {
                sink.error(
                    &spec.referenced,
                    format!("parameter `{wire}` becomes `{}`, like another parameter", field.rust),
                );
            }
            let location = match ctx {
                FieldCtx::Query => ParamIn::Query,
                FieldCtx::Multipart => ParamIn::Multipart {
                    json: spec.value.encoding.as_ref().is_some_and(|e| e.value == "json"),
                },
                _ => ParamIn::Body(
                    spec.value
                        .at
                        .as_ref()
                        .map(|p| p.value.split('.').map(str::to_owned).collect())
                        .unwrap_or_default(),
                ),
            };
            params.push(Param {
                location,
                field,
                constant,
            });
        }
    }
    if auth == Auth::OAuthToken
        && !params
            .iter()
            .any(|p| p.location == ParamIn::Query && p.field.wire == "access_token")
    {
        sink.error_hint(
            &at.referenced,
            format!("oauth_token endpoint `{name}` has no `access_token` query parameter"),
            "declare the user's token as a required query parameter `access_token`",
        );
    }

    let response = lower_response(sink, cx, &name, ep.response.as_ref())?;
    let paginate = ep
        .paginate
        .as_ref()
        .and_then(|p| lower_paginate(sink, &name, p, &params, &response, index));
    if let Some(at) = &ep.paginate {
        for p in params
            .iter()
            .filter(|p| RESERVED_PAGED_PARAMS.contains(&p.field.rust.as_str()))
        {
            sink.error_hint(
                &at.referenced,
                format!(
                    "parameter `{}` of paged `{name}` would shadow the builder method `{}`",
                    p.field.wire, p.field.rust
                ),
                "set the parameter's `rust_name`",
            );
        }
    }
    let deprecated = ep.deprecated.as_ref().map(|d| Deprecation {
        note: d.value.note.clone(),
        replacement: d.value.replacement.as_ref().map(|r| r.value.clone()),
        of_group: false,
    });
    let examples = ep
        .examples
        .iter()
        .map(|e| Example {
            query: e.value.query.as_ref().map(|v| v.value.clone()),
            request: e.value.request.as_ref().map(|v| v.value.clone()),
            response: e.value.response.as_ref().map(|v| v.value.clone()),
        })
        .collect();
    let mut errors = Vec::new();
    for e in &ep.errors {
        if e.value.errcode.value == 0 {
            sink.error_hint(
                &e.value.errcode.referenced,
                format!("error sample of `{name}` has errcode 0"),
                "errcode 0 is success: put a successful answer under `examples:`",
            );
        }
        errors.push(ErrorSample {
            errcode: e.value.errcode.value,
            errmsg: e.value.errmsg.clone(),
        });
    }
    let date_range = ep
        .date_range
        .as_ref()
        .and_then(|r| lower_date_range(sink, &name, r, &params));
    Some(Endpoint {
        empty_body: ep.body.as_ref().is_some_and(IndexMap::is_empty),
        date_range,
        name,
        section: section.map(str::to_owned),
        doc_url: ep.doc_url.as_ref().map(|u| u.value.clone()),
        paginate,
        seed: ep.seed.as_ref().map(|s| s.value.clone()),
        summary: ep.summary.clone(),
        doc: ep.doc.clone(),
        method,
        host,
        path: ep.path.value.clone(),
        auth,
        params,
        response,
        deprecated,
        examples,
        errors,
    })
}

/// Checks that a `date_range:` names two required `date` parameters and a positive cap.
fn lower_date_range(
    sink: &mut Sink,
    endpoint: &str,
    at: &At<crate::spec::DateRangeSpec>,
    params: &[Param],
) -> Option<DateRange> {
    let r = &at.value;
    let mut find = |wire: &At<String>| {
        let found = params
            .iter()
            .find(|p| p.field.wire == wire.value && p.constant.is_none());
        match found {
            Some(p) if p.field.ty == TypeRef::Date && p.field.required => Some(p.field.rust.clone()),
            Some(_) => {
                sink.error_hint(
                    &wire.referenced,
                    format!(
                        "`date_range` of `{endpoint}` names `{}`, which is not a required `date`",
                        wire.value
                    ),
                    "declare it `{ type: date, required: true }`",
                );
                None
            }
            None => {
                sink.error(
                    &wire.referenced,
                    format!(
                        "`date_range` of `{endpoint}` names `{}`, which is no parameter of it",
                        wire.value
                    ),
                );
                None
            }
        }
    };
    let (begin, end) = (find(&r.begin), find(&r.end));
    if r.max_days.value == 0 {
        sink.error(
            &r.max_days.referenced,
            format!("`max_days` of `{endpoint}` must be at least 1"),
        );
        return None;
    }
    Some(DateRange {
        begin: begin?,
        end: end?,
        max_days: r.max_days.value,
    })
}

fn lower_response(
    sink: &mut Sink,
    cx: &mut Cx<'_>,
    endpoint: &str,
    spec: Option<&At<crate::spec::ResponseSpec>>,
) -> Option<Response> {
    let Some(spec) = spec else { return Some(Response::Empty) };
    let r = &spec.value;
    let shape = match (&r.ty, r.fields.is_empty()) {
        (Some(_), false) => {
            sink.error(
                &spec.referenced,
                format!("response of `{endpoint}` has both `type` and `fields`"),
            );
            return None;
        }
        (Some(t), true) => match cx.resolve(sink, t)? {
            TypeRef::Named(n) => Some(ResponseBody::Named(n)),
            _ => {
                sink.error(
                    &t.referenced,
                    format!("response type of `{endpoint}` must be a named type"),
                );
                return None;
            }
        },
        (None, false) => Some(ResponseBody::Fields(lower_fields(
            sink,
            cx,
            &r.fields,
            FieldCtx::Response,
        ))),
        (None, true) => None,
    };
    let kind = r.kind.as_ref().map(|k| (k.value.as_str(), k.referenced));
    Some(match (kind, shape) {
        (None | Some(("json", _)), Some(b)) => Response::Json(b),
        (None | Some(("empty", _)), None) => Response::Empty,
        (Some(("binary", _)), None) => Response::Binary,
        (Some(("json_or_binary", _)), Some(b)) => Response::JsonOrBinary(b),
        (Some((k @ ("json" | "json_or_binary"), at)), None) => {
            sink.error_hint(
                &at,
                format!("`{k}` response of `{endpoint}` declares no fields"),
                "add `fields:` or `type:`, or use `kind: empty`",
            );
            return None;
        }
        (Some((k @ ("empty" | "binary"), at)), Some(_)) => {
            sink.error(&at, format!("`{k}` response of `{endpoint}` cannot have fields"));
            return None;
        }
        (Some((other, at)), _) => {
            sink.error_hint(
                &at,
                format!("unknown response kind `{other}`"),
                "kinds are json, empty, binary and json_or_binary",
            );
            return None;
        }
    })
}

/// Joins the lowered files of each group into one [`Group`], groups by name.
fn assemble_groups(lowered: Vec<LoweredFile<'_>>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Group> {
    let mut by_name: BTreeMap<String, Vec<LoweredFile<'_>>> = BTreeMap::new();
    for entry in lowered {
        by_name.entry(entry.loaded.group.clone()).or_default().push(entry);
    }
    let mut groups = Vec::new();
    for (name, mut files) in by_name {
        // The main file first, then the sections by name.
        files.sort_by_key(|f| (f.loaded.section.is_some(), f.loaded.file.clone()));
        let Some(main) = files.iter().find(|f| f.loaded.section.is_none()).map(|f| f.loaded) else {
            let first = files[0].loaded;
            let mut sink = Sink::new(first.file.clone());
            sink.error_hint(
                &first.spec.group.referenced,
                format!("the folder of group `{name}` has no main file"),
                format!("add specs/{name}/{name}.yaml with the group's title and docs"),
            );
            diagnostics.append(&mut sink.diagnostics);
            continue;
        };
        let mut group = Group {
            name: name.clone(),
            file: main.file.clone(),
            title: main.spec.title.clone(),
            doc: main.spec.doc.clone(),
            deprecated: main.spec.deprecated.as_ref().map(|d| d.value.note.trim().to_owned()),
            sections: Vec::new(),
            endpoints: Vec::new(),
            helpers: Vec::new(),
            types: Vec::new(),
            uses: Vec::new(),
        };
        let mut uses = BTreeSet::new();
        let mut endpoint_names: HashSet<String> = HashSet::new();
        for LoweredFile {
            loaded,
            types,
            endpoints,
            uses: file_uses,
        } in files
        {
            let mut sink = Sink::new(loaded.file.clone());
            check_group_name(&mut sink, loaded);
            if let Some(d) = loaded.spec.deprecated.as_ref().filter(|_| loaded.section.is_some()) {
                sink.error_hint(
                    &d.referenced,
                    format!("a section of group `{name}` cannot deprecate the group"),
                    format!("move `deprecated` to specs/{name}/{name}.yaml, or onto each endpoint"),
                );
            }
            for (ep, spec) in endpoints.iter().zip(&loaded.spec.endpoints) {
                if !endpoint_names.insert(ep.name.clone()) {
                    sink.error(
                        &spec.value.name.referenced,
                        format!("endpoint `{}` is declared twice in group `{name}`", ep.name),
                    );
                }
            }
            diagnostics.append(&mut sink.diagnostics);
            group.sections.push(Section {
                name: loaded.section.clone(),
                file: loaded.file.clone(),
                title: loaded.spec.title.clone(),
                doc: loaded.spec.doc.clone(),
            });
            group.endpoints.extend(endpoints.into_iter().map(|mut ep| {
                if let (None, Some(note)) = (&ep.deprecated, &group.deprecated) {
                    ep.deprecated = Some(Deprecation {
                        note: note.clone(),
                        replacement: None,
                        of_group: true,
                    });
                }
                ep
            }));
            group.types.extend(types);
            group.helpers.extend(loaded.spec.helpers.iter().map(|h| Helper {
                seed: h.value.seed.value.clone(),
                rust: h.value.rust.clone(),
                summary: h.value.summary.clone(),
            }));
            uses.extend(file_uses);
        }
        uses.remove(&name);
        group.uses = uses.into_iter().collect();
        groups.push(group);
    }
    groups
}

/// A file's `group:` must be where the file is, and a valid name.
fn check_group_name(sink: &mut Sink, loaded: &Loaded) {
    let declared = &loaded.spec.group.value;
    let at = &loaded.spec.group.referenced;
    if !is_identifier(declared) || *declared != snake(declared) || is_keyword(declared) {
        sink.error(at, format!("group `{declared}` must be a snake_case Rust identifier"));
    }
    if *declared != loaded.group {
        let place = match &loaded.section {
            None if loaded.file.components().count() == 2 => format!("its file name `{}.yaml`", loaded.group),
            _ => format!("its folder `specs/{}/`", loaded.group),
        };
        sink.error_hint(
            at,
            format!("group `{declared}` does not match {place}"),
            format!("write `group: {}`, or move the file", loaded.group),
        );
    }
    if let Some(section) = &loaded.section
        && (!is_identifier(section) || *section != snake(section) || is_keyword(section))
    {
        sink.error_hint(
            at,
            format!("section file `{section}.yaml` must be named as a snake_case Rust identifier"),
            "the file name becomes a module name",
        );
    }
}

/// Checks that span groups: seed names used once, replacements that exist, no group
/// both a file and a folder.
fn check_across_groups(specs: &Specs, groups: &[Group], diagnostics: &mut Vec<Diagnostic>) {
    let mut seeds: HashMap<&str, &PathBuf> = HashMap::new();
    let mut places: HashMap<&str, (bool, &PathBuf)> = HashMap::new();
    let endpoints: BTreeSet<String> = groups
        .iter()
        .flat_map(|g| g.endpoints.iter().map(move |e| format!("{}.{}", g.name, e.name)))
        .collect();
    for loaded in &specs.files {
        let mut sink = Sink::new(loaded.file.clone());
        let spec = &loaded.spec;
        let in_folder = loaded.file.components().count() > 2;
        if let Some((was_folder, first)) = places.insert(&loaded.group, (in_folder, &loaded.file))
            && was_folder != in_folder
        {
            sink.error_hint(
                &spec.group.referenced,
                format!("group `{}` is also declared in {}", loaded.group, first.display()),
                "a group is one file or one folder of files, not both",
            );
        }
        let seed_names = spec
            .endpoints
            .iter()
            .filter_map(|e| e.value.seed.as_ref())
            .chain(spec.helpers.iter().map(|h| &h.value.seed));
        for seed in seed_names {
            if let Some(first) = seeds.insert(&seed.value, &loaded.file) {
                sink.error(
                    &seed.referenced,
                    format!(
                        "seed interface `{}` is already implemented in {}",
                        seed.value,
                        first.display()
                    ),
                );
            }
        }
        for ep in &spec.endpoints {
            let Some(dep) = &ep.value.deprecated else { continue };
            let Some(rep) = &dep.value.replacement else { continue };
            if !endpoints.contains(&rep.value) {
                let hint = did_you_mean(&rep.value, endpoints.iter().map(String::as_str)).map_or_else(
                    || "write it as `group.endpoint`".to_owned(),
                    |s| format!("did you mean `{s}`?"),
                );
                sink.error_hint(
                    &rep.referenced,
                    format!("replacement `{}` is not an endpoint of any spec", rep.value),
                    hint,
                );
            }
        }
        diagnostics.append(&mut sink.diagnostics);
    }
}

/// Rejects a struct that contains itself without a list or map in between: it would
/// have infinite size.
fn check_recursion(specs: &Specs, types: &[NamedType], index: &TypeIndex<'_>, diagnostics: &mut Vec<Diagnostic>) {
    for ty in types {
        let mut stack: Vec<&str> = direct_children(ty);
        let mut seen = HashSet::new();
        while let Some(next) = stack.pop() {
            if next == ty.name {
                let declared = specs
                    .shared
                    .iter()
                    .map(|s| (&s.file, &s.spec.types))
                    .chain(specs.files.iter().map(|l| (&l.file, &l.spec.types)))
                    .find_map(|(file, types)| types.get(&ty.name).map(|t| (file, t.referenced)));
                if let Some((file, loc)) = declared {
                    let mut sink = Sink::new(file.clone());
                    sink.error_hint(
                        &loc,
                        format!("type `{}` contains itself directly", ty.name),
                        "wrap the recursive field in a list `[T]`",
                    );
                    diagnostics.append(&mut sink.diagnostics);
                }
                break;
            }
            if seen.insert(next)
                && let Some(t) = index.get(next)
            {
                stack.extend(direct_children(t));
            }
        }
    }
}

fn direct_children(ty: &NamedType) -> Vec<&str> {
    match &ty.def {
        TypeDef::Struct(fields) => fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(n) => Some(n.as_str()),
                _ => None,
            })
            .collect(),
        TypeDef::OneOf { variants, .. } => variants
            .iter()
            .filter_map(|v| match &v.ty {
                TypeRef::Named(n) => Some(n.as_str()),
                _ => None,
            })
            .collect(),
        TypeDef::Enum(_) | TypeDef::Codes(_) => Vec::new(),
    }
}

/// Marks the types a user builds: those reachable from a non-constant parameter of any
/// group, shared types included.
fn mark_request_types(groups: &mut [Group], shared: &mut [NamedType]) {
    let children: HashMap<String, Vec<String>> = groups
        .iter()
        .flat_map(|g| &g.types)
        .chain(shared.iter())
        .map(|t| {
            let names = match &t.def {
                TypeDef::Struct(fields) => fields.iter().filter_map(|f| f.ty.named().map(str::to_owned)).collect(),
                TypeDef::OneOf { variants, .. } => variants
                    .iter()
                    .filter_map(|v| v.ty.named().map(str::to_owned))
                    .collect(),
                TypeDef::Enum(_) | TypeDef::Codes(_) => Vec::new(),
            };
            (t.name.clone(), names)
        })
        .collect();
    let mut stack: Vec<String> = groups
        .iter()
        .flat_map(|g| &g.endpoints)
        .flat_map(|e| e.params.iter())
        .filter(|p| p.constant.is_none())
        .filter_map(|p| p.field.ty.named().map(str::to_owned))
        .collect();
    let mut reached = HashSet::new();
    while let Some(name) = stack.pop() {
        if reached.insert(name.clone())
            && let Some(c) = children.get(&name)
        {
            stack.extend(c.iter().cloned());
        }
    }
    for t in groups
        .iter_mut()
        .flat_map(|g| g.types.iter_mut())
        .chain(shared.iter_mut())
    {
        t.in_request = reached.contains(&t.name);
    }
}

mod error_codes;
mod paginate;
#[cfg(test)]
mod tests;

use error_codes::lower_error_codes;
use paginate::lower_paginate;
