//! Reading a response body whole, within the client's limit on bodies held in memory.

use bytes::{Bytes, BytesMut};

use crate::endpoint::Endpoint;
use crate::error::{self, Error};

/// Why a body could not be read whole.
pub(crate) enum ReadFailure {
    Transport(reqwest::Error),
    TooLarge(usize),
}

impl From<reqwest::Error> for ReadFailure {
    fn from(error: reqwest::Error) -> Self {
        ReadFailure::Transport(error)
    }
}

impl ReadFailure {
    /// The call's error, named by `endpoint`.
    #[cold]
    pub(crate) fn into_error(self, endpoint: &Endpoint) -> Error {
        match self {
            ReadFailure::Transport(e) => error::transport(endpoint, e),
            ReadFailure::TooLarge(limit) => error::too_large(endpoint, limit),
        }
    }
}

/// Fails on a body over `limit` bytes, as soon as its length says so.
fn within(limit: usize, length: usize) -> Result<(), ReadFailure> {
    if length > limit {
        return Err(ReadFailure::TooLarge(limit));
    }
    Ok(())
}

/// Reads a body of at most `limit` bytes to the end; a declared length over it fails
/// before anything is read. Unlike `Response::bytes`, whose future is several times
/// larger, this keeps every call's future small; a small body arrives as one chunk and
/// is returned without a copy.
pub(crate) async fn read_whole(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadFailure> {
    let declared = response
        .content_length()
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    within(limit, declared)?;
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    within(limit, first.len())?;
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut body = BytesMut::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    within(limit, body.len())?;
    while let Some(chunk) = response.chunk().await? {
        within(limit, body.len() + chunk.len())?;
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
