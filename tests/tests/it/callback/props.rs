//! Property tests: every parsing and decryption entry point answers arbitrary input with a
//! value or a typed error, never a panic; encryption and CDATA round-trip.

use super::samples;

use aes::Aes256;
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use wechat_mp::callback::signature::sign;
use wechat_mp::callback::*;

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID: &str = "wxb11529c136998cb6";
const TOKEN: &str = "prop-token";

fn crypto() -> MessageCrypto {
    MessageCrypto::new(EncodingAesKey::new(KEY).unwrap(), APP_ID)
}

fn raw_key() -> [u8; 32] {
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::general_purpose::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    engine.decode(format!("{KEY}=")).unwrap().try_into().unwrap()
}

/// Encrypts arbitrary plaintext bytes (already a multiple of 16) the way WeChat would,
/// so the checks after the cipher see attacker-shaped buffers.
fn encrypt_raw(mut plain: Vec<u8>) -> String {
    let key = raw_key();
    let iv: [u8; 16] = key[..16].try_into().unwrap();
    let (blocks, rest) = aes::Block::slice_as_chunks_mut(&mut plain);
    assert!(rest.is_empty());
    cbc::Encryptor::<Aes256>::new(&key.into(), &iv.into()).encrypt_blocks(blocks);
    STANDARD.encode(plain)
}

fn server() -> CallbackServer {
    CallbackServer::builder(TOKEN)
        .encoding_aes_key(KEY)
        .app_id(APP_ID)
        .accept_plain(true)
        .replay_protection(ReplayConfig::default().capacity(64))
        .handler(|i: &Incoming| match &i.message {
            Message::Text(t) => Some(Reply::text(t.content.clone())),
            _ => Some(Reply::transfer_customer_service()),
        })
        .build()
        .unwrap()
}

const MSG_TYPES: &[&str] = &[
    "text",
    "image",
    "voice",
    "video",
    "shortvideo",
    "location",
    "link",
    "miniprogrampage",
    "event",
    "weird",
];
const EVENTS: &[&str] = &[
    "subscribe",
    "SCAN",
    "LOCATION",
    "CLICK",
    "VIEW",
    "scancode_push",
    "pic_weixin",
    "location_select",
    "MASSSENDJOBFINISH",
    "user_get_card",
    "user_pay_from_pay_cell",
    "subscribe_msg_popup_event",
    "nope",
];
const FIELDS: &[&str] = &[
    "Content",
    "MsgId",
    "MsgID",
    "PicUrl",
    "MediaId",
    "Format",
    "Location_X",
    "Location_Y",
    "Scale",
    "Title",
    "Url",
    "EventKey",
    "Ticket",
    "Latitude",
    "ScanCodeInfo",
    "SendPicsInfo",
    "PicList",
    "item",
    "SendLocationInfo",
    "CardId",
    "UserCardCode",
    "Fee",
    "IsGiveByFriend",
    "SubscribeMsgPopupEvent",
    "List",
    "CopyrightCheckResult",
    "ResultList",
];

