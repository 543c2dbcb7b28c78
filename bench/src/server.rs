//! The in-process mock WeChat server the benchmarks call, on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;

/// The body `/cgi-bin/user/info` answers: a typical follower profile.
pub const USER_INFO: &str = r#"{"subscribe":1,"openid":"odkJ9uE2f1BTY2rBKpFKvCcVoMvM","language":"zh_CN","subscribe_time":1444456066,"unionid":"oh8xHxB0f-Aftn141bMdTwfnEVAo","remark":"","groupid":0,"tagid_list":[128,2],"subscribe_scene":"ADD_SCENE_QR_CODE","qr_scene":98765,"qr_scene_str":""}"#;

/// `user.info` declared to answer raw bytes: the call through the runtime without
/// decoding a typed response.
pub static USER_INFO_BYTES: wechat_mp::endpoint::Endpoint = wechat_mp::endpoint::Endpoint {
    group: "user",
    name: "info",
    method: wechat_mp::endpoint::Method::Get,
    host: wechat_mp::Host::Api,
    path: "/cgi-bin/user/info",
    auth: wechat_mp::endpoint::Auth::AccessToken,
    response: wechat_mp::endpoint::ResponseKind::Binary,
};

/// The access token the token endpoint hands out.
pub const TOKEN: &str = "BENCH-ACCESS-TOKEN";

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// How many token requests arrived.
    pub token_requests: Arc<AtomicUsize>,
}

/// Starts the server; token requests take `token_delay`.
pub async fn start(token_delay: Duration) -> Server {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let counter = token_requests.clone();
    let app = Router::new()
        .route(
            "/cgi-bin/user/info",
            get(|| async { ([(CONTENT_TYPE, "application/json")], USER_INFO) }),
        )
        .route(
            "/cgi-bin/token",
            get(move || {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(token_delay).await;
                    (
                        [(CONTENT_TYPE, "application/json")],
                        format!(r#"{{"access_token":"{TOKEN}","expires_in":7200}}"#),
                    )
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base_url: format!("http://{addr}"),
        token_requests,
    }
}
