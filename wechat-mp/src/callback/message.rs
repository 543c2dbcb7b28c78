//! Pushed user messages: the common header and the typed [`Message`] enum.

use serde::Deserialize;

use super::CallbackError;
use super::event::Event;
use super::{de, fields};

/// One decrypted push: who sent it, when, and what it is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Incoming {
    /// The account's original id (`gh_…`); a reply's `FromUserName`.
    pub to_user_name: String,
    /// The user's OpenID; a reply's `ToUserName`.
    pub from_user_name: String,
    /// When WeChat created the push, in Unix seconds.
    pub create_time: i64,
    /// The message or event itself.
    pub message: Message,
}

impl Incoming {
    /// Parses a plaintext push body (the XML inside `<Encrypt>` in safe mode).
    ///
    /// Unknown `MsgType`s and `Event`s parse to the `Unknown` variants, which keep the XML.
    ///
    /// # Errors
    /// [`CallbackError::BadXml`] when the XML is malformed, or a field the type requires is
    /// missing or not a number where one is expected.
    pub fn parse(xml: &str) -> Result<Self, CallbackError> {
        // The header picks the type, then serde fills that type alone. The alternative
        // (internally tagged enums) buffers values as strings, which quick-xml cannot
        // turn back into numbers.
        // One pass reads the header and, for text, the body: the most common push then
        // skips serde, which costs several times the pass itself.
        let [to, from, time, msg_type, event, content, msg_id, menu] = fields::top_level_raw(
            xml,
            [
                "ToUserName",
                "FromUserName",
                "CreateTime",
                "MsgType",
                "Event",
                "Content",
                "MsgId",
                "bizmsgmenuid",
            ],
        )?;
        let head = Head::new([to, from, time, msg_type, event])?;
        let message = if head.msg_type.eq_ignore_ascii_case("text") {
            Message::Text(Text::from_fields(content, msg_id, menu)?)
        } else {
            Message::parse_body(&head, xml)?
        };
        Ok(Incoming {
            to_user_name: head.to_user_name,
            from_user_name: head.from_user_name,
            create_time: head.create_time,
            message,
        })
    }

    /// The `MsgId` of a user message; `None` for events and unknown types.
    pub fn msg_id(&self) -> Option<u64> {
        self.message.msg_id()
    }

    /// The event, if this push is one.
    pub fn event(&self) -> Option<&Event> {
        match &self.message {
            Message::Event(e) => Some(e),
            _ => None,
        }
    }
}

/// The fields every push has, and the two that say what it is.
struct Head {
    to_user_name: String,
    from_user_name: String,
    create_time: i64,
    msg_type: String,
    event: Option<String>,
}

impl Head {
    /// From the raw texts of `ToUserName`, `FromUserName`, `CreateTime`, `MsgType` and
    /// `Event`, trimmed here.
    fn new(fields: [Option<String>; 5]) -> Result<Self, CallbackError> {
        let [to, from, time, msg_type, event] = fields.map(|f| f.map(trimmed));
        let time = fields::required(time, "CreateTime")?;
        Ok(Head {
            to_user_name: fields::required(to, "ToUserName")?,
            from_user_name: fields::required(from, "FromUserName")?,
            create_time: time
                .parse()
                .map_err(|e| CallbackError::BadXml(format!("CreateTime {time:?}: {e}")))?,
            msg_type: fields::required(msg_type, "MsgType")?,
            event: event.filter(|e| !e.is_empty()),
        })
    }
}

/// `text` without its surrounding whitespace, reusing the allocation when there is none.
fn trimmed(text: String) -> String {
    match text.trim() {
        t if t.len() == text.len() => text,
        t => t.to_owned(),
    }
}

impl Text {
    /// A text message from the raw texts of `Content`, `MsgId` and `bizmsgmenuid`, with
    /// the rules of its serde form: content as sent, the id a number, the menu id
    /// trimmed and `None` when blank.
    fn from_fields(
        content: Option<String>,
        msg_id: Option<String>,
        menu: Option<String>,
    ) -> Result<Self, CallbackError> {
        let msg_id = fields::required(msg_id, "MsgId")?;
        Ok(Text {
            content: fields::required(content, "Content")?,
            msg_id: msg_id
                .trim()
                .parse()
                .map_err(|e| CallbackError::BadXml(format!("MsgId {msg_id:?}: {e}")))?,
            biz_msg_menu_id: menu.map(trimmed).filter(|m| !m.is_empty()),
        })
    }
}

/// What a push is: a user message, an event, or a type this crate does not know yet.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Message {
    /// `text`.
    Text(Text),
    /// `image`.
    Image(Image),
    /// `voice`.
    Voice(Voice),
    /// `video`.
    Video(Video),
    /// `shortvideo` (same fields as video).
    ShortVideo(Video),
    /// `location`.
    Location(Location),
    /// `link`.
    Link(Link),
    /// `miniprogrampage`.
    MiniProgramPage(MiniProgramPage),
    /// `event`: see [`Event`].
    Event(Event),
    /// A `MsgType` WeChat added after this crate was written.
    Unknown(Unknown),
}

