//! Known-answer vectors, every sample message and event, replies and the server core.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::samples::{MINIPROGRAMPAGE, SAMPLES, sample};
use wechat_mp::callback::signature::sign;
use wechat_mp::callback::*;

// ---------------------------------------------------------------------------------------
// Known-answer vectors (protocol.md section 3)

const V5_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const V5_APPID: &str = "wxb11529c136998cb6";
const V5_RANDOM: &[u8; 16] = b"aaaabbbbccccdddd";
const V5_MSG: &str = "我是中文abcd123";
const V5_CIPHER: &str = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
const V5_MSG2: &str = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
const V5_CIPHER2: &str = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

const V6_TOKEN: &str = "spamtest";
const V6_APPID: &str = "wx2c2769f8efd9abc2";
const V6_BODY: &str = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>";
const V6_PLAIN: &str = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>";

const V7_ENCRYPT: &str = "mfBCs65c67CeJw22u4VT2TD73q5H06+ocrAIxswCaeZ/d/Lw0msSZFHY0teqgSYiI1zR2gD2DKrB3TIrmX/liNSDrGqS8jSI/WPeKB5VPr7Ezr7gomZAyGCwJSgT1TRFWPfONGJMxuj2nk4faTuspAuVIFQ6SHwZuJBZC7mcJp7Cgr9cUhATQWDbOPaE7ukZBTV2YqyzH+UI2AK+J1S47cE79k1RX8t0hcTz/O0hlK8DGXKnvYv88qKQcI7z4iaajqHfRVZKBNyOODabs+It+ZfM3dWTeFcPgDbGtIEnpt/EDtuuA/zMvtkaKdHdswPnVZQ+xdwbYr3ldGvfT8HlEYEgkgKaThxTFobVlwzu2ZkXCjicbP3xdr15Iq48ObgzPpqYuZ3IEoyggZDKClquk0u0orMck4GTF/XyE8yGzc4=";

const V9_TOKEN: &str = "123456";
const V9_KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
const V9_CORP: &str = "wx49f0ab532d5d035a";

const V10_TOKEN: &str = "QDG6eK";
const V10_CORP: &str = "wx5823bf96d3bd56c7";
const V10_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

fn crypto(key: &str, app_id: &str) -> MessageCrypto {
    MessageCrypto::new(EncodingAesKey::new(key).expect("vector key is valid"), app_id)
}

fn query(pairs: &[(&str, &str)]) -> CallbackQuery {
    let raw: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    CallbackQuery::parse(&raw.join("&"))
}

#[test]
fn v5_encrypt_with_fixed_random_matches_official_java_vectors() {
    let c = crypto(V5_KEY, V5_APPID);
    assert_eq!(c.encrypt_with_random(V5_RANDOM, V5_MSG).unwrap(), V5_CIPHER);
    assert_eq!(c.encrypt_with_random(V5_RANDOM, V5_MSG2).unwrap(), V5_CIPHER2);
    assert_eq!(c.decrypt(V5_CIPHER).unwrap(), V5_MSG);
    assert_eq!(c.decrypt(V5_CIPHER2).unwrap(), V5_MSG2);
}

