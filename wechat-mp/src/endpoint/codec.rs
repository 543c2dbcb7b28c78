//! Serde helpers that generated types name in their attributes.

/// Numbers WeChat sometimes sends as strings (`"sex": "1"`): accept both.
pub mod loose {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrString<T> {
        Number(T),
        String(String),
    }

    fn parse<T, E>(value: NumberOrString<T>) -> Result<T, E>
    where
        T: FromStr,
        T::Err: Display,
        E: serde::de::Error,
    {
        match value {
            NumberOrString::Number(n) => Ok(n),
            NumberOrString::String(s) => s
                .trim()
                .parse()
                .map_err(|e| E::custom(format!("`{s}` is not a number: {e}"))),
        }
    }

    /// A required number, as a number or a numeric string.
    pub fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + FromStr,
        T::Err: Display,
    {
        parse(NumberOrString::deserialize(deserializer)?)
    }

    /// An optional number, as a number, a numeric string, or `null`; an empty string is
    /// treated as absent.
    pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + FromStr,
        T::Err: Display,
    {
        match Option::<NumberOrString<T>>::deserialize(deserializer)? {
            None => Ok(None),
            Some(NumberOrString::String(s)) if s.trim().is_empty() => Ok(None),
            Some(value) => parse(value).map(Some),
        }
    }

    #[cfg(test)]
    mod tests {
        #[derive(Debug, serde::Deserialize)]
        struct Probe {
            #[serde(deserialize_with = "super::required")]
            a: i64,
            #[serde(default, deserialize_with = "super::optional")]
            b: Option<u32>,
        }

        #[test]
        fn numbers_and_numeric_strings_both_decode() {
            let p: Probe = serde_json::from_str(r#"{"a":"-3","b":7}"#).unwrap();
            assert_eq!((p.a, p.b), (-3, Some(7)));
            let p: Probe = serde_json::from_str(r#"{"a":5,"b":""}"#).unwrap();
            assert_eq!((p.a, p.b), (5, None));
            let p: Probe = serde_json::from_str(r#"{"a":5}"#).unwrap();
            assert_eq!(p.b, None);
        }

        #[test]
        fn non_numeric_strings_are_errors() {
            let err = serde_json::from_str::<Probe>(r#"{"a":"abc"}"#).unwrap_err();
            assert!(err.to_string().contains("`abc` is not a number"), "{err}");
        }
    }
}
