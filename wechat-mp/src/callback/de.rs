//! Field helpers for WeChat's loose XML.
//!
//! Card-event samples put spaces around CDATA (`<CardId> <![CDATA[x]]> </CardId>`), which
//! quick-xml keeps, and numbers arrive both bare and inside CDATA. These helpers trim and
//! parse so the typed structs see clean values.

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, de::Error as _};

/// A required string, surrounding whitespace removed.
pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    Ok(trim_owned(s))
}

/// An optional string; absent, empty or blank is `None`.
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    Ok(s.map(trim_owned).filter(|s| !s.is_empty()))
}

/// A required number, bare or in CDATA, whitespace allowed.
pub(crate) fn num<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let s = String::deserialize(d)?;
    s.trim().parse().map_err(D::Error::custom)
}

/// An optional number; absent or blank is `None`.
pub(crate) fn opt_num<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => s.trim().parse().map(Some).map_err(D::Error::custom),
    }
}

/// WeChat's `0`/`1` flags (also `true`/`false`); absent is `false` via `#[serde(default)]`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let s = String::deserialize(d)?;
    match s.trim() {
        "1" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "false" | "FALSE" | "False" | "" => Ok(false),
        other => Err(D::Error::custom(format!("expected 0 or 1, found {other:?}"))),
    }
}

fn trim_owned(s: String) -> String {
    let trimmed = s.trim();
    if trimmed.len() == s.len() {
        s
    } else {
        trimmed.to_owned()
    }
}
