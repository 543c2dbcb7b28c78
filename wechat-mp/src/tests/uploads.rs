//! The `uploads` fixture: multipart uploads and downloads.

#[path = "../../../codegen/tests/fixtures/uploads/expected/wechat-mp/src/api/uploads/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use super::client;
use crate::request::Body;
use crate::response::JsonOrBinary;
use crate::upload::Upload;

#[test]
fn multipart_carries_the_file_and_a_json_field() {
    let client = client();
    let request = client
        .uploads()
        .upload("video", Upload::from_bytes("v.mp4", &b"DATA"[..]))
        .description(VideoDescription::new("t", "i"))
        .to_request()
        .unwrap();
    assert_eq!(request.query_pairs(), &[("type", "video".to_owned())]);
    let Body::Multipart(parts) = request.body() else {
        panic!("expected multipart")
    };
    assert_eq!(parts[0].name, "media");
    assert_eq!(parts[0].file_name.as_deref(), Some("v.mp4"));
    assert_eq!(&parts[0].data[..], b"DATA");
    assert_eq!(parts[1].name, "description");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&parts[1].data).unwrap(),
        json!({"title": "t", "introduction": "i"})
    );
}

#[test]
fn json_or_binary_tells_the_two_apart() {
    let request = client().uploads().download("m1").to_request().unwrap();
    let ep = request.endpoint();
    let json = JsonOrBinary::<DownloadResponse>::decode(ep, bytes::Bytes::from_static(br#"{"title":"v"}"#)).unwrap();
    assert!(matches!(json, JsonOrBinary::Json(ref r) if r.title.as_deref() == Some("v")));
    let bin = JsonOrBinary::<DownloadResponse>::decode(ep, bytes::Bytes::from_static(b"\x89PNG")).unwrap();
    assert_eq!(bin, JsonOrBinary::Binary(bytes::Bytes::from_static(b"\x89PNG")));
}

#[test]
fn a_download_on_another_host_carries_no_token() {
    let request = client().uploads().image("a+b/c=").to_request().unwrap();
    assert_eq!(request.endpoint().host, crate::Host::Mp);
    assert_eq!(request.endpoint().auth, crate::endpoint::Auth::None);
    assert_eq!(request.query_pairs(), &[("ticket", "a+b/c=".to_owned())]);
}
