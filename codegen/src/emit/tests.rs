//! Generated end-to-end tests: every example of every endpoint, called through the
//! client against `wechat-mp-mock`, which checks the request against the spec, and
//! then held to the example: the query and body sent, and the answer decoded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::group::{source, sources};
use super::imports::Scope;
use super::render;
use crate::check_examples::STATUS_KEYS;
use crate::ident::ident;
use crate::ir::*;

/// The docs of `tests/tests/it/endpoints/generated/mod.rs`.
pub fn mod_doc() -> String {
    "One module per spec group: each example of each endpoint, sent through the client.".to_owned()
}

/// `tests/tests/it/endpoints/generated/mod.rs`.
pub fn tests_mod(ir: &Ir) -> TokenStream {
    let mods = ir.groups.iter().map(|g| {
        let n = ident(&g.name);
        quote!(mod #n;)
    });
    quote!(#(#mods)*)
}

/// The text of one group's test file.
pub fn tests_file(group: &Group, index: &TypeIndex<'_>) -> Result<String, String> {
    let mut scope = Scope::tests();
    // The group's own and shared types come with the glob import of the group.
    for t in index.values() {
        if let Home::Group { group: g, .. } = &t.home
            && *g != group.name
        {
            scope.add(&t.name, &format!("wechat_mp::api::{g}"));
        }
    }
    let doc = format!("Examples of `{}`, from {}.", group.name, sources(group));
    render(&source(&group.file), &doc, &tests_body(group, index), &scope, index)
}

/// The tests of one group.
fn tests_body(group: &Group, index: &TypeIndex<'_>) -> TokenStream {
    let tests = group.endpoints.iter().flat_map(|ep| {
        let examples = ep.examples.iter().enumerate().map(move |(i, ex)| {
            let name = format_ident!("{}_example_{}", ep.name, i + 1);
            example_test(group, ep, name, ex, Variant::Answer, index)
        });
        // Downloads are also read as a stream.
        let downloads = matches!(ep.response, Response::Binary | Response::JsonOrBinary(_));
        let streams = ep
            .examples
            .iter()
            .enumerate()
            .filter(move |_| downloads)
            .map(move |(i, ex)| {
                let name = format_ident!("{}_stream_example_{}", ep.name, i + 1);
                example_test(group, ep, name, ex, Variant::Stream, index)
            });
        // The error samples replay the first example's request, one after another.
        let errors = ep.examples.first().filter(|_| !ep.errors.is_empty()).map(move |first| {
            let name = format_ident!("{}_errors", ep.name);
            example_test(group, ep, name, first, Variant::Errors(&ep.errors), index)
        });
        examples.chain(streams).chain(errors)
    });
    let module = ident(&group.name);
    quote! {
        #![allow(deprecated, unused_imports)]
        use wechat_mp::api::#module::*;
        #(#tests)*
    }
}

fn json_literal(value: &Value) -> TokenStream {
    let lit = super::raw_str(&value.to_string());
    quote!(#lit)
}

/// The value an example gives a parameter, if any.
fn example_value(p: &Param, ex: &Example, types: &TypeIndex<'_>) -> Option<Value> {
    match &p.location {
        ParamIn::Query => ex.query.as_ref()?.get(&p.field.wire).cloned(),
        ParamIn::Body(path) => {
            let mut cur = ex.request.as_ref()?;
            for seg in path {
                cur = cur.get(seg)?;
            }
            if p.field.flatten {
                let keys = flattened_keys(&p.field.ty, types);
                let obj: Map<String, Value> = cur
                    .as_object()?
                    .iter()
                    .filter(|(k, _)| keys.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                return (!obj.is_empty()).then_some(Value::Object(obj));
            }
            cur.get(&p.field.wire).filter(|v| !v.is_null()).cloned()
        }
        ParamIn::Multipart { .. } => ex.request.as_ref()?.get(&p.field.wire).cloned(),
    }
}

/// The expression a test passes for a parameter.
fn arg_expr(ep: &Endpoint, p: &Param, value: Option<Value>) -> TokenStream {
    if p.field.ty == TypeRef::File {
        let name = format!("{}.bin", p.field.wire);
        return quote!(Upload::from_bytes(#name, FILE_BYTES));
    }
    let value = value.unwrap_or(Value::Null);
    if p.field.secret || (ep.auth == Auth::OAuthToken && p.field.wire == "access_token") {
        let text = value.as_str().unwrap_or_default().to_owned();
        return quote!(#text);
    }
    // The generated test file glob-imports its group's module, so names resolve.
    let ty = super::rust_type(&p.field.ty);
    let lit = json_literal(&value);
    quote!(arg::<#ty>(#lit))
}

/// What a generated test sends `ex`'s request for.
#[derive(Clone, Copy)]
enum Variant<'a> {
    /// The example's answer, decoded.
    Answer,
    /// The example's answer, read through `send_stream`.
    Stream,
    /// Each of these errors instead, expected as `Error::Api` with its code and message.
    Errors(&'a [ErrorSample]),
}

/// The test that sends `ex`'s request and checks what comes back, per `variant`.
fn example_test(
    group: &Group,
    ep: &Endpoint,
    test_name: proc_macro2::Ident,
    ex: &Example,
    variant: Variant<'_>,
    index: &TypeIndex<'_>,
) -> TokenStream {
    let errors = match variant {
        Variant::Errors(e) => Some(e),
        Variant::Answer | Variant::Stream => None,
    };
    let stream = matches!(variant, Variant::Stream);
    let group_ident = ident(&group.name);
    let method_ident = ident(&ep.name);
    let id = format!("{}.{}", group.name, ep.name);
    let auth = format_ident!("{}", ep.auth.variant());

    let mut query: Vec<(String, String)> = Vec::new();
    for p in ep.params.iter().filter(|p| p.location == ParamIn::Query) {
        let value = match &p.constant {
            Some(c) => Some(c.clone()),
            None => example_value(p, ex, index),
        };
        if let Some(v) = value {
            query.push((
                p.field.wire.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            ));
        }
    }
    let query_pairs = query.iter().map(|(k, v)| quote!((#k, #v)));

    let has_body = ep.empty_body || ep.params.iter().any(|p| matches!(p.location, ParamIn::Body(_)));
    let has_form = ep
        .params
        .iter()
        .any(|p| matches!(p.location, ParamIn::Multipart { .. }));
    let body = if has_body {
        let v = json_literal(ex.request.as_ref().unwrap_or(&Value::Object(Map::new())));
        quote!(SentBody::Json(#v))
    } else if has_form {
        // The fields the test sends: required and fixed ones, and optional ones the
        // example gives a value.
        let names = ep
            .params
            .iter()
            .filter(|p| matches!(p.location, ParamIn::Multipart { .. }))
            .filter(|p| p.field.required || p.constant.is_some() || example_value(p, ex, index).is_some())
            .map(|p| p.field.wire.as_str());
        quote!(SentBody::Form(&[#(#names),*]))
    } else {
        quote!(SentBody::None)
    };

    // The mock answers the first example's response unless told otherwise.
    let default = ep.examples.iter().find_map(|e| e.response.as_ref());
    let reply = match (&ep.response, &ex.response) {
        _ if errors.is_some() => None,
        (Response::Binary, _) => None,
        (_, Some(r)) if Some(r) != default => Some(r.clone()),
        _ => None,
    };
    let respond = match reply {
        Some(r) => {
            let v = json_literal(&r);
            quote!(respond(&wx, #id, #v);)
        }
        None if errors.is_some() => quote!(respond_error(&wx, #id, code, message);),
        None => quote!(),
    };

    let required = ep.params.iter().filter(|p| p.constant.is_none() && p.field.required);
    let args = required.map(|p| arg_expr(ep, p, example_value(p, ex, index)));
    let optional = ep
        .params
        .iter()
        .filter(|p| p.constant.is_none() && !p.field.required)
        .filter_map(|p| {
            let v = example_value(p, ex, index)?;
            let setter = ident(&p.field.rust);
            let arg = arg_expr(ep, p, Some(v));
            Some(quote!(.#setter(#arg)))
        });

    let check = match (&ep.response, &ex.response) {
        (Response::Binary, _) if stream => quote! {
            let body = response.into_bytes().await.expect("the stream reads to the end");
            assert_eq!(&body[..], FILE_BYTES);
        },
        (Response::Binary, _) => quote!(assert_eq!(&response[..], FILE_BYTES);),
        (Response::Empty, _) => quote!(),
        (Response::JsonOrBinary(_), Some(r)) => {
            let v = json_literal(&strip_status(r));
            quote! {
                match response {
                    wechat_mp::response::JsonOrBinary::Json(value) => assert_example(&value, #v),
                    other => panic!("expected JSON, got {other:?}"),
                }
            }
        }
        (_, Some(r)) => {
            let v = json_literal(&strip_status(r));
            quote!(assert_example(&response, #v);)
        }
        (_, None) => quote!(let _ = response;),
    };

    let unwrap = match ep.response {
        _ if errors.is_some() => quote!(),
        Response::Empty => quote!(result.expect("the call fails");),
        _ => quote!(let response = result.expect("the call fails");),
    };
    let check = match errors {
        Some(_) => quote!(assert_api_error(result, code, message);),
        None => check,
    };
    let send = stream.then(|| quote!(.send_stream()));
    let call = quote! {
        let wx = MockWechat::start().await;
        #respond
        let result = wx.client().#group_ident().#method_ident(#(#args),*) #(#optional)* #send .await;
        assert_sent(&wx, #id, Auth::#auth, &[#(#query_pairs),*], #body);
        #unwrap
        #check
    };
    let body = match errors {
        Some(samples) => {
            let samples = samples.iter().map(|e| {
                let (code, message) = (e.errcode, &e.errmsg);
                quote!((#code, #message))
            });
            quote! {
                for (code, message) in [#(#samples),*] {
                    #call
                }
            }
        }
        None => call,
    };
    quote! {
        #[tokio::test]
        async fn #test_name() {
            #body
        }
    }
}

fn strip_status(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !STATUS_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}
