//! Passive replies: what the server answers a push with, rendered to WeChat's XML.

use super::CallbackError;
use super::message::Incoming;

/// The most articles WeChat shows in a news reply.
pub const MAX_NEWS_ARTICLES: usize = 8;

/// A passive reply. Build one with the constructors, then let the server render it, or call
/// [`Reply::to_xml`] yourself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reply {
    /// `text`.
    Text {
        /// The text.
        content: String,
    },
    /// `image` (upload the image first; GIFs are not supported).
    Image {
        /// The uploaded image's media id.
        media_id: String,
    },
    /// `voice`.
    Voice {
        /// The uploaded voice's media id.
        media_id: String,
    },
    /// `video`.
    Video(VideoReply),
    /// `music`.
    Music(MusicReply),
    /// `news`: 1 to [`MAX_NEWS_ARTICLES`] articles (build with [`Reply::news`]).
    News(Vec<Article>),
    /// `transfer_customer_service`: hand the conversation to customer service.
    TransferCustomerService {
        /// A specific agent (`name@account`), or any agent when `None`.
        kf_account: Option<String>,
    },
}

/// A video reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VideoReply {
    /// The uploaded video's media id.
    pub media_id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// A thumbnail's media id: a passive reply has none, but the customer-service message
    /// a [late reply](super::LateDelivery) becomes needs one (the video's own id is sent
    /// when this is unset).
    pub thumb_media_id: Option<String>,
}

impl VideoReply {
    /// A video reply with no title or description.
    pub fn new(media_id: impl Into<String>) -> Self {
        VideoReply {
            media_id: media_id.into(),
            title: None,
            description: None,
            thumb_media_id: None,
        }
    }

    /// Sets the thumbnail a late delivery sends with it.
    #[must_use]
    pub fn thumb_media_id(mut self, thumb_media_id: impl Into<String>) -> Self {
        self.thumb_media_id = Some(thumb_media_id.into());
        self
    }

    /// Sets the title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A music reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MusicReply {
    /// The uploaded thumbnail's media id (required by WeChat).
    pub thumb_media_id: String,
    /// The title.
    pub title: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The music URL.
    pub music_url: Option<String>,
    /// The high-quality URL, preferred on Wi-Fi.
    pub hq_music_url: Option<String>,
}

impl MusicReply {
    /// A music reply with only its thumbnail set.
    pub fn new(thumb_media_id: impl Into<String>) -> Self {
        MusicReply {
            thumb_media_id: thumb_media_id.into(),
            title: None,
            description: None,
            music_url: None,
            hq_music_url: None,
        }
    }

    /// Sets the title.
    #[must_use]
    pub fn title(mut self, v: impl Into<String>) -> Self {
        self.title = Some(v.into());
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.description = Some(v.into());
        self
    }

    /// Sets the music URL.
    #[must_use]
    pub fn music_url(mut self, v: impl Into<String>) -> Self {
        self.music_url = Some(v.into());
        self
    }

    /// Sets the high-quality music URL.
    #[must_use]
    pub fn hq_music_url(mut self, v: impl Into<String>) -> Self {
        self.hq_music_url = Some(v.into());
        self
    }
}

/// One article of a news reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Article {
    /// The title.
    pub title: String,
    /// The description.
    pub description: Option<String>,
    /// The picture URL.
    pub pic_url: Option<String>,
    /// Where tapping the article goes.
    pub url: String,
}

impl Article {
    /// An article with a title and a link.
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Article {
            title: title.into(),
            description: None,
            pic_url: None,
            url: url.into(),
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.description = Some(v.into());
        self
    }

    /// Sets the picture URL.
    #[must_use]
    pub fn pic_url(mut self, v: impl Into<String>) -> Self {
        self.pic_url = Some(v.into());
        self
    }
}

impl From<VideoReply> for Reply {
    fn from(v: VideoReply) -> Self {
        Reply::Video(v)
    }
}

impl From<MusicReply> for Reply {
    fn from(v: MusicReply) -> Self {
        Reply::Music(v)
    }
}

impl Reply {
    /// A text reply.
    pub fn text(content: impl Into<String>) -> Self {
        Reply::Text {
            content: content.into(),
        }
    }

    /// An image reply.
    pub fn image(media_id: impl Into<String>) -> Self {
        Reply::Image {
            media_id: media_id.into(),
        }
    }

    /// A voice reply.
    pub fn voice(media_id: impl Into<String>) -> Self {
        Reply::Voice {
            media_id: media_id.into(),
        }
    }

    /// A video reply; see [`VideoReply`] for title and description.
    pub fn video(media_id: impl Into<String>) -> Self {
        Reply::Video(VideoReply::new(media_id))
    }

    /// A news reply.
    ///
    /// # Errors
    /// [`CallbackError::InvalidReply`] for no articles or more than [`MAX_NEWS_ARTICLES`].
    pub fn news(articles: Vec<Article>) -> Result<Self, CallbackError> {
        if articles.is_empty() {
            return Err(CallbackError::InvalidReply("a news reply needs at least one article"));
        }
        if articles.len() > MAX_NEWS_ARTICLES {
            return Err(CallbackError::InvalidReply("a news reply takes at most 8 articles"));
        }
        Ok(Reply::News(articles))
    }

    /// Hands the conversation to any customer-service agent.
    pub fn transfer_customer_service() -> Self {
        Reply::TransferCustomerService { kf_account: None }
    }

