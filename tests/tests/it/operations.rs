//! An account's operations: API quotas by an endpoint's own path, and statistics over
//! ranges of days.

use serde_json::json;
use wechat_mp::api::user::INFO_ENDPOINT;
use wechat_mp_mock::MockWechat;

#[tokio::test]
async fn a_quota_is_asked_for_by_an_endpoints_own_path() {
    let wx = MockWechat::start().await;
    let quota = wx.client().basic().get_openapi_quota(INFO_ENDPOINT.path).await.unwrap();
    assert!(quota.quota.is_some());
    let calls = wx.calls("basic.get_openapi_quota").unwrap();
    assert_eq!(calls[0].body, Some(json!({"cgi_path": "/cgi-bin/user/info"})));
    wx.assert_no_mismatches();
}
