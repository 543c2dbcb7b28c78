//! The `queries` fixture: query parameters, string enums, loose numbers, maps and a
//! deprecated endpoint.

#[path = "../../../codegen/tests/fixtures/queries/expected/wechat-mp/src/api/queries/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use super::client;

#[test]
fn fixed_query_values_are_sent_and_enums_use_wire_names() {
    let client = client();
    let request = client.queries().lookup("o1").lang(Lang::ZhCn).to_request().unwrap();
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
#[allow(deprecated)]
fn deprecated_endpoints_still_work() {
    let request = client().queries().old_lookup().to_request().unwrap();
    assert_eq!(request.endpoint().path, "/cgi-bin/queries/old");
}
