//! What WeChat (or a proxy) sends back that is not a clean answer: HTML pages, empty
//! and garbage bodies, non-2xx statuses, slow responses. Each is a typed error.

use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use wechat_mp::request::ApiRequest;
use wechat_mp::{Error, RetryPolicy};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answer(server: &MockServer, at: &str, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(path(at)).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn html_empty_and_garbage_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    let client = builder(&server).access_token("T0KEN").build().unwrap();
    let bodies: [&[u8]; 4] = [
        b"<html><body><h1>System busy</h1></body></html>",
        b"",
        b"\x00\xffnot json at all",
        b"{\"errcode\": 0, \"truncated",
    ];
    for body in bodies {
        answer(&server, GET_EP.path, ResponseTemplate::new(200).set_body_bytes(body)).await;
        let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { endpoint, .. } if endpoint == "runtime.get_thing"),
            "{err:?}"
        );

        answer(&server, POST_EP.path, ResponseTemplate::new(200).set_body_bytes(body)).await;
        let err = client.send_empty(ApiRequest::new(&POST_EP)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Decode { endpoint, .. } if endpoint == "runtime.create_thing"),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_decode_error() {
    type Expected = std::collections::HashMap<String, u32>;
    let server = MockServer::start().await;
    answer(
        &server,
        GET_EP.path,
        ResponseTemplate::new(200).set_body_string(r#"{"total":"many"}"#),
    )
    .await;
    let client = builder(&server).access_token("T0KEN").build().unwrap();
    let err = client
        .send_json::<Expected>(ApiRequest::new(&GET_EP))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn non_2xx_statuses_are_http_errors_unless_they_carry_an_errcode() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .access_token("T0KEN")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    for status in [301, 404, 500] {
        answer(
            &server,
            GET_EP.path,
            ResponseTemplate::new(status).set_body_string("<html>no</html>"),
        )
        .await;
        let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: s, excerpt, .. } if *s == status && excerpt.contains("no")),
            "{err:?}"
        );
    }
    answer(&server, GET_EP.path, errcode(40164)).await;
    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert_eq!(err.errcode(), Some(40164));
    answer(
        &server,
        GET_EP.path,
        ResponseTemplate::new(403).set_body_string(r#"{"errcode":48001,"errmsg":"api unauthorized"}"#),
    )
    .await;
    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert_eq!(err.errcode(), Some(48001), "{err:?}");
}

#[tokio::test]
async fn slow_responses_are_timeouts() {
    let server = MockServer::start().await;
    answer(
        &server,
        GET_EP.path,
        ResponseTemplate::new(200)
            .set_body_string("{}")
            .set_delay(Duration::from_secs(30)),
    )
    .await;
    let client = builder(&server)
        .access_token("T0KEN")
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert!(
        matches!(&err, Error::Timeout { endpoint } if endpoint == "runtime.get_thing"),
        "{err:?}"
    );
}

#[tokio::test]
async fn timeout_applies_to_an_injected_http_client_too() {
    let server = MockServer::start().await;
    answer(
        &server,
        GET_EP.path,
        ResponseTemplate::new(200)
            .set_body_string("{}")
            .set_delay(Duration::from_secs(30)),
    )
    .await;
    let client = builder(&server)
        .http_client(reqwest::Client::new())
        .access_token("T0KEN")
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .user_agent("my-service/1.0")
        .build()
        .unwrap();

    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();

    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let request = &requests_to(&server, GET_EP.path).await[0];
    assert_eq!(request.headers.get("user-agent").unwrap(), "my-service/1.0");
}

#[tokio::test]
async fn binary_responses_pass_through_and_json_errors_are_caught() {
    let server = MockServer::start().await;
    let client = builder(&server).access_token("T0KEN").build().unwrap();
    let png = Bytes::from_static(b"\x89PNG\r\n\x1a\nrest-of-image");
    answer(
        &server,
        BINARY_EP.path,
        ResponseTemplate::new(200).set_body_bytes(png.clone()),
    )
    .await;
    assert_eq!(client.send_bytes(ApiRequest::new(&BINARY_EP)).await.unwrap(), png);

    answer(&server, BINARY_EP.path, errcode(40007)).await;
    let err = client.send_bytes(ApiRequest::new(&BINARY_EP)).await.unwrap_err();
    assert_eq!(err.errcode(), Some(40007));

    answer(&server, BINARY_EP.path, ResponseTemplate::new(200)).await;
    let err = client.send_bytes(ApiRequest::new(&BINARY_EP)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}
