//! A section's `requests.rs`: the endpoint statics, the handle's methods, and a request
//! builder per endpoint with its body struct and, for list endpoints, its paging.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::group::{endpoint_static, handle_name};
use super::types::{field_doc, response_struct_name};
use super::{arg_type, arg_value, body, by_value, code_span, doc_lines, rust_type};
use crate::ident::{ident, pascal};
use crate::ir::*;
use crate::tables::param_table;

/// A section's endpoints, in spec order.
pub fn requests_file(group: &Group, endpoints: &[&Endpoint], index: &TypeIndex<'_>) -> TokenStream {
    let handle = handle_name(group);
    let statics = endpoints.iter().map(|e| endpoint_static_item(group, e));
    let methods = endpoints.iter().map(|e| method(e, index));
    let items = endpoints.iter().map(|e| endpoint_items(&handle, e));
    quote! {
        #(#statics)*

        impl<'a> #handle<'a> {
            #(#methods)*
        }

        #(#items)*
    }
}

/// Parameters the caller passes: those not fixed by the spec.
fn user_params(ep: &Endpoint) -> impl Iterator<Item = &Param> {
    ep.params.iter().filter(|p| p.constant.is_none())
}

/// Whether a parameter holds a credential (a user's OAuth token, a refresh token),
/// which must never be printed.
fn is_secret(ep: &Endpoint, p: &Param) -> bool {
    p.field.secret || (ep.auth == Auth::OAuthToken && p.location == ParamIn::Query && p.field.wire == "access_token")
}

/// The type a builder stores for a parameter.
pub fn param_type(ep: &Endpoint, p: &Param) -> TokenStream {
    if is_secret(ep, p) {
        return quote!(Secret);
    }
    rust_type(&p.field.ty)
}

fn builder_name(ep: &Endpoint) -> Ident {
    format_ident!("{}Request", pascal(&ep.name))
}

