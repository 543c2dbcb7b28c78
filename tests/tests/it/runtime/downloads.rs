//! Binary downloads read whole and as a stream: the media arrives intact, a JSON error
//! instead of media is a typed error before any byte is handed out, the token refresh
//! and transient retries happen before streaming starts, and a body cut short is an
//! error from the stream.

use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wechat_mp::response::{ByteStream, JsonOrBinary};
use wechat_mp::{Client, Error, ErrorCode, Host};
use wechat_mp_tests::raw_server::raw_server;
use wechat_mp_tests::runtime::*;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOW: &str = "/cgi-bin/showqrcode";
const GET_MATERIAL: &str = "/cgi-bin/material/get_material";

/// `len` bytes of media that no shifted copy of itself matches, so a lost, repeated or
/// reordered chunk shows up.
fn media(len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    // Media never starts like JSON; a JPEG starts with FF D8.
    bytes[..2].copy_from_slice(&[0xFF, 0xD8]);
    bytes
}

fn jpeg(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "image/jpeg")
}

async fn mount_show(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(SHOW))
        .and(query_param("ticket", "T"))
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_large_download_streams_in_chunks_and_arrives_intact() {
    let server = MockServer::start().await;
    let body = media(3 << 20);
    mount_show(&server, jpeg(body.clone())).await;
    let client = client(&server);

    let mut stream = client.qrcode().show("T").send_stream().await.unwrap();
    assert_eq!(stream.content_type(), Some("image/jpeg"));
    assert_eq!(stream.content_length(), Some(body.len() as u64));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert!(chunks > 1, "3 MiB came in {chunks} chunk(s)");
    assert_eq!(received.len(), body.len());
    assert!(received == body, "streamed bytes differ from the media");
    assert!(
        stream.chunk().await.unwrap().is_none(),
        "a finished stream stays finished"
    );

    // The buffered form of the same call gives the same bytes.
    assert_eq!(client.qrcode().show("T").await.unwrap(), body);
}

#[tokio::test]
async fn a_stream_works_with_stream_combinators_and_writes_to_a_file() {
    let server = MockServer::start().await;
    let body = media(1 << 20);
    mount_show(&server, jpeg(body.clone())).await;
    let client = client(&server);

    let collected: Vec<u8> = client
        .qrcode()
        .show("T")
        .send_stream()
        .await
        .unwrap()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .unwrap();
    assert!(collected == body);

    let dir = TempDir::new("download");
    let file_path = dir.path().join("qrcode.jpg");
    let mut file = tokio::fs::File::create(&file_path).await.unwrap();
    let stream = client.qrcode().show("T").send_stream().await.unwrap();
    let written = stream.write_to(&mut file).await.unwrap();
    drop(file);
    assert_eq!(written, body.len() as u64);
    let mut on_disk = Vec::new();
    tokio::fs::File::open(&file_path)
        .await
        .unwrap()
        .read_to_end(&mut on_disk)
        .await
        .unwrap();
    assert!(on_disk == body, "the file holds other bytes than the media");
}

#[tokio::test]
async fn a_json_error_instead_of_media_is_a_typed_error_before_streaming() {
    let server = MockServer::start().await;
    // Leading whitespace must not hide the JSON.
    let error = ResponseTemplate::new(200)
        .set_body_raw("\n  {\"errcode\":40007,\"errmsg\":\"invalid media_id\"}", "text/plain");
    mount_show(&server, error).await;
    let client = client(&server);

    let err = client.qrcode().show("T").send_stream().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::from(40007)), "{err:?}");
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error_not_an_empty_stream() {
    let server = MockServer::start().await;
    mount_show(&server, ResponseTemplate::new(200)).await;
    let err = client(&server).qrcode().show("T").send_stream().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { endpoint, .. } if endpoint == "qrcode.show"),
        "{err:?}"
    );
}

#[tokio::test]
async fn transient_failures_are_retried_before_streaming_starts() {
    let server = MockServer::start().await;
    let body = media(64 << 10);
    let busy = ResponseTemplate::new(200).set_body_json(json!({"errcode": -1, "errmsg": "system busy"}));
    let responses = vec![ResponseTemplate::new(503), busy, jpeg(body.clone())];
    Mock::given(method("GET"))
        .and(path(SHOW))
        .respond_with(Sequence::new(responses))
        .expect(3)
        .mount(&server)
        .await;

    let stream = client(&server).qrcode().show("T").send_stream().await.unwrap();
    assert!(stream.into_bytes().await.unwrap() == body);
    server.verify().await;
}

#[tokio::test]
async fn a_rejected_token_is_replaced_before_the_material_streams() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 2).await;
    let body = media(256 << 10);
    Mock::given(method("POST"))
        .and(path(GET_MATERIAL))
        .and(query_param("access_token", token(1)))
        .respond_with(errcode(40001))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(GET_MATERIAL))
        .and(query_param("access_token", token(2)))
        .respond_with(jpeg(body.clone()))
        .mount(&server)
        .await;
    let client = client(&server);

    let answer = client.material().get("MEDIA").send_stream().await.unwrap();
    let JsonOrBinary::Binary(stream) = answer else {
        panic!("an image came back as JSON: {answer:?}");
    };
    assert!(stream.into_bytes().await.unwrap() == body);
    server.verify().await;
}

