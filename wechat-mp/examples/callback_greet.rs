//! A callback server whose async handler greets each new follower by name, after asking
//! the MP API who they are, and echoes text.
//!
//! ```text
//! WECHAT_APP_ID=wx... WECHAT_APP_SECRET=... WECHAT_TOKEN=my-token \
//!   [WECHAT_AES_KEY=<43 chars>] [PORT=8080] \
//!   cargo run -p wechat-mp --features axum --example callback_greet
//! ```
//!
//! The tests crate serves [`app`] against `wechat-mp-mock`.

use std::sync::Arc;

use wechat_mp::Client;
use wechat_mp::callback::{CallbackError, CallbackServer, Incoming, Message, Reply, Router, Rule, async_handler};

/// The account settings WeChat's console shows.
pub struct Settings {
    /// The callback token.
    pub token: String,
    /// The `EncodingAESKey` and app id, in safe mode.
    pub safe_mode: Option<(String, String)>,
}

/// Looks the follower up, then greets them by nickname (or by OpenID if WeChat keeps
/// the nickname to itself, as it now does for most accounts).
async fn greet(client: Client, incoming: Incoming) -> Option<Reply> {
    let openid = incoming.from_user_name;
    let name = match client.user().info(openid.as_str()).await {
        Ok(user) => user
            .nickname
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| openid.clone()),
        Err(e) => {
            eprintln!("user.info for a new follower failed: {e}");
            openid.clone()
        }
    };
    Some(Reply::text(format!("欢迎, {name}!")))
}

/// The routes: WeChat's URL verification and pushes at `/`.
pub fn app(settings: Settings, client: Client) -> Result<axum::Router, CallbackError> {
    let router = Router::new()
        .route(
            Rule::event("subscribe"),
            async_handler(move |incoming: Incoming| greet(client.clone(), incoming)),
        )
        .route(Rule::message("text"), |incoming: &Incoming| match &incoming.message {
            Message::Text(text) => Some(Reply::text(text.content.clone())),
            _ => None,
        });
    let mut builder = CallbackServer::builder(settings.token).handler(router);
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
    let app = app(Settings { token, safe_mode }, client)?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("callback_greet listening on http://{}/", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
