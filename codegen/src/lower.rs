//! Validation and lowering of loaded specs into the IR.
//!
//! Every check reports through a [`Sink`] with the location of the offending YAML, and
//! lowering goes on after an error so that one run reports every mistake.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use indexmap::IndexMap;

use crate::diag::{Diagnostic, Sink, did_you_mean};
use crate::examples;
use crate::ident::{is_identifier, is_keyword, pascal, snake};
use crate::ir::*;
use crate::spec::{At, EndpointSpec, FieldSpec, SpecFile, TypeSpec};

/// A parsed spec file and where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// Path relative to the workspace root, e.g. `specs/menu.yaml`.
    pub file: PathBuf,
    /// Its contents.
    pub spec: SpecFile,
}

/// Names a parameter may not take: the request builder already has these methods.
const RESERVED_PARAMS: &[&str] = &["send", "into_request", "into_future", "client", "new"];

/// What a field is part of; decides which keys make sense on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldCtx {
    Struct,
    Response,
    Query,
    Body,
    Multipart,
}

/// Validates every spec and lowers them to the IR, or returns every diagnostic found.
pub fn lower(files: &[Loaded]) -> Result<Ir, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut groups = Vec::new();
    let mut endpoint_locations: HashMap<String, (PathBuf, serde_saphyr::Location)> = HashMap::new();
    for loaded in files {
        let mut sink = Sink::new(loaded.file.clone());
        let group = lower_file(&mut sink, loaded);
        for ep in &loaded.spec.endpoints {
            endpoint_locations.insert(
                format!("{}.{}", loaded.spec.group.value, ep.value.name.value),
                (loaded.file.clone(), ep.referenced),
            );
        }
        diagnostics.append(&mut sink.diagnostics);
        groups.push(group);
    }
    check_across_files(files, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(Ir { groups })
    } else {
        Err(diagnostics)
    }
}

