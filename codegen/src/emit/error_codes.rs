//! `error/code_table.rs`: the `ErrorCode` enum, from `specs/_errors.yaml`.

use proc_macro2::Literal;
use quote::{format_ident, quote};

use super::imports::Scope;
use super::{doc_lines, render};
use crate::ir::{ErrorCode, TypeIndex};
use crate::load::ERRORS_FILE;

/// The file's text.
pub fn code_table(codes: &[ErrorCode]) -> Result<String, String> {
    let variants = codes.iter().map(|c| {
        let name = format_ident!("{}", c.name);
        let doc = doc_lines(&format!("`{}`: {}", c.code, c.doc));
        quote!(#doc #name,)
    });
    let to_code = codes.iter().map(|c| {
        let name = format_ident!("{}", c.name);
        let code = Literal::i64_unsuffixed(c.code);
        quote!(Self::#name => #code,)
    });
    let from_code = codes.iter().map(|c| {
        let name = format_ident!("{}", c.name);
        let code = Literal::i64_unsuffixed(c.code);
        quote!(#code => Self::#name,)
    });
    let describe = codes.iter().map(|c| {
        let name = format_ident!("{}", c.name);
        let doc = &c.doc;
        quote!(Self::#name => Some(#doc),)
    });
    let count = codes.len();
    let tokens = quote! {
        /// A WeChat `errcode`, named when it is in the global return-code table.
        ///
        /// Compare with a raw number through [`ErrorCode::as_i64`] or `code == 40001`;
        /// build one from a number with `ErrorCode::from(40001)`. A code that later
        /// gets a name moves out of `Other`, so match on names, not on `Other(n)`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code outside the global table.
            Other(i64),
        }

        impl ErrorCode {
            /// How many codes the table names.
            pub const KNOWN: usize = #count;

            /// The raw `errcode`.
            pub fn as_i64(self) -> i64 {
                match self {
                    #(#to_code)*
                    Self::Other(code) => code,
                }
            }

            /// The official meaning of a known code, or `None` for [`ErrorCode::Other`].
            pub fn description(self) -> Option<&'static str> {
                match self {
                    #(#describe)*
                    Self::Other(_) => None,
                }
            }
        }

        impl From<i64> for ErrorCode {
            fn from(code: i64) -> Self {
                match code {
                    #(#from_code)*
                    other => Self::Other(other),
                }
            }
        }
    };
    render(
        ERRORS_FILE,
        "The global errcode table, one variant per code WeChat documents.",
        &tokens,
        &Scope::default(),
        &TypeIndex::new(),
    )
}
