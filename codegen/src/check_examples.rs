//! Checks that every example in a spec fits the types the spec declares.
//!
//! An example that does not fit is a spec bug either way: the declared type is wrong,
//! or the example is. Unknown keys are errors too, so that examples cannot hold fields
//! the spec forgot to declare.

use serde_json::{Map, Value};

use crate::diag::Sink;
use crate::ir::*;
use crate::spec::SpecFile;

/// Keys WeChat adds to every response; the runtime handles them.
pub const STATUS_KEYS: &[&str] = &["errcode", "errmsg"];

/// Checks every example of every endpoint of one spec file, lowered as `endpoints`.
pub fn check_file(sink: &mut Sink, spec: &SpecFile, endpoints: &[Endpoint], types: &TypeIndex<'_>) {
    let checker = Checker { types };
    for (ep, ep_spec) in endpoints.iter().zip(&spec.endpoints) {
        if ep_spec.value.examples.is_empty() {
            sink.error_hint(
                &ep_spec.value.name.referenced,
                format!("endpoint `{}` has no example", ep.name),
                "add `examples:` with the request and response from the seed: the generated test of the endpoint replays them",
            );
        }
        for ex in &ep_spec.value.examples {
            let ex = &ex.value;
            if let Some(query) = &ex.query {
                for e in checker.query(ep, &query.value) {
                    sink.error(&query.referenced, format!("example query of `{}`: {e}", ep.name));
                }
            }
            if let Some(request) = &ex.request {
                for e in checker.request(ep, &request.value) {
                    sink.error(&request.referenced, format!("example request of `{}`: {e}", ep.name));
                }
            }
            if let Some(response) = &ex.response {
                for e in checker.response(ep, &response.value) {
                    sink.error(&response.referenced, format!("example response of `{}`: {e}", ep.name));
                }
            }
        }
    }
}

struct Checker<'a> {
    types: &'a TypeIndex<'a>,
}