#[tokio::test]
async fn a_news_material_streams_as_decoded_json() {
    let server = MockServer::start().await;
    let news = json!({"news_item": [{"title": "T", "thumb_media_id": "M", "show_cover_pic": 0,
        "author": "A", "digest": "D", "content": "C", "url": "U", "content_source_url": "S"}]});
    Mock::given(method("POST"))
        .and(path(GET_MATERIAL))
        .respond_with(ResponseTemplate::new(200).set_body_json(&news))
        .mount(&server)
        .await;
    let client = Client::builder()
        .app_id(APP_ID)
        .access_token("STATIC-TOKEN")
        .base_url(Host::Api, server.uri())
        .build()
        .unwrap();

    let streamed = client.material().get("MEDIA").send_stream().await.unwrap();
    let buffered = client.material().get("MEDIA").await.unwrap();
    match (streamed, buffered) {
        (JsonOrBinary::Json(a), JsonOrBinary::Json(b)) => {
            assert_eq!(a, b);
            let items = a.news_item.expect("news_item decoded");
            assert_eq!(items[0].title.as_deref(), Some("T"));
        }
        other => panic!("news came back as bytes: {other:?}"),
    }
}

/// Serves one response on 127.0.0.1: after `answer_after`, a 200 promising `promised`
/// bytes of JPEG, then each chunk after its delay, then the connection closes.
async fn scripted_server(answer_after: Duration, promised: usize, chunks: Vec<(Duration, Vec<u8>)>) -> String {
    raw_server(move |mut socket| {
        let chunks = chunks.clone();
        async move {
            tokio::time::sleep(answer_after).await;
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {promised}\r\n\r\n");
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for (delay, chunk) in chunks {
                tokio::time::sleep(delay).await;
                if socket.write_all(&chunk).await.is_err() || socket.flush().await.is_err() {
                    return;
                }
            }
            // Give the client time to hand out what was sent before the close.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
}

/// The chunks `stream` hands out before it fails, and the failure.
async fn read_until_error(stream: &mut ByteStream) -> (Vec<u8>, Error) {
    let mut received = Vec::new();
    loop {
        match stream.next().await {
            Some(Ok(chunk)) => received.extend_from_slice(&chunk),
            Some(Err(err)) => return (received, err),
            None => panic!("the body ended without an error after {} bytes", received.len()),
        }
    }
}

/// A client of the mock MP host at `base`, without retries, with `timeout`.
fn mp_client(base: String, timeout: Duration) -> Client {
    Client::builder()
        .app_id(APP_ID)
        .base_url(Host::Mp, base)
        .timeout(timeout)
        .retry(wechat_mp::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_download_slower_than_the_timeout_in_total_completes_while_chunks_keep_coming() {
    let body = media(6 * 1000);
    let chunks = body
        .chunks(1000)
        .map(|c| (Duration::from_millis(100), c.to_vec()))
        .collect();
    let base = scripted_server(Duration::ZERO, body.len(), chunks).await;
    // 600 ms in all, against a 300 ms timeout: each wait is 100 ms.
    let client = mp_client(base, Duration::from_millis(300));
    let stream = client.qrcode().show("T").send_stream().await.unwrap();
    assert!(stream.into_bytes().await.unwrap() == body);
}

#[tokio::test]
async fn a_stalled_download_is_a_timeout_from_the_stream() {
    let body = media(2000);
    let chunks = vec![
        (Duration::ZERO, body[..1000].to_vec()),
        (Duration::from_secs(2), body[1000..].to_vec()),
    ];
    let base = scripted_server(Duration::ZERO, body.len(), chunks).await;
    let client = mp_client(base, Duration::from_millis(200));
    let mut stream = client.qrcode().show("T").send_stream().await.unwrap();
    let (received, err) = read_until_error(&mut stream).await;
    assert!(
        matches!(&err, Error::Timeout { endpoint } if endpoint == "qrcode.show"),
        "{err:?}"
    );
    assert_eq!(received, body[..1000]);
    assert!(stream.next().await.is_none(), "a timed-out stream must end");
}

#[tokio::test]
async fn an_answer_slower_than_the_timeout_is_a_timeout_before_streaming() {
    let base = scripted_server(Duration::from_secs(2), 10, vec![(Duration::ZERO, media(10))]).await;
    let client = mp_client(base, Duration::from_millis(200));
    let err = client.qrcode().show("T").send_stream().await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { endpoint } if endpoint == "qrcode.show"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_from_the_stream_and_then_the_end() {
    let sent = media(1000);
    let base = scripted_server(Duration::ZERO, 100_000, vec![(Duration::ZERO, sent.clone())]).await;
    let client = mp_client(base, Duration::from_secs(10));

    let mut stream = client.qrcode().show("T").send_stream().await.unwrap();
    let (received, err) = read_until_error(&mut stream).await;
    assert!(
        matches!(&err, Error::Transport { endpoint, .. } if endpoint == "qrcode.show"),
        "{err:?}"
    );
    assert!(received.len() <= sent.len() && sent.starts_with(&received));
    assert!(stream.next().await.is_none(), "a failed stream must end");
}

#[tokio::test]
async fn a_stream_prints_no_token() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    Mock::given(path(GET_MATERIAL))
        .respond_with(jpeg(media(100)))
        .mount(&server)
        .await;
    let answer = client(&server).material().get("MEDIA").send_stream().await.unwrap();
    let text = format!("{answer:?}");
    assert!(text.contains("material.get") && text.contains("image/jpeg"), "{text}");
    assert!(!text.contains(TOKEN_PREFIX) && !text.contains(APP_SECRET), "{text}");
}
