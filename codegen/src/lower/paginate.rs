//! Lowering `paginate:`: the list a paged answer carries and how the next page is asked for.

use crate::diag::Sink;
use crate::ir::*;
use crate::spec::{At, PaginateSpec};

/// The fields of a JSON response, named or anonymous.
fn response_fields<'a>(response: &'a Response, index: &TypeIndex<'a>) -> Option<&'a [Field]> {
    let body = match response {
        Response::Json(b) => b,
        _ => return None,
    };
    match body {
        ResponseBody::Fields(fields) => Some(fields),
        ResponseBody::Named(n) => match index.get(n.as_str()).map(|t| &t.def) {
            Some(TypeDef::Struct(fields)) => Some(fields),
            _ => None,
        },
    }
}

pub(super) fn lower_paginate(
    sink: &mut Sink,
    endpoint: &str,
    at: &At<PaginateSpec>,
    params: &[Param],
    response: &Response,
    index: &TypeIndex<'_>,
) -> Option<Paginate> {
    let spec = &at.value;
    let Some(top) = response_fields(response, index) else {
        sink.error_hint(
            &at.referenced,
            format!("`paginate` of `{endpoint}` needs a JSON response that is a struct"),
            "declare the response's `fields:` or a struct `type:`",
        );
        return None;
    };
    // The list: a path of struct fields, ending in a list.
    let mut items = Vec::new();
    let mut fields = top;
    let mut item = None;
    let segments: Vec<&str> = spec.items.value.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        let Some(f) = fields.iter().find(|f| f.wire == *seg) else {
            let known = fields.iter().map(|f| f.wire.as_str()).collect::<Vec<_>>().join(", ");
            sink.error_hint(
                &spec.items.referenced,
                format!("`paginate.items` of `{endpoint}`: the response has no field `{seg}` here"),
                format!("fields here: {known}"),
            );
            return None;
        };
        items.push((f.rust.clone(), f.required));
        if i + 1 == segments.len() {
            match &f.ty {
                TypeRef::List(inner) => item = Some((**inner).clone()),
                other => {
                    sink.error(
                        &spec.items.referenced,
                        format!(
                            "`paginate.items` of `{endpoint}` must lead to a list, but `{seg}` is `{}`",
                            other.spelling()
                        ),
                    );
                    return None;
                }
            }
        } else {
            match f.ty.named().and_then(|n| index.get(n)).map(|t| &t.def) {
                Some(TypeDef::Struct(inner)) if matches!(f.ty, TypeRef::Named(_)) => fields = inner,
                _ => {
                    sink.error(
                        &spec.items.referenced,
                        format!("`paginate.items` of `{endpoint}`: `{seg}` is not an object"),
                    );
                    return None;
                }
            }
        }
    }
    let param = |name: &At<String>, what: &str, sink: &mut Sink| -> Option<&Param> {
        let found = params
            .iter()
            .find(|p| p.constant.is_none() && p.field.wire == name.value);
        if found.is_none() {
            sink.error_hint(
                &name.referenced,
                format!(
                    "`paginate` of `{endpoint}`: no parameter `{}` to send the {what} in",
                    name.value
                ),
                "name one of the endpoint's query or body parameters",
            );
        }
        found
    };
    let top_field = |name: &At<String>, sink: &mut Sink| -> Option<&Field> {
        let found = top.iter().find(|f| f.wire == name.value);
        if found.is_none() {
            sink.error(
                &name.referenced,
                format!("`paginate` of `{endpoint}`: the response has no field `{}`", name.value),
            );
        }
        found
    };
    let style = match (&spec.cursor, &spec.offset, &spec.page) {
        (Some(c), None, None) => {
            let p = param(&c.value.param, "cursor", sink)?;
            let from_name = c.value.from.as_ref().unwrap_or(&c.value.param);
            let from = top_field(from_name, sink)?;
            if p.field.ty != TypeRef::String || from.ty != TypeRef::String {
                sink.error(
                    &c.referenced,
                    format!("`paginate.cursor` of `{endpoint}`: the cursor parameter and field must be strings"),
                );
                return None;
            }
            PageStyle::Cursor {
                param: p.field.rust.clone(),
                param_required: p.field.required,
                from: from.rust.clone(),
                from_required: from.required,
            }
        }
        (None, Some(o), None) => {
            let p = param(&o.value.param, "offset", sink)?;
            if !p.field.ty.is_number() {
                sink.error(
                    &o.value.param.referenced,
                    format!("`paginate.offset` of `{endpoint}`: `{}` must be a number", p.field.wire),
                );
                return None;
            }
            let total = match &o.value.total {
                Some(t) => {
                    let f = top_field(t, sink)?;
                    if !f.ty.is_number() {
                        sink.error(
                            &t.referenced,
                            format!("`paginate.offset.total` of `{endpoint}` must be a number field"),
                        );
                        return None;
                    }
                    Some((f.rust.clone(), f.required))
                }
                None => None,
            };
            PageStyle::Offset {
                param: p.field.rust.clone(),
                param_required: p.field.required,
                ty: p.field.ty.clone(),
                total,
            }
        }
        (None, None, Some(pg)) => {
            let p = param(&pg.value.param, "page number", sink)?;
            if p.field.ty != TypeRef::U32 {
                sink.error(
                    &pg.value.param.referenced,
                    format!("`paginate.page` of `{endpoint}`: `{}` must be a u32", p.field.wire),
                );
                return None;
            }
            let first = pg.value.first.as_ref().map_or(0, |f| f.value);
            if first > 1 {
                let at = &pg.value.first.as_ref().expect("first is set").referenced;
                sink.error(at, format!("`paginate.page.first` of `{endpoint}` must be 0 or 1"));
                return None;
            }
            let size_total = match (&pg.value.size, &pg.value.total) {
                (Some(size), Some(total)) => {
                    let s = param(size, "page size", sink)?;
                    if !s.field.required || s.field.ty != TypeRef::U32 {
                        sink.error(
                            &size.referenced,
                            format!(
                                "`paginate.page.size` of `{endpoint}`: `{}` must be a required u32",
                                s.field.wire
                            ),
                        );
                        return None;
                    }
                    let t = top_field(total, sink)?;
                    if !t.ty.is_number() {
                        sink.error(
                            &total.referenced,
                            format!("`paginate.page.total` of `{endpoint}` must be a number field"),
                        );
                        return None;
                    }
                    Some((s.field.rust.clone(), t.rust.clone(), t.required))
                }
                (None, None) => None,
                (Some(at), None) | (None, Some(at)) => {
                    sink.error_hint(
                        &at.referenced,
                        format!("`paginate.page` of `{endpoint}` needs `size` and `total` together"),
                        "the stream stops after `total` items by counting pages of `size`",
                    );
                    return None;
                }
            };
            PageStyle::Page {
                param: p.field.rust.clone(),
                param_required: p.field.required,
                first,
                size_total,
            }
        }
        _ => {
            sink.error_hint(
                &at.referenced,
                format!("`paginate` of `{endpoint}` needs exactly one of `cursor`, `offset` and `page`"),
                "`cursor: {{ param: next_openid }}`, `offset: {{ param: offset, total: total_count }}` or \
                 `page: {{ param: page, size: num, total: total_num }}`",
            );
            return None;
        }
    };
    Some(Paginate {
        items,
        item: item?,
        style,
    })
}
