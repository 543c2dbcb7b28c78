//! A callback server on 127.0.0.1 that echoes text messages back to the user.
//!
//! ```text
//! WECHAT_TOKEN=my-token [WECHAT_AES_KEY=<43 chars> WECHAT_APP_ID=wx...] [PORT=8080] \
//!     cargo run -p wechat-mp --features axum --example callback_echo
//! ```
//!
//! Expose it to WeChat through your own reverse proxy or tunnel; it only listens on loopback.

use std::sync::Arc;

use wechat_mp::callback::{CallbackServer, Incoming, Message, ReplayConfig, Reply};

fn echo(incoming: &Incoming) -> Option<Reply> {
    match &incoming.message {
        Message::Text(text) => Some(Reply::text(text.content.clone())),
        // Anything else gets the empty answer (`success`), which WeChat accepts silently.
        _ => None,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("WECHAT_TOKEN").unwrap_or_else(|_| "token".to_owned());
    let mut builder = CallbackServer::builder(token)
        .handler(echo)
        .replay_protection(ReplayConfig::default());
    if let Ok(key) = std::env::var("WECHAT_AES_KEY") {
        builder = builder.encoding_aes_key(key).app_id(std::env::var("WECHAT_APP_ID")?);
    }
    let server = Arc::new(builder.build()?);

    let app = wechat_mp::callback::axum::router(server);
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("callback_echo listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
