//! A section's `types.rs`: named types (structs, string enums, one-of unions) and the
//! response structs of its endpoints.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{arg_type, arg_value, by_value, doc_lines, rust_type};
use crate::ident::{ident, pascal};
use crate::ir::*;

/// The named types and response structs of one section, in spec order.
pub fn types_file(named: &[&NamedType], endpoints: &[&Endpoint], group: &Group, index: &TypeIndex<'_>) -> TokenStream {
    let handle = super::group::handle_name(group);
    let types = named.iter().map(|t| named_type(t, index));
    let responses = endpoints.iter().filter_map(|ep| {
        let (Response::Json(ResponseBody::Fields(fields)) | Response::JsonOrBinary(ResponseBody::Fields(fields))) =
            &ep.response
        else {
            return None;
        };
        let n = ident(&response_struct_name(ep)?);
        let d = doc_lines(&format!(
            "What [`{handle}::{}`](crate::api::{}::{handle}::{}) answers.",
            ep.name, group.name, ep.name
        ));
        let default = fields.iter().all(|f| !f.required).then(|| quote!(Default,));
        let fs = fields.iter().map(|f| struct_field(f, true));
        Some(quote! {
            #d
            #[derive(Debug, Clone, #default PartialEq, Serialize, Deserialize)]
            #[non_exhaustive]
            pub struct #n {
                #(#fs)*
            }
        })
    });
    quote! {
        #(#types)*
        #(#responses)*
    }
}

/// The name of an endpoint's anonymous response struct, `None` when it has none.
pub fn response_struct_name(ep: &Endpoint) -> Option<String> {
    match &ep.response {
        Response::Json(ResponseBody::Fields(_)) | Response::JsonOrBinary(ResponseBody::Fields(_)) => {
            Some(format!("{}Response", pascal(&ep.name)))
        }
        _ => None,
    }
}

