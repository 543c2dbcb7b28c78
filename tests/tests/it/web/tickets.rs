//! JS-SDK and card tickets: cached through the same single-flight and token store as
//! the access token, and used to sign `wx.config` and `wx.addCard`.

use std::sync::Arc;

use serde_json::json;
use wechat_mp::token::{CredentialKey, CredentialKind, MemoryStore, TokenStore};
use wechat_mp::web::card::CardExtInput;
use wechat_mp::web::jssdk::jsapi_signature;
use wechat_mp::{Client, Host};
use wechat_mp_tests::runtime::stale_token;
use wechat_mp_tests::{APP_ID, APP_SECRET};
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount_token(server: &MockServer, expect: u64) {
    Mock::given(path("/cgi-bin/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "AT-1", "expires_in": 7200})))
        .expect(expect)
        .mount(server)
        .await;
}

async fn mount_ticket(server: &MockServer, kind: &str, ticket: &str, expect: u64) {
    Mock::given(path("/cgi-bin/ticket/getticket"))
        .and(query_param("type", kind))
        .and(query_param("access_token", "AT-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "errmsg": "ok", "ticket": ticket, "expires_in": 7200}))
                .set_delay(std::time::Duration::from_millis(30)),
        )
        .expect(expect)
        .mount(server)
        .await;
}

fn client(server: &MockServer, store: Arc<MemoryStore>) -> Client {
    Client::builder()
        .app_id(APP_ID)
        .app_secret(APP_SECRET)
        .base_url(Host::Api, server.uri())
        .token_store(store)
        .build()
        .unwrap()
}

#[tokio::test]
async fn concurrent_callers_share_one_ticket_fetch() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    mount_ticket(&server, "jsapi", "JSAPI-TICKET", 1).await;
    let client = client(&server, Arc::new(MemoryStore::new()));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.jsapi_ticket().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().expose(), "JSAPI-TICKET");
    }
    server.verify().await;
}

#[tokio::test]
async fn tickets_are_cached_in_the_shared_store_per_kind() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    mount_ticket(&server, "jsapi", "JSAPI-TICKET", 1).await;
    mount_ticket(&server, "wx_card", "CARD-TICKET", 1).await;
    let store = Arc::new(MemoryStore::new());
    let first = client(&server, store.clone());
    assert_eq!(first.jsapi_ticket().await.unwrap().expose(), "JSAPI-TICKET");
    assert_eq!(first.card_api_ticket().await.unwrap().expose(), "CARD-TICKET");
    // A second instance with the same store reuses both tickets and the access token.
    let second = client(&server, store);
    assert_eq!(second.jsapi_ticket().await.unwrap().expose(), "JSAPI-TICKET");
    assert_eq!(second.card_api_ticket().await.unwrap().expose(), "CARD-TICKET");
    server.verify().await;
}

#[tokio::test]
async fn js_sdk_config_signs_the_url_without_its_fragment() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    mount_ticket(&server, "jsapi", "JSAPI-TICKET", 1).await;
    let client = client(&server, Arc::new(MemoryStore::new()));
    let config = client
        .js_sdk_config("https://shop.example/p?id=1#/detail")
        .await
        .unwrap();
    assert_eq!(config.url, "https://shop.example/p?id=1");
    assert_eq!(config.app_id, APP_ID);
    assert_eq!(
        config.signature,
        jsapi_signature(
            "JSAPI-TICKET",
            &config.nonce_str,
            config.timestamp,
            "https://shop.example/p?id=1"
        )
    );
    let again = client.js_sdk_config("https://shop.example/p?id=1").await.unwrap();
    assert_ne!(again.nonce_str, config.nonce_str, "every config gets a fresh nonce");
}

#[tokio::test]
async fn card_ext_is_signed_with_the_card_ticket() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    mount_ticket(&server, "wx_card", "CARD-TICKET", 1).await;
    let client = client(&server, Arc::new(MemoryStore::new()));
    let card = CardExtInput {
        card_id: "pCARD".into(),
        code: Some("C1".into()),
        ..Default::default()
    };
    let item = client.card_ext(&card).await.unwrap();
    assert_eq!(item.card_id, "pCARD");
    let ext: serde_json::Value = serde_json::from_str(&item.card_ext).unwrap();
    let expected = wechat_mp::web::card::card_ext(
        "CARD-TICKET",
        &card,
        ext["timestamp"].as_str().unwrap().parse().unwrap(),
        ext["nonce_str"].as_str().unwrap(),
    );
    assert_eq!(item, expected);
}

#[tokio::test]
async fn a_rejected_access_token_during_a_ticket_fetch_is_replaced_once() {
    let server = MockServer::start().await;
    mount_token(&server, 1).await;
    Mock::given(path("/cgi-bin/ticket/getticket"))
        .and(query_param("access_token", "AT-OLD"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 40001, "errmsg": "invalid credential"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_ticket(&server, "jsapi", "JSAPI-TICKET", 1).await;
    // An access token an hour old: WeChat rejecting it means it went stale.
    let store = Arc::new(MemoryStore::new());
    store
        .set(
            &CredentialKey::new(CredentialKind::AccessToken, APP_ID),
            &stale_token("AT-OLD"),
        )
        .await
        .unwrap();
    let client = client(&server, store);
    assert_eq!(client.jsapi_ticket().await.unwrap().expose(), "JSAPI-TICKET");
    server.verify().await;
}
