//! JS-SDK and card tickets, cached like the access token.
//!
//! A ticket is just another credential: fetched with `GET /cgi-bin/ticket/getticket`,
//! valid for `expires_in`, cached in the client's [`TokenStore`](crate::token::TokenStore)
//! under its own [`CredentialKind`], single-flight and refreshed ahead of expiry by the
//! same [`TokenManager`](super::TokenManager). Fetching one is an ordinary API
//! call, so a rejected access token is replaced and the fetch retried.

use std::sync::Weak;
use std::time::Duration;

use serde::Deserialize;

use crate::client::{Client, Inner};
use crate::endpoint::request::ApiRequest;
use crate::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};
use crate::error::Error;
use crate::token::{CachedToken, CredentialKind, StoreFuture, TokenProvider, TokenRequest};

static GET_TICKET: Endpoint = Endpoint {
    group: "ticket",
    name: "getticket",
    method: Method::Get,
    host: Host::Api,
    path: "/cgi-bin/ticket/getticket",
    auth: Auth::AccessToken,
    response: ResponseKind::Json,
};

#[derive(Deserialize)]
struct TicketResponse {
    ticket: String,
    expires_in: u64,
}

/// Fetches one kind of ticket through the client that owns it.
///
/// It holds the client weakly: the client owns the ticket manager that owns this.
pub(crate) struct TicketFetcher {
    pub(crate) client: Weak<Inner>,
    pub(crate) kind: CredentialKind,
}

impl TicketFetcher {
    fn wire_type(&self) -> &'static str {
        match self.kind {
            CredentialKind::CardApiTicket => "wx_card",
            _ => "jsapi",
        }
    }
}

impl TokenProvider for TicketFetcher {
    fn fetch<'a>(&'a self, _request: TokenRequest<'a>) -> StoreFuture<'a, CachedToken> {
        Box::pin(async move {
            let inner = self.client.upgrade().ok_or_else(|| Error::Config {
                message: "the client that owns this ticket was dropped".into(),
            })?;
            let client = Client::from_arc(inner);
            let request = ApiRequest::new(&GET_TICKET).query("type", self.wire_type());
            let response: TicketResponse = client.send_json(request).await?;
            Ok(CachedToken::issued_now(
                response.ticket,
                Duration::from_secs(response.expires_in),
            ))
        })
    }
}
