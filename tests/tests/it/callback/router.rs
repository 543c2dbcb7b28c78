//! The router: rules in order, prefixes, regular expressions, the fallback, middleware
//! order, and async handlers through `serve`.

use std::sync::{Arc, Mutex};

use wechat_mp::callback::signature::sign;
use wechat_mp::callback::*;

fn text(content: &str) -> Incoming {
    Incoming::parse(&format!(
        "<xml><ToUserName>gh_a</ToUserName><FromUserName>o_u</FromUserName><CreateTime>1</CreateTime>\
         <MsgType>text</MsgType><Content><![CDATA[{content}]]></Content><MsgId>7</MsgId></xml>"
    ))
    .unwrap()
}

fn event(name: &str, key: Option<&str>) -> Incoming {
    let key = key
        .map(|k| format!("<EventKey><![CDATA[{k}]]></EventKey>"))
        .unwrap_or_default();
    Incoming::parse(&format!(
        "<xml><ToUserName>gh_a</ToUserName><FromUserName>o_u</FromUserName><CreateTime>1</CreateTime>\
         <MsgType>event</MsgType><Event>{name}</Event>{key}</xml>"
    ))
    .unwrap()
}

fn says(answer: &'static str) -> impl Fn(&Incoming) -> Option<Reply> + Send + Sync + 'static {
    move |_: &Incoming| Some(Reply::text(answer))
}

/// The text of a ready reply, `None` for `success`.
fn answer(handled: Handled) -> Option<String> {
    match handled {
        Handled::Ready(reply) => reply.map(|r| {
            let xml = r.to_xml_for(&text("x"), 0);
            xml.split("<Content><![CDATA[")
                .nth(1)
                .unwrap()
                .split("]]>")
                .next()
                .unwrap()
                .to_owned()
        }),
        Handled::Pending(_) => panic!("a sync route answered with a future"),
    }
}

fn router() -> Router {
    Router::new()
        .route(Rule::text("help"), says("help"))
        .route(Rule::text_prefix("order "), says("order"))
        .route(Rule::text_regex(r"^\d{6}$").unwrap(), says("code"))
        // Never reached for "help": the first matching rule wins.
        .route(Rule::message("text").and(Rule::text("help")), says("shadowed"))
        .route(
            Rule::event("subscribe").and(Rule::event_key_prefix("qrscene_")),
            says("scanned in"),
        )
        .route(Rule::event("SUBSCRIBE"), says("welcome"))
        .route(Rule::event_key("V1001_TODAY_MUSIC"), says("music"))
        .route(Rule::message("image"), says("image"))
        .fallback(says("fallback"))
}

#[test]
fn the_first_matching_rule_answers_and_the_fallback_takes_the_rest() {
    let r = router();
    assert_eq!(answer(r.handle(&text("help"))).as_deref(), Some("help"));
    assert_eq!(answer(r.handle(&text("order 42"))).as_deref(), Some("order"));
    assert_eq!(answer(r.handle(&text("123456"))).as_deref(), Some("code"));
    assert_eq!(answer(r.handle(&text("1234567"))).as_deref(), Some("fallback"));
    assert_eq!(answer(r.handle(&text("Help"))).as_deref(), Some("fallback"));
    assert_eq!(
        answer(r.handle(&event("subscribe", Some("qrscene_9")))).as_deref(),
        Some("scanned in")
    );
    assert_eq!(answer(r.handle(&event("subscribe", None))).as_deref(), Some("welcome"));
    assert_eq!(
        answer(r.handle(&event("CLICK", Some("V1001_TODAY_MUSIC")))).as_deref(),
        Some("music")
    );
    assert_eq!(
        answer(r.handle(&event("CLICK", Some("OTHER")))).as_deref(),
        Some("fallback")
    );
    assert!(
        answer(Router::new().handle(&text("help"))).is_none(),
        "no fallback answers success"
    );
}

#[test]
fn a_bad_regular_expression_is_a_typed_error() {
    let err = Rule::text_regex("(unclosed").unwrap_err();
    assert!(matches!(err, CallbackError::BadPattern(_)), "{err:?}");
}

#[test]
fn middleware_runs_outermost_first_and_may_answer_alone() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let (outer, inner) = (log.clone(), log.clone());
    let r = router()
        .middleware(move |i: &Incoming, next: Next<'_>| {
            outer.lock().unwrap().push("outer in");
            let handled = next.run(i);
            outer.lock().unwrap().push("outer out");
            handled
        })
        .middleware(move |i: &Incoming, next: Next<'_>| {
            inner.lock().unwrap().push("inner");
            // A de-duplicating middleware answers `success` without going on.
            match i.msg_id() {
                Some(7) if matches!(&i.message, Message::Text(t) if t.content == "dup") => Handled::Ready(None),
                _ => next.run(i),
            }
        });
    assert_eq!(answer(r.handle(&text("help"))).as_deref(), Some("help"));
    assert_eq!(*log.lock().unwrap(), ["outer in", "inner", "outer out"]);
    assert!(answer(r.handle(&text("dup"))).is_none());
}

fn signed_query(token: &str) -> CallbackQuery {
    let (timestamp, nonce) = ("1714036504", "1514711492");
    let signature = sign(&[token, timestamp, nonce]);
    CallbackQuery::parse(&format!(
        "signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=o_u"
    ))
}

const PUSH: &str = "<xml><ToUserName>gh_a</ToUserName><FromUserName>o_u</FromUserName><CreateTime>1</CreateTime>\
                    <MsgType>text</MsgType><Content>who am i</Content><MsgId>9</MsgId></xml>";

#[tokio::test]
async fn an_async_handler_is_awaited_by_serve_and_refused_by_the_sync_handle() {
    let server = CallbackServer::builder("tok")
        .handler(async_handler(|incoming: Incoming| async move {
            tokio::task::yield_now().await;
            Some(Reply::text(format!("you are {}", incoming.from_user_name)))
        }))
        .build()
        .unwrap();
    let answer = server.serve(&signed_query("tok"), PUSH.as_bytes()).await.unwrap();
    assert!(answer.contains("you are o_u"), "{answer}");
    assert_eq!(
        server.handle(&signed_query("tok"), PUSH.as_bytes()),
        Err(CallbackError::AsyncHandler)
    );
}

#[tokio::test]
async fn a_router_with_sync_and_async_routes_serves_both() {
    let server = CallbackServer::builder("tok")
        .handler(Router::new().route(Rule::text("sync"), says("sync")).route(
            Rule::message("text"),
            async_handler(|_: Incoming| async { Some(Reply::text("async")) }),
        ))
        .build()
        .unwrap();
    let sync_push = PUSH.replace("who am i", "sync");
    let answer = server.handle(&signed_query("tok"), sync_push.as_bytes()).unwrap();
    assert!(answer.contains("[sync]"), "{answer}");
    let answer = server.serve(&signed_query("tok"), PUSH.as_bytes()).await.unwrap();
    assert!(answer.contains("[async]"), "{answer}");
}

#[test]
fn query_strings_decode_plus_and_percent_escapes_and_keep_bad_ones() {
    let q = CallbackQuery::parse("?signature=a%2Bb&nonce=x+y&timestamp=%zz&openid=o%E4%BD%A0&signature=second");
    assert_eq!(q.signature.as_deref(), Some("a+b"));
    assert_eq!(q.nonce.as_deref(), Some("x y"));
    assert_eq!(q.timestamp.as_deref(), Some("%zz"));
    assert_eq!(q.openid.as_deref(), Some("o你"));
}
