//! The web authorization flow against a mock WeChat: redirect, code exchange, profile,
//! refusal; and the user's tokens never printed.

use serde_json::json;
use wechat_mp::web::oauth::{Authorize, OAuthFlow, Scope, authorize_url};
use wechat_mp_tests::scripted::{ACCESS_TOKEN, APP_ID, APP_SECRET, Scripted};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

async fn mount_exchange(mock: &Scripted, scope: &str) {
    Mock::given(path("/api-host/sns/oauth2/access_token"))
        .and(query_param("appid", APP_ID))
        .and(query_param("secret", APP_SECRET))
        .and(query_param("code", "CODE-1"))
        .and(query_param("grant_type", "authorization_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "USER-TOKEN-XYZ", "expires_in": 7200, "refresh_token": "USER-REFRESH-XYZ",
            "openid": "o-user", "scope": scope
        })))
        .expect(1)
        .mount(mock.server())
        .await;
}

#[tokio::test]
async fn userinfo_scope_exchanges_the_code_then_reads_the_profile_with_the_users_token() {
    let mock = Scripted::start().await;
    mount_exchange(&mock, "snsapi_userinfo").await;
    Mock::given(path("/api-host/sns/userinfo"))
        .and(query_param("access_token", "USER-TOKEN-XYZ"))
        .and(query_param("openid", "o-user"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"openid": "o-user", "nickname": "N", "sex": "1"})),
        )
        .expect(1)
        .mount(mock.server())
        .await;
    let client = mock.client();
    let flow = OAuthFlow::new(&client, "https://shop.example/cb", Scope::UserInfo);

    let user = flow.user("CODE-1").await.unwrap();

    assert_eq!(user.token.openid.as_deref(), Some("o-user"));
    assert_eq!(user.profile.unwrap().nickname.as_deref(), Some("N"));
    let printed = format!("{:?}", user.token);
    assert!(
        !printed.contains("USER-TOKEN-XYZ") && !printed.contains("USER-REFRESH-XYZ"),
        "{printed}"
    );
    let sent = mock.server().received_requests().await.unwrap();
    assert!(
        sent.iter()
            .all(|r| !r.url.query().unwrap_or_default().contains(ACCESS_TOKEN)),
        "the account's token never goes to /sns"
    );
}

#[tokio::test]
async fn base_scope_stops_at_the_openid() {
    let mock = Scripted::start().await;
    mount_exchange(&mock, "snsapi_base").await;
    let client = mock.client();
    let user = OAuthFlow::new(&client, "https://shop.example/cb", Scope::Base)
        .user("CODE-1")
        .await
        .unwrap();
    assert!(user.profile.is_none());
    mock.verify().await;
}

#[tokio::test]
async fn authorize_redirects_exchanges_or_reports_a_refusal() {
    let mock = Scripted::start().await;
    mount_exchange(&mock, "snsapi_base").await;
    let client = mock.client();
    let flow = OAuthFlow::new(&client, "https://shop.example/cb?from=menu", Scope::Base).state("csrf1");

    match flow.authorize("").await.unwrap() {
        Authorize::Redirect(response) => {
            assert_eq!(response.status(), 302);
            let location = response.headers()["location"].to_str().unwrap();
            assert_eq!(
                location,
                authorize_url(APP_ID, "https://shop.example/cb?from=menu", Scope::Base, "csrf1")
            );
            assert_eq!(location, flow.authorize_url());
        }
        other => panic!("expected a redirect, got {other:?}"),
    }
    match flow.authorize("state=csrf1").await.unwrap() {
        Authorize::Denied { state } => assert_eq!(state, "csrf1"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match flow.authorize("?code=CODE-1&state=csrf1").await.unwrap() {
        Authorize::User(user) => assert_eq!(user.token.openid.as_deref(), Some("o-user")),
        other => panic!("expected a user, got {other:?}"),
    }
    mock.verify().await;
}

#[tokio::test]
async fn refresh_sends_the_app_id_but_no_secret() {
    let mock = Scripted::start().await;
    Mock::given(path("/api-host/sns/oauth2/refresh_token"))
        .and(query_param("appid", APP_ID))
        .and(query_param_is_missing("secret"))
        .and(query_param("refresh_token", "R1"))
        .and(query_param("grant_type", "refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "A2", "refresh_token": "R2"})))
        .expect(1)
        .mount(mock.server())
        .await;
    let token = mock.client().auth().refresh_token("R1").await.unwrap();
    assert_eq!(token.access_token.unwrap().expose(), "A2");
}
