//! Responses that are JSON for some content and raw bytes for the rest.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::Error;

/// A response that is JSON for some content and raw bytes for the rest, such as a
/// permanent material: news and video come back as JSON, images as the file itself.
///
/// `B` is [`Bytes`] for a download held in memory and
/// [`ByteStream`](crate::response::ByteStream) for one read as it arrives.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonOrBinary<T, B = Bytes> {
    /// The JSON form.
    Json(T),
    /// The raw file.
    Binary(B),
}

impl<T: DeserializeOwned> JsonOrBinary<T> {
    /// Decodes a body already checked for a JSON error: a JSON object becomes `Json`,
    /// anything else `Binary`.
    pub fn decode(endpoint: &Endpoint, body: Bytes) -> Result<Self, Error> {
        if crate::http::decode::first_meaningful_byte(&body) != Some(b'{') {
            return Ok(JsonOrBinary::Binary(body));
        }
        serde_json::from_slice(&body)
            .map(JsonOrBinary::Json)
            .map_err(|e| Error::Decode {
                endpoint: endpoint.to_string(),
                message: e.to_string(),
                excerpt: crate::error::redact::excerpt(&body),
            })
    }
}

impl<T, B> JsonOrBinary<T, B> {
    /// The same response with the binary form converted by `f`.
    pub fn map_binary<C>(self, f: impl FnOnce(B) -> C) -> JsonOrBinary<T, C> {
        match self {
            JsonOrBinary::Json(value) => JsonOrBinary::Json(value),
            JsonOrBinary::Binary(body) => JsonOrBinary::Binary(f(body)),
        }
    }
}
