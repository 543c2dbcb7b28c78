//! The axum adapter over real loopback HTTP.
#![cfg(feature = "axum")]

use std::sync::Arc;

use wechat_mp::callback::signature::sign;
use wechat_mp::callback::*;

const TOKEN: &str = "axum-token";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID: &str = "wxb11529c136998cb6";
const TEXT: &str = "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ping]]></Content><MsgId>42</MsgId></xml>";

async fn spawn(server: CallbackServer) -> String {
    let app = ::axum::Router::new().route("/wechat", wechat_mp::callback::axum::service(Arc::new(server)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { ::axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/wechat")
}

fn echo(incoming: &Incoming) -> Option<Reply> {
    match &incoming.message {
        Message::Text(t) => Some(Reply::text(format!("pong: {}", t.content))),
        _ => None,
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn verification_plain_and_safe_mode_over_http() {
    let http = reqwest::Client::new();

    // Plain mode, with replay protection on the real clock.
    let url = spawn(
        CallbackServer::builder(TOKEN)
            .handler(echo)
            .replay_protection(ReplayConfig::default())
            .build()
            .unwrap(),
    )
    .await;
    let ts = now().to_string();
    let sig = sign(&[TOKEN, &ts, "77"]);
    let res = http
        .get(format!(
            "{url}?signature={sig}&timestamp={ts}&nonce=77&echostr=hello%20world"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "hello world");

    let res = http
        .get(format!("{url}?signature=0000&timestamp={ts}&nonce=77&echostr=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.text().await.unwrap(), "signature mismatch");

    let res = http
        .post(format!("{url}?signature={sig}&timestamp={ts}&nonce=77&openid=o_user"))
        .body(TEXT)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let body = res.text().await.unwrap();
    assert!(body.contains("<Content><![CDATA[pong: ping]]></Content>"), "{body}");
    assert!(body.contains("<ToUserName><![CDATA[o_user]]></ToUserName>"), "{body}");

    // WeChat's retry of the same MsgId: success, handler not run again.
    let res = http
        .post(format!("{url}?signature={sig}&timestamp={ts}&nonce=77"))
        .body(TEXT)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), SUCCESS);

    let res = http
        .post(format!("{url}?signature={sig}&timestamp={ts}&nonce=77"))
        .body("<xml>")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // Safe mode: encrypted in, encrypted out.
    let url = spawn(
        CallbackServer::builder(TOKEN)
            .encoding_aes_key(KEY)
            .app_id(APP_ID)
            .handler(echo)
            .build()
            .unwrap(),
    )
    .await;
    let crypto = MessageCrypto::new(EncodingAesKey::new(KEY).unwrap(), APP_ID);
    let encrypt = crypto.encrypt(TEXT).unwrap();
    let msg_sig = sign(&[TOKEN, &ts, "88", &encrypt]);
    let body =
        format!("<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    let res = http
        .post(format!(
            "{url}?signature=ignored&timestamp={ts}&nonce=88&encrypt_type=aes&msg_signature={msg_sig}"
        ))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let envelope = res.text().await.unwrap();
    let inner = envelope
        .split("<Encrypt><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .unwrap();
    let reply = crypto.decrypt(inner).unwrap();
    assert!(reply.contains("<Content><![CDATA[pong: ping]]></Content>"), "{reply}");

    // The same body without encryption is refused in safe mode.
    let res = http
        .post(format!("{url}?signature={sig}&timestamp={ts}&nonce=77"))
        .body(TEXT)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
