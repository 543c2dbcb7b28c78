//! The `paging` fixture: how a builder moves from one page to the next.

#[path = "../../../codegen/tests/fixtures/paging/expected/wechat-mp/src/api/paging/mod.rs"]
#[rustfmt::skip]
#[allow(dead_code, missing_docs)]
mod generated;

use generated::*;
use serde_json::json;

use super::{client, json_body};
use crate::client::paginate::Paged;

fn page<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_cursor_moves_to_the_next_page_and_stops_when_empty_or_repeated() {
    let client = client();
    let mut builder = client.paging().followers();
    let first: FollowersResponse = page(json!({"count": 2, "data": {"openid": ["o1", "o2"]}, "next_openid": "o2"}));
    assert_eq!(FollowersRequest::page_len(&first), 2);
    assert!(builder.advance(&first));
    assert_eq!(json_body(&builder.to_request().unwrap()), json!({"begin_openid": "o2"}));
    // The same cursor again: WeChat has nothing further.
    assert!(!builder.advance(&first));
    let last: FollowersResponse = page(json!({"count": 0, "next_openid": ""}));
    assert!(!builder.advance(&last));
    assert_eq!(FollowersRequest::page_items(first), ["o1", "o2"]);
    assert!(FollowersRequest::page_items(last).is_empty());
}

#[test]
fn an_offset_moves_past_the_items_seen_and_stops_at_the_total() {
    let client = client();
    let mut builder = client.paging().articles(0, 2);
    let first: ArticlesResponse = page(json!({"total_count": 3, "item": [{"title": "a"}, {"title": "b"}]}));
    assert!(builder.advance(&first));
    assert_eq!(
        json_body(&builder.to_request().unwrap()),
        json!({"offset": 2, "count": 2})
    );
    let second: ArticlesResponse = page(json!({"total_count": 3, "item": [{"title": "c"}]}));
    assert!(!builder.advance(&second), "3 of 3 seen");
    assert_eq!(ArticlesRequest::page_items(second)[0].title.as_deref(), Some("c"));
}

#[test]
fn a_page_number_moves_by_one_and_stops_once_the_total_is_paged_past() {
    let client = client();
    let mut builder = client.paging().guides(0, 2);
    let first: GuidesResponse = page(json!({"total_num": 3, "list": [{"title": "a"}, {"title": "b"}]}));
    assert!(builder.advance(&first), "2 of 3 seen");
    assert_eq!(json_body(&builder.to_request().unwrap()), json!({"page": 1, "num": 2}));
    let second: GuidesResponse = page(json!({"total_num": 3, "list": [{"title": "c"}]}));
    assert!(!builder.advance(&second), "4 places for 3 items");
    assert_eq!(GuidesRequest::page_items(second)[0].title.as_deref(), Some("c"));
}

#[test]
fn page_numbers_from_one_start_at_one_and_end_at_an_empty_page() {
    let client = client();
    let mut builder = client.paging().records();
    let full: RecordsResponse = page(json!({"recordlist": [{"title": "a"}]}));
    assert!(builder.advance(&full));
    assert_eq!(json_body(&builder.to_request().unwrap()), json!({"pageindex": 2}));
    assert!(builder.advance(&full));
    assert_eq!(json_body(&builder.to_request().unwrap()), json!({"pageindex": 3}));
    let empty: RecordsResponse = page(json!({"recordlist": []}));
    assert_eq!(RecordsRequest::page_len(&empty), 0, "the stream ends at an empty page");
}
