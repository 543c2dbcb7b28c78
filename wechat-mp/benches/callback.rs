//! Callback throughput on one core: decrypt + parse of a typical text push, and the full
//! cycle (msg_signature check, decrypt, parse, handler, reply XML, encrypt, sign).
//!
//! `cargo bench -p wechat-mp --bench callback`. Each figure runs at most `MAX_ITERS`
//! iterations or `MAX_TIME`, whichever comes first, after a short warm-up.

use std::hint::black_box;
use std::time::{Duration, Instant};

use wechat_mp::callback::signature::sign;
use wechat_mp::callback::{
    CallbackQuery, CallbackServer, EncodingAesKey, Incoming, Message, MessageCrypto, Reply, Router, Rule,
};

const MAX_ITERS: u64 = 500_000;
const MAX_TIME: Duration = Duration::from_secs(3);
const WARM_UP: u64 = 2_000;

const TOKEN: &str = "bench-token";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID: &str = "wxb11529c136998cb6";
const NOW: i64 = 1_700_000_000;
/// A typical text push: the shape WeChat sends, a short Chinese sentence as content.
const TEXT: &str = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好，请问今天的活动几点开始？]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>";

fn measure(name: &str, mut f: impl FnMut()) {
    for _ in 0..WARM_UP {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while n + 256 <= MAX_ITERS && start.elapsed() < MAX_TIME {
        // Check the clock every 256 iterations so reading it costs nothing measurable.
        for _ in 0..256 {
            f();
        }
        n += 256;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{name:<48} {:>10.0} messages/s  {:>8.2} µs/message  ({n} iterations, {secs:.2} s)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn main() {
    let crypto = MessageCrypto::new(EncodingAesKey::new(KEY).expect("valid key"), APP_ID);
    let encrypt = crypto.encrypt(TEXT).expect("encrypts");
    let ts = NOW.to_string();
    let nonce = "1320562132";
    let msg_signature = sign(&[TOKEN, &ts, nonce, &encrypt]);
    let query = CallbackQuery::parse(&format!(
        "timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={msg_signature}"
    ));
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    let server = CallbackServer::builder(TOKEN)
        .encoding_aes_key(KEY)
        .app_id(APP_ID)
        .handler(|i: &Incoming| match &i.message {
            Message::Text(t) => Some(Reply::text(t.content.clone())),
            _ => None,
        })
        .build()
        .expect("valid configuration");

    // Sanity: every path below does the real work, or the figures would be meaningless.
    assert!(matches!(
        Incoming::parse(&crypto.decrypt(&encrypt).unwrap()).unwrap().message,
        Message::Text(_)
    ));
    assert!(
        server
            .handle_at(&query, body.as_bytes(), NOW)
            .unwrap()
            .starts_with("<xml>\n<Encrypt>")
    );

    // The same answer through a router whose match is its fifth rule, after four that
    // miss (an event, two texts, a regular expression), as a real account's might.
    let routed = CallbackServer::builder(TOKEN)
        .encoding_aes_key(KEY)
        .app_id(APP_ID)
        .handler(
            Router::new()
                .route(Rule::event("subscribe"), |_: &Incoming| Some(Reply::text("welcome")))
                .route(Rule::text("help"), |_: &Incoming| Some(Reply::text("help")))
                .route(Rule::text_prefix("order "), |_: &Incoming| Some(Reply::text("order")))
                .route(
                    Rule::text_regex(r"^\d{6}$").expect("a valid pattern"),
                    |_: &Incoming| Some(Reply::text("code")),
                )
                .route(Rule::message("text"), |i: &Incoming| match &i.message {
                    Message::Text(t) => Some(Reply::text(t.content.clone())),
                    _ => None,
                })
                .fallback(|_: &Incoming| None),
        )
        .build()
        .expect("valid configuration");
    assert_eq!(
        routed.handle_at(&query, body.as_bytes(), NOW).unwrap().len(),
        server.handle_at(&query, body.as_bytes(), NOW).unwrap().len()
    );

    println!("callback bench: max {MAX_ITERS} iterations or {MAX_TIME:?} per line, one thread");
    measure("parse (plaintext XML -> Incoming)", || {
        black_box(Incoming::parse(black_box(TEXT)).unwrap());
    });
    measure("decrypt + parse", || {
        let plain = crypto.decrypt(black_box(&encrypt)).unwrap();
        black_box(Incoming::parse(&plain).unwrap());
    });
    measure("full cycle (verify+decrypt+parse+reply+encrypt)", || {
        black_box(
            server
                .handle_at(black_box(&query), black_box(body.as_bytes()), NOW)
                .unwrap(),
        );
    });
    measure("full cycle through a 6-rule router", || {
        black_box(
            routed
                .handle_at(black_box(&query), black_box(body.as_bytes()), NOW)
                .unwrap(),
        );
    });
}
