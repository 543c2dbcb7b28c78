//! The group handle, one method per endpoint, and a request builder per endpoint.

use heck::ToShoutySnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::{field_doc, struct_field};
use super::{cell, code_span, doc_lines, rust_type};
use crate::ident::{ident, pascal};
use crate::ir::*;

pub fn group_api(group: &Group) -> TokenStream {
    let api = format_ident!("{}Api", pascal(&group.name));
    let accessor = ident(&group.name);
    let accessor_doc = doc_lines(&format!("The `{}` endpoints: {}.", group.name, group.title));
    let api_doc = doc_lines(&format!(
        "Endpoints of the `{}` group ({}). Get one with [`Client::{}`](crate::Client::{}).",
        group.name, group.title, group.name, group.name
    ));
    let methods = group.endpoints.iter().map(method);
    let items = group.endpoints.iter().map(|e| endpoint_items(group, e));
    let statics = group.endpoints.iter().map(endpoint_static);
    let list_doc = doc_lines(&format!("Every endpoint of the `{}` group, in spec order.", group.name));
    quote! {
        #list_doc
        pub static ENDPOINTS: &[&crate::endpoint::Endpoint] = &[#(&#statics),*];

        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #api<'_> {
                #api { client: self }
            }
        }

        #api_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #api<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #api<'a> {
            #(#methods)*
        }

        #(#items)*
    }
}

/// Parameters the caller passes: neither fixed nor, for OAuth calls, anything else.
fn user_params(ep: &Endpoint) -> impl Iterator<Item = &Param> {
    ep.params.iter().filter(|p| p.constant.is_none())
}

/// Whether a parameter holds a credential (a user's OAuth token, a refresh token),
/// which must never be printed.
fn is_secret(ep: &Endpoint, p: &Param) -> bool {
    p.field.secret || (ep.auth == Auth::OAuthToken && p.location == ParamIn::Query && p.field.wire == "access_token")
}

/// The type a builder stores for a parameter.
fn param_type(ep: &Endpoint, p: &Param) -> TokenStream {
    if is_secret(ep, p) {
        return quote!(crate::Secret);
    }
    rust_type(&p.field.ty)
}

/// The argument type of a required parameter or setter.
fn arg_type(ep: &Endpoint, p: &Param) -> TokenStream {
    let ty = param_type(ep, p);
    quote!(impl ::std::convert::Into<#ty>)
}

fn builder_name(ep: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}Request", pascal(&ep.name))
}

fn endpoint_static(ep: &Endpoint) -> proc_macro2::Ident {
    format_ident!("{}_ENDPOINT", ep.name.to_shouty_snake_case())
}

