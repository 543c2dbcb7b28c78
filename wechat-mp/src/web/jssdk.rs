//! The JS-SDK `wx.config` signature.

use serde::Serialize;

use super::sign::{nonce, sha1_hex, timestamp};
use crate::client::Client;
use crate::error::Error;

/// What the front end passes to `wx.config`, signed for one page URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsSdkConfig {
    /// The account's app id.
    pub app_id: String,
    /// Seconds since the epoch, as signed.
    pub timestamp: i64,
    /// The random string, as signed.
    pub nonce_str: String,
    /// The lowercase hex SHA-1 signature.
    pub signature: String,
    /// The page URL that was signed, without its fragment.
    pub url: String,
}

/// The page URL WeChat signs: everything before `#`.
pub fn signing_url(url: &str) -> &str {
    url.split_once('#').map_or(url, |(before, _)| before)
}

/// `sha1("jsapi_ticket=T&noncestr=N&timestamp=TS&url=URL")`, with the URL's fragment
/// dropped and nothing URL-escaped, as WeChat's appendix 1 specifies.
pub fn jsapi_signature(jsapi_ticket: &str, nonce_str: &str, timestamp: i64, url: &str) -> String {
    sha1_hex(&format!(
        "jsapi_ticket={jsapi_ticket}&noncestr={nonce_str}&timestamp={timestamp}&url={}",
        signing_url(url)
    ))
}

/// Signs `url` for `wx.config` with a ticket already in hand.
pub fn sign_config(app_id: &str, jsapi_ticket: &str, nonce_str: &str, timestamp: i64, url: &str) -> JsSdkConfig {
    JsSdkConfig {
        app_id: app_id.to_owned(),
        timestamp,
        nonce_str: nonce_str.to_owned(),
        signature: jsapi_signature(jsapi_ticket, nonce_str, timestamp, url),
        url: signing_url(url).to_owned(),
    }
}

impl Client {
    /// A signed `wx.config` for the page at `url` (its `#` fragment is dropped), with
    /// the cached `jsapi_ticket`, a fresh nonce and the current time. Serialize it to
    /// JSON for the front end.
    pub async fn js_sdk_config(&self, url: &str) -> Result<JsSdkConfig, Error> {
        let ticket = self.jsapi_ticket().await?;
        Ok(sign_config(self.app_id(), ticket.expose(), &nonce(), timestamp(), url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICKET: &str = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";

    #[test]
    fn official_vector_with_a_query() {
        let sig = jsapi_signature(
            TICKET,
            "Wm3WZYTPz0wzccnW",
            1414587457,
            "http://mp.weixin.qq.com?params=value",
        );
        assert_eq!(sig, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    }

    #[test]
    fn official_vector_without_a_query_and_the_fragment_is_ignored() {
        let sig = jsapi_signature(
            TICKET,
            "Wm3WZYTPz0wzccnW",
            1414587457,
            "http://mp.weixin.qq.com#/page?x=1",
        );
        assert_eq!(sig, "f4d90daf4b3bca3078ab155816175ba34c443a7b");
    }

    #[test]
    fn easywechat_vector_and_config_shape() {
        let config = sign_config(
            "mock-appid",
            "mock-ticket",
            "mock-nonce",
            1601234567,
            "https://www.easywechat.com/",
        );
        assert_eq!(config.signature, "22772d2fb393ab9f7f6a5a54168a566fbf1ab767");
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["appId"], "mock-appid");
        assert_eq!(json["nonceStr"], "mock-nonce");
        assert_eq!(json["timestamp"], 1601234567);
    }
}