impl Checker<'_> {
    fn named(&self, name: &str) -> Option<&NamedType> {
        self.types.get(name).copied()
    }

    fn query(&self, ep: &Endpoint, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        let Value::Object(map) = value else {
            return vec![format!("expected an object of query parameters, found {}", kind(value))];
        };
        let params: Vec<&Param> = ep.params.iter().filter(|p| p.location == ParamIn::Query).collect();
        for (key, v) in map {
            match params.iter().find(|p| p.field.wire == *key) {
                None => errors.push(format!("`{key}` is not a declared query parameter")),
                Some(p) => {
                    if let Some(c) = &p.constant
                        && !same_scalar(c, v)
                    {
                        errors.push(format!("`{key}` is fixed to {c}, the example has {v}"));
                    }
                    // Query values are text on the wire, so numbers may be written as strings.
                    self.value(v, &p.field.ty, true, &format!("$.{key}"), &mut errors);
                }
            }
        }
        for p in params {
            // The generator writes fixed values itself; an example may leave them out.
            if p.field.required && p.constant.is_none() && !map.contains_key(&p.field.wire) {
                errors.push(format!("required query parameter `{}` is missing", p.field.wire));
            }
        }
        errors
    }

    fn request(&self, ep: &Endpoint, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        if !matches!(value, Value::Object(_)) {
            return vec![format!("expected a JSON object, found {}", kind(value))];
        }
        let mut claimed: Vec<Vec<String>> = Vec::new();
        for p in &ep.params {
            // Multipart form fields are checked like a flat body; files have no JSON form.
            let path: &[String] = match &p.location {
                ParamIn::Body(path) => path,
                ParamIn::Multipart { .. } if p.field.ty != TypeRef::File => &[],
                _ => continue,
            };
            let parent = lookup(value, path);
            let here = format!(
                "$.{}",
                path.iter()
                    .chain(std::iter::once(&p.field.wire))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(".")
            );
            if p.field.flatten {
                let keys = self.flattened_keys(&p.field.ty);
                let parent_map = parent;
                let present: Map<String, Value> = parent_map
                    .map(|m| {
                        m.iter()
                            .filter(|(k, _)| keys.contains(k))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                if present.is_empty() {
                    if p.field.required {
                        errors.push(format!(
                            "none of the keys of `{}` ({}) is present",
                            p.field.wire,
                            keys.join(", ")
                        ));
                    }
                } else {
                    self.value(&Value::Object(present), &p.field.ty, false, &here, &mut errors);
                }
                for k in keys {
                    claimed.push(path.iter().cloned().chain(std::iter::once(k)).collect());
                }
                continue;
            }
            claimed.push(
                path.iter()
                    .cloned()
                    .chain(std::iter::once(p.field.wire.clone()))
                    .collect(),
            );
            match parent.and_then(|m| m.get(&p.field.wire)) {
                None | Some(Value::Null) => {
                    if p.field.required {
                        errors.push(format!("required field `{here}` is missing"));
                    }
                }
                Some(v) => {
                    if let Some(c) = &p.constant {
                        if c != v {
                            errors.push(format!("`{here}` is fixed to {c}, the example has {v}"));
                        }
                    } else {
                        self.value(v, &p.field.ty, p.field.loose, &here, &mut errors);
                    }
                }
            }
        }
        unclaimed(value, &mut Vec::new(), &claimed, &mut errors);
        errors
    }

    fn response(&self, ep: &Endpoint, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        let Value::Object(map) = value else {
            return vec![format!("expected a JSON object, found {}", kind(value))];
        };
        let body: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| !STATUS_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match &ep.response {
            Response::Empty => {
                for key in body.keys() {
                    errors.push(format!(
                        "`{key}` in the response of an endpoint declared to answer only errcode/errmsg"
                    ));
                }
            }
            Response::Binary => errors.push("a binary response has no JSON example".into()),
            Response::Json(shape) | Response::JsonOrBinary(shape) => match shape {
                ResponseBody::Fields(fields) => self.object(&Value::Object(body), fields, "$", &mut errors),
                ResponseBody::Named(name) => self.value(
                    &Value::Object(body),
                    &TypeRef::Named(name.clone()),
                    false,
                    "$",
                    &mut errors,
                ),
            },
        }
        errors
    }

    /// Keys a flattened one-of may put into its parent.
    fn flattened_keys(&self, ty: &TypeRef) -> Vec<String> {
        flattened_keys(ty, self.types)
    }

    fn object(&self, value: &Value, fields: &[Field], path: &str, errors: &mut Vec<String>) {
        let Value::Object(map) = value else {
            errors.push(format!("`{path}`: expected an object, found {}", kind(value)));
            return;
        };
        let mut known: Vec<String> = Vec::new();
        for f in fields {
            if f.flatten {
                let keys = self.flattened_keys(&f.ty);
                let present: Map<String, Value> = map
                    .iter()
                    .filter(|(k, _)| keys.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                if !present.is_empty() {
                    self.value(&Value::Object(present), &f.ty, false, path, errors);
                } else if f.required {
                    errors.push(format!("`{path}`: none of the keys of `{}` is present", f.wire));
                }
                known.extend(keys);
                continue;
            }
            known.push(f.wire.clone());
            let here = format!("{path}.{}", f.wire);
            match map.get(&f.wire) {
                None | Some(Value::Null) if f.required => errors.push(format!("required field `{here}` is missing")),
                None | Some(Value::Null) => {}
                Some(v) => self.value(v, &f.ty, f.loose, &here, errors),
            }
        }
        for key in map.keys() {
            if !known.contains(key) {
                errors.push(format!("`{path}.{key}` is not a declared field"));
            }
        }
    }

    fn value(&self, value: &Value, ty: &TypeRef, loose: bool, path: &str, errors: &mut Vec<String>) {
        let ok = match ty {
            TypeRef::String => value.is_string(),
            TypeRef::Date => value.as_str().is_some_and(is_date),
            TypeRef::Bool => value.is_boolean(),
            TypeRef::Json => true,
            TypeRef::File => {
                errors.push(format!("`{path}`: a file cannot appear in a JSON example"));
                return;
            }
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F64 => {
                let number = match value {
                    Value::String(s) if loose => s.parse::<serde_json::Number>().ok(),
                    Value::Number(n) => Some(n.clone()),
                    _ => None,
                };
                number.is_some_and(|n| fits(&n, ty))
            }
            TypeRef::List(inner) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, inner, loose, &format!("{path}[{i}]"), errors);
                    }
                    true
                }
                _ => false,
            },
            TypeRef::Map(inner) => match value {
                Value::Object(map) => {
                    for (k, v) in map {
                        self.value(v, inner, loose, &format!("{path}.{k}"), errors);
                    }
                    true
                }
                _ => false,
            },
            TypeRef::Named(name) => {
                let Some(t) = self.named(name) else { return };
                match &t.def {
                    TypeDef::Struct(fields) => {
                        self.object(value, fields, path, errors);
                        return;
                    }
                    TypeDef::Enum(values) => match value {
                        Value::String(s) if values.iter().any(|v| v.wire == *s) => true,
                        Value::String(s) => {
                            let known = values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>().join(", ");
                            errors.push(format!("`{path}`: `{s}` is not a value of `{name}` (values: {known})"));
                            return;
                        }
                        _ => false,
                    },
                    // A code reads from a numeric string too, as WeChat sometimes sends one.
                    TypeDef::Codes(codes) => match value.as_i64().or_else(|| value.as_str()?.trim().parse().ok()) {
                        Some(n) if codes.iter().any(|c| c.code() == n) => true,
                        Some(n) => {
                            let known = codes.iter().map(|c| c.wire.as_str()).collect::<Vec<_>>().join(", ");
                            errors.push(format!("`{path}`: {n} is not a code of `{name}` (codes: {known})"));
                            return;
                        }
                        None => false,
                    },
                    TypeDef::OneOf { tag_field, variants } => {
                        self.one_of(value, name, tag_field.as_deref(), variants, path, errors);
                        return;
                    }
                }
            }
        };
        if !ok {
            errors.push(format!("`{path}`: expected {}, found {}", ty.spelling(), kind(value)));
        }
    }

    fn one_of(
        &self,
        value: &Value,
        name: &str,
        tag_field: Option<&str>,
        variants: &[Variant],
        path: &str,
        errors: &mut Vec<String>,
    ) {
        let Value::Object(map) = value else {
            errors.push(format!("`{path}`: expected a `{name}` object, found {}", kind(value)));
            return;
        };
        let present: Vec<&Variant> = variants.iter().filter(|v| map.contains_key(&v.key)).collect();
        let [variant] = present.as_slice() else {
            let keys = variants.iter().map(|v| v.key.as_str()).collect::<Vec<_>>().join(", ");
            errors.push(format!(
                "`{path}`: a `{name}` holds exactly one of {keys}; found {}",
                present.len()
            ));
            return;
        };
        if let (Some(tag_field), Some(tag)) = (tag_field, &variant.tag)
            && map.get(tag_field).and_then(Value::as_str) != Some(tag)
        {
            errors.push(format!(
                "`{path}.{tag_field}` must be `{tag}` alongside `{}`",
                variant.key
            ));
        }
        for key in map.keys() {
            if *key != variant.key && Some(key.as_str()) != tag_field {
                errors.push(format!("`{path}.{key}` is not part of `{name}`"));
            }
        }
        if let Some(v) = map.get(&variant.key) {
            self.value(v, &variant.ty, false, &format!("{path}.{}", variant.key), errors);
        }
    }
}

