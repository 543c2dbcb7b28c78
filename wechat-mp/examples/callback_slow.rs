//! A callback server whose handler may take longer than WeChat waits (5 s): past the
//! 4.5 s budget the push is answered `success`, and the reply follows as a
//! customer-service message once the handler is done.
//!
//! ```text
//! WECHAT_APP_ID=wx... WECHAT_APP_SECRET=... WECHAT_TOKEN=my-token \
//!   [WECHAT_AES_KEY=<43 chars>] [PORT=8080] \
//!   cargo run -p wechat-mp --features axum --example callback_slow
//! ```
//!
//! The tests crate serves [`app`] against `wechat-mp-mock`.

use std::sync::Arc;
use std::time::Duration;

use wechat_mp::Client;
use wechat_mp::callback::{CallbackError, CallbackServer, DEFAULT_DEADLINE, Incoming, Message, Reply, async_handler};

/// The account settings WeChat's console shows, and how long the slow work takes.
pub struct Settings {
    /// The callback token.
    pub token: String,
    /// The `EncodingAESKey` and app id, in safe mode.
    pub safe_mode: Option<(String, String)>,
    /// Stands for a slow report, search or model call.
    pub work: Duration,
    /// How long to wait for the handler before answering `success` for it.
    pub deadline: Duration,
}

/// The routes: WeChat's URL verification and pushes at `/`.
pub fn app(settings: Settings, client: Client) -> Result<axum::Router, CallbackError> {
    let work = settings.work;
    let handler = async_handler(move |incoming: Incoming| async move {
        let Message::Text(text) = incoming.message else {
            return None;
        };
        tokio::time::sleep(work).await;
        Some(Reply::text(format!("报告已生成：{}", text.content)))
    });
    let mut builder = CallbackServer::builder(settings.token)
        .handler(handler)
        .deadline(settings.deadline)
        // The reply of a handler past the deadline goes out through message/custom/send.
        .late_delivery(client);
    if let Some((key, app_id)) = settings.safe_mode {
        builder = builder.encoding_aes_key(key).app_id(app_id);
    }
    Ok(wechat_mp::callback::axum::router(Arc::new(builder.build()?)))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app_id = std::env::var("WECHAT_APP_ID")?;
    let client = Client::builder()
        .app_id(app_id.clone())
        .app_secret(std::env::var("WECHAT_APP_SECRET")?)
        .build()?;
    let token = std::env::var("WECHAT_TOKEN").unwrap_or_else(|_| "token".to_owned());
    let safe_mode = std::env::var("WECHAT_AES_KEY").ok().map(|key| (key, app_id));
    let settings = Settings {
        token,
        safe_mode,
        work: Duration::from_secs(8),
        deadline: DEFAULT_DEADLINE,
    };
    let app = app(settings, client)?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("callback_slow listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
