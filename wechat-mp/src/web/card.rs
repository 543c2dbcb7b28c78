//! Card (卡券) helpers that make no HTTP call: the showqrcode URL and the `cardExt`
//! package for `wx.addCard` (the seed's `Card.showqrcode_url` and `Card.wxCardPackage`).

use serde::Serialize;

use super::sign::{nonce, sorted_values_sha1, timestamp};
use crate::client::Client;
use crate::error::Error;
use crate::web::oauth::encode_component;

/// The URL of a card or QR-code ticket's image on mp.weixin.qq.com, with the ticket
/// URL-encoded (tickets hold `+`, `/` and `=`; the seed's PHP package left them raw).
pub fn showqrcode_url(ticket: &str) -> String {
    format!(
        "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket={}",
        encode_component(ticket)
    )
}

/// One card to add with `wx.addCard`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardExtInput {
    /// The card id.
    pub card_id: String,
    /// The code, for cards with custom codes.
    pub code: Option<String>,
    /// The only user who may receive the card.
    pub openid: Option<String>,
    /// 领取场景值 (the seed's `outer_id`): an integer channel value for WeChat's
    /// statistics, carried in the card-received event. Passed through unsigned, as the
    /// seed says (不参与签名). WeChat's current appendix 4 lists only its successor
    /// `outer_str`, so prefer that for new code.
    pub outer_id: Option<i64>,
    /// 领取渠道参数: passed through to WeChat unsigned.
    pub outer_str: Option<String>,
    /// Passed through unsigned: the start of a fixed-term card.
    pub fixed_begintimestamp: Option<i64>,
}

/// The signed `cardExt` of one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardExt {
    /// Signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openid: Option<String>,
    /// Signed, as a string.
    pub timestamp: String,
    /// Signed.
    pub nonce_str: String,
    /// Not signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_begintimestamp: Option<i64>,
    /// Not signed: the seed's 领取场景值, written as a JSON number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outer_id: Option<i64>,
    /// Not signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outer_str: Option<String>,
    /// `sha1` of api_ticket, timestamp, card_id, code, openid and nonce_str, sorted.
    pub signature: String,
}

/// One entry of `wx.addCard({cardList})`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardListItem {
    /// The card id.
    pub card_id: String,
    /// The `cardExt` as a JSON string, as `wx.addCard` expects.
    pub card_ext: String,
}

/// Signs the `cardExt` of one card with the card `api_ticket`.
///
/// Unlike the seed's PHP package, `nonce_str` is included in both the signature and the
/// package, as WeChat's appendix 4 requires.
pub fn card_ext(api_ticket: &str, card: &CardExtInput, timestamp: i64, nonce_str: &str) -> CardListItem {
    let timestamp = timestamp.to_string();
    let code = card.code.as_deref().unwrap_or("");
    let openid = card.openid.as_deref().unwrap_or("");
    let signature = sorted_values_sha1(&[api_ticket, &timestamp, &card.card_id, code, openid, nonce_str]);
    let ext = CardExt {
        code: card.code.clone(),
        openid: card.openid.clone(),
        timestamp,
        nonce_str: nonce_str.to_owned(),
        fixed_begintimestamp: card.fixed_begintimestamp,
        outer_id: card.outer_id,
        outer_str: card.outer_str.clone(),
        signature,
    };
    CardListItem {
        card_id: card.card_id.clone(),
        // A struct of strings and integers always serializes.
        card_ext: serde_json::to_string(&ext).unwrap_or_default(),
    }
}

impl Client {
    /// The `wx.addCard` entry for `card` (the seed's `Card.wxCardPackage`), signed with
    /// the cached card `api_ticket`, a fresh nonce and the current time.
    pub async fn card_ext(&self, card: &CardExtInput) -> Result<CardListItem, Error> {
        let ticket = self.card_api_ticket().await?;
        Ok(card_ext(ticket.expose(), card, timestamp(), &nonce()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TICKET: &str = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg";

    fn sign(code: Option<&str>, openid: Option<&str>) -> String {
        let card = CardExtInput {
            card_id: "random_card_id".into(),
            code: code.map(Into::into),
            openid: openid.map(Into::into),
            ..Default::default()
        };
        let item = card_ext(TICKET, &card, 1414587457, "Wm3WZYTPz0wzccnW");
        let ext: serde_json::Value = serde_json::from_str(&item.card_ext).unwrap();
        assert_eq!(ext["nonce_str"], "Wm3WZYTPz0wzccnW");
        assert_eq!(ext["timestamp"], "1414587457");
        ext["signature"].as_str().unwrap().to_owned()
    }

    #[test]
    fn wechatpy_add_card_vectors() {
        assert_eq!(sign(None, None), "22dce6bad4db532d4a2ef82ca2ca7bbe1e10ef28");
        assert_eq!(
            sign(Some("random_code"), None),
            "2e9c6d12952246e071717d7baeab20c30420b5cd"
        );
        assert_eq!(
            sign(None, Some("random_openid")),
            "ded860a5dd4467312764bd86e544ad0579cbfad0"
        );
        assert_eq!(
            sign(Some("random_code"), Some("random_openid")),
            "950dc1842852457ea573d4d6af34879c1ec093c8"
        );
    }

    #[test]
    fn official_appendix_4_vector() {
        let card = CardExtInput {
            card_id: "pjZ8Yt1XGILfi-FUsewpnnolGgZk".into(),
            code: Some("1434008071".into()),
            ..Default::default()
        };
        let item = card_ext("ojZ8YtyVyr30HheH3CM73y7h4jJE", &card, 1404896688, "123");
        assert!(
            item.card_ext
                .contains("\"signature\":\"f137ab68b7f8112d20ee528ab6074564e2796250\""),
            "{}",
            item.card_ext
        );
    }

    #[test]
    fn outer_id_is_written_unsigned() {
        let plain = CardExtInput {
            card_id: "random_card_id".into(),
            ..Default::default()
        };
        let with_outer_id = CardExtInput {
            outer_id: Some(2),
            ..plain.clone()
        };
        let item = card_ext(TICKET, &with_outer_id, 1414587457, "Wm3WZYTPz0wzccnW");
        let ext: serde_json::Value = serde_json::from_str(&item.card_ext).unwrap();
        // The seed's sample cardExt carries `"outer_id":2`, a number.
        assert_eq!(ext["outer_id"], serde_json::json!(2), "{}", item.card_ext);
        // Not signed: the signature is the one without outer_id (wechatpy's vector).
        assert_eq!(ext["signature"], "22dce6bad4db532d4a2ef82ca2ca7bbe1e10ef28");
        let without = card_ext(TICKET, &plain, 1414587457, "Wm3WZYTPz0wzccnW");
        let ext: serde_json::Value = serde_json::from_str(&without.card_ext).unwrap();
        assert!(ext.get("outer_id").is_none(), "{}", without.card_ext);
    }

    #[test]
    fn showqrcode_ticket_is_encoded() {
        assert_eq!(
            showqrcode_url("gQ+a/b=="),
            "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=gQ%2Ba%2Fb%3D%3D"
        );
    }
}
