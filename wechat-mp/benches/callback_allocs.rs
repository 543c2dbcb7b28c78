//! Heap blocks per push: the synchronous core, `serve` with the same synchronous
//! handler, and an async handler answering in time, awaited by `serve` (with its
//! deadline and in-flight bookkeeping) and awaited by hand (without them).
//!
//! `cargo bench -p wechat-mp --bench callback_allocs`. dhat counts every allocation of
//! this process; each figure is the count over `PUSHES` pushes, divided.

use wechat_mp::callback::signature::sign;
use wechat_mp::callback::{
    CallbackQuery, CallbackServer, EncodingAesKey, Handled, Handler, Incoming, Message, MessageCrypto, Reply,
    async_handler,
};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const PUSHES: u64 = 1_000;
const TOKEN: &str = "bench-token";
const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID: &str = "wxb11529c136998cb6";
const TEXT: &str = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好，请问今天的活动几点开始？]]></Content><MsgId>6054768590064713728</MsgId></xml>";

fn echo(i: &Incoming) -> Option<Reply> {
    match &i.message {
        Message::Text(t) => Some(Reply::text(t.content.clone())),
        _ => None,
    }
}

fn server(handler: impl Handler) -> CallbackServer {
    CallbackServer::builder(TOKEN)
        .encoding_aes_key(KEY)
        .app_id(APP_ID)
        .handler(handler)
        .build()
        .expect("valid configuration")
}

/// Heap blocks per run of `f`, after one run to warm caches and tables.
async fn blocks_per<F: AsyncFnMut()>(mut f: F) -> f64 {
    f().await;
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..PUSHES {
        f().await;
    }
    (dhat::HeapStats::get().total_blocks - before) as f64 / PUSHES as f64
}

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let crypto = MessageCrypto::new(EncodingAesKey::new(KEY).expect("valid key"), APP_ID);
    let encrypt = crypto.encrypt(TEXT).expect("encrypts");
    let (ts, nonce) = ("1700000000", "1320562132");
    let msg_signature = sign(&[TOKEN, ts, nonce, &encrypt]);
    let query = CallbackQuery::parse(&format!(
        "timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={msg_signature}"
    ));
    let body = format!("<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    let sync = server(echo);
    let pending = server(async_handler(|i: Incoming| async move { echo(&i) }));

    runtime.block_on(async {
        let handle = blocks_per(async || {
            assert!(sync.handle(&query, body.as_bytes()).unwrap().starts_with("<xml>"));
        })
        .await;
        let serve_sync = blocks_per(async || {
            assert!(sync.serve(&query, body.as_bytes()).await.unwrap().starts_with("<xml>"));
        })
        .await;
        let serve_async = blocks_per(async || {
            assert!(
                pending
                    .serve(&query, body.as_bytes())
                    .await
                    .unwrap()
                    .starts_with("<xml>")
            );
        })
        .await;
        let by_hand = blocks_per(async || {
            let push = pending.open(&query, body.as_bytes()).unwrap();
            let reply = match async_handler(|i: Incoming| async move { echo(&i) }).handle(&push.incoming) {
                Handled::Ready(reply) => reply,
                Handled::Pending(future) => future.await,
            };
            assert!(pending.respond(&push, reply.as_ref()).unwrap().starts_with("<xml>"));
        })
        .await;
        println!("heap blocks per push ({PUSHES} pushes each, after one to warm up)");
        println!("{:<58} {handle:>6.2}", "handle, synchronous handler");
        println!("{:<58} {serve_sync:>6.2}", "serve, the same synchronous handler");
        println!(
            "{:<58} {serve_async:>6.2}",
            "serve, async handler in time (deadline, in-flight)"
        );
        println!(
            "{:<58} {by_hand:>6.2}",
            "open + the same async handler awaited + respond"
        );
    });
}
