//! The generator's showcase snapshot, compiled against this runtime.
//!
//! `codegen/tests/fixtures/showcase` uses every key of the spec format. Compiling its
//! generated module here proves that each feature yields Rust that builds against the
//! real runtime, and the tests below check what the builders put on the wire.

#[path = "../../codegen/tests/fixtures/showcase/expected/wechat-mp/src/api/showcase.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use crate::request::{ApiRequest, Body};
use crate::upload::Upload;

fn client() -> crate::Client {
    crate::Client::builder()
        .app_id("wx1")
        .access_token("T")
        .build()
        .unwrap()
}

fn json_body(request: &ApiRequest) -> serde_json::Value {
    match request.body() {
        Body::Json(bytes) => serde_json::from_slice(bytes).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

#[test]
fn tagged_union_constant_and_nested_parameter_land_in_the_body() {
    let client = client();
    let card = Card::Groupon(Groupon::new("双人套餐"));
    let request = client.showcase().create_card(card).scene_id(7u32).to_request().unwrap();
    assert_eq!(
        json_body(&request),
        json!({"card": {"card_type": "GROUPON", "groupon": {"deal_detail": "双人套餐"}},
               "action_name": "QR_CARD", "action_info": {"scene": {"scene_id": 7}}})
    );
}

#[test]
fn unknown_union_variants_survive_a_round_trip() {
    let value = json!({"card_type": "MEMBER_CARD", "member_card": {"x": 1}});
    let card: Card = serde_json::from_value(value.clone()).unwrap();
    assert!(matches!(card, Card::Other(_)));
    assert_eq!(card.tag(), Some("MEMBER_CARD"));
    assert_eq!(serde_json::to_value(&card).unwrap(), value);
}

#[test]
fn either_or_field_is_flattened() {
    let client = client();
    let request = client
        .showcase()
        .modify_stock("p1", StockChange::ReduceStockValue(2))
        .to_request()
        .unwrap();
    assert_eq!(json_body(&request), json!({"card_id": "p1", "reduce_stock_value": 2}));
}

#[test]
fn multipart_carries_the_file_and_a_json_field() {
    let client = client();
    let request = client
        .showcase()
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
fn fixed_query_values_are_sent_and_enums_use_wire_names() {
    let client = client();
    let request = client.showcase().lookup("o1").lang(Lang::ZhCn).to_request().unwrap();
    assert_eq!(
        request.query_pairs(),
        &[
            ("openid", "o1".to_owned()),
            ("lang", "zh_CN".to_owned()),
            ("grant_type", "client_credential".to_owned())
        ]
    );
}

#[test]
fn string_enums_keep_unknown_values() {
    let lang: Lang = serde_json::from_value(json!("fr")).unwrap();
    assert_eq!(lang, Lang::Other("fr".into()));
    assert_eq!(serde_json::to_value(&lang).unwrap(), json!("fr"));
}

#[test]
fn loose_numbers_and_maps_decode() {
    let profile: Profile =
        serde_json::from_value(json!({"openid": "o1", "sex": "1", "tags": {"vip": 3}, "new": 1})).unwrap();
    assert_eq!(profile.sex, Some(1));
    assert_eq!(profile.tags.unwrap()["vip"], 3);
}

#[test]
fn oauth_token_never_prints() {
    let client = client();
    let builder = client.showcase().user_info("USER-SECRET-TOKEN", "o1");
    let text = format!("{builder:?} {:?}", builder.to_request().unwrap());
    assert!(!text.contains("USER-SECRET-TOKEN"), "{text}");
    assert_eq!(
        builder.to_request().unwrap().query_pairs()[0],
        ("access_token", "USER-SECRET-TOKEN".to_owned())
    );
}

#[test]
fn json_or_binary_tells_the_two_apart() {
    use crate::response::JsonOrBinary;
    let ep = generated_endpoint();
    let json = JsonOrBinary::<DownloadResponse>::decode(ep, bytes::Bytes::from_static(br#"{"title":"v"}"#)).unwrap();
    assert!(matches!(json, JsonOrBinary::Json(ref r) if r.title.as_deref() == Some("v")));
    let bin = JsonOrBinary::<DownloadResponse>::decode(ep, bytes::Bytes::from_static(b"\x89PNG")).unwrap();
    assert_eq!(bin, JsonOrBinary::Binary(bytes::Bytes::from_static(b"\x89PNG")));
}

fn generated_endpoint() -> &'static crate::endpoint::Endpoint {
    client().showcase().download("m1").to_request().unwrap().endpoint()
}

#[test]
#[allow(deprecated)]
fn deprecated_endpoints_still_work() {
    let request = client().showcase().old_lookup().to_request().unwrap();
    assert_eq!(request.endpoint().path, "/cgi-bin/showcase/old");
}

#[test]
fn secret_response_fields_decode_but_never_print() {
    let response: ExchangeResponse =
        serde_json::from_value(json!({"openid": "o1", "access_token": "USER-TOKEN-2"})).unwrap();
    assert_eq!(
        response.access_token.as_ref().map(crate::Secret::expose),
        Some("USER-TOKEN-2")
    );
    assert!(!format!("{response:?}").contains("USER-TOKEN-2"));
    assert_eq!(serde_json::to_value(&response).unwrap()["access_token"], "USER-TOKEN-2");
}

#[test]
fn optional_secret_parameters_send_their_value_and_print_a_placeholder() {
    let client = client();
    let builder = client.showcase().exchange("c1").previous_token("OLD-USER-TOKEN");
    assert!(!format!("{builder:?}").contains("OLD-USER-TOKEN"));
    let request = builder.to_request().unwrap();
    assert!(
        request
            .query_pairs()
            .contains(&("previous_token", "OLD-USER-TOKEN".to_owned()))
    );
}