/// The Rust type the call resolves to.
pub fn response_type(ep: &Endpoint) -> TokenStream {
    match &ep.response {
        Response::Empty => quote!(()),
        Response::Binary => quote!(::bytes::Bytes),
        Response::Json(b) => response_body_type(ep, b),
        Response::JsonOrBinary(b) => {
            let inner = response_body_type(ep, b);
            quote!(crate::response::JsonOrBinary<#inner>)
        }
    }
}

/// The type a JSON response decodes into.
fn response_body_type(ep: &Endpoint, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Fields(_) => {
            let n = format_ident!("{}Response", pascal(&ep.name));
            quote!(#n)
        }
        ResponseBody::Named(n) => {
            let n = ident(n);
            quote!(#n)
        }
    }
}

fn location_name(p: &Param) -> &'static str {
    match p.location {
        ParamIn::Query => "query",
        ParamIn::Body(_) => "body",
        ParamIn::Multipart { .. } => "form",
    }
}

/// The Markdown table of an endpoint's parameters, shared by its rustdoc and
/// `ENDPOINTS.md`; `None` when it takes none.
pub fn param_table(ep: &Endpoint) -> Option<String> {
    if ep.params.is_empty() {
        return None;
    }
    let mut table = "| Parameter | In | Type | Required | Description |\n|---|---|---|---|---|".to_owned();
    for p in &ep.params {
        let path = match &p.location {
            ParamIn::Body(path) if !path.is_empty() => format!("{}.{}", path.join("."), p.field.wire),
            _ => p.field.wire.clone(),
        };
        let required = match &p.constant {
            Some(c) => format!("fixed: `{}`", c.as_str().map_or_else(|| c.to_string(), str::to_owned)),
            None if p.field.required => "yes".to_owned(),
            None => "no".to_owned(),
        };
        table.push_str(&format!(
            "\n| `{path}` | {} | `{}` | {required} | {} |",
            location_name(p),
            p.field.ty.spelling(),
            cell(&p.field.doc.clone().unwrap_or_default())
        ));
    }
    Some(table)
}

/// The rustdoc of an endpoint method: summary, HTTP line, seed, parameter table.
pub fn method_doc(ep: &Endpoint) -> String {
    let mut doc = ep.summary.trim().to_owned();
    if let Some(d) = &ep.doc {
        doc.push_str("\n\n");
        doc.push_str(d.trim());
    }
    doc.push_str(&format!(
        "\n\n`{} {}` on `{}`",
        ep.method.as_str(),
        ep.path,
        ep.host.domain()
    ));
    match &ep.seed {
        Some(seed) => doc.push_str(&format!(" (seed interface `{seed}`)")),
        None => doc.push_str(" (beyond the seed document)"),
    }
    doc.push('.');
    if let Some(table) = param_table(ep) {
        doc.push_str("\n\n");
        doc.push_str(&table);
    }
    let returns = match &ep.response {
        Response::Empty => "Returns `()` once WeChat answers `errcode` 0.".to_owned(),
        Response::Binary => {
            "Returns the raw body (an image or media file) as bytes; `send_stream` reads it as it arrives.".to_owned()
        }
        Response::Json(_) => format!("Returns [`{}`].", response_type(ep).to_string().replace(' ', "")),
        Response::JsonOrBinary(_) => {
            "Returns JSON for some content and raw bytes for the rest; `send_stream` reads the bytes as they arrive."
                .to_owned()
        }
    };
    doc.push_str(&format!("\n\n{returns}"));
    if !ep.errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n[`Error::Api`](crate::Error::Api) with WeChat's `errcode`, such as:");
        for e in &ep.errors {
            doc.push_str(&format!("\n- `{}`: {}", e.errcode, code_span(&e.errmsg)));
        }
    }
    if let Some(dep) = &ep.deprecated {
        doc.push_str(&format!("\n\n# Deprecated\n\n{}", dep.note.trim()));
        if let Some(rep) = &dep.replacement {
            doc.push_str(&format!(" Use {} instead.", replacement_link(rep)));
        }
    }
    doc
}

/// An intra-doc link to another endpoint, `group.name`.
pub fn replacement_link(rep: &str) -> String {
    let (group, name) = rep.split_once('.').unwrap_or((rep, ""));
    format!(
        "[`{group}().{name}()`](crate::api::{group}::{}Api::{name})",
        pascal(group)
    )
}

fn method(ep: &Endpoint) -> TokenStream {
    let name = ident(&ep.name);
    let builder = builder_name(ep);
    let doc = doc_lines(&method_doc(ep));
    let required: Vec<&Param> = user_params(ep).filter(|p| p.field.required).collect();
    let args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let n = ident(&p.field.rust);
            let t = arg_type(ep, p);
            quote!(#n: #t)
        })
        .collect();
    let inits = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        if p.field.required {
            quote!(#n: #n.into())
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let deprecated = ep.deprecated.as_ref().map(|d| {
        let mut note = d.note.trim().to_owned();
        if let Some(r) = &d.replacement {
            note.push_str(&format!(" Use `{r}` instead."));
        }
        quote!(#[deprecated(note = #note)])
    });
    // Required parameters are arguments, so a missing one is a compile error; a long
    // list is the price.
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits),* }
        }
    }
}