pub fn named_type(ty: &NamedType, index: &TypeIndex<'_>) -> TokenStream {
    let doc = ty.doc.as_deref().unwrap_or("");
    match &ty.def {
        TypeDef::Struct(fields) => {
            // `Default` would let a user skip a required field that `new` asks for.
            let default = fields.iter().all(|f| !f.required);
            struct_def(&ty.name, doc, fields, ty.in_request, default)
        }
        TypeDef::Enum(values) => string_enum(&ty.name, doc, values),
        TypeDef::Codes(codes) => code_enum(&ty.name, doc, codes),
        TypeDef::OneOf { tag_field, variants } => {
            let one_of = one_of(&ty.name, doc, tag_field.as_deref(), variants);
            let constructors = ty.in_request.then(|| variant_constructors(&ty.name, variants, index));
            quote!(#one_of #constructors)
        }
    }
}

/// The Rust type of a field's value: its type expression, or `Secret` for a credential.
fn value_type(field: &Field) -> TokenStream {
    if field.secret {
        quote!(Secret)
    } else {
        rust_type(&field.ty)
    }
}

/// The Rust type of a field: `Option` unless required.
pub fn field_type(field: &Field) -> TokenStream {
    let ty = value_type(field);
    if field.required { ty } else { quote!(Option<#ty>) }
}

/// The doc text of a field, with its wire name and deprecation.
pub fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.clone().unwrap_or_default();
    if doc.is_empty() {
        doc = format!("`{}`", field.wire);
    }
    if let Some(note) = &field.deprecated {
        doc.push_str(&format!("\n\n**Deprecated:** {note}"));
    }
    doc
}

/// A struct field with its serde attributes.
pub fn struct_field(field: &Field, public: bool) -> TokenStream {
    let name = ident(&field.rust);
    let ty = field_type(field);
    let doc = doc_lines(&field_doc(field));
    let mut serde_attrs: Vec<TokenStream> = Vec::new();
    if name.to_string().trim_start_matches("r#") != field.wire {
        let wire = &field.wire;
        serde_attrs.push(quote!(rename = #wire));
    }
    if field.flatten {
        serde_attrs.push(quote!(flatten));
    } else if !field.required {
        serde_attrs.push(quote!(default));
        serde_attrs.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if field.loose {
        let with = if field.required {
            "crate::endpoint::codec::loose::required"
        } else {
            "crate::endpoint::codec::loose::optional"
        };
        serde_attrs.push(quote!(deserialize_with = #with));
    }
    let serde = if serde_attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_attrs),*)])
    };
    let vis = if public { quote!(pub) } else { quote!() };
    quote! {
        #doc
        #serde
        #vis #name: #ty,
    }
}

fn struct_def(name: &str, doc: &str, fields: &[Field], in_request: bool, default: bool) -> TokenStream {
    let ident_name = ident(name);
    let doc = doc_lines(if doc.is_empty() { name } else { doc });
    let fields_tokens = fields.iter().map(|f| struct_field(f, true));
    let default_derive = if default { quote!(Default,) } else { quote!() };
    // Response-only structs may gain fields without breaking users; request structs are
    // built by users with literals, so they stay exhaustive and get a constructor.
    let non_exhaustive = if in_request {
        quote!()
    } else {
        quote!(#[non_exhaustive])
    };
    let constructor = if in_request {
        constructor(name, fields)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, #default_derive PartialEq, Serialize, Deserialize)]
        #non_exhaustive
        pub struct #ident_name {
            #(#fields_tokens)*
        }
        #constructor
    }
}

fn constructor(name: &str, fields: &[Field]) -> TokenStream {
    let ident_name = ident(name);
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.rust);
        let t = arg_type(&f.ty, &value_type(f));
        quote!(#n: #t)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.rust);
        if f.required && by_value(&f.ty) {
            quote!(#n)
        } else if f.required {
            quote!(#n: #n.into())
        } else {
            quote!(#n: None)
        }
    });
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.rust);
        let setter = format_ident!("with_{}", f.rust);
        let t = arg_type(&f.ty, &value_type(f));
        let value = arg_value(&f.ty, &format_ident!("value"));
        let doc = doc_lines(&format!("Sets `{}`: {}", f.wire, field_doc(f)));
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, value: #t) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    });
    let new_doc = doc_lines(&format!(
        "A `{name}` with its required fields; set the optional ones with the `with_` methods."
    ));
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl #ident_name {
            #new_doc
            #allow
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// The variants of a string or integer enum, each documented with its wire value.
fn enum_variants(values: &[EnumValue]) -> Vec<TokenStream> {
    values
        .iter()
        .map(|v| {
            let var = ident(&v.rust);
            let d = match &v.doc {
                Some(d) => format!("`{}`: {}", v.wire, d.trim()),
                None => format!("`{}`", v.wire),
            };
            let d = doc_lines(&d);
            quote!(#d #var,)
        })
        .collect()
}

fn string_enum(name: &str, doc: &str, values: &[EnumValue]) -> TokenStream {
    let ident_name = ident(name);
    let doc = doc_lines(if doc.is_empty() { name } else { doc });
    let variants = enum_variants(values);
    let to_str = values.iter().map(|v| {
        let var = ident(&v.rust);
        let wire = &v.wire;
        quote!(Self::#var => #wire,)
    });
    let from_str = values.iter().map(|v| {
        let var = ident(&v.rust);
        let wire = &v.wire;
        quote!(#wire => Self::#var,)
    });
    quote! {
        #doc
        ///
        /// Unknown values, which WeChat may add at any time, are kept in `Other`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident_name {
            #(#variants)*
            /// A value this version of the crate does not know.
            Other(String),
        }

        impl #ident_name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for #ident_name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl fmt::Display for #ident_name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #ident_name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #ident_name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}

/// An integer enum: WeChat's numbered values (`1` text, `3` image) by name, unknown codes
/// kept in `Other`. It reads a code written as a string too, as WeChat sometimes sends.
fn code_enum(name: &str, doc: &str, codes: &[EnumValue]) -> TokenStream {
    let ident_name = ident(name);
    let doc = doc_lines(if doc.is_empty() { name } else { doc });
    let code = |c: &EnumValue| proc_macro2::Literal::i64_unsuffixed(c.code());
    let variants = enum_variants(codes);
    let to_code = codes.iter().map(|c| {
        let var = ident(&c.rust);
        let n = code(c);
        quote!(Self::#var => #n,)
    });
    let from_code = codes.iter().map(|c| {
        let var = ident(&c.rust);
        let n = code(c);
        quote!(#n => Self::#var,)
    });
    quote! {
        #doc
        ///
        /// Unknown codes, which WeChat may add at any time, are kept in `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident_name {
            #(#variants)*
            /// A code this version of the crate does not know.
            Other(i64),
        }

        impl #ident_name {
            /// The code as sent on the wire.
            pub fn code(self) -> i64 {
                match self {
                    #(#to_code)*
                    Self::Other(code) => code,
                }
            }
        }

        impl From<i64> for #ident_name {
            fn from(code: i64) -> Self {
                match code {
                    #(#from_code)*
                    other => Self::Other(other),
                }
            }
        }

        impl fmt::Display for #ident_name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl Serialize for #ident_name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for #ident_name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::endpoint::codec::loose::required::<D, i64>(deserializer).map(Self::from)
            }
        }
    }
}

/// A constructor per variant whose payload is a struct with required fields, named after
/// the variant's key: `CustomMessage::text("你好")` for
/// `CustomMessage::Text(CustomText::new("你好"))`; and one per variant whose payload is
/// a plain value: `GuideRef::guide_account("wx")`.
fn variant_constructors(name: &str, variants: &[Variant], index: &TypeIndex<'_>) -> Option<TokenStream> {
    let fns: Vec<TokenStream> = variants
        .iter()
        .filter_map(|v| {
            if !matches!(v.ty, TypeRef::Named(_)) {
                return value_constructor(v);
            }
            let payload = index.get(v.ty.named()?)?;
            let TypeDef::Struct(fields) = &payload.def else {
                return None;
            };
            let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
            let method = v.key.to_snake_case();
            if required.is_empty() || method == "tag" || !payload.in_request {
                return None;
            }
            let method = ident(&method);
            let var = ident(&v.rust);
            let ty = ident(&payload.name);
            let args = required.iter().map(|f| {
                let n = ident(&f.rust);
                let t = arg_type(&f.ty, &value_type(f));
                quote!(#n: #t)
            });
            let names = required.iter().map(|f| ident(&f.rust));
            let doc = doc_lines(&format!(
                "`Self::{var}({ty}::new(..))`, from the payload's required fields; for its optional \
                 ones, build the [`{ty}`] and wrap it.",
                var = v.rust,
                ty = payload.name
            ));
            let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
            Some(quote! {
                #doc
                #allow
                pub fn #method(#(#args),*) -> Self {
                    Self::#var(#ty::new(#(#names),*))
                }
            })
        })
        .collect();
    if fns.is_empty() {
        return None;
    }
    let ident_name = ident(name);
    Some(quote! {
        impl #ident_name {
            #(#fns)*
        }
    })
}

/// `GuideRef::guide_account("wx")` for `GuideRef::Account("wx".into())`.
fn value_constructor(v: &Variant) -> Option<TokenStream> {
    let method = v.key.to_snake_case();
    if method == "tag" || method == "other" {
        return None;
    }
    let method = ident(&method);
    let var = ident(&v.rust);
    let ty = arg_type(&v.ty, &rust_type(&v.ty));
    let value = arg_value(&v.ty, &format_ident!("value"));
    let shown = if by_value(&v.ty) { "value" } else { "value.into()" };
    let doc = doc_lines(&format!("`Self::{}({shown})`.", v.rust));
    Some(quote! {
        #doc
        pub fn #method(value: #ty) -> Self {
            Self::#var(#value)
        }
    })
}

fn one_of(name: &str, doc: &str, tag_field: Option<&str>, variants: &[Variant]) -> TokenStream {
    let ident_name = ident(name);
    let mut doc_text = if doc.is_empty() {
        name.to_owned()
    } else {
        doc.to_owned()
    };
    let keys = variants
        .iter()
        .map(|v| format!("`{}`", v.key))
        .collect::<Vec<_>>()
        .join(", ");
    doc_text.push_str(&format!("\n\nOn the wire, exactly one of the keys {keys} is present"));
    match tag_field {
        Some(tag) => doc_text.push_str(&format!(", and `{tag}` names it.")),
        None => doc_text.push('.'),
    }
    let doc = doc_lines(&doc_text);
    let decl = variants.iter().map(|v| {
        let var = ident(&v.rust);
        let ty = rust_type(&v.ty);
        let d = doc_lines(&match (&v.doc, &v.tag) {
            (Some(d), Some(t)) => format!("`{t}`, under `{}`: {d}", v.key),
            (Some(d), None) => format!("Under `{}`: {d}", v.key),
            (None, Some(t)) => format!("`{t}`, under `{}`.", v.key),
            (None, None) => format!("Under `{}`.", v.key),
        });
        quote!(#d #var(#ty),)
    });
    let ser = variants.iter().map(|v| {
        let var = ident(&v.rust);
        let key = &v.key;
        match (tag_field, &v.tag) {
            (Some(field), Some(tag)) => quote! {
                Self::#var(value) => {
                    let mut map = serializer.serialize_map(Some(2))?;
                    map.serialize_entry(#field, #tag)?;
                    map.serialize_entry(#key, value)?;
                    map.end()
                }
            },
            _ => quote! {
                Self::#var(value) => {
                    let mut map = serializer.serialize_map(Some(1))?;
                    map.serialize_entry(#key, value)?;
                    map.end()
                }
            },
        }
    });
    let de = variants.iter().map(|v| {
        let var = ident(&v.rust);
        let key = &v.key;
        quote! {
            if let Some(value) = map.remove(#key) {
                return serde_json::from_value(value).map(Self::#var).map_err(de::Error::custom);
            }
        }
    });
    let tag_fn = tag_field.map(|field| {
        let arms = variants.iter().filter_map(|v| {
            let var = ident(&v.rust);
            v.tag.as_ref().map(|t| quote!(Self::#var(_) => Some(#t),))
        });
        let d = doc_lines(&format!("The `{field}` value of this variant, if known."));
        quote! {
            impl #ident_name {
                #d
                pub fn tag(&self) -> Option<&str> {
                    match self {
                        #(#arms)*
                        Self::Other(map) => map.get(#field).and_then(Value::as_str),
                    }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        // Variants mirror WeChat's payloads, whose sizes differ a lot; boxing them would
        // make every literal a user writes noisier for a one-off copy.
        #[allow(clippy::large_enum_variant)]
        pub enum #ident_name {
            #(#decl)*
            /// A variant this version of the crate does not know, kept as JSON.
            Other(Map<String, Value>),
        }

        #tag_fn

        impl Serialize for #ident_name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;

                match self {
                    #(#ser)*
                    Self::Other(map) => map.serialize(serializer),
                }
            }
        }

        impl<'de> Deserialize<'de> for #ident_name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut map = Map::<String, Value>::deserialize(deserializer)?;
                #(#de)*
                Ok(Self::Other(map))
            }
        }
    }
}
