//! Every generated endpoint has at least one generated test that calls it against the
//! mock server; this names any that has none.

use std::path::Path;

#[test]
fn every_endpoint_has_a_mock_server_test() {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/endpoints/generated");
    let endpoints = wechat_mp::api::endpoints();
    assert!(!endpoints.is_empty(), "no endpoints are enabled");
    let mut untested = Vec::new();
    for ep in endpoints {
        let tests = std::fs::read_to_string(generated.join(format!("{}.rs", ep.group))).unwrap_or_default();
        if !tests.contains(&format!("async fn {}_example_", ep.name)) {
            untested.push(format!("{}.{}", ep.group, ep.name));
        }
    }
    assert!(
        untested.is_empty(),
        "endpoints without a mock-server test: {untested:?}"
    );
}