fn endpoint_items(group: &Group, ep: &Endpoint) -> TokenStream {
    let builder = builder_name(ep);
    let api = format_ident!("{}Api", pascal(&group.name));
    let method_name = &ep.name;
    let static_name = endpoint_static(ep);
    let group_name = &group.name;
    let path = &ep.path;
    let method = format_ident!("{}", ep.method.variant());
    let host = format_ident!("{}", ep.host.variant());
    let auth = format_ident!("{}", ep.auth.variant());
    let kind = match ep.response {
        Response::Empty => quote!(Empty),
        Response::Binary | Response::JsonOrBinary(_) => quote!(Binary),
        Response::Json(_) => quote!(Json),
    };
    let fields = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        let t = param_type(ep, p);
        let t = if p.field.required {
            t
        } else {
            quote!(::std::option::Option<#t>)
        };
        quote!(#n: #t,)
    });
    let setters = user_params(ep).filter(|p| !p.field.required).map(|p| {
        let n = ident(&p.field.rust);
        let t = arg_type(ep, p);
        let doc = doc_lines(&format!(
            "Sets `{}` ({}): {}",
            p.field.wire,
            location_name(p),
            field_doc(&p.field)
        ));
        quote! {
            #doc
            pub fn #n(mut self, #n: #t) -> Self {
                self.#n = ::std::option::Option::Some(#n.into());
                self
            }
        }
    });
    let build = build_request(ep, &static_name);
    // Optional form fields push conditionally, so the parts cannot always be one `vec![]`.
    let has_form = ep
        .params
        .iter()
        .any(|p| matches!(p.location, ParamIn::Multipart { .. }));
    let allow_pushes = has_form.then(|| quote!(#[allow(clippy::vec_init_then_push)]));
    let output = response_type(ep);
    let send_fn = match &ep.response {
        Response::Empty => quote!(send_empty),
        Response::Binary => quote!(send_bytes),
        Response::Json(_) => quote!(send_json),
        Response::JsonOrBinary(_) => quote!(send_json_or_bytes),
    };
    let send_stream = stream_method(ep);
    let has_setters = user_params(ep).any(|p| !p.field.required);
    let builder_doc = doc_lines(&if has_setters {
        format!(
            "Request builder of [`{api}::{method_name}`]: set optional parameters, then `.await` it or call [`send`](Self::send)."
        )
    } else {
        format!("Request of [`{api}::{method_name}`]: `.await` it or call [`send`](Self::send).")
    });
    let response_struct = match &ep.response {
        Response::Json(ResponseBody::Fields(fields)) | Response::JsonOrBinary(ResponseBody::Fields(fields)) => {
            let n = format_ident!("{}Response", pascal(&ep.name));
            let d = doc_lines(&format!("What [`{api}::{method_name}`] answers."));
            let fs = fields.iter().map(|f| struct_field(f, true));
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[non_exhaustive]
                pub struct #n {
                    #(#fs)*
                }
            }
        }
        _ => quote!(),
    };
    let debug_fields = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        let label = &p.field.rust;
        // An OAuth token is stored as a `Secret`, which prints a placeholder.
        quote!(.field(#label, &self.#n))
    });
    let builder_name_str = builder.to_string();
    quote! {
        static #static_name: crate::endpoint::Endpoint = crate::endpoint::Endpoint {
            group: #group_name,
            name: #method_name,
            method: crate::endpoint::Method::#method,
            host: crate::endpoint::Host::#host,
            path: #path,
            auth: crate::endpoint::Auth::#auth,
            response: crate::endpoint::ResponseKind::#kind,
        };

        #builder_doc
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
        }

        impl ::std::fmt::Debug for #builder<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#builder_name_str) #(#debug_fields)* .finish_non_exhaustive()
            }
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Encodes the parameters into the request the runtime sends, without sending it.
            #allow_pushes
            pub fn to_request(&self) -> ::std::result::Result<crate::request::ApiRequest, crate::Error> {
                #build
            }

            /// Sends the request.
            pub async fn send(self) -> ::std::result::Result<#output, crate::Error> {
                let request = self.to_request()?;
                self.client.#send_fn(request).await
            }

            #send_stream
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#output, crate::Error>;
            type IntoFuture = crate::request::ApiFuture<'a, #output>;

            // The client's future itself, boxed: one layer less than `send`'s.
            fn into_future(self) -> Self::IntoFuture {
                let client = self.client;
                crate::request::api_future(self.to_request(), move |request| client.#send_fn(request))
            }
        }

        #response_struct
    }
}

/// Downloads also get a `send_stream`, which hands the media over as it arrives.
fn stream_method(ep: &Endpoint) -> TokenStream {
    let (output, call) = match &ep.response {
        Response::Binary => (
            quote!(crate::response::ByteStream),
            quote!(client.send_stream(request).await),
        ),
        Response::JsonOrBinary(body) => {
            let inner = response_body_type(ep, body);
            (
                quote!(crate::response::JsonOrBinary<#inner, crate::response::ByteStream>),
                quote!(client.send_json_or_stream(request).await),
            )
        }
        Response::Empty | Response::Json(_) => return quote!(),
    };
    quote! {
        /// Sends the request and returns once WeChat has answered, with the media left
        /// to be read as it arrives: for files too large to hold in memory.
        pub async fn send_stream(self) -> ::std::result::Result<#output, crate::Error> {
            let request = self.to_request()?;
            let client = self.client;
            #call
        }
    }
}