fn check_across_files(files: &[Loaded], diagnostics: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<&str, &PathBuf> = HashMap::new();
    let mut seeds: HashMap<&str, &PathBuf> = HashMap::new();
    let endpoints: BTreeSet<String> = files
        .iter()
        .flat_map(|l| {
            l.spec
                .endpoints
                .iter()
                .map(move |e| format!("{}.{}", l.spec.group.value, e.value.name.value))
        })
        .collect();
    for loaded in files {
        let mut sink = Sink::new(loaded.file.clone());
        let spec = &loaded.spec;
        if let Some(first) = groups.insert(&spec.group.value, &loaded.file) {
            sink.error(
                &spec.group.referenced,
                format!("group `{}` is also declared in {}", spec.group.value, first.display()),
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

fn lower_file(sink: &mut Sink, loaded: &Loaded) -> Group {
    let spec = &loaded.spec;
    let name = spec.group.value.clone();
    if !is_identifier(&name) || name != snake(&name) || is_keyword(&name) {
        sink.error(
            &spec.group.referenced,
            format!("group `{name}` must be a snake_case Rust identifier"),
        );
    }
    let stem = loaded.file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem != name {
        sink.error_hint(
            &spec.group.referenced,
            format!("group `{name}` does not match its file name `{stem}.yaml`"),
            format!("rename the file to `{name}.yaml` or the group to `{stem}`"),
        );
    }

    let reserved = reserved_type_names(&name, &spec.endpoints);
    let known: BTreeSet<&str> = spec.types.keys().map(String::as_str).collect();
    let mut types = Vec::new();
    for (type_name, ty) in &spec.types {
        if !is_identifier(type_name) || pascal(type_name) != *type_name {
            sink.error(
                &ty.referenced,
                format!("type name `{type_name}` must be UpperCamelCase"),
            );
        }
        if let Some(what) = reserved.get(type_name.as_str()) {
            sink.error_hint(
                &ty.referenced,
                format!("type name `{type_name}` collides with the generated {what}"),
                "pick another name",
            );
        }
        if let Some(def) = lower_type(sink, type_name, ty, &known) {
            types.push(NamedType {
                name: type_name.clone(),
                doc: ty.value.doc.clone(),
                def,
                in_request: false,
            });
        }
    }
    check_recursion(sink, spec, &types);

    let mut endpoints = Vec::new();
    let mut endpoint_names = HashSet::new();
    for ep in &spec.endpoints {
        if !endpoint_names.insert(ep.value.name.value.as_str()) {
            sink.error(
                &ep.value.name.referenced,
                format!("endpoint `{}` is declared twice in this group", ep.value.name.value),
            );
        }
        if let Some(endpoint) = lower_endpoint(sink, ep, &known) {
            endpoints.push(endpoint);
        }
    }

    let helpers = spec
        .helpers
        .iter()
        .map(|h| Helper {
            seed: h.value.seed.value.clone(),
            rust: h.value.rust.clone(),
            summary: h.value.summary.clone(),
        })
        .collect();

    let mut group = Group {
        name,
        file: loaded.file.clone(),
        title: spec.title.clone(),
        doc: spec.doc.clone(),
        endpoints,
        helpers,
        types,
    };
    mark_request_types(&mut group);
    if sink.diagnostics.is_empty() {
        examples::check_group(sink, spec, &group);
    }
    group
}

/// Generated item names a spec type must not take, with what they are.
fn reserved_type_names(group: &str, endpoints: &[At<EndpointSpec>]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    names.insert(format!("{}Api", pascal(group)), "group handle".to_owned());
    for ep in endpoints {
        let p = pascal(&ep.value.name.value);
        names.insert(
            format!("{p}Request"),
            format!("request builder of `{}`", ep.value.name.value),
        );
        names.insert(format!("{p}Response"), format!("response of `{}`", ep.value.name.value));
    }
    names
}

fn resolve(sink: &mut Sink, at: &At<String>, known: &BTreeSet<&str>) -> Option<TypeRef> {
    let ty = match TypeRef::parse(&at.value) {
        Ok(ty) => ty,
        Err(e) => {
            sink.error_hint(
                &at.referenced,
                e,
                "types are string, bool, i32, i64, u32, u64, f64, json, file, [T], map<T> or a named type",
            );
            return None;
        }
    };
    if let Some(name) = ty.named()
        && !known.contains(name)
    {
        let list = known.iter().copied().collect::<Vec<_>>().join(", ");
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? known: {list}"),
            None if list.is_empty() => "declare it under `types:`".to_owned(),
            None => format!("known: {list}"),
        };
        sink.error_hint(&at.referenced, format!("unknown type `{name}`"), hint);
        return None;
    }
    Some(ty)
}

fn lower_type(sink: &mut Sink, name: &str, ty: &At<TypeSpec>, known: &BTreeSet<&str>) -> Option<TypeDef> {
    let spec = &ty.value;
    let kinds = [spec.fields.is_some(), spec.values.is_some(), spec.one_of.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        sink.error(
            &ty.referenced,
            format!("type `{name}` needs exactly one of `fields`, `values` or `one_of`"),
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
        return Some(TypeDef::Struct(lower_fields(sink, fields, known, FieldCtx::Struct)));
    }
    if let Some(values) = &spec.values {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let mut out = Vec::new();
        for (wire, doc) in values {
            let rust = pascal(wire);
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
                doc: doc.clone(),
            });
        }
        if out.is_empty() {
            sink.error(&ty.referenced, format!("enum `{name}` has no values"));
        }
        return Some(TypeDef::Enum(out));
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
        if let Some(ty) = resolve(sink, &v.value.ty, known) {
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
    fields: &IndexMap<String, At<FieldSpec>>,
    known: &BTreeSet<&str>,
    ctx: FieldCtx,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut rust_names = HashSet::new();
    for (wire, spec) in fields {
        if let Some((field, _)) = lower_field(sink, wire, spec, known, ctx) {
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
    wire: &str,
    at: &At<FieldSpec>,
    known: &BTreeSet<&str>,
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
    if is_param && RESERVED_PARAMS.contains(&rust.as_str()) {
        sink.error_hint(
            loc,
            format!("parameter `{wire}` would shadow the builder method `{rust}`"),
            "set `rust_name`",
        );
    }
    let ty = match (&spec.ty, &spec.constant) {
        (Some(t), _) => resolve(sink, t, known)?,
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

fn lower_endpoint(sink: &mut Sink, at: &At<EndpointSpec>, known: &BTreeSet<&str>) -> Option<Endpoint> {
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
    if method == Method::Get && !(ep.body.is_empty() && ep.multipart.is_empty()) {
        sink.error(
            &ep.method.referenced,
            format!("GET endpoint `{name}` cannot have a body"),
        );
    }
    if !ep.body.is_empty() && !ep.multipart.is_empty() {
        sink.error(
            &at.referenced,
            format!("endpoint `{name}` has both a JSON body and a multipart body"),
        );
    }

    let mut params = Vec::new();
    let mut rust_names: HashSet<String> = HashSet::new();
    let sections = [
        (&ep.query, FieldCtx::Query),
        (&ep.body, FieldCtx::Body),
        (&ep.multipart, FieldCtx::Multipart),
    ];
    for (fields, ctx) in sections {
        for (wire, spec) in fields {
            let Some((field, constant)) = lower_field(sink, wire, spec, known, ctx) else {
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

    let response = lower_response(sink, &name, ep.response.as_ref(), known)?;
    let deprecated = ep.deprecated.as_ref().map(|d| Deprecation {
        note: d.value.note.clone(),
        replacement: d.value.replacement.as_ref().map(|r| r.value.clone()),
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
    Some(Endpoint {
        name,
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

fn lower_response(
    sink: &mut Sink,
    endpoint: &str,
    spec: Option<&At<crate::spec::ResponseSpec>>,
    known: &BTreeSet<&str>,
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
        (Some(t), true) => match resolve(sink, t, known)? {
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
            &r.fields,
            known,
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

/// Rejects a struct that contains itself without a list or map in between: it would
/// have infinite size.
fn check_recursion(sink: &mut Sink, spec: &SpecFile, types: &[NamedType]) {
    let by_name: HashMap<&str, &NamedType> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    for ty in types {
        let mut stack: Vec<&str> = direct_children(ty);
        let mut seen = HashSet::new();
        while let Some(next) = stack.pop() {
            if next == ty.name {
                let loc = spec.types.get(&ty.name).map(|t| t.referenced);
                if let Some(loc) = loc {
                    sink.error_hint(
                        &loc,
                        format!("type `{}` contains itself directly", ty.name),
                        "wrap the recursive field in a list `[T]`",
                    );
                }
                break;
            }
            if seen.insert(next)
                && let Some(t) = by_name.get(next)
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
        TypeDef::Enum(_) => Vec::new(),
    }
}

/// Marks the types a user builds: those reachable from a non-constant parameter.
fn mark_request_types(group: &mut Group) {
    let mut stack: Vec<String> = group
        .endpoints
        .iter()
        .flat_map(|e| e.params.iter())
        .filter(|p| p.constant.is_none())
        .filter_map(|p| p.field.ty.named().map(str::to_owned))
        .collect();
    let mut reached = HashSet::new();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(t) = group.types.iter().find(|t| t.name == name) {
            let children: Vec<String> = match &t.def {
                TypeDef::Struct(fields) => fields.iter().filter_map(|f| f.ty.named().map(str::to_owned)).collect(),
                TypeDef::OneOf { variants, .. } => variants
                    .iter()
                    .filter_map(|v| v.ty.named().map(str::to_owned))
                    .collect(),
                TypeDef::Enum(_) => Vec::new(),
            };
            stack.extend(children);
        }
    }
    for t in &mut group.types {
        t.in_request = reached.contains(&t.name);
    }
}
