//! Whether a request fits its endpoint's spec, and the errcode WeChat answers when not.

use std::collections::HashMap;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::schema::{Body, Field, Route, Shape, Type, Variant};

/// Named types by name.
pub(crate) type Types = HashMap<&'static str, &'static Type>;

/// A request body as the mock received it.
#[derive(Debug, Clone)]
pub(crate) enum Sent {
    Empty,
    Json(Value),
    /// Not JSON.
    Garbled,
    Form(Vec<Part>),
}

/// A part of a multipart form.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: Option<String>,
    pub(crate) bytes: Bytes,
}

/// Why a request does not fit: what WeChat answers, and what the mock records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) errcode: i64,
    pub(crate) errmsg: String,
}

impl Problem {
    fn new(errcode: i64, errmsg: impl Into<String>) -> Self {
        Problem {
            errcode,
            errmsg: errmsg.into(),
        }
    }

    /// A required parameter is absent: WeChat has a code of its own for some.
    pub(crate) fn missing(path: &str) -> Self {
        let name = path.rsplit(['.', '$']).next().unwrap_or(path);
        let errcode = match name {
            "access_token" => 41001,
            "appid" => 41002,
            "refresh_token" => 41003,
            "secret" => 41004,
            "media" => 41005,
            "media_id" => 41006,
            "code" => 41008,
            "openid" => 41009,
            _ => 47001,
        };
        Problem::new(errcode, format!("data format error hint: missing `{path}`"))
    }

    fn malformed(path: &str, expected: &str, value: &Value) -> Self {
        Problem::new(
            47001,
            format!(
                "data format error hint: `{path}` must be {expected}, not {}",
                kind(value)
            ),
        )
    }

    fn invalid(message: String) -> Self {
        Problem::new(40097, format!("invalid args hint: {message}"))
    }
}

/// Checks the query (without the credential) and the body of a request to `route`.
pub(crate) fn request(route: &Route, query: &[(String, String)], body: &Sent, types: &Types) -> Result<(), Problem> {
    for field in route.query {
        match query.iter().find(|(k, _)| k == field.name) {
            None if field.required => return Err(Problem::missing(field.name)),
            None => {}
            Some((_, text)) => query_value(field, text, types)?,
        }
    }
    match (&route.body, body) {
        (Body::None, _) => Ok(()),
        (Body::Json(_) | Body::Form(_), Sent::Empty) => Err(Problem::new(44002, "empty post data")),
        (Body::Json(fields), Sent::Json(Value::Object(map))) => Checker { types }.object(map, fields, "$"),
        (Body::Json(_), Sent::Json(other)) => Err(Problem::malformed("$", "an object", other)),
        (Body::Json(_), Sent::Garbled | Sent::Form(_)) => {
            Err(Problem::new(47001, "data format error hint: the body is not JSON"))
        }
        (Body::Form(fields), Sent::Form(parts)) => form(fields, parts, types),
        (Body::Form(_), Sent::Json(_) | Sent::Garbled) => Err(Problem::new(41005, "media data missing")),
    }
}

/// Whether every fixed member of `route` has its value in the request: of several
/// endpoints on one path, the one the request is for.
pub(crate) fn claims(route: &Route, query: &[(String, String)], body: &Sent) -> bool {
    fn fixed_hold(fields: &[Field], map: &Map<String, Value>) -> bool {
        fields.iter().all(|f| match (&f.shape, f.fixed, map.get(f.name)) {
            (_, Some(fixed), got) => got.is_some_and(|v| serde_json::from_str::<Value>(fixed).ok().as_ref() == Some(v)),
            (Shape::Object(inner), None, Some(Value::Object(m))) => fixed_hold(inner, m),
            _ => true,
        })
    }
    let query_holds = route.query.iter().filter(|f| f.fixed.is_some()).all(|f| {
        query
            .iter()
            .find(|(k, _)| k == f.name)
            .is_some_and(|(_, text)| query_value(f, text, &Types::new()).is_ok())
    });
    let body_holds = match (&route.body, body) {
        (Body::Json(fields), Sent::Json(Value::Object(map))) => fixed_hold(fields, map),
        _ => true,
    };
    query_holds && body_holds
}

