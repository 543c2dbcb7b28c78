//! A callback server on 127.0.0.1 that echoes text messages back to the user.
//!
//! ```text
//! WECHAT_TOKEN=my-token [WECHAT_AES_KEY=<43 chars> WECHAT_APP_ID=wx...] [PORT=8080] \
//!     cargo run -p wechat-mp --features axum --example callback_echo
//! ```
//!
//! Expose it to WeChat through your own reverse proxy or tunnel; it only listens on loopback.
//! The tests crate serves [`app`] and pushes to it with `wechat-mp-mock`.

use std::sync::Arc;

use wechat_mp::callback::{CallbackError, CallbackServer, Incoming, Message, ReplayConfig, Reply};

/// The account settings WeChat's console shows.
pub struct Settings {
    /// The callback token.
    pub token: String,
    /// The `EncodingAESKey` and app id, in safe mode.
    pub safe_mode: Option<(String, String)>,
}

fn echo(incoming: &Incoming) -> Option<Reply> {
    match &incoming.message {
        Message::Text(text) => Some(Reply::text(text.content.clone())),
        // Anything else gets the empty answer (`success`), which WeChat accepts silently.
        _ => None,
    }
}

/// The routes: WeChat's URL verification and pushes at `/`.
pub fn app(settings: Settings) -> Result<axum::Router, CallbackError> {
    let mut builder = CallbackServer::builder(settings.token)
        .handler(echo)
        .replay_protection(ReplayConfig::default());
    if let Some((key, app_id)) = settings.safe_mode {
        builder = builder.encoding_aes_key(key).app_id(app_id);
    }
    Ok(wechat_mp::callback::axum::router(Arc::new(builder.build()?)))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("WECHAT_TOKEN").unwrap_or_else(|_| "token".to_owned());
    let safe_mode = match std::env::var("WECHAT_AES_KEY") {
        Ok(key) => Some((key, std::env::var("WECHAT_APP_ID")?)),
        Err(_) => None,
    };
    let app = app(Settings { token, safe_mode })?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("callback_echo listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
