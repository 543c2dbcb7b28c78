//! axum 0.8 integration (feature `axum`).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use wechat_mp::callback::{CallbackServer, Incoming, Message, Reply};
//!
//! let server = CallbackServer::builder("my-token")
//!     .handler(|m: &Incoming| match &m.message {
//!         Message::Text(t) => Some(Reply::text(t.content.clone())),
//!         _ => None,
//!     })
//!     .build()
//!     .expect("valid configuration");
//! let app = axum::Router::new().route("/wechat", wechat_mp::callback::axum::service(Arc::new(server)));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

use super::{CallbackError, CallbackQuery, CallbackServer};

/// GET (URL verification) and POST (pushes) for one path, to mount with
/// `Router::route(path, service(server))`.
pub fn service<S>(server: Arc<CallbackServer>) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    get(verify).post(push).with_state(server)
}

/// A router serving the callback at `/`, to `nest` or serve directly.
pub fn router(server: Arc<CallbackServer>) -> axum::Router {
    axum::Router::new().route("/", service(server))
}

async fn verify(State(server): State<Arc<CallbackServer>>, RawQuery(query): RawQuery) -> Response {
    let query = CallbackQuery::parse(query.as_deref().unwrap_or(""));
    match server.verify_url(&query) {
        Ok(echostr) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], echostr).into_response(),
        Err(e) => error_response(&e),
    }
}

async fn push(State(server): State<Arc<CallbackServer>>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let query = CallbackQuery::parse(query.as_deref().unwrap_or(""));
    match server.serve(&query, &body).await {
        Ok(answer) => {
            let content_type = if answer.starts_with('<') {
                "application/xml; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            };
            ([(header::CONTENT_TYPE, content_type)], answer).into_response()
        }
        Err(e) => error_response(&e),
    }
}

/// The status for a failure: 403 when the request is not authentic or too old, 500 when the
/// server is misconfigured, 400 otherwise. The body is the error text, which holds no secret.
pub fn status_for(error: &CallbackError) -> StatusCode {
    match error {
        CallbackError::BadSignature | CallbackError::StaleTimestamp { .. } | CallbackError::EncryptionRequired => {
            StatusCode::FORBIDDEN
        }
        CallbackError::MissingAesKey
        | CallbackError::BadKey
        | CallbackError::Config(_)
        | CallbackError::BadPattern(_)
        | CallbackError::AsyncHandler => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn error_response(error: &CallbackError) -> Response {
    (status_for(error), error.to_string()).into_response()
}
