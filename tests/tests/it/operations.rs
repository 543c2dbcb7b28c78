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

#[tokio::test]
async fn yesterdays_followers_are_one_line() {
    use wechat_mp::dates::yesterday;

    let wx = MockWechat::start().await;
    let client = wx.client();
    let cumulate = client
        .datacube()
        .get_user_cumulate(yesterday(), yesterday())
        .await
        .unwrap();
    assert!(cumulate.list.is_some_and(|rows| !rows.is_empty()));
    let day = yesterday().to_string();
    let calls = wx.calls("datacube.get_user_cumulate").unwrap();
    assert_eq!(calls[0].body, Some(json!({"begin_date": day, "end_date": day})));
    wx.assert_no_mismatches();
}

#[tokio::test]
async fn a_range_over_wechats_limit_fails_typed_and_sends_nothing() {
    use chrono::{Days, NaiveDate};
    use wechat_mp::Error;

    let wx = MockWechat::start().await;
    let client = wx.client();
    let begin = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    // getusersummary allows 7 days, both ends counted: the 1st to the 8th is 8.
    let err = client
        .datacube()
        .get_user_summary(begin, begin.checked_add_days(Days::new(7)).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::DateRange { days: 8, max_days: 7, endpoint, .. } if endpoint == "datacube.get_user_summary"),
        "{err:?}"
    );
    let backwards = client
        .datacube()
        .get_user_summary(begin, begin.pred_opt().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(backwards, Error::DateRange { days: 0, .. }), "{backwards:?}");
    // The hourly figures allow one day only.
    let err = client
        .datacube()
        .get_interface_summary_hour(begin, begin.succ_opt().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DateRange { max_days: 1, .. }), "{err:?}");
    assert!(
        wx.all_calls().is_empty(),
        "a refused range reached WeChat: {:#?}",
        wx.all_calls()
    );
    // Within the limit the same call goes out.
    let week = begin.checked_add_days(Days::new(6)).unwrap();
    client.datacube().get_user_summary(begin, week).await.unwrap();
    assert_eq!(wx.calls("datacube.get_user_summary").unwrap().len(), 1);
}