fn path_tokens(path: &[String]) -> TokenStream {
    quote!(&[#(#path),*])
}

fn const_tokens(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::String(s) => quote!(#s),
        serde_json::Value::Bool(b) => quote!(&#b),
        serde_json::Value::Number(n) => {
            let lit = if let Some(u) = n.as_u64() {
                Literal::u64_suffixed(u)
            } else if let Some(i) = n.as_i64() {
                Literal::i64_suffixed(i)
            } else {
                Literal::f64_suffixed(n.as_f64().unwrap_or_default())
            };
            quote!(&#lit)
        }
        other => {
            let s = other.to_string();
            quote!(#s)
        }
    }
}

fn query_text(value: &serde_json::Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// The body of `to_request`.
fn build_request(ep: &Endpoint, static_name: &proc_macro2::Ident) -> TokenStream {
    let mut stmts = Vec::new();
    for p in ep.params.iter().filter(|p| p.location == ParamIn::Query) {
        let wire = &p.field.wire;
        if let Some(c) = &p.constant {
            let text = query_text(c);
            stmts.push(quote!(request = request.query(#wire, #text);));
            continue;
        }
        let n = ident(&p.field.rust);
        let value = if is_secret(ep, p) {
            quote!(self.#n.expose())
        } else {
            quote!(&self.#n)
        };
        if p.field.required {
            stmts.push(quote!(request = request.query(#wire, #value);));
        } else {
            // A `Secret` prints as a placeholder: the wire needs its value.
            let value = if is_secret(ep, p) {
                quote!(value.expose())
            } else {
                quote!(value)
            };
            stmts.push(quote! {
                if let ::std::option::Option::Some(value) = &self.#n {
                    request = request.query(#wire, #value);
                }
            });
        }
    }
    let body_params: Vec<&Param> = ep
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamIn::Body(_)))
        .collect();
    if !body_params.is_empty() {
        stmts.push(quote!(let mut body = crate::request::JsonBody::new();));
        for p in body_params {
            let ParamIn::Body(path) = &p.location else { continue };
            let path = path_tokens(path);
            let wire = &p.field.wire;
            if let Some(c) = &p.constant {
                let c = const_tokens(c);
                stmts.push(quote!(body = body.field(#path, #wire, #c);));
                continue;
            }
            let n = ident(&p.field.rust);
            let put = |value: TokenStream| {
                if p.field.flatten {
                    quote!(body = body.flatten(#path, #value);)
                } else {
                    quote!(body = body.field(#path, #wire, #value);)
                }
            };
            if p.field.required {
                stmts.push(put(quote!(&self.#n)));
            } else {
                let put = put(quote!(value));
                stmts.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#n {
                        #put
                    }
                });
            }
        }
        stmts.push(quote!(request = request.json(body)?;));
    }
    let form_params: Vec<&Param> = ep
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamIn::Multipart { .. }))
        .collect();
    if !form_params.is_empty() {
        stmts.push(quote!(let mut parts = ::std::vec::Vec::new();));
        for p in form_params {
            let ParamIn::Multipart { json } = p.location else {
                continue;
            };
            let wire = &p.field.wire;
            let part = |value: TokenStream| {
                if p.field.ty == TypeRef::File {
                    quote!(parts.push(crate::upload::Upload::to_part(#value, #wire));)
                } else if json {
                    quote!(parts.push(crate::request::Part::json(#wire, #value)?);)
                } else {
                    quote!(parts.push(crate::request::Part::text(#wire, #value));)
                }
            };
            if let Some(c) = &p.constant {
                let text = query_text(c);
                stmts.push(part(quote!(#text)));
                continue;
            }
            let n = ident(&p.field.rust);
            if p.field.required {
                stmts.push(part(quote!(&self.#n)));
            } else {
                let put = part(quote!(value));
                stmts.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#n {
                        #put
                    }
                });
            }
        }
        stmts.push(quote!(request = request.multipart(parts);));
    }
    let mutable = if stmts.is_empty() { quote!() } else { quote!(mut) };
    quote! {
        let #mutable request = crate::request::ApiRequest::new(&#static_name);
        #(#stmts)*
        ::std::result::Result::Ok(request)
    }
}
