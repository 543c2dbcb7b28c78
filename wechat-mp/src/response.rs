//! Response shapes shared by generated endpoints.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::error::Error;

/// A response that is JSON for some content and raw bytes for the rest, such as a
/// permanent material: news and video come back as JSON, images as the file itself.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonOrBinary<T> {
    /// The JSON form.
    Json(T),
    /// The raw file.
    Binary(Bytes),
}

impl<T: DeserializeOwned> JsonOrBinary<T> {
    /// Decodes a body already checked for a JSON error: a JSON object becomes `Json`,
    /// anything else `Binary`.
    pub fn decode(endpoint: &Endpoint, body: Bytes) -> Result<Self, Error> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'{') {
            return Ok(JsonOrBinary::Binary(body));
        }
        serde_json::from_slice(&body)
            .map(JsonOrBinary::Json)
            .map_err(|e| Error::Decode {
                endpoint: crate::decode::endpoint_name(endpoint),
                message: e.to_string(),
                excerpt: crate::redact::excerpt(&body),
            })
    }
}
