//! An endpoint's JSON body as a typed struct that borrows the builder's fields.
//!
//! `at:` paths become nested structs (`CreateQrcodeBodyActionInfo`), `const:` values
//! fields the struct fills itself, and either-or parameters `#[serde(flatten)]`ed
//! unions. The body is encoded once, straight to bytes.

use heck::ToUpperCamelCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::requests::param_type;
use crate::ident::{ident, pascal, snake};
use crate::ir::*;

/// A JSON object of the body: its members in spec order.
#[derive(Default)]
struct Object<'a> {
    members: Vec<Member<'a>>,
}

enum Member<'a> {
    Param(&'a Param),
    Nested(String, Object<'a>),
}

impl<'a> Object<'a> {
    fn insert(&mut self, path: &[String], p: &'a Param) {
        let Some((head, rest)) = path.split_first() else {
            self.members.push(Member::Param(p));
            return;
        };
        let existing = self.members.iter_mut().find_map(|m| match m {
            Member::Nested(key, object) if key == head => Some(object),
            _ => None,
        });
        match existing {
            Some(object) => object.insert(rest, p),
            None => {
                let mut object = Object::default();
                object.insert(rest, p);
                self.members.push(Member::Nested(head.clone(), object));
            }
        }
    }

    /// Whether any member borrows from the builder, so the struct needs a lifetime.
    fn borrows(&self) -> bool {
        self.members.iter().any(|m| match m {
            Member::Param(p) => p.constant.is_none(),
            Member::Nested(_, o) => o.borrows(),
        })
    }

    /// Whether the object is always sent: it holds a required or fixed member.
    fn always_present(&self) -> bool {
        self.members.iter().any(|m| match m {
            Member::Param(p) => p.field.required,
            Member::Nested(_, o) => o.always_present(),
        })
    }
}

/// The body struct definitions of `ep` and the expression that builds the body from
/// `self`; `None` when the endpoint sends no JSON body.
pub fn json_body(ep: &Endpoint) -> Option<(TokenStream, TokenStream)> {
    let mut root = Object::default();
    for p in &ep.params {
        if let ParamIn::Body(path) = &p.location {
            root.insert(path, p);
        }
    }
    if root.members.is_empty() {
        return None;
    }
    let name = format_ident!("{}Body", pascal(&ep.name));
    let mut defs = Vec::new();
    let expr = object(ep, &name, &root, &mut defs);
    Some((quote!(#(#defs)*), expr))
}

/// Emits the struct of `object` (and of its nested objects) into `defs`, returning the
/// expression that builds it.
fn object(ep: &Endpoint, name: &proc_macro2::Ident, object: &Object<'_>, defs: &mut Vec<TokenStream>) -> TokenStream {
    let lifetime = object.borrows().then(|| quote!(<'a>));
    // The outer struct reads first, its nested ones after it.
    let slot = defs.len();
    defs.push(quote!());
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for m in &object.members {
        match m {
            Member::Param(p) => {
                let n = ident(&p.field.rust);
                let rename = rename(&p.field.rust, &p.field.wire);
                if let Some(c) = &p.constant {
                    let (ty, value) = constant(c);
                    fields.push(quote!(#rename #n: #ty,));
                    inits.push(quote!(#n: #value,));
                    continue;
                }
                let ty = param_type(ep, p);
                let flatten = p.field.flatten.then(|| quote!(#[serde(flatten)]));
                if p.field.required {
                    fields.push(quote!(#rename #flatten #n: &'a #ty,));
                    inits.push(quote!(#n: &self.#n,));
                } else {
                    let skip = (!p.field.flatten).then(|| quote!(#[serde(skip_serializing_if = "Option::is_none")]));
                    fields.push(quote!(#rename #flatten #skip #n: Option<&'a #ty>,));
                    inits.push(quote!(#n: self.#n.as_ref(),));
                }
            }
            Member::Nested(key, inner) => {
                let n = ident(&snake(key));
                let rename = rename(&snake(key), key);
                let inner_name = format_ident!("{}{}", name, key.to_upper_camel_case());
                let inner_lifetime = inner.borrows().then(|| quote!(<'a>));
                let build = self::object(ep, &inner_name, inner, defs);
                if inner.always_present() {
                    fields.push(quote!(#rename #n: #inner_name #inner_lifetime,));
                    inits.push(quote!(#n: #build,));
                } else {
                    // An object of optional members only is left out when none is set.
                    let set: Vec<TokenStream> = inner
                        .members
                        .iter()
                        .map(|m| match m {
                            Member::Param(p) => {
                                let n = ident(&p.field.rust);
                                quote!(inner.#n.is_some())
                            }
                            Member::Nested(key, _) => {
                                let n = ident(&snake(key));
                                quote!(inner.#n.is_some())
                            }
                        })
                        .collect();
                    let any = match set.as_slice() {
                        [one] => one.clone(),
                        many => quote!((#(#many)||*)),
                    };
                    fields.push(quote! {
                        #rename
                        #[serde(skip_serializing_if = "Option::is_none")]
                        #n: Option<#inner_name #inner_lifetime>,
                    });
                    inits.push(quote!(#n: {
                        let inner = #build;
                        #any.then_some(inner)
                    },));
                }
            }
        }
    }
    defs[slot] = quote! {
        #[derive(Serialize)]
        struct #name #lifetime {
            #(#fields)*
        }
    };
    quote!(#name { #(#inits)* })
}

fn rename(rust: &str, wire: &str) -> Option<TokenStream> {
    (rust != wire).then(|| quote!(#[serde(rename = #wire)]))
}

/// The Rust type and value of a fixed member.
fn constant(value: &Value) -> (TokenStream, TokenStream) {
    match value {
        Value::Bool(b) => (quote!(bool), quote!(#b)),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                let lit = Literal::u64_unsuffixed(u);
                (quote!(u64), quote!(#lit))
            } else if let Some(i) = n.as_i64() {
                let lit = Literal::i64_unsuffixed(i);
                (quote!(i64), quote!(#lit))
            } else {
                let lit = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
                (quote!(f64), quote!(#lit))
            }
        }
        Value::String(s) => (quote!(&'static str), quote!(#s)),
        other => {
            let s = other.to_string();
            (quote!(&'static str), quote!(#s))
        }
    }
}
