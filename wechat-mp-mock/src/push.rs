//! Pushes to a callback server, sent the way WeChat sends them: signed, and encrypted
//! with the account's `EncodingAESKey` in safe mode; the reply is verified and opened.

use std::time::{SystemTime, UNIX_EPOCH};

use quick_xml::Reader;
use quick_xml::events::Event;
use wechat_mp::callback::signature::{sign, verify_msg_signature};
use wechat_mp::callback::{EncodingAesKey, MessageCrypto, SUCCESS};

use crate::MockWechat;
use crate::error::PushError;

/// A message or event the mock pushes, as its plaintext XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    from: String,
    xml: String,
}

impl Push {
    /// A text message from the user `openid`.
    pub fn text(openid: &str, content: &str) -> Push {
        Push::with_body(
            openid,
            &format!(
                "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{}]]></Content><MsgId>{}</MsgId>",
                cdata(content),
                rand::random::<u32>()
            ),
        )
    }

    /// An event (`subscribe`, `unsubscribe`, …) from the user `openid`.
    pub fn event(openid: &str, event: &str) -> Push {
        Push::with_body(
            openid,
            &format!(
                "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{}]]></Event>",
                cdata(event)
            ),
        )
    }

    /// Any push, as the XML WeChat would send in plain mode; `openid` is its sender.
    /// `{to}` in the XML is replaced by the account's original id.
    pub fn xml(openid: &str, xml: impl Into<String>) -> Push {
        Push {
            from: openid.to_owned(),
            xml: xml.into(),
        }
    }

    fn with_body(openid: &str, body: &str) -> Push {
        let now = unix_now();
        Push::xml(
            openid,
            format!(
                "<xml><ToUserName><![CDATA[{{to}}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{now}</CreateTime>{body}</xml>"
            ),
        )
    }
}

/// What a callback server answered a push with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushReply {
    /// An empty body or `success`: nothing to say to the user.
    Nothing,
    /// A reply message, decrypted if it came encrypted.
    Xml(String),
}

impl PushReply {
    /// The text of `<tag>` in the reply, if it has one.
    pub fn field(&self, tag: &str) -> Option<String> {
        match self {
            PushReply::Xml(xml) => element_text(xml, tag),
            PushReply::Nothing => None,
        }
    }
}

impl MockWechat {
    /// Pushes `push` to the callback server at `url` as WeChat does, and returns its reply.
    ///
    /// # Errors
    /// [`PushError`] when the server cannot be reached, answers other than 200, or its
    /// encrypted reply does not verify.
    pub async fn push_to(&self, url: &str, push: Push) -> Result<PushReply, PushError> {
        let account = &self.shared.account;
        let timestamp = unix_now().to_string();
        let nonce = rand::random::<u32>().to_string();
        let token = account.callback_token.as_str();
        let xml = push.xml.replace("{to}", &account.original_id);
        let signature = sign(&[token, &timestamp, &nonce]);
        let mut query = vec![
            ("signature", signature),
            ("timestamp", timestamp.clone()),
            ("nonce", nonce.clone()),
            ("openid", push.from.clone()),
        ];
        let crypto = match &account.encoding_aes_key {
            Some(key) => Some(MessageCrypto::new(
                EncodingAesKey::new(key).map_err(PushError::Account)?,
                account.app_id.clone(),
            )),
            None => None,
        };
        let body = match &crypto {
            Some(crypto) => {
                let encrypted = crypto.encrypt(&xml).map_err(PushError::Account)?;
                query.push(("encrypt_type", "aes".into()));
                query.push(("msg_signature", sign(&[token, &timestamp, &nonce, &encrypted])));
                format!(
                    "<xml><ToUserName><![CDATA[{}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>",
                    account.original_id
                )
            }
            None => xml,
        };
        let response = reqwest::Client::new()
            .post(url)
            .query(&query)
            .header("content-type", "text/xml")
            .body(body)
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        if status != 200 {
            return Err(PushError::Status {
                status,
                body: text.chars().take(200).collect(),
            });
        }
        let text = text.trim();
        if text.is_empty() || text == SUCCESS {
            return Ok(PushReply::Nothing);
        }
        let Some(crypto) = crypto else {
            return Ok(PushReply::Xml(text.to_owned()));
        };
        let part = |tag: &str| element_text(text, tag).ok_or_else(|| PushError::Envelope(format!("no <{tag}>")));
        let (encrypted, signature) = (part("Encrypt")?, part("MsgSignature")?);
        let (stamp, reply_nonce) = (part("TimeStamp")?, part("Nonce")?);
        verify_msg_signature(token, &stamp, &reply_nonce, &encrypted, &signature)?;
        Ok(PushReply::Xml(crypto.decrypt(&encrypted)?))
    }

    /// Sends the URL verification WeChat sends when the callback URL is saved, and
    /// returns whether the server echoed the challenge.
    ///
    /// # Errors
    /// When the server cannot be reached.
    pub async fn verify_url(&self, url: &str) -> Result<bool, PushError> {
        let token = self.shared.account.callback_token.as_str();
        let timestamp = unix_now().to_string();
        let nonce = rand::random::<u32>().to_string();
        let echostr = format!("echo{}", rand::random::<u64>());
        let signature = sign(&[token, &timestamp, &nonce]);
        let query = [
            ("signature", signature),
            ("timestamp", timestamp),
            ("nonce", nonce),
            ("echostr", echostr.clone()),
        ];
        let response = reqwest::Client::new()
            .get(url)
            .query(&query)
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await?;
        Ok(response.status().is_success() && response.text().await? == echostr)
    }
}

/// `text` for inside a CDATA section: a `]]>` in it ends one section and opens another.
fn cdata(text: &str) -> String {
    text.replace("]]>", "]]]]><![CDATA[>")
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The text or CDATA of the first `<tag>` in `xml`.
fn element_text(xml: &str, tag: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == tag => inside = true,
            Event::CData(t) if inside => return Some(t.xml10_content().into_owned()),
            Event::Text(t) if inside => return Some(t.xml10_content().into_owned()),
            Event::End(_) if inside => return Some(String::new()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::element_text;

    #[test]
    fn element_text_reads_cdata_and_plain_text() {
        let xml = "<xml><A><![CDATA[x<y]]></A><B>42</B><C></C></xml>";
        assert_eq!(element_text(xml, "A").as_deref(), Some("x<y"));
        assert_eq!(element_text(xml, "B").as_deref(), Some("42"));
        assert_eq!(element_text(xml, "C").as_deref(), Some(""));
        assert_eq!(element_text(xml, "D"), None);
        assert_eq!(element_text("<not xml", "A"), None);
    }

    #[test]
    fn a_text_push_keeps_content_that_closes_cdata() {
        let push = super::Push::text("o1", "a]]>b");
        let parsed = wechat_mp::callback::Incoming::parse(&push.xml).unwrap();
        match parsed.message {
            wechat_mp::callback::Message::Text(t) => assert_eq!(t.content, "a]]>b"),
            other => panic!("{other:?}"),
        }
    }
}
