//! The limit on bodies read whole: a larger JSON answer or buffered download fails with
//! `Error::TooLarge` instead of filling memory, whether or not the server declares its
//! length, while media streamed with `send_stream` passes any size.

use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use wechat_mp::request::ApiRequest;
use wechat_mp::{Client, Error};
use wechat_mp_tests::raw_server::raw_server;
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIMIT: usize = 1024;

/// A JSON object of exactly `len` bytes.
fn json_of_len(len: usize) -> String {
    let padding = len - r#"{"pad":""}"#.len();
    format!(r#"{{"pad":"{}"}}"#, "x".repeat(padding))
}

fn limited(server: &MockServer) -> Client {
    builder(server)
        .access_token("T0KEN")
        .max_body_size(LIMIT)
        .build()
        .unwrap()
}

async fn answer_json(server: &MockServer, at: &str, body: String) {
    server.reset().await;
    Mock::given(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_json_answer_over_the_limit_is_too_large_and_one_at_it_decodes() {
    let server = MockServer::start().await;
    let client = limited(&server);

    answer_json(&server, GET_EP.path, json_of_len(LIMIT + 1)).await;
    let err = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    match &err {
        Error::TooLarge { endpoint, limit } => {
            assert_eq!((endpoint.as_str(), *limit), ("runtime.get_thing", LIMIT));
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("1024"), "{err}");
    // Not transient: asking again would only fetch the same body.
    assert_eq!(requests_to(&server, GET_EP.path).await.len(), 1);

    answer_json(&server, GET_EP.path, json_of_len(LIMIT)).await;
    let value = client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    assert_eq!(value["pad"].as_str().map(str::len), Some(LIMIT - 10));
}

/// Serves every connection on 127.0.0.1 a 200 whose `body` comes in `piece`-byte chunks
/// of chunked transfer encoding, so that no length is declared up front.
async fn chunked_server(body: Vec<u8>, piece: usize) -> String {
    raw_server(move |mut socket| {
        let body = body.clone();
        async move {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            for chunk in body.chunks(piece) {
                let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
                if socket.write_all(&framed).await.is_err() || socket.flush().await.is_err() {
                    return;
                }
                // Apart in time, so that the client reads them as separate chunks.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
}

fn chunked_client(base: String) -> Client {
    Client::builder()
        .app_id(APP_ID)
        .access_token("T0KEN")
        .base_url(wechat_mp::Host::Api, base)
        .max_body_size(LIMIT)
        .retry(wechat_mp::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_undeclared_length_is_counted_across_chunks() {
    let over = chunked_client(chunked_server(json_of_len(LIMIT + 1).into_bytes(), 300).await);
    let err = over.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: LIMIT, .. }), "{err:?}");

    let at = chunked_client(chunked_server(json_of_len(LIMIT).into_bytes(), 300).await);
    let value = at.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    assert_eq!(value["pad"].as_str().map(str::len), Some(LIMIT - 10));
}

#[tokio::test]
async fn media_streams_past_the_limit_but_is_too_large_read_whole() {
    let server = MockServer::start().await;
    let media: Vec<u8> = (0..16 * LIMIT).map(|i| (i * 7 % 251) as u8 | 0x80).collect();
    Mock::given(path("/cgi-bin/showqrcode"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(media.clone(), "image/jpeg"))
        .mount(&server)
        .await;
    let client = limited(&server);

    let streamed = client.qrcode().show("T").send_stream().await.unwrap();
    assert_eq!(streamed.into_bytes().await.unwrap(), media);

    let err = client.qrcode().show("T").await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: LIMIT, .. }), "{err:?}");
}

#[tokio::test]
async fn a_json_answer_to_a_download_over_the_limit_is_too_large() {
    let server = MockServer::start().await;
    answer_json(&server, "/cgi-bin/showqrcode", json_of_len(4 * LIMIT)).await;
    let client = limited(&server);

    let err = client.qrcode().show("T").send_stream().await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: LIMIT, .. }), "{err:?}");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_the_body_is_read() {
    let base = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"a\":";
        let _ = socket.write_all(head.as_bytes()).await;
        // The rest never comes: only the declared length can tell.
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let client = chunked_client(base);

    let call = client.send_json::<Value>(ApiRequest::new(&GET_EP));
    let err = tokio::time::timeout(Duration::from_secs(2), call)
        .await
        .expect("the declared length alone fails the call")
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: LIMIT, .. }), "{err:?}");
}
