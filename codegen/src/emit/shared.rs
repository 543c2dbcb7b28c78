//! Types that several groups declare identically, such as `Lang`: emitted once, in
//! `api/shared.rs`, and re-exported by each of those groups, so that a value of one
//! group's type can be passed to another's endpoint.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident::ident;
use crate::ir::{Group, Ir, NamedType, TypeDef, TypeRef};

/// A type declared the same way by two groups or more.
pub struct Shared<'a> {
    /// The declaration, as the first group has it.
    pub ty: &'a NamedType,
    /// The group it was taken from.
    pub first: &'a Group,
    /// Every group that declares it.
    pub groups: Vec<&'a str>,
}

/// The shared types, by name. A type is shared when every declaration of its name is
/// the same (definition, documentation and all) and names no other type, so that it
/// stands on its own outside its groups.
pub fn shared_types(ir: &Ir) -> BTreeMap<&str, Shared<'_>> {
    let mut by_name: BTreeMap<&str, Vec<(&Group, &NamedType)>> = BTreeMap::new();
    for group in &ir.groups {
        for ty in &group.types {
            by_name.entry(ty.name.as_str()).or_default().push((group, ty));
        }
    }
    by_name
        .into_iter()
        .filter(|(_, decls)| decls.len() > 1)
        .filter(|(_, decls)| {
            let first = format!("{:?}", decls[0].1);
            decls.iter().all(|(_, t)| format!("{t:?}") == first) && !names_a_type(&decls[0].1.def)
        })
        .map(|(name, decls)| {
            let shared = Shared {
                ty: decls[0].1,
                first: decls[0].0,
                groups: decls.iter().map(|(g, _)| g.name.as_str()).collect(),
            };
            (name, shared)
        })
        .collect()
}

fn names_a_type(def: &TypeDef) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::List(inner) | TypeRef::Map(inner) => named(inner),
            _ => false,
        }
    }
    match def {
        TypeDef::Struct(fields) => fields.iter().any(|f| named(&f.ty)),
        TypeDef::Enum(_) => false,
        TypeDef::OneOf { variants, .. } => variants.iter().any(|v| named(&v.ty)),
    }
}

/// `api/shared.rs`.
pub fn shared_file(shared: &BTreeMap<&str, Shared<'_>>) -> TokenStream {
    let types = shared.values().map(|s| super::types::named_type(s.first, s.ty));
    quote! {
        //! Types that several API groups declare identically, defined once here and
        //! re-exported by each of those groups.
        #(#types)*
    }
}

/// The `mod` item of `api/shared.rs`, compiled when any group that uses it is.
pub fn shared_mod(shared: &BTreeMap<&str, Shared<'_>>) -> TokenStream {
    if shared.is_empty() {
        return quote!();
    }
    let mut features: Vec<&str> = shared.values().flat_map(|s| s.groups.iter().copied()).collect();
    features.sort_unstable();
    features.dedup();
    quote! {
        /// Types several groups declare identically, defined once.
        #[cfg(any(#(feature = #features),*))]
        pub mod shared;
    }
}

/// The re-export a group has instead of its own declaration of a shared type.
pub fn reexport(name: &str) -> TokenStream {
    let name = ident(name);
    quote!(pub use super::shared::#name;)
}