/// The JSON value `text` stands for in a query: numbers and booleans are written bare.
fn query_value(field: &Field, text: &str, types: &Types) -> Result<(), Problem> {
    if let Some(fixed) = field.fixed {
        let want = serde_json::from_str::<Value>(fixed).unwrap_or(Value::Null);
        let same = match &want {
            Value::String(s) => s == text,
            other => *other.to_string() == *text,
        };
        return match same {
            true => Ok(()),
            false => Err(Problem::invalid(format!("`{}` must be {fixed}", field.name))),
        };
    }
    let value = match &field.shape {
        Shape::String | Shape::Date | Shape::Named(_) => Value::String(text.to_owned()),
        _ => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    };
    Checker { types }.value(&value, &field.shape, true, field.name)
}

fn form(fields: &[Field], parts: &[Part], types: &Types) -> Result<(), Problem> {
    for field in fields {
        let Some(part) = parts.iter().find(|p| p.name == field.name) else {
            if field.required {
                return Err(match field.shape {
                    Shape::File => Problem::new(41005, format!("media data missing hint: no part `{}`", field.name)),
                    _ => Problem::missing(field.name),
                });
            }
            continue;
        };
        match field.shape {
            Shape::File if part.file_name.is_none() => {
                return Err(Problem::new(
                    41005,
                    format!("media data missing hint: part `{}` is not a file", field.name),
                ));
            }
            Shape::File => {}
            // A text part is sent as it is, not as JSON.
            Shape::String => {
                if std::str::from_utf8(&part.bytes).is_err() {
                    return Err(Problem::new(
                        47001,
                        format!("data format error hint: part `{}` is not text", field.name),
                    ));
                }
            }
            _ => {
                let value: Value = serde_json::from_slice(&part.bytes).map_err(|_| {
                    Problem::new(
                        47001,
                        format!("data format error hint: part `{}` is not JSON", field.name),
                    )
                })?;
                Checker { types }.value(&value, &field.shape, field.loose, field.name)?;
            }
        }
    }
    Ok(())
}

struct Checker<'a> {
    types: &'a Types,
}

