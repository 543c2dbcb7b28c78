//! The route tables of the `wechat-mp-mock` crate: each endpoint's wire shape and
//! answer as `const` data, so that the mock checks requests against the specs without
//! reading them at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::group::{source, sources};
use super::{Scope, raw_str, render};
use crate::ir::*;

/// `wechat-mp-mock/src/routes/mod.rs`: every group's tables.
pub fn routes_mod(ir: &Ir, index: &TypeIndex<'_>) -> Result<String, String> {
    let groups: Vec<_> = ir.groups.iter().map(|g| format_ident!("{}", g.name)).collect();
    let shared: Vec<_> = (!ir.shared.is_empty())
        .then(|| format_ident!("shared"))
        .into_iter()
        .collect();
    let type_tables = shared.iter().chain(&groups);
    let body = quote! {
        #(mod #shared;)*
        #(mod #groups;)*

        /// Every group's endpoints.
        pub(crate) const ROUTES: &[&[Route]] = &[#(#groups::ROUTES),*];

        /// Every group's request types, shared ones first.
        pub(crate) const TYPES: &[&[(&str, Type)]] = &[#(#type_tables::TYPES),*];
    };
    let doc = "The endpoints the mock serves, one module per spec group.";
    render("specs/", doc, &body, &scope(), index)
}

/// `wechat-mp-mock/src/routes/shared.rs`: the request types of `specs/_shared.yaml`.
pub fn shared_file(ir: &Ir, index: &TypeIndex<'_>) -> Result<String, String> {
    let types = type_table(&ir.shared);
    let doc = "The request types several groups share, from `specs/_shared.yaml`.";
    render("specs/_shared.yaml", doc, &types, &scope(), index)
}

/// `wechat-mp-mock/src/routes/GROUP.rs`: a group's endpoints and request types.
pub fn group_file(group: &Group, index: &TypeIndex<'_>) -> Result<String, String> {
    let routes = group.endpoints.iter().map(|ep| route(group, ep));
    let types = type_table(&group.types);
    let body = quote! {
        /// The endpoints of the group.
        pub(crate) const ROUTES: &[Route] = &[#(#routes),*];

        #types
    };
    let doc = format!("The endpoints of `{}`, from {}.", group.name, sources(group));
    render(&source(&group.file), &doc, &body, &scope(), index)
}

fn scope() -> Scope {
    let mut scope = Scope::default();
    for name in ["Body", "Field", "Reply", "Route", "Shape", "Type", "Variant"] {
        scope.add(name, "crate::schema");
    }
    for name in ["Auth", "Host", "Method"] {
        scope.add(name, "wechat_mp::endpoint");
    }
    scope
}

fn route(group: &Group, ep: &Endpoint) -> TokenStream {
    let id = format!("{}.{}", group.name, ep.name);
    let method = format_ident!("{}", ep.method.variant());
    let host = format_ident!("{}", ep.host.variant());
    let auth = format_ident!("{}", ep.auth.variant());
    let path = &ep.path;
    let query = ep
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Query)
        .map(field_of_param);
    let body = body(ep);
    let reply = reply(ep);
    quote! {
        Route {
            id: #id,
            method: Method::#method,
            host: Host::#host,
            path: #path,
            auth: Auth::#auth,
            query: &[#(#query),*],
            body: #body,
            reply: #reply,
        }
    }
}

fn body(ep: &Endpoint) -> TokenStream {
    let form: Vec<_> = ep
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamIn::Multipart { .. }))
        .map(field_of_param)
        .collect();
    if !form.is_empty() {
        return quote!(Body::Form(&[#(#form),*]));
    }
    let json: Vec<(&[String], &Param)> = ep
        .params
        .iter()
        .filter_map(|p| match &p.location {
            ParamIn::Body(at) => Some((at.as_slice(), p)),
            _ => None,
        })
        .collect();
    if json.is_empty() && !ep.empty_body {
        return quote!(Body::None);
    }
    let members = object_members(&json);
    quote!(Body::Json(&[#(#members),*]))
}

/// The members of the object that holds `params`, each given by its path below it:
/// a parameter at `[]` is a member, the others are grouped into nested objects.
fn object_members(params: &[(&[String], &Param)]) -> Vec<TokenStream> {
    let mut members = Vec::new();
    let mut nested: Vec<&str> = Vec::new();
    for (at, p) in params {
        match at.split_first() {
            None => members.push(field_of_param(p)),
            Some((first, _)) if !nested.contains(&first.as_str()) => {
                nested.push(first);
                let inner: Vec<(&[String], &Param)> = params
                    .iter()
                    .filter_map(|(at, p)| match at.split_first() {
                        Some((f, rest)) if f == first => Some((rest, *p)),
                        _ => None,
                    })
                    .collect();
                // The object is sent whenever a member must be: a required or fixed one.
                let required = inner.iter().any(|(_, p)| p.field.required || p.constant.is_some());
                let fields = object_members(&inner);
                let ctor = constructor(required);
                members.push(quote!(Field::#ctor(#first, Shape::Object(&[#(#fields),*]))));
            }
            Some(_) => {}
        }
    }
    members
}

fn constructor(required: bool) -> proc_macro2::Ident {
    format_ident!("{}", if required { "required" } else { "optional" })
}

fn field_of_param(p: &Param) -> TokenStream {
    match &p.constant {
        Some(value) => {
            let name = &p.field.wire;
            let json = raw_str(&value.to_string());
            quote!(Field::fixed(#name, #json))
        }
        None => field(&p.field),
    }
}

fn field(f: &Field) -> TokenStream {
    let name = &f.wire;
    let ctor = constructor(f.required);
    let shape = shape(&f.ty);
    let loose = f.loose.then(|| quote!(.loose()));
    let flatten = f.flatten.then(|| quote!(.flatten()));
    quote!(Field::#ctor(#name, #shape) #loose #flatten)
}

fn shape(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(Shape::String),
        TypeRef::Bool => quote!(Shape::Bool),
        TypeRef::I32 => quote!(Shape::I32),
        TypeRef::I64 => quote!(Shape::I64),
        TypeRef::U32 => quote!(Shape::U32),
        TypeRef::U64 => quote!(Shape::U64),
        TypeRef::F64 => quote!(Shape::F64),
        TypeRef::Date => quote!(Shape::Date),
        TypeRef::Json => quote!(Shape::Json),
        TypeRef::File => quote!(Shape::File),
        TypeRef::List(item) => {
            let item = shape(item);
            quote!(Shape::List(&#item))
        }
        TypeRef::Map(item) => {
            let item = shape(item);
            quote!(Shape::Map(&#item))
        }
        TypeRef::Named(name) => quote!(Shape::Named(#name)),
    }
}

/// The first example's answer; a download answers bytes unless it has a JSON example.
fn reply(ep: &Endpoint) -> TokenStream {
    let example = ep.examples.iter().find_map(|ex| ex.response.as_ref());
    match (&ep.response, example) {
        (Response::Binary, _) | (Response::JsonOrBinary(_), None) => quote!(Reply::Bytes),
        (_, Some(json)) => {
            let text = raw_str(&json.to_string());
            quote!(Reply::Json(#text))
        }
        (_, None) => quote!(Reply::Json(r#"{"errcode":0,"errmsg":"ok"}"#)),
    }
}

/// The `TYPES` table of the request types among `types`: only what a request can hold
/// is checked.
fn type_table(types: &[NamedType]) -> TokenStream {
    let entries = types.iter().filter(|t| t.in_request).map(|t| {
        let name = &t.name;
        let def = match &t.def {
            TypeDef::Struct(fields) => {
                let fields = fields.iter().map(field);
                quote!(Type::Struct(&[#(#fields),*]))
            }
            TypeDef::Enum(values) => {
                let values = values.iter().map(|v| &v.wire);
                quote!(Type::Enum(&[#(#values),*]))
            }
            TypeDef::Codes(codes) => {
                let codes = codes.iter().map(|c| proc_macro2::Literal::i64_unsuffixed(c.code()));
                quote!(Type::Codes(&[#(#codes),*]))
            }
            TypeDef::OneOf { tag_field, variants } => {
                let tag = option(tag_field.as_deref());
                let variants = variants.iter().map(|v| {
                    let key = &v.key;
                    let tag = option(v.tag.as_deref());
                    let shape = shape(&v.ty);
                    quote!(Variant { key: #key, tag: #tag, shape: #shape })
                });
                quote!(Type::OneOf { tag: #tag, variants: &[#(#variants),*] })
            }
        };
        quote!((#name, #def))
    });
    quote! {
        /// The named types a request of the group can hold.
        pub(crate) const TYPES: &[(&str, Type)] = &[#(#entries),*];
    }
}

fn option(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    }
}
