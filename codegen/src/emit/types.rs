//! Named types: structs, string enums and one-of unions.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_lines, rust_type};
use crate::ident::ident;
use crate::ir::{EnumValue, Field, Group, NamedType, TypeDef, TypeRef, Variant};

pub fn named_type(group: &Group, ty: &NamedType) -> TokenStream {
    let doc = ty.doc.as_deref().unwrap_or("");
    match &ty.def {
        TypeDef::Struct(fields) => {
            let default = struct_is_default(group, &ty.name, &mut HashSet::new());
            struct_def(&ty.name, doc, fields, ty.in_request, default)
        }
        TypeDef::Enum(values) => string_enum(&ty.name, doc, values),
        TypeDef::OneOf { tag_field, variants } => one_of(&ty.name, doc, tag_field.as_deref(), variants),
    }
}

/// Whether every required field of the struct has a `Default`, so the struct can derive it.
fn struct_is_default(group: &Group, name: &str, visiting: &mut HashSet<String>) -> bool {
    if !visiting.insert(name.to_owned()) {
        return true;
    }
    let Some(TypeDef::Struct(fields)) = group.types.iter().find(|t| t.name == name).map(|t| &t.def) else {
        return false;
    };
    fields
        .iter()
        .filter(|f| f.required)
        .all(|f| type_is_default(group, &f.ty, visiting))
}

fn type_is_default(group: &Group, ty: &TypeRef, visiting: &mut HashSet<String>) -> bool {
    match ty {
        TypeRef::File => false,
        TypeRef::Named(n) => struct_is_default(group, n, visiting),
        _ => true,
    }
}

/// The Rust type of a field's value: its type expression, or `Secret` for a credential.
fn value_type(field: &Field) -> TokenStream {
    if field.secret {
        quote!(crate::Secret)
    } else {
        rust_type(&field.ty)
    }
}

/// The Rust type of a field: `Option` unless required.
pub fn field_type(field: &Field) -> TokenStream {
    let ty = value_type(field);
    if field.required {
        ty
    } else {
        quote!(::std::option::Option<#ty>)
    }
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
        serde_attrs.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    if field.loose {
        let with = if field.required {
            "crate::codec::loose::required"
        } else {
            "crate::codec::loose::optional"
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
    let default_derive = if default { quote!(, Default) } else { quote!() };
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
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize #default_derive)]
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
        let t = value_type(f);
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.rust);
        if f.required {
            quote!(#n: #n.into())
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.rust);
        let setter = format_ident!("with_{}", f.rust);
        let t = value_type(f);
        let doc = doc_lines(&format!("Sets `{}`: {}", f.wire, field_doc(f)));
        quote! {
            #doc
            #[must_use]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                self.#n = ::std::option::Option::Some(value.into());
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

fn string_enum(name: &str, doc: &str, values: &[EnumValue]) -> TokenStream {
    let ident_name = ident(name);
    let doc = doc_lines(if doc.is_empty() { name } else { doc });
    let variants = values.iter().map(|v| {
        let var = ident(&v.rust);
        let d = match &v.doc {
            Some(d) => format!("`{}`: {d}", v.wire),
            None => format!("`{}`", v.wire),
        };
        let d = doc_lines(&d);
        quote!(#d #var,)
    });
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

        impl ::std::convert::From<&str> for #ident_name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #ident_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #ident_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
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
                    let mut map = serializer.serialize_map(::std::option::Option::Some(2))?;
                    map.serialize_entry(#field, #tag)?;
                    map.serialize_entry(#key, value)?;
                    map.end()
                }
            },
            _ => quote! {
                Self::#var(value) => {
                    let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
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
            if let ::std::option::Option::Some(value) = map.remove(#key) {
                return ::serde_json::from_value(value).map(Self::#var).map_err(::serde::de::Error::custom);
            }
        }
    });
    let tag_fn = tag_field.map(|field| {
        let arms = variants.iter().filter_map(|v| {
            let var = ident(&v.rust);
            v.tag
                .as_ref()
                .map(|t| quote!(Self::#var(_) => ::std::option::Option::Some(#t),))
        });
        let d = doc_lines(&format!("The `{field}` value of this variant, if known."));
        quote! {
            impl #ident_name {
                #d
                pub fn tag(&self) -> ::std::option::Option<&str> {
                    match self {
                        #(#arms)*
                        Self::Other(map) => map.get(#field).and_then(::serde_json::Value::as_str),
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
            Other(::serde_json::Map<String, ::serde_json::Value>),
        }

        #tag_fn

        impl ::serde::Serialize for #ident_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                match self {
                    #(#ser)*
                    Self::Other(map) => ::serde::Serialize::serialize(map, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let mut map = <::serde_json::Map<String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#de)*
                ::std::result::Result::Ok(Self::Other(map))
            }
        }
    }
}
