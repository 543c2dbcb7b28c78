//! `api/shared.rs`: the types of `specs/_shared.yaml`, declared once for every group.
//! Each group re-exports the ones it uses, so `api::user::Lang` and `api::auth::Lang`
//! are this one `Lang`.

use quote::quote;

use super::imports::Scope;
use super::render;
use super::types::named_type;
use crate::ir::{Ir, TypeIndex};
use crate::load::SHARED_FILE;

/// The file's text.
pub fn shared_file(ir: &Ir, index: &TypeIndex<'_>) -> Result<String, String> {
    let types = ir.shared.iter().map(|t| named_type(t, index));
    let tokens = quote!(#(#types)*);
    render(
        SHARED_FILE,
        "Types several API groups use, declared once in `specs/_shared.yaml`.",
        &tokens,
        &Scope::runtime(),
        index,
    )
}