    /// Hands the conversation to one agent (`name@account`).
    pub fn transfer_to(kf_account: impl Into<String>) -> Self {
        Reply::TransferCustomerService {
            kf_account: Some(kf_account.into()),
        }
    }

    /// The `MsgType` this reply is sent as.
    pub fn msg_type(&self) -> &'static str {
        match self {
            Reply::Text { .. } => "text",
            Reply::Image { .. } => "image",
            Reply::Voice { .. } => "voice",
            Reply::Video(_) => "video",
            Reply::Music(_) => "music",
            Reply::News(_) => "news",
            Reply::TransferCustomerService { .. } => "transfer_customer_service",
        }
    }

    /// Renders the reply to `incoming`: addressed back to its sender, from the account.
    pub fn to_xml_for(&self, incoming: &Incoming, create_time: i64) -> String {
        self.to_xml(&incoming.from_user_name, &incoming.to_user_name, create_time)
    }

    /// Renders the reply XML. `to_user` is the user's OpenID, `from_user` the account's
    /// original id. Every text goes in CDATA; a `]]>` inside is split so it cannot end the
    /// section, and characters XML 1.0 forbids are dropped.
    pub fn to_xml(&self, to_user: &str, from_user: &str, create_time: i64) -> String {
        let mut out = String::with_capacity(256);
        out.push_str("<xml><ToUserName>");
        push_cdata(&mut out, to_user);
        out.push_str("</ToUserName><FromUserName>");
        push_cdata(&mut out, from_user);
        out.push_str("</FromUserName><CreateTime>");
        out.push_str(&create_time.to_string());
        out.push_str("</CreateTime><MsgType>");
        push_cdata(&mut out, self.msg_type());
        out.push_str("</MsgType>");
        match self {
            Reply::Text { content } => element(&mut out, "Content", content),
            Reply::Image { media_id } => {
                out.push_str("<Image>");
                element(&mut out, "MediaId", media_id);
                out.push_str("</Image>");
            }
            Reply::Voice { media_id } => {
                out.push_str("<Voice>");
                element(&mut out, "MediaId", media_id);
                out.push_str("</Voice>");
            }
            Reply::Video(v) => {
                out.push_str("<Video>");
                element(&mut out, "MediaId", &v.media_id);
                opt_element(&mut out, "Title", v.title.as_deref());
                opt_element(&mut out, "Description", v.description.as_deref());
                out.push_str("</Video>");
            }
            Reply::Music(m) => {
                out.push_str("<Music>");
                opt_element(&mut out, "Title", m.title.as_deref());
                opt_element(&mut out, "Description", m.description.as_deref());
                opt_element(&mut out, "MusicUrl", m.music_url.as_deref());
                opt_element(&mut out, "HQMusicUrl", m.hq_music_url.as_deref());
                element(&mut out, "ThumbMediaId", &m.thumb_media_id);
                out.push_str("</Music>");
            }
            Reply::News(articles) => {
                out.push_str("<ArticleCount>");
                out.push_str(&articles.len().to_string());
                out.push_str("</ArticleCount><Articles>");
                for a in articles {
                    out.push_str("<item>");
                    element(&mut out, "Title", &a.title);
                    opt_element(&mut out, "Description", a.description.as_deref());
                    opt_element(&mut out, "PicUrl", a.pic_url.as_deref());
                    element(&mut out, "Url", &a.url);
                    out.push_str("</item>");
                }
                out.push_str("</Articles>");
            }
            Reply::TransferCustomerService { kf_account } => {
                if let Some(kf) = kf_account {
                    out.push_str("<TransInfo>");
                    element(&mut out, "KfAccount", kf);
                    out.push_str("</TransInfo>");
                }
            }
        }
        out.push_str("</xml>");
        out
    }
}

fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    push_cdata(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn opt_element(out: &mut String, name: &str, text: Option<&str>) {
    if let Some(text) = text {
        element(out, name, text);
    }
}

/// Appends `<![CDATA[text]]>`. A `]]>` in `text` would close the section early, so it is
/// split across two sections (`]]]]><![CDATA[>`); characters XML 1.0 cannot carry at all
/// (most C0 controls, U+FFFE, U+FFFF) are dropped, since no escaping can carry them.
pub(crate) fn push_cdata(out: &mut String, text: &str) {
    out.push_str("<![CDATA[");
    let mut rest = text;
    while let Some(at) = rest.find("]]>") {
        // `at + 2` lands on the `>` of an ASCII match, a char boundary.
        let (head, tail) = rest.split_at(at + 2);
        push_xml_chars(out, head);
        out.push_str("]]><![CDATA[");
        rest = tail;
    }
    push_xml_chars(out, rest);
    out.push_str("]]>");
}

fn push_xml_chars(out: &mut String, text: &str) {
    if all_xml_chars(text) {
        out.push_str(text);
    } else {
        out.extend(text.chars().filter(|&c| is_xml_char(c)));
    }
}

/// Whether every char of `text` may appear in XML, judged on its bytes: a control byte
/// other than tab, newline and return is one outside XML's range, and U+FFFE and U+FFFF
/// (the only others a `str` can hold) both start with 0xEF, which most text lacks.
fn all_xml_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
        && (!bytes.contains(&0xEF) || !text.contains(['\u{FFFE}', '\u{FFFF}']))
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
