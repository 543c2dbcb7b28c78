//! The text of a push's top-level fields, read straight from quick-xml's events.
//!
//! The envelope needs `Encrypt` and every push's header five fields; quick-xml's serde
//! layer costs several times the parse itself, and each push would pay it twice more
//! than the one pass that fills its typed body.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, Event};

use super::error::CallbackError;

fn bad(message: impl std::fmt::Display) -> CallbackError {
    CallbackError::BadXml(message.to_string())
}

/// The trimmed text of the root element's children named in `names`, in that order:
/// `None` for one that is absent, `Some("")` for one that is empty.
///
/// Text and CDATA parts are joined and entities resolved, as serde would; a wanted field
/// that holds elements, or appears twice, is an error, as it is for serde.
pub(crate) fn top_level<const N: usize>(xml: &str, names: [&str; N]) -> Result<[Option<String>; N], CallbackError> {
    read(xml, names, true)
}

/// [`top_level`] with each text exactly as sent, surrounding whitespace kept, as serde
/// reads a `String`.
pub(crate) fn top_level_raw<const N: usize>(xml: &str, names: [&str; N]) -> Result<[Option<String>; N], CallbackError> {
    read(xml, names, false)
}

fn read<const N: usize>(xml: &str, names: [&str; N], trim: bool) -> Result<[Option<String>; N], CallbackError> {
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut set = |index: usize, text: &str| match &found[index] {
        Some(_) => Err(bad(format!("duplicate field `{}`", names[index]))),
        None => {
            found[index] = Some(if trim { text.trim() } else { text }.to_owned());
            Ok(())
        }
    };
    let wanted = |name: &str| names.iter().position(|n| *n == name);
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut seen_root = false;
    // The wanted field being read, and its text so far.
    let mut current: Option<usize> = None;
    let mut text = String::new();
    loop {
        let event = reader.read_event().map_err(bad)?;
        if let Some(index) = current
            && depth >= 2
            && matches!(event, Event::Start(_) | Event::Empty(_))
        {
            return Err(bad(format!("field `{}` holds elements, expected text", names[index])));
        }
        match event {
            Event::Start(e) => {
                depth += 1;
                seen_root = true;
                if depth == 2 {
                    current = wanted(e.name().as_ref());
                    text.clear();
                }
            }
            Event::Empty(e) => {
                seen_root = true;
                if depth == 1
                    && let Some(index) = wanted(e.name().as_ref())
                {
                    set(index, "")?;
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some(index) = current.take()
                {
                    set(index, &text)?;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if current.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(c) if current.is_some() => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) if current.is_some() => text.push_str(&resolve(&r)?),
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(bad("no root element"));
    }
    if depth != 0 {
        return Err(bad("unexpected end of the XML: an element is not closed"));
    }
    Ok(found)
}

fn resolve(reference: &BytesRef<'_>) -> Result<String, CallbackError> {
    if let Some(c) = reference.resolve_char_ref().map_err(bad)? {
        return Ok(c.to_string());
    }
    let name = reference.xml10_content();
    resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| bad(format!("unknown entity `&{name};`")))
}

/// The field `name`, which must be present.
pub(crate) fn required(value: Option<String>, name: &str) -> Result<String, CallbackError> {
    value.ok_or_else(|| bad(format!("missing field `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_cdata_and_entities_of_wanted_top_level_fields() {
        let xml = "<xml><A><![CDATA[ a1 ]]></A><B>x &amp; y&#33;</B><Nested><A>no</A></Nested>\
                   <C/><D> <![CDATA[d]]> </D></xml>";
        let [a, b, c, d, e] = top_level(xml, ["A", "B", "C", "D", "E"]).unwrap();
        assert_eq!(a.as_deref(), Some("a1"));
        assert_eq!(b.as_deref(), Some("x & y!"));
        assert_eq!(c.as_deref(), Some(""));
        assert_eq!(d.as_deref(), Some("d"));
        assert_eq!(e, None);
    }

    #[test]
    fn malformed_or_ambiguous_xml_is_an_error() {
        for xml in [
            "",
            "not xml",
            "<xml><A>1</A>",
            "<xml><A>1</B></xml>",
            "<xml><A>1</A><A>2</A></xml>",
            "<xml><A><b/></A></xml>",
            "<xml><A>&bogus;</A></xml>",
        ] {
            let result = top_level(xml, ["A"]);
            assert!(matches!(result, Err(CallbackError::BadXml(_))), "{xml:?}: {result:?}");
        }
        let missing = required(None, "MsgType").unwrap_err().to_string();
        assert!(missing.contains("missing field `MsgType`"), "{missing}");
    }
}
