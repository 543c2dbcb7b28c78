//! Lowering `specs/_errors.yaml`, the global errcode table.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Sink};
use crate::ident::{is_identifier, pascal};
use crate::ir::ErrorCode;
use crate::load::Specs;

/// The errcode table: unique codes and names, in ascending order.
pub(super) fn lower_error_codes(specs: &Specs, diagnostics: &mut Vec<Diagnostic>) -> Vec<ErrorCode> {
    let Some(file) = &specs.errors else { return Vec::new() };
    let mut sink = Sink::new(file.file.clone());
    let mut out: Vec<ErrorCode> = Vec::new();
    let mut names: HashMap<&str, i64> = HashMap::new();
    for entry in &file.spec.codes {
        let e = &entry.value;
        let (code, name) = (e.code.value, e.name.value.as_str());
        if !is_identifier(name) || pascal(name) != name || name == "Other" {
            sink.error_hint(
                &e.name.referenced,
                format!("errcode name `{name}` must be an UpperCamelCase identifier other than `Other`"),
                "it becomes a variant of `ErrorCode`",
            );
        }
        if let Some(prev) = names.insert(name, code) {
            sink.error(
                &e.name.referenced,
                format!("errcode name `{name}` is already used by {prev}"),
            );
        }
        if let Some(prev) = out.last()
            && prev.code >= code
        {
            let message = if prev.code == code {
                format!("errcode {code} is listed twice")
            } else {
                format!(
                    "errcode {code} comes after {}: keep the table in ascending order",
                    prev.code
                )
            };
            sink.error(&e.code.referenced, message);
        }
        if code == 0 {
            sink.error(&e.code.referenced, "errcode 0 is success, not an error");
        }
        if e.doc.trim().is_empty() {
            sink.error(&entry.referenced, format!("errcode {code} has no `doc`"));
        }
        out.push(ErrorCode {
            code,
            name: name.to_owned(),
            doc: e.doc.trim().to_owned(),
        });
    }
    diagnostics.append(&mut sink.diagnostics);
    out
}
