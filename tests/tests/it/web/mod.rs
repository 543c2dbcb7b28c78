//! The browser side: the OAuth flow and the cached JS-SDK and card tickets.

mod oauth;
mod tickets;
