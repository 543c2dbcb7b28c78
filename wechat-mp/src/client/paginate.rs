//! Paging through list endpoints: what the generated `.pages()` and `.items()` of a
//! builder run.
//!
//! A builder of a paged endpoint (`paginate:` in its spec) implements [`Paged`]: it can
//! encode its request again and again, and move itself to the page after an answer.
//! The stream ends at an empty page, or when the builder finds no further page (an
//! empty or repeated cursor, an offset past the total), so it never loops.

use futures_core::Stream;
use futures_util::{StreamExt, stream};
use serde::de::DeserializeOwned;

use super::Client;
use crate::endpoint::request::ApiRequest;
use crate::error::Error;

/// A request builder whose answer comes in pages.
pub(crate) trait Paged: Send + Sized {
    /// One page of the answer.
    type Page: DeserializeOwned + Send;
    /// One item of a page.
    type Item: Send;

    /// The client that sends the pages.
    fn client(&self) -> &Client;

    /// The request for the page the builder now stands at.
    fn request(&self) -> Result<ApiRequest, Error>;

    /// How many items `page` holds.
    fn page_len(page: &Self::Page) -> usize;

    /// The items of `page`.
    fn page_items(page: Self::Page) -> Vec<Self::Item>;

    /// Moves to the page after `page`; `false` when there is none.
    fn advance(&mut self, page: &Self::Page) -> bool;
}

/// Every page, one request after another, starting where `builder` stands.
pub(crate) fn pages<'a, P: Paged + 'a>(builder: P) -> impl Stream<Item = Result<P::Page, Error>> + Send + 'a {
    stream::unfold(Some(builder), |state| async move {
        let mut builder = state?;
        let page = match builder.request() {
            Ok(request) => builder.client().send_json::<P::Page>(request).await,
            Err(error) => Err(error),
        };
        match page {
            Ok(page) if P::page_len(&page) == 0 => None,
            Ok(page) => {
                let more = builder.advance(&page);
                Some((Ok(page), more.then_some(builder)))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
}

/// Every item of every page.
pub(crate) fn items<'a, P: Paged + 'a>(builder: P) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'a {
    pages(builder).flat_map(|page| {
        let items: Vec<Result<P::Item, Error>> = match page {
            Ok(page) => P::page_items(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    })
}