fn lookup<'v>(value: &'v Value, path: &[String]) -> Option<&'v Map<String, Value>> {
    let mut cur = value.as_object()?;
    for seg in path {
        cur = cur.get(seg)?.as_object()?;
    }
    Some(cur)
}

/// Reports keys of the example body that no parameter accounts for.
fn unclaimed(value: &Value, prefix: &mut Vec<String>, claimed: &[Vec<String>], errors: &mut Vec<String>) {
    let Value::Object(map) = value else { return };
    for (key, v) in map {
        prefix.push(key.clone());
        if !claimed.iter().any(|c| c == prefix) {
            if claimed.iter().any(|c| c.starts_with(prefix)) {
                unclaimed(v, prefix, claimed, errors);
            } else {
                errors.push(format!("`$.{}` is not a declared parameter", prefix.join(".")));
            }
        }
        prefix.pop();
    }
}

/// `YYYY-MM-DD` with a month and a day in range (the day's upper bound is 31: the
/// runtime's `NaiveDate` is the final judge).
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(y, 4)
        && digits(m, 2)
        && digits(d, 2)
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
}

fn fits(n: &serde_json::Number, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::I32 => n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        TypeRef::I64 => n.is_i64() || n.as_u64().is_some_and(|v| i64::try_from(v).is_ok()),
        TypeRef::U32 => n.as_u64().is_some_and(|v| u32::try_from(v).is_ok()),
        TypeRef::U64 => n.is_u64(),
        TypeRef::F64 => true,
        _ => false,
    }
}

fn same_scalar(constant: &Value, example: &Value) -> bool {
    match (constant, example) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(n), Value::String(b)) => n.to_string() == *b,
        (Value::Bool(v), Value::String(b)) => b == if *v { "true" } else { "false" },
        (a, b) => a == b,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
