//! The `bodies` fixture: typed bodies with a tagged union, fixed and nested fields and
//! an either-or field.

#[path = "../../../codegen/tests/fixtures/bodies/expected/wechat-mp/src/api/bodies/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use super::{client, json_body};

#[test]
fn tagged_union_constant_and_nested_parameter_land_in_the_body() {
    let client = client();
    let card = Card::Groupon(Groupon::new("双人套餐"));
    let request = client.bodies().create_card(card, 7).to_request().unwrap();
    assert_eq!(
        json_body(&request),
        json!({"card": {"card_type": "GROUPON", "groupon": {"deal_detail": "双人套餐"}},
               "action_name": "QR_CARD", "action_info": {"scene": {"scene_id": 7}}})
    );
}

#[test]
fn an_object_of_optional_members_is_sent_only_when_one_is_set() {
    let client = client();
    let card = Card::Cash(Cash::new(100));
    let request = client.bodies().create_card(card, 1).code("c1").to_request().unwrap();
    let body = json_body(&request);
    assert_eq!(body["extra"], json!({"card": {"code": "c1"}}));
    assert_eq!(body["card"], json!({"card_type": "CASH", "cash": {"reduce_cost": 100}}));
}

#[test]
fn the_body_keeps_the_spec_order_of_its_keys() {
    let client = client();
    let request = client
        .bodies()
        .create_card(Card::Groupon(Groupon::new("d")), 2)
        .to_request()
        .unwrap();
    let crate::request::Body::Json(bytes) = request.body() else {
        panic!("expected JSON")
    };
    let text = std::str::from_utf8(bytes).unwrap();
    let (card, name, info) = (
        text.find("\"card\"").unwrap(),
        text.find("action_name").unwrap(),
        text.find("action_info").unwrap(),
    );
    assert!(card < name && name < info, "{text}");
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
        .bodies()
        .modify_stock("p1", StockChange::ReduceStockValue(2))
        .to_request()
        .unwrap();
    assert_eq!(json_body(&request), json!({"card_id": "p1", "reduce_stock_value": 2}));
}

#[test]
fn a_variant_constructor_builds_the_variant_from_its_payloads_required_fields() {
    assert_eq!(Card::groupon("双人套餐"), Card::Groupon(Groupon::new("双人套餐")));
    assert_eq!(
        serde_json::to_value(Card::cash(100)).unwrap(),
        json!({"card_type": "CASH", "cash": {"reduce_cost": 100}})
    );
}

#[test]
fn an_empty_body_is_sent_as_the_empty_object() {
    let request = client().bodies().ping().to_request().unwrap();
    assert_eq!(json_body(&request), json!({}));
}

#[test]
fn an_integer_enum_is_sent_as_its_code_and_read_from_a_number_or_a_string() {
    let client = client();
    let request = client
        .bodies()
        .send_material(MaterialKind::MiniProgramCard)
        .to_request()
        .unwrap();
    assert_eq!(json_body(&request), json!({"kind": 49}));
    let answer: SendMaterialResponse = serde_json::from_value(json!({"kinds": [1, "3", 7]})).unwrap();
    assert_eq!(
        answer.kinds.unwrap(),
        [MaterialKind::Text, MaterialKind::Image, MaterialKind::Other(7)]
    );
    assert_eq!(MaterialKind::from(49), MaterialKind::MiniProgramCard);
    assert_eq!(MaterialKind::Other(7).code(), 7);
    assert_eq!(MaterialKind::Image.to_string(), "3");
    assert!(serde_json::from_value::<MaterialKind>(json!("three")).is_err());
}
