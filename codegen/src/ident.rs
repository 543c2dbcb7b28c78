//! Turning wire names into Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Whether `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// snake_case field or method name for a wire name; keywords come back unchanged and are
/// escaped when emitted (see [`ident`]).
pub fn snake(wire: &str) -> String {
    let s = wire.to_snake_case();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else {
        s
    }
}

/// UpperCamelCase type or variant name for a wire name.
pub fn pascal(wire: &str) -> String {
    let s = wire.to_upper_camel_case();
    if s.starts_with(|c: char| c.is_ascii_digit()) || s.is_empty() {
        format!("V{s}")
    } else {
        s
    }
}

/// Whether `s` is a plain identifier (letters, digits, `_`, not starting with a digit).
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// The identifier token for a name, raw when it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if NOT_RAW.contains(&name) {
        proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site())
    } else if is_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("openid").to_string(), "openid");
    }

    #[test]
    fn cases() {
        assert_eq!(snake("MsgType"), "msg_type");
        assert_eq!(snake("1st"), "n1st");
        assert_eq!(pascal("zh_CN"), "ZhCn");
        assert_eq!(pascal("QR_LIMIT_SCENE"), "QrLimitScene");
        assert_eq!(pascal("scancode_push"), "ScancodePush");
    }
}
