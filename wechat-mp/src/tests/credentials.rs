//! The `credentials` fixture: OAuth tokens and secrets never print.

#[path = "../../../codegen/tests/fixtures/credentials/expected/wechat-mp/src/api/credentials/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use super::client;

#[test]
fn oauth_token_never_prints() {
    let client = client();
    let builder = client.credentials().user_info("USER-SECRET-TOKEN", "o1");
    let text = format!("{builder:?} {:?}", builder.to_request().unwrap());
    assert!(!text.contains("USER-SECRET-TOKEN"), "{text}");
    assert_eq!(
        builder.to_request().unwrap().query_pairs()[0],
        ("access_token", "USER-SECRET-TOKEN".to_owned())
    );
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
    let builder = client.credentials().exchange("c1").previous_token("OLD-USER-TOKEN");
    assert!(!format!("{builder:?}").contains("OLD-USER-TOKEN"));
    let request = builder.to_request().unwrap();
    assert!(
        request
            .query_pairs()
            .contains(&("previous_token", "OLD-USER-TOKEN".to_owned()))
    );
}