#[test]
fn v6_compatible_mode_body_decrypts_through_the_server() {
    let server = CallbackServer::builder(V6_TOKEN)
        .encoding_aes_key(V5_KEY)
        .app_id(V6_APPID)
        .build()
        .unwrap();
    let q = query(&[
        ("timestamp", "1409735669"),
        ("nonce", "1320562132"),
        ("encrypt_type", "aes"),
        ("msg_signature", "5d197aaffba7e9b25a30732f161a50dee96bd5fa"),
    ]);
    let push = server.open(&q, V6_BODY.as_bytes()).unwrap();
    assert!(push.was_encrypted());
    assert_eq!(push.incoming.from_user_name, "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    assert_eq!(push.incoming.create_time, 1409735668);
    match &push.incoming.message {
        Message::Text(t) => {
            assert_eq!(t.content, "abcdteT");
            assert_eq!(t.msg_id, 6054768590064713728);
        }
        other => panic!("expected text, got {other:?}"),
    }
    let encrypt = V6_BODY
        .split("<Encrypt><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .unwrap();
    assert_eq!(crypto(V5_KEY, V6_APPID).decrypt(encrypt).unwrap(), V6_PLAIN);
}

#[test]
fn v6_wrong_app_id_is_a_typed_error_naming_the_found_id() {
    let encrypt = V6_BODY
        .split("<Encrypt><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .unwrap();
    assert_eq!(
        crypto(V5_KEY, "wx0000000000000000").decrypt(encrypt),
        Err(CallbackError::WrongAppId {
            found: V6_APPID.to_owned()
        })
    );
}

#[test]
fn v7_safe_mode_body_decrypts_through_the_server() {
    let server = CallbackServer::builder(V6_TOKEN)
        .encoding_aes_key(V5_KEY)
        .app_id(V6_APPID)
        .build()
        .unwrap();
    let body =
        format!("<xml><ToUserName><![CDATA[toUser]]></ToUserName><Encrypt><![CDATA[{V7_ENCRYPT}]]></Encrypt></xml>");
    let q = query(&[
        ("timestamp", "1410349438"),
        ("nonce", "298025754"),
        ("encrypt_type", "aes"),
        ("msg_signature", "003fee52ecc56afb46c00b5c7721be87860ce785"),
    ]);
    let push = server.open(&q, body.as_bytes()).unwrap();
    assert_eq!(push.incoming.msg_id(), Some(6057404712141979648));
    assert_eq!(push.incoming.create_time, 1410349438);
}

#[test]
fn v9_encrypted_reply_envelope_is_byte_exact() {
    let reply = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
    let expected = "<xml>\n<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>\n<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>";
    let c = crypto(V9_KEY, V9_CORP);
    let got = c
        .encrypt_envelope_with_random(b"1234567890123456", V9_TOKEN, reply, 1411525903, "461056294")
        .unwrap();
    assert_eq!(got, expected);
}

#[test]
fn v9_echostr_and_message_decrypt() {
    let c = crypto(V9_KEY, V9_CORP);
    let echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
    signature::verify_msg_signature(
        V9_TOKEN,
        "1411443780",
        "437374425",
        echo,
        "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
    )
    .unwrap();
    assert_eq!(
        signature::verify_msg_signature(
            V9_TOKEN,
            "1411443780",
            "437374424",
            echo,
            "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
        ),
        Err(CallbackError::BadSignature)
    );
    assert_eq!(c.decrypt(echo).unwrap(), "5927782489442352469");

    let server = CallbackServer::builder(V9_TOKEN)
        .encoding_aes_key(V9_KEY)
        .app_id(V9_CORP)
        .build()
        .unwrap();
    let body = "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=]]></Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>";
    let q = query(&[
        ("timestamp", "1411525903"),
        ("nonce", "461056294"),
        ("encrypt_type", "aes"),
        ("msg_signature", "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"),
    ]);
    let push = server.open(&q, body.as_bytes()).unwrap();
    assert_eq!(push.incoming.from_user_name, "messense");
    assert!(
        matches!(&push.incoming.message, Message::Text(t) if t.content == "test" && t.msg_id == 4363689963896700987)
    );
}

#[test]
fn v10_wecom_sample_vectors() {
    let c = crypto(V10_KEY, V10_CORP);
    let echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    signature::verify_msg_signature(
        V10_TOKEN,
        "1409659589",
        "263014780",
        echo,
        "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    )
    .unwrap();
    assert_eq!(c.decrypt(echo).unwrap(), "1616140317555161061");

    let server = CallbackServer::builder(V10_TOKEN)
        .encoding_aes_key(V10_KEY)
        .app_id(V10_CORP)
        .build()
        .unwrap();
    let body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt></xml>";
    let q = query(&[
        ("timestamp", "1409659813"),
        ("nonce", "1372623149"),
        ("encrypt_type", "aes"),
        ("msg_signature", "477715d11cdb4164915debcba66cb864d751f3e6"),
    ]);
    let push = server.open(&q, body.as_bytes()).unwrap();
    assert_eq!(push.incoming.from_user_name, "mycreate");
    assert!(matches!(&push.incoming.message, Message::Text(t) if t.content == "hello"));
}

#[test]
fn v1_url_verification_echoes_echostr() {
    let server = CallbackServer::builder("AAAAA").build().unwrap();
    let q = CallbackQuery::parse(
        "?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&echostr=4375120948345356249&timestamp=1714036504&nonce=1514711492",
    );
    assert_eq!(server.handle(&q, b"").unwrap(), "4375120948345356249");
    let forged = CallbackQuery::parse(
        "signature=f464b24fc39322e44b38aa78f5edd27bd1441697&echostr=1&timestamp=1714036504&nonce=1514711492",
    );
    assert_eq!(server.handle(&forged, b""), Err(CallbackError::BadSignature));
    let missing = CallbackQuery::parse("echostr=1&timestamp=1714036504&nonce=1514711492");
    assert_eq!(
        server.verify_url(&missing),
        Err(CallbackError::MissingParameter("signature"))
    );
}

#[test]
fn key_validation() {
    assert_eq!(EncodingAesKey::new("short"), Err(CallbackError::BadKey));
    assert_eq!(EncodingAesKey::new(&"A".repeat(44)), Err(CallbackError::BadKey));
    assert_eq!(
        EncodingAesKey::new(&format!("{}+", "A".repeat(42))),
        Err(CallbackError::BadKey)
    );
    assert_eq!(
        EncodingAesKey::new(&format!("{}é", "A".repeat(41))),
        Err(CallbackError::BadKey)
    );
    // 43 × 'A' decodes to 32 zero bytes: the official third-party example key.
    assert!(EncodingAesKey::new(&"A".repeat(43)).is_ok());
    assert!(
        CallbackServer::builder("t").encoding_aes_key(V5_KEY).build().is_err(),
        "key without app id"
    );
    assert!(CallbackServer::builder("").build().is_err(), "empty token");
}

// ---------------------------------------------------------------------------------------
// Cipher failure modes, each its own error

#[test]
fn decrypt_failures_are_typed() {
    let c = crypto(V5_KEY, V5_APPID);
    assert_eq!(c.decrypt("not base64!"), Err(CallbackError::BadBase64));
    assert_eq!(c.decrypt(""), Err(CallbackError::BadCiphertextLength(0)));
    assert_eq!(c.decrypt("AAAA"), Err(CallbackError::BadCiphertextLength(3)));
    // A valid ciphertext under another key decrypts to noise: its padding is rejected, or
    // (rarely) its length field or app id.
    let other = crypto(&"B".repeat(43), V5_APPID);
    let err = other.decrypt(V5_CIPHER).unwrap_err();
    assert!(
        matches!(
            err,
            CallbackError::BadPadding | CallbackError::LengthOutOfRange | CallbackError::WrongAppId { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn round_trips_for_many_lengths_and_fresh_prefixes() {
    let c = crypto(V5_KEY, V5_APPID);
    for len in 0..200 {
        let msg: String = "我a]]>".chars().cycle().take(len).collect();
        let a = c.encrypt(&msg).unwrap();
        let b = c.encrypt(&msg).unwrap();
        assert_ne!(a, b, "a fresh random prefix each time");
        assert_eq!(c.decrypt(&a).unwrap(), msg);
        assert_eq!(c.decrypt(&b).unwrap(), msg);
    }
}

// ---------------------------------------------------------------------------------------
// Every message and event sample (protocol.md section 4.2)

fn parse(name: &str) -> Incoming {
    Incoming::parse(sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn event(name: &str) -> Event {
    match parse(name).message {
        Message::Event(e) => e,
        other => panic!("{name}: expected an event, got {other:?}"),
    }
}

#[test]
fn every_sample_parses_to_a_known_variant() {
    for (name, xml) in SAMPLES {
        let incoming = Incoming::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !incoming.to_user_name.is_empty() && !incoming.from_user_name.is_empty(),
            "{name}"
        );
        match &incoming.message {
            Message::Unknown(u) => panic!("{name} fell through to Unknown({})", u.msg_type),
            Message::Event(Event::Unknown(u)) => {
                panic!("{name} fell through to Event::Unknown({})", u.event)
            }
            Message::Event(e) => {
                let expected = if *name == "subscribe_qr" { "subscribe" } else { name };
                assert_eq!(e.name(), expected);
            }
            _ => {}
        }
    }
}

#[test]
fn user_messages() {
    let t = parse("text");
    assert_eq!(
        (t.to_user_name.as_str(), t.from_user_name.as_str(), t.create_time),
        ("toUser", "fromUser", 1348831860)
    );
    let Message::Text(text) = t.message else { panic!() };
    assert_eq!(
        (text.content.as_str(), text.msg_id, text.biz_msg_menu_id),
        ("this is a test", 1234567890123456, None)
    );

    let Message::Image(m) = parse("image").message else {
        panic!("image")
    };
    assert_eq!(
        (m.pic_url.as_str(), m.media_id.as_str(), m.msg_id),
        ("this is a url", "media_id", 1234567890123456)
    );

    let Message::Voice(m) = parse("voice").message else {
        panic!("voice")
    };
    assert_eq!(
        (m.media_id.as_str(), m.format.as_str(), m.recognition.as_deref()),
        ("media_id", "Format", Some("Meow~"))
    );

    let Message::Video(m) = parse("video").message else {
        panic!("video")
    };
    assert_eq!(
        (m.media_id.as_str(), m.thumb_media_id.as_str()),
        ("media_id", "thumb_media_id")
    );

    let Message::ShortVideo(m) = parse("shortvideo").message else {
        panic!("shortvideo")
    };
    assert_eq!(
        (m.media_id.as_str(), m.thumb_media_id.as_str(), m.msg_id),
        ("media_id", "thumb_media_id", 1234567890123456)
    );

    let Message::Location(m) = parse("location").message else {
        panic!("location")
    };
    assert_eq!(
        (m.location_x, m.location_y, m.scale, m.label.as_deref()),
        (23.134521, 113.358803, 20.0, Some("位置信息"))
    );

    let Message::Link(m) = parse("link").message else {
        panic!("link")
    };
    assert_eq!(
        (m.title.as_str(), m.description.as_deref(), m.url.as_str()),
        ("公众平台官网链接", Some("公众平台官网链接"), "url")
    );

    let Message::MiniProgramPage(m) = Incoming::parse(MINIPROGRAMPAGE).unwrap().message else {
        panic!("miniprogrampage")
    };
    assert_eq!(
        (m.app_id.as_str(), m.page_path.as_deref(), m.msg_id),
        ("wx1234567890abcdef", Some("pages/index/index"), Some(1234567890123456))
    );
}

#[test]
fn subscription_menu_and_location_events() {
    let Event::Subscribe(s) = event("subscribe") else {
        panic!()
    };
    assert_eq!((s.event_key, s.ticket), (None, None));
    let Event::Subscribe(s) = event("subscribe_qr") else {
        panic!()
    };
    assert_eq!((s.qr_scene(), s.ticket.as_deref()), (Some("123123"), Some("TICKET")));
    assert_eq!(event("unsubscribe"), Event::Unsubscribe);
    let Event::Scan(s) = event("SCAN") else { panic!() };
    assert_eq!((s.event_key.as_str(), s.ticket.as_deref()), ("123123", Some("TICKET")));
    let Event::Location(l) = event("LOCATION") else {
        panic!()
    };
    assert_eq!(
        (l.latitude, l.longitude, l.precision),
        (23.137466, 113.352425, Some(119.385040))
    );
    let Event::Click(c) = event("CLICK") else { panic!() };
    assert_eq!(c.event_key, "EVENTKEY");
    let Event::View(v) = event("VIEW") else { panic!() };
    assert_eq!((v.event_key.as_str(), v.menu_id), ("www.qq.com", None));
    let Event::ViewMiniprogram(v) = event("view_miniprogram") else {
        panic!()
    };
    assert_eq!(
        (v.event_key.as_str(), v.menu_id.as_deref()),
        ("pages/index/index", Some("MENUID"))
    );

    let Event::ScancodePush(s) = event("scancode_push") else {
        panic!()
    };
    assert_eq!(
        (
            s.event_key.as_str(),
            s.scan_code_info.scan_type.as_str(),
            s.scan_code_info.scan_result.as_str()
        ),
        ("6", "qrcode", "1")
    );
    let Event::ScancodeWaitmsg(s) = event("scancode_waitmsg") else {
        panic!()
    };
    assert_eq!(s.scan_code_info.scan_result, "2");
    let Event::PicSysphoto(p) = event("pic_sysphoto") else {
        panic!()
    };
    assert_eq!(
        (p.send_pics_info.count, p.send_pics_info.pic_md5_sums.as_slice()),
        (1, &["1b5f7c23b5bf75682a53e7b6d163e185".to_owned()][..])
    );
    let Event::PicPhotoOrAlbum(p) = event("pic_photo_or_album") else {
        panic!()
    };
    assert_eq!(p.send_pics_info.pic_md5_sums, ["5a75aaca956d97be686719218f275c6b"]);
    let Event::PicWeixin(p) = event("pic_weixin") else {
        panic!()
    };
    assert_eq!(p.send_pics_info.pic_md5_sums, ["5a75aaca956d97be686719218f275c6b"]);
    let Event::LocationSelect(l) = event("location_select") else {
        panic!()
    };
    let i = &l.send_location_info;
    assert_eq!(
        (
            i.location_x,
            i.location_y,
            i.scale,
            i.label.as_deref(),
            i.poiname.as_deref()
        ),
        (23.0, 113.0, Some(15.0), Some("广州市海珠区客村艺苑路 106号"), None)
    );
}

#[test]
fn job_kf_and_subscribe_message_events() {
    let Event::TemplateSendJobFinish(t) = event("TEMPLATESENDJOBFINISH") else {
        panic!()
    };
    assert_eq!((t.msg_id, t.status.as_str()), (200163836, "success"));

    let Event::MassSendJobFinish(m) = event("MASSSENDJOBFINISH") else {
        panic!()
    };
    assert_eq!(
        (m.msg_id, m.status.as_str(), m.total_count, m.sent_count),
        (1000001625, "err(30003)", Some(0), Some(0))
    );
    let c = m.copyright_check_result.expect("copyright result");
    assert_eq!((c.count, c.check_state, c.result_list.len()), (Some(2), Some(2), 2));
    assert_eq!(
        (
            c.result_list[1].article_idx,
            c.result_list[1].original_article_url.as_deref(),
            c.result_list[1].can_reprint
        ),
        (2, Some("Url_2"), true)
    );
    let a = m.article_url_result.expect("article urls");
    assert_eq!((a.result_list.len(), a.result_list[0].article_url.as_str()), (1, "Url"));

    let Event::KfCreateSession(k) = event("kf_create_session") else {
        panic!()
    };
    assert_eq!(k.kf_account, "test1@test");
    let Event::KfCloseSession(k) = event("kf_close_session") else {
        panic!()
    };
    assert_eq!(k.kf_account, "test1@test");
    let Event::KfSwitchSession(k) = event("kf_switch_session") else {
        panic!()
    };
    assert_eq!(
        (k.from_kf_account.as_str(), k.to_kf_account.as_str()),
        ("test1@test", "test2@test")
    );

    let Event::SubscribeMsgPopup(p) = event("subscribe_msg_popup_event") else {
        panic!()
    };
    let got: Vec<_> = p
        .items
        .iter()
        .map(|i| {
            (
                i.template_id.as_str(),
                i.subscribe_status_string.as_str(),
                i.popup_scene,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "accept", Some(2)),
            ("9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI", "reject", Some(2))
        ]
    );
    let Event::SubscribeMsgChange(c) = event("subscribe_msg_change_event") else {
        panic!()
    };
    assert_eq!(
        (c.items.len(), c.items[0].subscribe_status_string.as_str()),
        (1, "reject")
    );
    let Event::SubscribeMsgSent(s) = event("subscribe_msg_sent_event") else {
        panic!()
    };
    assert_eq!(
        (
            s.items[0].msg_id,
            s.items[0].error_code,
            s.items[0].error_status.as_deref()
        ),
        (1700827132819554304, 0, Some("success"))
    );
}

#[test]
fn card_events_with_whitespace_around_cdata() {
    let Event::CardPassCheck(c) = event("card_pass_check") else {
        panic!()
    };
    assert_eq!(
        (c.card_id.as_str(), c.refuse_reason.as_deref()),
        ("cardid", Some("非法代制"))
    );
    let Event::CardNotPassCheck(c) = event("card_not_pass_check") else {
        panic!()
    };
    assert_eq!(c.refuse_reason.as_deref(), Some("非法代制"));

    let get = parse("user_get_card");
    assert_eq!(get.to_user_name, "gh_fc0a06a20993", "spaces around CDATA are trimmed");
    let Message::Event(Event::UserGetCard(g)) = get.message else {
        panic!()
    };
    assert_eq!(g.card_id, "pZI8Fjwsy5fVPRBeD78J4RmqVvBc");
    assert_eq!(
        (
            g.user_card_code.as_str(),
            g.friend_user_name,
            g.outer_id,
            g.outer_str.as_deref()
        ),
        ("226009850808", None, Some(0), Some("12b"))
    );
    assert!(!g.is_give_by_friend && !g.is_restore_member_card && !g.is_recommend_by_friend);

    let Event::UserGiftingCard(g) = event("user_gifting_card") else {
        panic!()
    };
    assert_eq!(
        (g.friend_user_name.as_deref(), g.is_return_back, g.is_chat_room),
        (Some("obLatjlNerkb62HtSdQUx66C4NTU"), false, false)
    );
    let Event::UserDelCard(c) = event("user_del_card") else {
        panic!()
    };
    assert_eq!(c.user_card_code, "12312312");
    let Event::UserConsumeCard(c) = event("user_consume_card") else {
        panic!()
    };
    assert_eq!(
        (
            c.consume_source.as_deref(),
            c.location_name,
            c.staff_open_id.as_deref(),
            c.outer_str.as_deref()
        ),
        (Some("FROM_API"), None, Some("oZ********nJ3bPJu_Rtjkw4c"), Some("xxxxx"))
    );
    let Event::UserPayFromPayCell(p) = event("user_pay_from_pay_cell") else {
        panic!()
    };
    assert_eq!(
        (p.trans_id.as_str(), p.location_id, p.fee, p.original_fee),
        ("10022403432015000000000", Some(291710000), 10000, Some(10000))
    );
    let Event::UserViewCard(v) = event("user_view_card") else {
        panic!()
    };
    assert_eq!(
        (v.user_card_code.as_str(), v.outer_str.as_deref()),
        ("4xxxxxxxx8558", Some("12b"))
    );
    let Event::UserEnterSessionFromCard(c) = event("user_enter_session_from_card") else {
        panic!()
    };
    assert_eq!(c.card_id, "cardid");
    let Event::UpdateMemberCard(u) = event("update_member_card") else {
        panic!()
    };
    assert_eq!((u.modify_bonus, u.modify_balance), (Some(3), Some(0)));
    let Event::CardSkuRemind(s) = event("card_sku_remind") else {
        panic!()
    };
    assert_eq!(s.detail.as_deref(), Some("the card's quantity is equal to 0"));
    let Event::CardPayOrder(o) = event("card_pay_order") else {
        panic!()
    };
    assert_eq!(
        (
            o.order_id.as_str(),
            o.status.as_str(),
            o.free_coin_count,
            o.desc,
            o.memo.as_deref()
        ),
        (
            "404091456",
            "ORDER_STATUS_FINANCE_SUCC",
            Some(200),
            None,
            Some("开通账户奖励")
        )
    );
    let Event::SubmitMembercardUserInfo(c) = event("submit_membercard_user_info") else {
        panic!()
    };
    assert_eq!(c.user_card_code, "018255396048");
}

#[test]
fn unknown_types_keep_the_raw_xml() {
    let xml = "<xml><ToUserName><![CDATA[a]]></ToUserName><FromUserName><![CDATA[b]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[hologram]]></MsgType><Depth>3</Depth></xml>";
    let Message::Unknown(u) = Incoming::parse(xml).unwrap().message else {
        panic!()
    };
    assert_eq!((u.msg_type.as_str(), u.raw.as_str()), ("hologram", xml));

    let xml = "<xml><ToUserName><![CDATA[a]]></ToUserName><FromUserName><![CDATA[b]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[HOLOGRAMJOBFINISH]]></Event><HologramInfo><id>1</id></HologramInfo></xml>";
    let Some(Event::Unknown(u)) = Incoming::parse(xml).unwrap().event().cloned() else {
        panic!()
    };
    assert_eq!((u.event.as_str(), u.raw.as_str()), ("HOLOGRAMJOBFINISH", xml));
}

#[test]
fn bad_xml_and_missing_fields_are_bad_xml() {
    for xml in [
        "",
        "<xml>",
        "not xml",
        "<xml><ToUserName>a</ToUserName></xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>x</CreateTime><MsgType>text</MsgType></xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><MsgId>1</MsgId></xml>",
        "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>CLICK</Event></xml>",
    ] {
        assert!(matches!(Incoming::parse(xml), Err(CallbackError::BadXml(_))), "{xml:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Replies (protocol.md section 5)

#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ReplyXml {
    to_user_name: String,
    from_user_name: String,
    create_time: i64,
    msg_type: String,
    content: Option<String>,
    image: Option<Media>,
    voice: Option<Media>,
    video: Option<VideoXml>,
    music: Option<MusicXml>,
    article_count: Option<u32>,
    articles: Option<Articles>,
    trans_info: Option<TransInfo>,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Media {
    media_id: String,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VideoXml {
    media_id: String,
    title: Option<String>,
    description: Option<String>,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MusicXml {
    title: Option<String>,
    description: Option<String>,
    thumb_media_id: String,
    music_url: Option<String>,
    #[serde(rename = "HQMusicUrl")]
    hq_music_url: Option<String>,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
struct Articles {
    item: Vec<ArticleXml>,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ArticleXml {
    title: String,
    description: Option<String>,
    pic_url: Option<String>,
    url: String,
}
#[derive(Debug, PartialEq, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TransInfo {
    kf_account: String,
}

fn read(xml: &str) -> ReplyXml {
    quick_xml::de::from_str(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

#[test]
fn text_image_voice_and_transfer_replies_match_wxjava_byte_for_byte() {
    assert_eq!(
        Reply::text("content").to_xml("to", "from", 1122),
        "<xml><ToUserName><![CDATA[to]]></ToUserName><FromUserName><![CDATA[from]]></FromUserName><CreateTime>1122</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[content]]></Content></xml>"
    );
    assert!(Reply::image("ddfefesfsdfef").to_xml("to", "from", 1122).ends_with(
        "<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[ddfefesfsdfef]]></MediaId></Image></xml>"
    ));
    assert!(Reply::voice("ddfefesfsdfef").to_xml("to", "from", 1122).ends_with(
        "<MsgType><![CDATA[voice]]></MsgType><Voice><MediaId><![CDATA[ddfefesfsdfef]]></MediaId></Voice></xml>"
    ));
    assert_eq!(
        Reply::transfer_customer_service().to_xml("touser", "fromuser", 1399197672),
        "<xml><ToUserName><![CDATA[touser]]></ToUserName><FromUserName><![CDATA[fromuser]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>"
    );
    assert_eq!(
        Reply::transfer_to("test1@test").to_xml("touser", "fromuser", 1399197672),
        "<xml><ToUserName><![CDATA[touser]]></ToUserName><FromUserName><![CDATA[fromuser]]></FromUserName><CreateTime>1399197672</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[test1@test]]></KfAccount></TransInfo></xml>"
    );
}

#[test]
fn video_music_and_news_replies_carry_the_same_fields_as_wxjava() {
    let video = Reply::from(VideoReply::new("media_id").title("title").description("ddfff")).to_xml("to", "from", 1122);
    let expected = "<xml><ToUserName><![CDATA[to]]></ToUserName><FromUserName><![CDATA[from]]></FromUserName><CreateTime>1122</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[media_id]]></MediaId><Title><![CDATA[title]]></Title><Description><![CDATA[ddfff]]></Description></Video> </xml>";
    assert_eq!(read(&video), read(expected));

    let music = Reply::from(
        MusicReply::new("thumbMediaId")
            .title("title")
            .description("ddfff")
            .music_url("musicUrl")
            .hq_music_url("hQMusicUrl"),
    )
    .to_xml("toUser", "fromUser", 1122);
    let expected = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1122</CreateTime><MsgType><![CDATA[music]]></MsgType><Music>        <Title><![CDATA[title]]></Title>        <Description><![CDATA[ddfff]]></Description>        <ThumbMediaId><![CDATA[thumbMediaId]]></ThumbMediaId>        <MusicUrl><![CDATA[musicUrl]]></MusicUrl>        <HQMusicUrl><![CDATA[hQMusicUrl]]></HQMusicUrl>    </Music></xml>";
    assert_eq!(read(&music), read(expected));

    let article = Article::new("title", "url")
        .description("description")
        .pic_url("picUrl");
    let news = Reply::news(vec![article.clone(), article])
        .unwrap()
        .to_xml("toUser", "fromUser", 1122);
    let expected = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1122</CreateTime><MsgType><![CDATA[news]]></MsgType>    <ArticleCount>2</ArticleCount>    <Articles>        <item>            <Title><![CDATA[title]]></Title>            <Description><![CDATA[description]]></Description>            <PicUrl><![CDATA[picUrl]]></PicUrl>            <Url><![CDATA[url]]></Url>        </item>        <item>            <Title><![CDATA[title]]></Title>            <Description><![CDATA[description]]></Description>            <PicUrl><![CDATA[picUrl]]></PicUrl>            <Url><![CDATA[url]]></Url>        </item>    </Articles></xml>";
    assert_eq!(read(&news), read(expected));

    let bare = read(&Reply::video("m").to_xml("a", "b", 1));
    assert_eq!(
        bare.video,
        Some(VideoXml {
            media_id: "m".into(),
            title: None,
            description: None
        })
    );
}

#[test]
fn news_article_count_is_bounded() {
    assert_eq!(
        Reply::news(vec![]),
        Err(CallbackError::InvalidReply("a news reply needs at least one article"))
    );
    let eight = vec![Article::new("t", "u"); MAX_NEWS_ARTICLES];
    assert!(Reply::news(eight.clone()).is_ok());
    let mut nine = eight;
    nine.push(Article::new("t", "u"));
    assert!(matches!(Reply::news(nine), Err(CallbackError::InvalidReply(_))));
}

#[test]
fn cdata_terminator_in_content_cannot_break_out() {
    let evil = "a]]></Content><MsgType>image</MsgType><Content><![CDATA[b]]>]]>";
    let xml = Reply::text(evil).to_xml("to", "from", 1);
    assert!(xml.contains("<![CDATA[a]]]]><![CDATA[>"), "{xml}");
    let parsed = read(&xml);
    assert_eq!(parsed.content.as_deref(), Some(evil));
    assert_eq!(parsed.msg_type, "text");
    // Control characters XML 1.0 cannot carry are dropped rather than breaking the document.
    assert_eq!(
        read(&Reply::text("a\u{0}b\u{1b}c").to_xml("t", "f", 1))
            .content
            .as_deref(),
        Some("abc")
    );
}

#[test]
fn reply_is_addressed_back_to_the_sender() {
    let incoming = parse("text");
    let r = read(&Reply::text("hi").to_xml_for(&incoming, 5));
    assert_eq!(
        (r.to_user_name.as_str(), r.from_user_name.as_str(), r.create_time),
        ("fromUser", "toUser", 5)
    );
}

// ---------------------------------------------------------------------------------------
// The server core

const TOKEN: &str = "t0ken-SECRET-value";
const APP_ID: &str = "wx1111222233334444";
const NOW: i64 = 1_700_000_000;

fn echo_handler(incoming: &Incoming) -> Option<Reply> {
    match &incoming.message {
        Message::Text(t) => Some(Reply::text(format!("echo: {}", t.content))),
        _ => None,
    }
}

/// The query of a plain-mode push; its signature does not cover the body (WeChat's design).
fn plain_push(_xml: &str, timestamp: i64, nonce: &str) -> CallbackQuery {
    let ts = timestamp.to_string();
    let sig = sign(&[TOKEN, &ts, nonce]);
    query(&[
        ("signature", &sig),
        ("timestamp", &ts),
        ("nonce", nonce),
        ("openid", "o1"),
    ])
}

fn safe_push(c: &MessageCrypto, xml: &str, timestamp: i64, nonce: &str) -> (CallbackQuery, String) {
    let ts = timestamp.to_string();
    let encrypt = c.encrypt(xml).unwrap();
    let sig = sign(&[TOKEN, &ts, nonce, &encrypt]);
    let body = format!("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    let plain_sig = sign(&[TOKEN, &ts, nonce]);
    (
        query(&[
            ("signature", &plain_sig),
            ("timestamp", &ts),
            ("nonce", nonce),
            ("encrypt_type", "aes"),
            ("msg_signature", &sig),
        ]),
        body,
    )
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EnvelopeXml {
    encrypt: String,
    msg_signature: String,
    time_stamp: i64,
    nonce: String,
}

#[test]
fn plain_mode_text_is_echoed_and_events_get_success() {
    let server = CallbackServer::builder(TOKEN).handler(echo_handler).build().unwrap();
    let out = server
        .handle_at(&plain_push(sample("text"), NOW, "n1"), sample("text").as_bytes(), NOW)
        .unwrap();
    let r = read(&out);
    assert_eq!(
        (r.to_user_name.as_str(), r.from_user_name.as_str(), r.content.as_deref()),
        ("fromUser", "toUser", Some("echo: this is a test"))
    );
    assert_eq!(
        server
            .handle_at(&plain_push(sample("CLICK"), NOW, "n2"), sample("CLICK").as_bytes(), NOW)
            .unwrap(),
        SUCCESS
    );

    let mut forged = plain_push(sample("text"), NOW, "n1");
    forged.nonce = Some("n2".into());
    assert_eq!(
        server.handle_at(&forged, sample("text").as_bytes(), NOW),
        Err(CallbackError::BadSignature)
    );
    let mut missing = plain_push(sample("text"), NOW, "n1");
    missing.signature = None;
    assert_eq!(
        server.handle_at(&missing, sample("text").as_bytes(), NOW),
        Err(CallbackError::MissingParameter("signature"))
    );
    assert_eq!(
        server.handle_at(&plain_push("x", NOW, "n"), &[0xff, 0xfe], NOW),
        Err(CallbackError::NotUtf8)
    );
}

#[test]
fn safe_mode_full_cycle_encrypts_the_reply() {
    let key = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    let server = CallbackServer::builder(TOKEN)
        .encoding_aes_key(key)
        .app_id(APP_ID)
        .handler(echo_handler)
        .build()
        .unwrap();
    let c = crypto(key, APP_ID);
    let (q, body) = safe_push(&c, sample("text"), NOW, "nonce]]>1");
    let out = server.handle_at(&q, body.as_bytes(), NOW).unwrap();

    let env: EnvelopeXml = quick_xml::de::from_str(&out).unwrap();
    assert_eq!(
        (env.time_stamp, env.nonce.as_str()),
        (NOW, "nonce]]>1"),
        "nonce echoed, CDATA-safe"
    );
    assert_eq!(
        env.msg_signature,
        sign(&[TOKEN, &NOW.to_string(), "nonce]]>1", &env.encrypt])
    );
    let reply = read(&c.decrypt(&env.encrypt).unwrap());
    assert_eq!(
        (reply.to_user_name.as_str(), reply.content.as_deref()),
        ("fromUser", Some("echo: this is a test"))
    );

    // No reply: plain `success`, never encrypted.
    let (q, body) = safe_push(&c, sample("subscribe"), NOW, "n2");
    assert_eq!(server.handle_at(&q, body.as_bytes(), NOW).unwrap(), SUCCESS);
}

#[test]
fn safe_mode_rejections() {
    let key = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    let server = CallbackServer::builder(TOKEN)
        .encoding_aes_key(key)
        .app_id(APP_ID)
        .handler(echo_handler)
        .build()
        .unwrap();
    let c = crypto(key, APP_ID);

    // A plaintext push cannot bypass a configured key ...
    assert_eq!(
        server.handle_at(&plain_push(sample("text"), NOW, "n"), sample("text").as_bytes(), NOW),
        Err(CallbackError::EncryptionRequired)
    );
    // ... unless the operator says so.
    let lenient = CallbackServer::builder(TOKEN)
        .encoding_aes_key(key)
        .app_id(APP_ID)
        .accept_plain(true)
        .build()
        .unwrap();
    assert_eq!(
        lenient
            .handle_at(&plain_push(sample("text"), NOW, "n"), sample("text").as_bytes(), NOW)
            .unwrap(),
        SUCCESS
    );

    // A tampered ciphertext fails the signature before it reaches the decryptor.
    let (q, body) = safe_push(&c, sample("text"), NOW, "n");
    let tampered = body.replacen("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A", 1);
    assert_eq!(
        server.handle_at(&q, tampered.as_bytes(), NOW),
        Err(CallbackError::BadSignature)
    );
    let mut no_sig = q.clone();
    no_sig.msg_signature = None;
    assert_eq!(
        server.handle_at(&no_sig, body.as_bytes(), NOW),
        Err(CallbackError::MissingParameter("msg_signature"))
    );
    assert!(matches!(
        server.handle_at(&q, b"<xml><ToUserName>x</ToUserName></xml>", NOW),
        Err(CallbackError::BadXml(_))
    ));

    // Another account's message, correctly signed with our token, fails the app-id check.
    let other = crypto(key, "wx9999999999999999");
    let (q, body) = safe_push(&other, sample("text"), NOW, "n");
    assert_eq!(
        server.handle_at(&q, body.as_bytes(), NOW),
        Err(CallbackError::WrongAppId {
            found: "wx9999999999999999".into()
        })
    );

    // Encrypted push, no key configured.
    let plain_only = CallbackServer::builder(TOKEN).build().unwrap();
    let (q, body) = safe_push(&c, sample("text"), NOW, "n");
    assert_eq!(
        plain_only.handle_at(&q, body.as_bytes(), NOW),
        Err(CallbackError::MissingAesKey)
    );
}

#[test]
fn replay_window_and_deduplication() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let server = CallbackServer::builder(TOKEN)
        .replay_protection(
            ReplayConfig::default()
                .window(Some(Duration::from_secs(60)))
                .capacity(2),
        )
        .handler(move |i: &Incoming| {
            counter.fetch_add(1, Ordering::SeqCst);
            echo_handler(i)
        })
        .build()
        .unwrap();
    let text = sample("text");
    let first = server
        .handle_at(&plain_push(text, NOW, "a"), text.as_bytes(), NOW)
        .unwrap();
    assert!(first.contains("echo: this is a test"));
    // WeChat's retry (same MsgId, new nonce) is answered success without a second call.
    assert_eq!(
        server
            .handle_at(&plain_push(text, NOW + 5, "b"), text.as_bytes(), NOW + 5)
            .unwrap(),
        SUCCESS
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let q = plain_push(text, NOW + 5, "c");
    assert!(server.open_at(&q, text.as_bytes(), NOW + 5).unwrap_err().is_duplicate());

    // Events are keyed by sender, time and name; a different event in the same second is new.
    assert_eq!(
        server
            .handle_at(&plain_push(sample("CLICK"), NOW, "d"), sample("CLICK").as_bytes(), NOW)
            .unwrap(),
        SUCCESS
    );
    assert_eq!(
        server
            .handle_at(&plain_push(sample("VIEW"), NOW, "e"), sample("VIEW").as_bytes(), NOW)
            .unwrap(),
        SUCCESS
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // Capacity 2: the text message has been forgotten, so it is handled again.
    assert!(
        server
            .handle_at(&plain_push(text, NOW, "f"), text.as_bytes(), NOW)
            .unwrap()
            .contains("echo")
    );
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    // Outside the window, either side.
    assert_eq!(
        server.handle_at(
            &plain_push(sample("image"), NOW - 61, "g"),
            sample("image").as_bytes(),
            NOW
        ),
        Err(CallbackError::StaleTimestamp {
            timestamp: NOW - 61,
            now: NOW,
            window_secs: 60
        })
    );
    assert!(matches!(
        server.handle_at(
            &plain_push(sample("image"), NOW + 61, "h"),
            sample("image").as_bytes(),
            NOW
        ),
        Err(CallbackError::StaleTimestamp { .. })
    ));
    let ts = "12abc";
    let sig = sign(&[TOKEN, ts, "n"]);
    assert_eq!(
        server.handle_at(
            &query(&[("signature", &sig), ("timestamp", ts), ("nonce", "n")]),
            text.as_bytes(),
            NOW
        ),
        Err(CallbackError::BadTimestamp)
    );
}

#[test]
fn guard_memory_stays_bounded() {
    let guard = ReplayGuard::new(ReplayConfig::default().capacity(16));
    let template = sample("text");
    for id in 0..1000u64 {
        let xml = template.replace("1234567890123456", &id.to_string());
        guard.check_duplicate(&Incoming::parse(&xml).unwrap()).unwrap();
        assert!(guard.remembered() <= 16);
    }
    assert_eq!(guard.remembered(), 16);
    assert!(
        guard.check_timestamp("0", i64::MAX).is_err(),
        "no overflow on extreme clocks"
    );
    assert!(guard.check_timestamp(&i64::MIN.to_string(), i64::MAX).is_err());
}

#[test]
fn async_style_open_then_respond() {
    let server = CallbackServer::builder(TOKEN).build().unwrap();
    let push = server
        .open_at(&plain_push(sample("text"), NOW, "n"), sample("text").as_bytes(), NOW)
        .unwrap();
    assert!(!push.was_encrypted());
    let out = server.respond_at(&push, Some(&Reply::text("later")), NOW).unwrap();
    assert_eq!(read(&out).content.as_deref(), Some("later"));
    assert_eq!(server.respond_at(&push, None, NOW).unwrap(), SUCCESS);
}

#[test]
fn query_parsing() {
    let q = CallbackQuery::parse(
        "?signature=abc&timestamp=1&nonce=2&nonce=3&echostr=a%2Bb+c%zz&openid=&x=y&encrypt_type=aes",
    );
    assert_eq!(q.signature.as_deref(), Some("abc"));
    assert_eq!(q.nonce.as_deref(), Some("2"), "first occurrence wins");
    assert_eq!(q.echostr.as_deref(), Some("a+b c%zz"));
    assert_eq!(q.openid.as_deref(), Some(""));
    assert_eq!(q.encrypt_type.as_deref(), Some("aes"));
    assert_eq!(CallbackQuery::parse(""), CallbackQuery::default());
}

#[test]
fn secrets_never_show_in_debug_or_errors() {
    let key = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    let builder = CallbackServer::builder(TOKEN).encoding_aes_key(key).app_id(APP_ID);
    let builder_dbg = format!("{builder:?}");
    let server = builder.build().unwrap();
    let parsed = EncodingAesKey::new(key).unwrap();
    let c = MessageCrypto::new(parsed.clone(), APP_ID);
    // The derived key's bytes as Debug would print them: "[211, 93, ...".
    let raw_key: Vec<u8> = {
        use base64::Engine;
        base64::engine::general_purpose::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::general_purpose::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
        )
        .decode(format!("{key}="))
        .unwrap()
    };
    let raw_dbg = format!("{:?}", &raw_key[..4]);
    let raw_prefix = raw_dbg.trim_end_matches(']');
    for text in [
        builder_dbg,
        format!("{server:?}"),
        format!("{parsed:?}"),
        format!("{c:?}"),
        CallbackError::BadKey.to_string(),
        format!("{:?}", EncodingAesKey::new("bad")),
    ] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
        assert!(!text.contains(key), "EncodingAESKey leaked: {text}");
        assert!(!text.contains(raw_prefix), "derived key leaked: {text}");
    }
    assert!(
        format!("{server:?}").contains(APP_ID),
        "non-secret configuration stays visible"
    );
}

#[test]
fn official_codes() {
    assert_eq!(CallbackError::BadSignature.official_code(), Some(-40001));
    assert_eq!(
        CallbackError::WrongAppId { found: String::new() }.official_code(),
        Some(-40005)
    );
    assert_eq!(CallbackError::BadBase64.official_code(), Some(-40010));
    assert_eq!(CallbackError::Duplicate.official_code(), None);
}
