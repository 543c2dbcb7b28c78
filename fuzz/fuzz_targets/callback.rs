//! `cargo +nightly fuzz run callback` from this folder: feeds arbitrary bytes to every
//! callback entry point that reads untrusted input. Any panic is a bug.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wechat_mp::callback::{CallbackQuery, CallbackServer, EncodingAesKey, Incoming, MessageCrypto, Reply};

const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

fn server() -> &'static CallbackServer {
    static SERVER: OnceLock<CallbackServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        CallbackServer::builder("fuzz")
            .encoding_aes_key(KEY)
            .app_id("wxb11529c136998cb6")
            .accept_plain(true)
            .handler(|_: &Incoming| Some(Reply::text("x")))
            .build()
            .expect("valid configuration")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = Incoming::parse(&text);
    let _ = EncodingAesKey::new(&text);
    let crypto = MessageCrypto::new(EncodingAesKey::new(KEY).expect("valid key"), "wxb11529c136998cb6");
    let _ = crypto.decrypt(&text);
    // Split the input into a query and a body at the first newline.
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let query = CallbackQuery::parse(&String::from_utf8_lossy(query));
    let _ = server().handle(&query, body);
});