impl Checker<'_> {
    fn object(&self, map: &Map<String, Value>, fields: &[Field], path: &str) -> Result<(), Problem> {
        for field in fields {
            let here = format!("{path}.{}", field.name);
            if field.flatten {
                self.flattened(map, field, path)?;
                continue;
            }
            match map.get(field.name) {
                None | Some(Value::Null) if field.required => return Err(Problem::missing(&here)),
                None | Some(Value::Null) => {}
                Some(value) => match field.fixed {
                    Some(fixed) if serde_json::from_str::<Value>(fixed).ok().as_ref() != Some(value) => {
                        return Err(Problem::invalid(format!("`{here}` must be {fixed}")));
                    }
                    Some(_) => {}
                    None => self.value(value, &field.shape, field.loose, &here)?,
                },
            }
        }
        Ok(())
    }

    /// A one-of whose keys sit in `map` beside the other members.
    fn flattened(&self, map: &Map<String, Value>, field: &Field, path: &str) -> Result<(), Problem> {
        let Shape::Named(name) = field.shape else {
            return Ok(());
        };
        let Some(Type::OneOf { tag, variants }) = self.types.get(name) else {
            return Ok(());
        };
        let present: Map<String, Value> = map
            .iter()
            .filter(|(k, _)| variants.iter().any(|v| v.key == *k) || *tag == Some(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if present.is_empty() {
            return match field.required {
                true => Err(Problem::missing(&format!("{path}.{}", variants_keys(variants)))),
                false => Ok(()),
            };
        }
        self.one_of(&present, name, *tag, variants, path)
    }

    fn value(&self, value: &Value, shape: &Shape, loose: bool, path: &str) -> Result<(), Problem> {
        let fits = match shape {
            Shape::String => value.is_string(),
            Shape::Date => value
                .as_str()
                .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            Shape::Bool => value.is_boolean(),
            Shape::Json => true,
            Shape::File => false,
            Shape::I32 | Shape::I64 | Shape::U32 | Shape::U64 | Shape::F64 => {
                let number = match value {
                    Value::String(s) if loose => s.parse::<serde_json::Number>().ok(),
                    Value::Number(n) => Some(n.clone()),
                    _ => None,
                };
                number.is_some_and(|n| fits(&n, shape))
            }
            Shape::List(item) => match value {
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        self.value(v, item, loose, &format!("{path}[{i}]"))?;
                    }
                    true
                }
                _ => false,
            },
            Shape::Map(item) => match value {
                Value::Object(map) => {
                    for (k, v) in map {
                        self.value(v, item, loose, &format!("{path}.{k}"))?;
                    }
                    true
                }
                _ => false,
            },
            Shape::Object(fields) => match value {
                Value::Object(map) => return self.object(map, fields, path),
                _ => false,
            },
            Shape::Named(name) => return self.named(value, name, path),
        };
        match fits {
            true => Ok(()),
            false => Err(Problem::malformed(path, &describe(shape), value)),
        }
    }

    fn named(&self, value: &Value, name: &str, path: &str) -> Result<(), Problem> {
        // A name the tables lack is a generator bug, not the caller's: let it pass.
        let Some(ty) = self.types.get(name) else {
            return Ok(());
        };
        match (ty, value) {
            (Type::Struct(fields), Value::Object(map)) => self.object(map, fields, path),
            (Type::Enum(values), Value::String(s)) if values.contains(&s.as_str()) => Ok(()),
            (Type::Enum(values), Value::String(s)) => Err(Problem::invalid(format!(
                "`{path}` is `{s}`, not one of {}",
                values.join(", ")
            ))),
            (Type::OneOf { tag, variants }, Value::Object(map)) => self.one_of(map, name, *tag, variants, path),
            (Type::Enum(_), other) => Err(Problem::malformed(path, "a string", other)),
            (Type::Codes(codes), Value::Number(n)) => match n.as_i64() {
                Some(code) if codes.contains(&code) => Ok(()),
                _ => Err(Problem::invalid(format!(
                    "`{path}` is {n}, not one of {}",
                    codes.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                ))),
            },
            (Type::Codes(_), other) => Err(Problem::malformed(path, "an integer", other)),
            (_, other) => Err(Problem::malformed(path, &format!("a `{name}` object"), other)),
        }
    }

    fn one_of(
        &self,
        map: &Map<String, Value>,
        name: &str,
        tag: Option<&str>,
        variants: &[Variant],
        path: &str,
    ) -> Result<(), Problem> {
        let present: Vec<&Variant> = variants.iter().filter(|v| map.contains_key(v.key)).collect();
        let [variant] = present.as_slice() else {
            return Err(Problem::invalid(format!(
                "`{path}` must hold exactly one of {} for a `{name}`, it holds {}",
                variants_keys(variants),
                present.len()
            )));
        };
        if let (Some(tag), Some(want)) = (tag, variant.tag)
            && map.get(tag).and_then(Value::as_str) != Some(want)
        {
            return Err(Problem::invalid(format!(
                "`{path}.{tag}` must be `{want}` alongside `{}`",
                variant.key
            )));
        }
        match map.get(variant.key) {
            Some(v) => self.value(v, &variant.shape, false, &format!("{path}.{}", variant.key)),
            None => Ok(()),
        }
    }
}

fn variants_keys(variants: &[Variant]) -> String {
    variants.iter().map(|v| v.key).collect::<Vec<_>>().join("|")
}

fn fits(n: &serde_json::Number, shape: &Shape) -> bool {
    match shape {
        Shape::I32 => n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        Shape::I64 => n.is_i64(),
        Shape::U32 => n.as_u64().is_some_and(|v| u32::try_from(v).is_ok()),
        Shape::U64 => n.is_u64(),
        _ => n.as_f64().is_some(),
    }
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::String => "a string".into(),
        Shape::Date => "a YYYY-MM-DD date".into(),
        Shape::Bool => "a boolean".into(),
        Shape::I32 | Shape::I64 => "an integer".into(),
        Shape::U32 | Shape::U64 => "a non-negative integer".into(),
        Shape::F64 => "a number".into(),
        Shape::Json => "JSON".into(),
        Shape::File => "a file".into(),
        Shape::List(item) => format!("a list of {}", describe(item)),
        Shape::Map(_) | Shape::Object(_) => "an object".into(),
        Shape::Named(name) => format!("a `{name}`"),
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