impl Message {
    fn parse_body(head: &Head, xml: &str) -> Result<Self, CallbackError> {
        let t = head.msg_type.as_str();
        let is = |name: &str| t.eq_ignore_ascii_case(name);
        Ok(if is("text") {
            Message::Text(quick_xml::de::from_str(xml)?)
        } else if is("image") {
            Message::Image(quick_xml::de::from_str(xml)?)
        } else if is("voice") {
            Message::Voice(quick_xml::de::from_str(xml)?)
        } else if is("video") {
            Message::Video(quick_xml::de::from_str(xml)?)
        } else if is("shortvideo") {
            Message::ShortVideo(quick_xml::de::from_str(xml)?)
        } else if is("location") {
            Message::Location(quick_xml::de::from_str(xml)?)
        } else if is("link") {
            Message::Link(quick_xml::de::from_str(xml)?)
        } else if is("miniprogrampage") {
            Message::MiniProgramPage(quick_xml::de::from_str(xml)?)
        } else if is("event") {
            Message::Event(Event::parse(head.event.as_deref().unwrap_or(""), xml)?)
        } else {
            Message::Unknown(Unknown {
                msg_type: head.msg_type.clone(),
                raw: xml.to_owned(),
            })
        })
    }

    /// The `MsgType` as WeChat spells it: `text`, `image`, …, `event`.
    pub fn msg_type(&self) -> &str {
        match self {
            Message::Text(_) => "text",
            Message::Image(_) => "image",
            Message::Voice(_) => "voice",
            Message::Video(_) => "video",
            Message::ShortVideo(_) => "shortvideo",
            Message::Location(_) => "location",
            Message::Link(_) => "link",
            Message::MiniProgramPage(_) => "miniprogrampage",
            Message::Event(_) => "event",
            Message::Unknown(u) => &u.msg_type,
        }
    }

    /// The `MsgId` of a user message; `None` for events and unknown types.
    pub fn msg_id(&self) -> Option<u64> {
        match self {
            Message::Text(m) => Some(m.msg_id),
            Message::Image(m) => Some(m.msg_id),
            Message::Voice(m) => Some(m.msg_id),
            Message::Video(m) | Message::ShortVideo(m) => Some(m.msg_id),
            Message::Location(m) => Some(m.msg_id),
            Message::Link(m) => Some(m.msg_id),
            Message::MiniProgramPage(m) => m.msg_id,
            Message::Event(_) | Message::Unknown(_) => None,
        }
    }
}

/// A text message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Text {
    /// What the user typed, exactly as sent (not trimmed).
    pub content: String,
    /// The message id, unique per message; WeChat's retries repeat it.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
    /// Set when the user tapped a menu item in a "bizmsgmenu" customer-service message.
    #[serde(rename = "bizmsgmenuid", default, deserialize_with = "de::opt_string")]
    pub biz_msg_menu_id: Option<String>,
}

/// An image message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Image {
    /// Where WeChat hosts the picture.
    #[serde(deserialize_with = "de::string")]
    pub pic_url: String,
    /// The media id to download it with the media API.
    #[serde(deserialize_with = "de::string")]
    pub media_id: String,
    /// The message id.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
}

/// A voice message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Voice {
    /// The media id of the recording.
    #[serde(deserialize_with = "de::string")]
    pub media_id: String,
    /// The audio format (`amr`, `speex`, …).
    #[serde(deserialize_with = "de::string")]
    pub format: String,
    /// The speech-recognition text, when the account enabled it.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub recognition: Option<String>,
    /// The message id.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
}

/// A video or short-video message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Video {
    /// The media id of the video.
    #[serde(deserialize_with = "de::string")]
    pub media_id: String,
    /// The media id of its thumbnail.
    #[serde(deserialize_with = "de::string")]
    pub thumb_media_id: String,
    /// The message id.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
}

/// A location the user shared.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Location {
    /// Latitude.
    #[serde(rename = "Location_X", deserialize_with = "de::num")]
    pub location_x: f64,
    /// Longitude.
    #[serde(rename = "Location_Y", deserialize_with = "de::num")]
    pub location_y: f64,
    /// Map zoom level.
    #[serde(deserialize_with = "de::num")]
    pub scale: f64,
    /// The place's description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub label: Option<String>,
    /// The message id.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
}

/// A link message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Link {
    /// The link's title.
    #[serde(deserialize_with = "de::string")]
    pub title: String,
    /// Its description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub description: Option<String>,
    /// Its URL.
    #[serde(deserialize_with = "de::string")]
    pub url: String,
    /// The message id.
    #[serde(deserialize_with = "de::num")]
    pub msg_id: u64,
}

/// A mini-program card the user sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MiniProgramPage {
    /// The mini program's app id.
    #[serde(deserialize_with = "de::string")]
    pub app_id: String,
    /// The card title.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub title: Option<String>,
    /// The page path.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub page_path: Option<String>,
    /// The thumbnail URL.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub thumb_url: Option<String>,
    /// The thumbnail's media id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub thumb_media_id: Option<String>,
    /// The message id, when WeChat sends one.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub msg_id: Option<u64>,
}

/// A push of a `MsgType` this crate does not model; the XML is kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unknown {
    /// The `MsgType` as sent.
    pub msg_type: String,
    /// The whole plaintext XML, to parse yourself.
    pub raw: String,
}