/// XML shaped like a push, with random types, fields and values: reaches the typed parsers
/// far more often than random text does.
fn pushlike() -> impl Strategy<Value = String> {
    let field = (prop::sample::select(FIELDS), any::<String>(), any::<bool>(), 0u8..3).prop_map(
        |(name, value, cdata, depth)| {
            let value = if cdata {
                format!("<![CDATA[{value}]]>")
            } else {
                value.replace(['<', '&'], "")
            };
            let mut v = value;
            for _ in 0..depth {
                v = format!("<{name}>{v}</{name}>");
            }
            format!("<{name}>{v}</{name}>")
        },
    );
    (
        prop::sample::select(MSG_TYPES),
        prop::sample::select(EVENTS),
        any::<i64>(),
        prop::collection::vec(field, 0..8),
    )
        .prop_map(|(t, e, time, fields)| {
            format!(
                "<xml><ToUserName><![CDATA[gh]]></ToUserName><FromUserName>u</FromUserName><CreateTime>{time}</CreateTime><MsgType>{t}</MsgType><Event>{e}</Event>{}</xml>",
                fields.concat()
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_text(s in any::<String>()) {
        let _ = Incoming::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_pushlike_xml(xml in pushlike()) {
        match Incoming::parse(&xml) {
            Ok(_) | Err(CallbackError::BadXml(_)) => {}
            Err(e) => prop_assert!(false, "unexpected error kind {e:?}"),
        }
    }

    #[test]
    fn mutated_samples_never_panic(idx in 0..samples::SAMPLES.len(), cut in any::<prop::sample::Index>(), junk in any::<String>()) {
        let xml = samples::SAMPLES[idx].1;
        let mut at = cut.index(xml.len() + 1);
        while !xml.is_char_boundary(at) { at -= 1; }
        let mutated = format!("{}{}{}", &xml[..at], junk, &xml[at..]);
        let _ = Incoming::parse(&mutated);
        let _ = Incoming::parse(&xml[..at]);
    }

    #[test]
    fn decrypt_never_panics_on_text(s in any::<String>()) {
        let _ = crypto().decrypt(&s);
    }

    #[test]
    fn decrypt_never_panics_on_valid_base64(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let r = crypto().decrypt(&STANDARD.encode(&bytes));
        prop_assert!(r.is_err(), "random ciphertext must not pass every check");
    }

    #[test]
    fn decrypt_checks_every_field_of_crafted_plaintexts(
        random in any::<[u8; 16]>(),
        declared_len in prop_oneof![any::<u32>(), 0u32..64],
        body in prop::collection::vec(any::<u8>(), 0..96),
        pad in 0u8..=40,
    ) {
        let mut plain = random.to_vec();
        plain.extend_from_slice(&declared_len.to_be_bytes());
        plain.extend_from_slice(&body);
        let fill = 16 - plain.len() % 16;
        plain.extend(std::iter::repeat_n(pad, fill));
        let result = crypto().decrypt(&encrypt_raw(plain.clone()));
        let valid_pad = pad != 0 && usize::from(pad) <= 32 && usize::from(pad) <= plain.len()
            && plain[plain.len() - usize::from(pad)..].iter().all(|&b| b == pad);
        if !valid_pad {
            prop_assert_eq!(result, Err(CallbackError::BadPadding));
        } else {
            let content = plain.len() - usize::from(pad);
            let fits = content >= 20 && 20 + u64::from(declared_len) <= content as u64;
            if !fits {
                prop_assert_eq!(result, Err(CallbackError::LengthOutOfRange));
            } else {
                prop_assert!(matches!(result, Ok(_) | Err(CallbackError::WrongAppId { .. }) | Err(CallbackError::NotUtf8)), "{:?}", result);
            }
        }
    }

    #[test]
    fn encrypt_decrypt_round_trip(msg in any::<String>(), app_id in "[a-z0-9]{0,40}", key in "[A-Za-z0-9]{43}") {
        let c = MessageCrypto::new(EncodingAesKey::new(&key).unwrap(), app_id);
        let sealed = c.encrypt(&msg).unwrap();
        prop_assert_eq!(c.decrypt(&sealed).unwrap(), msg);
    }

    #[test]
    fn key_parsing_never_panics(s in any::<String>()) {
        let r = EncodingAesKey::new(&s);
        let well_formed = s.len() == 43 && s.bytes().all(|b| b.is_ascii_alphanumeric());
        prop_assert_eq!(r.is_ok(), well_formed);
    }

    #[test]
    fn query_parsing_never_panics(s in any::<String>(), t in "[a-z_=&%0-9A-F+]{0,60}") {
        let _ = CallbackQuery::parse(&s);
        let _ = CallbackQuery::parse(&t);
    }

    #[test]
    fn server_never_panics(raw_query in any::<String>(), body in prop::collection::vec(any::<u8>(), 0..200)) {
        let s = server();
        let _ = s.handle(&CallbackQuery::parse(&raw_query), &body);
        let _ = s.handle(&CallbackQuery::parse("encrypt_type=aes&timestamp=1&nonce=2&msg_signature=x"), &body);
    }

    #[test]
    fn server_decrypts_and_parses_arbitrary_signed_payloads(xml in pushlike(), nonce in "[0-9a-z]{1,12}") {
        // Correctly signed and encrypted, so everything after the signature is exercised.
        let s = server();
        let c = crypto();
        let encrypt = c.encrypt(&xml).unwrap();
        let now = 1_700_000_000i64;
        let ts = now.to_string();
        let sig = sign(&[TOKEN, &ts, &nonce, &encrypt]);
        let q = CallbackQuery::parse(&format!("timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={sig}"));
        let body = format!("<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
        match s.handle_at(&q, body.as_bytes(), now) {
            Ok(out) => prop_assert!(out == SUCCESS || out.starts_with("<xml>\n<Encrypt>")),
            Err(e) => prop_assert!(matches!(e, CallbackError::BadXml(_)), "{e:?}"),
        }
    }

    #[test]
    fn reply_text_round_trips_through_cdata(content in any::<String>(), to in any::<String>()) {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct R { to_user_name: String, content: String, msg_type: String }
        let xml = Reply::text(content.clone()).to_xml(&to, "gh", 1);
        let r: R = quick_xml::de::from_str(&xml).map_err(|e| TestCaseError::fail(format!("{e}: {xml}")))?;
        let keep = |s: &str| -> String {
            s.chars().filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)).collect()
        };
        prop_assert_eq!(r.content, keep(&content));
        prop_assert_eq!(r.to_user_name, keep(&to));
        prop_assert_eq!(r.msg_type, "text");
    }
}