/// The Rust type the call resolves to.
pub fn response_type(ep: &Endpoint) -> TokenStream {
    match &ep.response {
        Response::Empty => quote!(()),
        Response::Binary => quote!(Bytes),
        Response::Json(b) => response_body_type(ep, b),
        Response::JsonOrBinary(b) => {
            let inner = response_body_type(ep, b);
            quote!(JsonOrBinary<#inner>)
        }
    }
}

fn response_body_type(ep: &Endpoint, body: &ResponseBody) -> TokenStream {
    let name = match body {
        ResponseBody::Fields(_) => response_struct_name(ep).unwrap_or_default(),
        ResponseBody::Named(n) => n.clone(),
    };
    let name = ident(&name);
    quote!(#name)
}

fn endpoint_static_item(group: &Group, ep: &Endpoint) -> TokenStream {
    let name = endpoint_static(ep);
    let group_name = &group.name;
    let method_name = &ep.name;
    let path = &ep.path;
    let method = format_ident!("{}", ep.method.variant());
    let host = format_ident!("{}", ep.host.variant());
    let auth = format_ident!("{}", ep.auth.variant());
    let kind = match ep.response {
        Response::Empty => quote!(Empty),
        Response::Binary | Response::JsonOrBinary(_) => quote!(Binary),
        Response::Json(_) => quote!(Json),
    };
    let doc = super::doc_lines(&format!(
        "`{group_name}.{method_name}`: `{} {path}` on `{}`. Its `path` is the \
         `cgi_path` WeChat's quota calls take.",
        ep.method.as_str(),
        ep.host.domain()
    ));
    quote! {
        #doc
        pub static #name: Endpoint = Endpoint {
            group: #group_name,
            name: #method_name,
            method: Method::#method,
            host: Host::#host,
            path: #path,
            auth: Auth::#auth,
            response: ResponseKind::#kind,
        };
    }
}

/// The rustdoc of an endpoint method: summary, notes, HTTP line with WeChat's page,
/// the whole parameter table, what it returns, errors and deprecation.
pub fn method_doc(ep: &Endpoint, index: &TypeIndex<'_>) -> String {
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
    match &ep.doc_url {
        Some(url) => doc.push_str(&format!(" ([WeChat's documentation]({url})).")),
        None => doc.push('.'),
    }
    if let Some(table) = param_table(ep, index) {
        doc.push_str("\n\n");
        doc.push_str(&table);
    }
    if let Some(range) = &ep.date_range {
        doc.push_str(&format!(
            "\n\n`{}` to `{}` may span 1 to {} days, both counted; another range is \
             [`Error::DateRange`] before any request.",
            range.begin, range.end, range.max_days
        ));
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
    if ep.paginate.is_some() {
        doc.push_str(
            " The answer comes in pages: `.pages()` streams them all and `.items()` every item of every page.",
        );
    }
    if !ep.errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n[`Error::Api`] with WeChat's `errcode`, such as:");
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

fn method(ep: &Endpoint, index: &TypeIndex<'_>) -> TokenStream {
    let name = ident(&ep.name);
    let builder = builder_name(ep);
    let doc = doc_lines(&method_doc(ep, index));
    let required: Vec<&Param> = user_params(ep).filter(|p| p.field.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.field.rust);
        let t = arg_type(&p.field.ty, &param_type(ep, p));
        quote!(#n: #t)
    });
    let inits = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        if p.field.required && by_value(&p.field.ty) {
            quote!(#n)
        } else if p.field.required {
            quote!(#n: #n.into())
        } else {
            quote!(#n: None)
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
    // list is the price. Clippy counts `&self` among them.
    let allow = (required.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits),* }
        }
    }
}

fn endpoint_items(handle: &Ident, ep: &Endpoint) -> TokenStream {
    let builder = builder_name(ep);
    let method_name = &ep.name;
    let fields = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        let t = param_type(ep, p);
        if p.field.required {
            quote!(#n: #t,)
        } else {
            quote!(#n: Option<#t>,)
        }
    });
    let setters = user_params(ep).filter(|p| !p.field.required).map(|p| {
        let n = ident(&p.field.rust);
        let t = param_type(ep, p);
        let place = match &p.location {
            ParamIn::Query => "query".to_owned(),
            ParamIn::Body(path) if path.is_empty() => "body".to_owned(),
            ParamIn::Body(path) => format!("body, in `{}`", path.join(".")),
            ParamIn::Multipart { .. } => "form".to_owned(),
        };
        let doc = doc_lines(&format!("Sets `{}` ({place}): {}", p.field.wire, field_doc(&p.field)));
        let arg = arg_type(&p.field.ty, &t);
        let value = arg_value(&p.field.ty, &n);
        quote! {
            #doc
            pub fn #n(mut self, #n: #arg) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    });
    let (body_structs, build) = build_request(ep);
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
            "Request builder of [`{handle}::{method_name}`]: set optional parameters, then `.await` it or call [`send`](Self::send)."
        )
    } else {
        format!("Request of [`{handle}::{method_name}`]: `.await` it or call [`send`](Self::send).")
    });
    let debug_fields = user_params(ep).map(|p| {
        let n = ident(&p.field.rust);
        let label = &p.field.rust;
        // A credential is stored as a `Secret`, which prints a placeholder.
        quote!(.field(#label, &self.#n))
    });
    let builder_name_str = builder.to_string();
    let (paging_methods, paged_impl) = paging(ep, &builder);
    quote! {
        #builder_doc
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
        }

        impl fmt::Debug for #builder<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(#builder_name_str) #(#debug_fields)* .finish_non_exhaustive()
            }
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Encodes the parameters into the request the runtime sends, without sending it.
            pub fn to_request(&self) -> Result<ApiRequest, Error> {
                #build
            }

            /// Sends the request: the same future as `.await` on the builder.
            pub fn send(self) -> ApiFuture<'a, #output> {
                self.into_future()
            }

            #send_stream
            #paging_methods
        }

        impl<'a> IntoFuture for #builder<'a> {
            type Output = Result<#output, Error>;
            type IntoFuture = ApiFuture<'a, #output>;

            fn into_future(self) -> Self::IntoFuture {
                let client = self.client;
                api_future(self.to_request(), move |request| client.#send_fn(request))
            }
        }

        #paged_impl
        #body_structs
    }
}

/// Downloads also get a `send_stream`, which hands the media over as it arrives.
fn stream_method(ep: &Endpoint) -> TokenStream {
    let (output, call) = match &ep.response {
        Response::Binary => (quote!(ByteStream), quote!(client.send_stream(request).await)),
        Response::JsonOrBinary(body) => {
            let inner = response_body_type(ep, body);
            (
                quote!(JsonOrBinary<#inner, ByteStream>),
                quote!(client.send_json_or_stream(request).await),
            )
        }
        Response::Empty | Response::Json(_) => return quote!(),
    };
    quote! {
        /// Sends the request and returns once WeChat has answered, with the media left
        /// to be read as it arrives: for files too large to hold in memory.
        pub async fn send_stream(self) -> Result<#output, Error> {
            let request = self.to_request()?;
            let client = self.client;
            #call
        }
    }
}

fn query_text(value: &serde_json::Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// The body structs of an endpoint, and the body of its `to_request`.
fn build_request(ep: &Endpoint) -> (TokenStream, TokenStream) {
    let static_name = endpoint_static(ep);
    let mut stmts = Vec::new();
    for p in ep.params.iter().filter(|p| p.location == ParamIn::Query) {
        let wire = &p.field.wire;
        if let Some(c) = &p.constant {
            let text = query_text(c);
            stmts.push(quote!(request = request.query(#wire, #text);));
            continue;
        }
        let n = ident(&p.field.rust);
        // A `Secret` prints as a placeholder: the wire needs its value.
        let secret = is_secret(ep, p);
        if p.field.required {
            let value = if secret {
                quote!(self.#n.expose())
            } else if by_value(&p.field.ty) {
                // Numbers, booleans and days are `Copy`: borrowing them is noise clippy flags.
                quote!(self.#n)
            } else {
                quote!(&self.#n)
            };
            stmts.push(quote!(request = request.query(#wire, #value);));
        } else {
            let value = if secret { quote!(value.expose()) } else { quote!(value) };
            stmts.push(quote! {
                if let Some(value) = &self.#n {
                    request = request.query(#wire, #value);
                }
            });
        }
    }
    let mut structs = quote!();
    let mut tail = quote!(Ok(request));
    let mut json = None;
    if let Some((defs, expr)) = body::json_body(ep) {
        structs = defs;
        tail = quote!(request.json(&#expr));
        json = Some(expr);
    } else if ep.empty_body {
        let empty = quote!(Map::<String, Value>::new());
        tail = quote!(request.json(&#empty));
        json = Some(empty);
    }
    let form: Vec<&Param> = ep
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamIn::Multipart { .. }))
        .collect();
    if !form.is_empty() {
        let mut parts = Vec::new();
        let mut optional = Vec::new();
        for p in form {
            let ParamIn::Multipart { json } = p.location else {
                continue;
            };
            let wire = &p.field.wire;
            let part = |value: TokenStream| {
                if p.field.ty == TypeRef::File {
                    quote!(Upload::to_part(#value, #wire))
                } else if json {
                    quote!(Part::json(#wire, #value)?)
                } else {
                    quote!(Part::text(#wire, #value))
                }
            };
            if let Some(c) = &p.constant {
                let text = query_text(c);
                parts.push(part(quote!(#text)));
                continue;
            }
            let n = ident(&p.field.rust);
            if p.field.required {
                parts.push(part(quote!(&self.#n)));
            } else {
                let put = part(quote!(value));
                optional.push(quote! {
                    if let Some(value) = &self.#n {
                        parts.push(#put);
                    }
                });
            }
        }
        let binding = if optional.is_empty() {
            quote!(let parts = vec![#(#parts),*];)
        } else {
            quote!(let mut parts = vec![#(#parts),*];)
        };
        stmts.push(quote! {
            #binding
            #(#optional)*
        });
        tail = quote!(Ok(request.multipart(parts)));
    }
    let build = if stmts.is_empty() {
        // Nothing to add one by one: the request is one expression.
        match &json {
            Some(expr) => quote!(ApiRequest::new(&#static_name).json(&#expr)),
            None => quote!(Ok(ApiRequest::new(&#static_name))),
        }
    } else {
        let has_query = ep.params.iter().any(|p| p.location == ParamIn::Query);
        let mutable = has_query.then(|| quote!(mut));
        quote! {
            let #mutable request = ApiRequest::new(&#static_name);
            #(#stmts)*
            #tail
        }
    };
    let build = match &ep.date_range {
        // WeChat refuses a longer range with an errcode; refusing it here costs no call.
        Some(range) => {
            let (begin, end) = (ident(&range.begin), ident(&range.end));
            let max = proc_macro2::Literal::u32_unsuffixed(range.max_days);
            quote! {
                check_date_range(&#static_name, self.#begin, self.#end, #max)?;
                #build
            }
        }
        None => build,
    };
    (structs, build)
}

/// `.pages()` and `.items()` of a list endpoint, and its `Paged` impl.
fn paging(ep: &Endpoint, builder: &Ident) -> (TokenStream, TokenStream) {
    let Some(p) = &ep.paginate else {
        return (quote!(), quote!());
    };
    let Response::Json(body) = &ep.response else {
        return (quote!(), quote!());
    };
    let page = response_body_type(ep, body);
    let item = rust_type(&p.item);
    let mut chain = quote!(Some(page));
    for (name, required) in &p.items {
        let n = ident(name);
        chain = if *required {
            quote!(#chain.map(|v| v.#n))
        } else {
            quote!(#chain.and_then(|v| v.#n))
        };
    }
    let mut len = quote!(Some(page));
    for (name, required) in &p.items {
        let n = ident(name);
        len = if *required {
            quote!(#len.map(|v| &v.#n))
        } else {
            quote!(#len.and_then(|v| v.#n.as_ref()))
        };
    }
    let advance = match &p.style {
        PageStyle::Cursor {
            param,
            param_required,
            from,
            from_required,
        } => {
            let param = ident(param);
            let from = ident(from);
            let next = if *from_required {
                quote!(Some(&page.#from))
            } else {
                quote!(page.#from.as_ref())
            };
            let (current, set) = if *param_required {
                (quote!(Some(&self.#param)), quote!(self.#param = next.clone();))
            } else {
                (quote!(self.#param.as_ref()), quote!(self.#param = Some(next.clone());))
            };
            quote! {
                let Some(next) = #next else {
                    return false;
                };
                // An empty or repeated cursor means WeChat has nothing after this page.
                if next.is_empty() || #current == Some(next) {
                    return false;
                }
                #set
                true
            }
        }
        PageStyle::Offset {
            param,
            param_required,
            ty,
            total,
        } => {
            let param = ident(param);
            let ty = rust_type(ty);
            let current = if *param_required {
                quote!(self.#param)
            } else {
                quote!(self.#param.unwrap_or_default())
            };
            let set = if *param_required {
                quote!(self.#param = next;)
            } else {
                quote!(self.#param = Some(next);)
            };
            let more = match total {
                Some((field, true)) => {
                    let field = ident(field);
                    quote!(i128::from(next) < i128::from(page.#field))
                }
                Some((field, false)) => {
                    let field = ident(field);
                    quote!(page.#field.is_none_or(|total| i128::from(next) < i128::from(total)))
                }
                None => quote!(true),
            };
            quote! {
                let next = #current + Self::page_len(page) as #ty;
                #set
                #more
            }
        }
        PageStyle::Page {
            param,
            param_required,
            first,
            size_total,
        } => {
            let param = ident(param);
            let first_page = proc_macro2::Literal::u32_unsuffixed(*first);
            let (current, set) = if *param_required {
                (quote!(self.#param), quote!(self.#param = next;))
            } else {
                (
                    quote!(self.#param.unwrap_or(#first_page)),
                    quote!(self.#param = Some(next);),
                )
            };
            // Pages before `next` hold `size` items each, short of the last.
            let more = match size_total {
                Some((size, total, required)) => {
                    let size = ident(size);
                    let total = ident(total);
                    let before = match first {
                        0 => quote!(i128::from(next)),
                        _ => quote!((i128::from(next) - 1)),
                    };
                    let seen = quote!(#before * i128::from(self.#size));
                    if *required {
                        quote!(#seen < i128::from(page.#total))
                    } else {
                        quote!(page.#total.is_none_or(|total| #seen < i128::from(total)))
                    }
                }
                None => quote!(true),
            };
            // Without a total only the empty page, which `pages` checks, ends the stream.
            let unused = size_total.is_none().then(|| quote!(let _ = page;));
            quote! {
                #unused
                let next = #current + 1;
                #set
                #more
            }
        }
    };
    let methods = quote! {
        /// Every page of the answer, one request after another, from the page this
        /// request asks for. The stream ends at an empty page or when WeChat gives no
        /// further page; an error ends it after being yielded.
        pub fn pages(self) -> impl Stream<Item = Result<#page, Error>> + Send + 'a {
            crate::client::paginate::pages(self)
        }

        /// Every item of every page, as [`pages`](Self::pages) fetches them.
        pub fn items(self) -> impl Stream<Item = Result<#item, Error>> + Send + 'a {
            crate::client::paginate::items(self)
        }
    };
    let paged = quote! {
        impl Paged for #builder<'_> {
            type Page = #page;
            type Item = #item;

            fn client(&self) -> &Client {
                self.client
            }

            fn request(&self) -> Result<ApiRequest, Error> {
                self.to_request()
            }

            fn page_len(page: &#page) -> usize {
                #len.map_or(0, Vec::len)
            }

            fn page_items(page: #page) -> Vec<#item> {
                #chain.unwrap_or_default()
            }

            fn advance(&mut self, page: &#page) -> bool {
                #advance
            }
        }
    };
    (methods, paged)
}
