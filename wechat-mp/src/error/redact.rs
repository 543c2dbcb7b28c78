//! Keeping credentials out of any text the runtime produces.
//!
//! Two layers: [`excerpt`] blanks values that look like credentials by their key, for
//! bodies the runtime did not write; [`scrub`] blanks the exact credential values the
//! runtime sent, wherever they were echoed. [`userinfo`] blanks the `user:password@` of
//! a configured URL.

const EXCERPT_CHARS: usize = 120;

/// Shorter values would blank ordinary words; real secrets and tokens are far longer.
const MIN_SCRUB_LEN: usize = 4;

const PLACEHOLDER: &str = "***";

/// Keys whose values are credentials wherever they appear (JSON, query strings).
const CREDENTIAL_KEYS: [&str; 4] = ["access_token", "refresh_token", "ticket", "secret"];

/// A short excerpt of a body for error messages, with token-like values blanked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let out: String = text.chars().take(EXCERPT_CHARS).collect();
    by_key(&out)
}

/// `text` with the value after every credential key blanked: `key=value`,
/// `"key":"value"`, and `key value` too, since a body cut short may end in part of a
/// credential that no exact match can find.
pub(crate) fn by_key(text: &str) -> String {
    redact_keys(text, false)
}

/// Like [`by_key`] for WeChat's `errmsg`, which is prose: only `key=value` and
/// `key: value` are values there, and "access_token missing" stays as WeChat wrote it.
fn by_key_in_prose(text: &str) -> String {
    redact_keys(text, true)
}

fn redact_keys(text: &str, strict: bool) -> String {
    let mut out = text.to_owned();
    for key in CREDENTIAL_KEYS {
        out = redact_value(&out, key, strict);
    }
    out
}

fn redact_value(text: &str, key: &str, strict: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(key) {
        let (before, after) = rest.split_at(pos + key.len());
        out.push_str(before);
        let value_start = after
            .char_indices()
            .find(|(_, c)| !matches!(c, '"' | ':' | '=' | ' '))
            .map_or(after.len(), |(i, _)| i);
        let separator = &after[..value_start];
        out.push_str(separator);
        let value = &after[value_start..];
        if strict && !separator.contains([':', '=']) {
            rest = value;
            continue;
        }
        let value_end = value
            .char_indices()
            .find(|(_, c)| matches!(c, '"' | '&' | ',' | '}' | ' ' | '<' | '\''))
            .map_or(value.len(), |(i, _)| i);
        if value_end > 0 {
            out.push_str(PLACEHOLDER);
        }
        rest = &value[value_end..];
    }
    out.push_str(rest);
    out
}

/// `text` with every occurrence of each secret, raw or percent-encoded, blanked, and
/// with the values of credential keys blanked too.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    exact(by_key(text), secrets)
}

/// [`scrub`] for WeChat's `errmsg`: see [`by_key_in_prose`].
pub(crate) fn scrub_errmsg(text: &str, secrets: &[&str]) -> String {
    exact(by_key_in_prose(text), secrets)
}

/// `text`, a URL as configured, with any `user:password@` before its host blanked: a
/// proxy's credentials must not be printed, even when the rest of the URL is malformed.
pub(crate) fn userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        return text.into();
    };
    let authority_end = text[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| scheme_end + i);
    match text[scheme_end..authority_end].rfind('@') {
        Some(at) => format!("{}{PLACEHOLDER}{}", &text[..scheme_end], &text[scheme_end + at..]).into(),
        None => text.into(),
    }
}

/// `text` with every occurrence of each secret, raw or percent-encoded, blanked.
fn exact(mut out: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= MIN_SCRUB_LEN) {
        for form in [(*secret).to_owned(), percent_encode(secret)] {
            if out.contains(&form) {
                out = out.replace(&form, PLACEHOLDER);
            }
        }
    }
    out
}

fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_hide_tokens() {
        let text = excerpt(br#"{"access_token":"TOKEN123","expires_in":7200} url?access_token=TOK2&x=1"#);
        assert!(!text.contains("TOKEN123") && !text.contains("TOK2"), "{text}");
        assert!(text.contains("expires_in"));
    }

    #[test]
    fn keyed_values_are_hidden_but_prose_naming_a_key_is_kept() {
        assert_eq!(
            by_key("access_token: T1, secret = S2, ticket=T3"),
            "access_token: ***, secret = ***, ticket=***"
        );
        let errmsg = "access_token missing, hints: [ req_id: R ]; invalid ticket hint: [x]";
        assert_eq!(scrub_errmsg(errmsg, &[]), errmsg);
        assert_eq!(scrub_errmsg("secret=S1 token TOK2", &["TOK2"]), "secret=*** token ***");
        // In a body excerpt a bare `key value` is blanked too: the value may be cut short.
        assert_eq!(by_key("<p>secret APPSECRET-0a"), "<p>secret ***");
    }

    #[test]
    fn excerpts_are_short_and_survive_bad_utf8() {
        let long = vec![b'a'; 10_000];
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS);
        assert!(excerpt(b"\xff\xfe<html>").contains("<html>"));
    }

    #[test]
    fn scrub_hides_raw_and_encoded_values_but_not_short_ones() {
        let text = scrub("a=tok+en/1 b=tok%2Ben%2F1 c=ab", &["tok+en/1", "ab", ""]);
        assert_eq!(text, "a=*** b=*** c=ab");
        let text = scrub("url?access_token=OTHER&x=1", &[]);
        assert_eq!(text, "url?access_token=***&x=1");
    }
}
