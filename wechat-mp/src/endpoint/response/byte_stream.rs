//! A binary response read as it arrives, for media too large to hold in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::Sleep;

use crate::endpoint::Endpoint;
use crate::error::{self, Error};

type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The body of a download, as a [`Stream`] of chunks.
///
/// By the time a `ByteStream` exists, WeChat has answered with a 2xx status and a body
/// that is not a JSON error: the token refresh and transient retries are behind it.
/// A download has no total time limit; the client's
/// [`timeout`](crate::ClientBuilder::timeout) bounds each wait for the next chunk
/// instead. A failure while reading (the connection drops, a chunk is later than that)
/// is an [`Error::Transport`] or [`Error::Timeout`] from the stream, and is not
/// retried: the chunks already handed out cannot be taken back.
///
/// Read it with [`chunk`](Self::chunk), any `Stream` combinator, or
/// [`write_to`](Self::write_to) a file.
pub struct ByteStream {
    endpoint: &'static Endpoint,
    content_type: Option<String>,
    content_length: Option<u64>,
    /// Bytes already read from the network while telling media from a JSON error.
    pending: Option<Bytes>,
    /// `None` once the body has ended or failed.
    rest: Option<Chunks>,
    /// The longest wait for one chunk.
    idle: Duration,
    /// Armed while a chunk is awaited.
    timer: Option<Pin<Box<Sleep>>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("endpoint", &format_args!("{}", self.endpoint))
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("finished", &(self.pending.is_none() && self.rest.is_none()))
            .finish()
    }
}

impl ByteStream {
    /// A stream over a response whose first bytes, `head`, were already read.
    pub(crate) fn from_response(
        endpoint: &'static Endpoint,
        response: reqwest::Response,
        head: Bytes,
        idle: Duration,
    ) -> Self {
        let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok());
        let content_type = header(reqwest::header::CONTENT_TYPE).map(str::to_owned);
        // Not `Response::content_length`: that is what remains after `head` was read.
        let content_length = header(reqwest::header::CONTENT_LENGTH).and_then(|v| v.parse().ok());
        ByteStream {
            endpoint,
            content_type,
            content_length,
            pending: (!head.is_empty()).then_some(head),
            rest: Some(Box::pin(response.bytes_stream())),
            idle,
            timer: None,
        }
    }

    /// A stream over a body that was read whole, because it began like JSON.
    pub(crate) fn from_bytes(endpoint: &'static Endpoint, body: Bytes) -> Self {
        ByteStream {
            endpoint,
            content_type: None,
            content_length: Some(body.len() as u64),
            pending: (!body.is_empty()).then_some(body),
            rest: None,
            idle: Duration::ZERO,
            timer: None,
        }
    }

    /// The `Content-Type` WeChat sent, such as `image/jpeg`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Length` WeChat sent, if any: the size of the whole body.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Writes the rest of the body to `writer` and flushes it; returns the number of
    /// bytes written. Memory use stays at one chunk however large the media.
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let endpoint = self.endpoint;
        let io_error = |e: std::io::Error| Error::Io {
            message: format!("writing the body of {endpoint}: {e}"),
        };
        let mut written = 0u64;
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(io_error)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io_error)?;
        Ok(written)
    }

    /// Reads the rest of the body into memory.
    pub async fn into_bytes(mut self) -> Result<Bytes, Error> {
        let Some(first) = self.chunk().await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = self.chunk().await? else {
            // The common case for a body read whole: no copy.
            return Ok(first);
        };
        let mut body = BytesMut::with_capacity(self.content_length.map_or(0, |n| n as usize));
        body.extend_from_slice(&first);
        body.extend_from_slice(&second);
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(head) = this.pending.take() {
            return Poll::Ready(Some(Ok(head)));
        }
        let Some(rest) = this.rest.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = rest.as_mut().poll_next(cx);
        if polled.is_pending() {
            let idle = this.idle;
            let timer = this.timer.get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.rest = None;
            this.timer = None;
            return Poll::Ready(Some(Err(Error::Timeout {
                endpoint: this.endpoint.to_string(),
            })));
        }
        this.timer = None;
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Err(e))) => {
                // A body that failed once yields nothing more.
                this.rest = None;
                Poll::Ready(Some(Err(error::transport(this.endpoint, e))))
            }
            Poll::Ready(None) => {
                this.rest = None;
                Poll::Ready(None)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let pending = usize::from(self.pending.is_some());
        match &self.rest {
            Some(rest) => {
                let (low, high) = rest.size_hint();
                (low.saturating_add(pending), high.and_then(|h| h.checked_add(pending)))
            }
            None => (pending, Some(pending)),
        }
    }
}
