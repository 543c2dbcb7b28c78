//! Unit tests that compile the generator's fixtures against this runtime.
//!
//! Each fixture under `codegen/tests/fixtures/` shows one concern of the spec format.
//! Its generated group module is compiled here (generated code names `crate::` items,
//! so it can only be compiled inside this crate), and the tests below check what its
//! builders put on the wire and how its types decode.

mod bodies;
mod credentials;
mod dates;
mod paging;
mod queries;
mod uploads;

/// A client that never needs to fetch a token.
fn client() -> crate::Client {
    crate::Client::builder()
        .app_id("wx1")
        .access_token("T")
        .build()
        .unwrap()
}

/// The JSON body of a request.
fn json_body(request: &crate::request::ApiRequest) -> serde_json::Value {
    match request.body() {
        crate::request::Body::Json(bytes) => serde_json::from_slice(bytes).unwrap(),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}
