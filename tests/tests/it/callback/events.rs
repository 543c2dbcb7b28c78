//! The push events added after the first 34: each sample's fields, the alternate spellings
//! WeChat's pages use, and typed errors for values that do not parse.

use super::samples::sample;
use wechat_mp::callback::*;

fn event(name: &str) -> Event {
    let incoming = Incoming::parse(sample(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    match incoming.message {
        Message::Event(e) => e,
        other => panic!("{name}: expected an event, got {other:?}"),
    }
}

/// A push of `event` whose body (after `<Event>`) is `body`.
fn push(event: &str, body: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_x]]></FromUserName>\
         <CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>{body}</xml>"
    )
}

fn parse_event(xml: &str) -> Result<Event, CallbackError> {
    Incoming::parse(xml).map(|i| match i.message {
        Message::Event(e) => e,
        other => panic!("expected an event, got {other:?}"),
    })
}

fn is_bad_xml(xml: &str) -> bool {
    matches!(Incoming::parse(xml), Err(CallbackError::BadXml(_)))
}

#[test]
fn publish_job_finish() {
    let Event::PublishJobFinish(p) = event("PUBLISHJOBFINISH") else {
        panic!()
    };
    assert_eq!(
        (p.publish_id.as_str(), p.publish_status, p.article_id.as_deref()),
        ("1234567890", 0, Some("ArticleID"))
    );
    let d = p.article_detail.expect("article_detail");
    assert_eq!(d.count, Some(1));
    assert_eq!(
        d.items
            .iter()
            .map(|i| (i.idx, i.article_url.as_str()))
            .collect::<Vec<_>>(),
        [(1, "ArticleURL")]
    );
    assert!(p.fail_idx.is_empty());

    // Built from the page's fields: a refused job lists the articles that did not pass, and
    // the page's own example spells the event `FREEPUBLISHJOBFINISH`.
    let failed = push(
        "FREEPUBLISHJOBFINISH",
        "<PublishEventInfo><publish_id>2247483697</publish_id><publish_status>4</publish_status>\
         <fail_idx>1</fail_idx><fail_idx>3</fail_idx></PublishEventInfo>",
    );
    let Event::PublishJobFinish(p) = parse_event(&failed).unwrap() else {
        panic!()
    };
    assert_eq!(
        (p.publish_status, p.fail_idx.as_slice(), &p.article_detail),
        (4, &[1, 3][..], &None)
    );
    assert_eq!(Event::PublishJobFinish(p).name(), "PUBLISHJOBFINISH");

    let two_items = push(
        "PUBLISHJOBFINISH",
        "<PublishEventInfo><publish_id>1</publish_id><publish_status>0</publish_status>\
         <article_detail><count>2</count><item><idx>1</idx><article_url><![CDATA[u1]]></article_url></item>\
         <item><idx>2</idx><article_url><![CDATA[u2]]></article_url></item></article_detail></PublishEventInfo>",
    );
    let Event::PublishJobFinish(p) = parse_event(&two_items).unwrap() else {
        panic!()
    };
    let urls: Vec<_> = p
        .article_detail
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.article_url)
        .collect();
    assert_eq!(urls, ["u1", "u2"]);

    // One refused article, an empty detail and a blank `fail_idx` are all fine.
    let edge = push(
        "PUBLISHJOBFINISH",
        "<PublishEventInfo><publish_id>1</publish_id><publish_status>2</publish_status>\
         <article_detail></article_detail><fail_idx> 2 </fail_idx></PublishEventInfo>",
    );
    let Event::PublishJobFinish(p) = parse_event(&edge).unwrap() else {
        panic!()
    };
    assert_eq!(p.fail_idx, [2]);
    assert!(p.article_detail.is_none_or(|d| d.items.is_empty()));
    let blank = push(
        "PUBLISHJOBFINISH",
        "<PublishEventInfo><publish_id>1</publish_id><publish_status>1</publish_status><fail_idx/></PublishEventInfo>",
    );
    let Event::PublishJobFinish(p) = parse_event(&blank).unwrap() else {
        panic!()
    };
    assert!(p.fail_idx.is_empty());
}

#[test]
fn verification_events() {
    let Event::QualificationVerifySuccess(v) = event("qualification_verify_success") else {
        panic!()
    };
    assert_eq!(v.expired_time, 1442401156);
    let Event::QualificationVerifyFail(f) = event("qualification_verify_fail") else {
        panic!()
    };
    assert_eq!((f.fail_time, f.fail_reason.as_deref()), (1442401122, Some("by time")));
    let Event::NamingVerifySuccess(v) = event("naming_verify_success") else {
        panic!()
    };
    assert_eq!(v.expired_time, 1442401093);
    let Event::NamingVerifyFail(f) = event("naming_verify_fail") else {
        panic!()
    };
    assert_eq!((f.fail_time, f.fail_reason.as_deref()), (1442401061, Some("by time")));
    let Event::AnnualRenew(v) = event("annual_renew") else {
        panic!()
    };
    assert_eq!(v.expired_time, 1442401004);
    let Event::VerifyExpired(v) = event("verify_expired") else {
        panic!()
    };
    assert_eq!(v.expired_time, 1442400900);
}

#[test]
fn store_events() {
    let Event::PoiCheckNotify(p) = event("poi_check_notify") else {
        panic!()
    };
    assert_eq!(
        (
            p.uniq_id.as_deref(),
            p.poi_id.as_deref(),
            p.result.as_str(),
            p.msg.as_deref()
        ),
        (Some("123adb"), Some("123123"), "fail", Some("xxxxxx"))
    );
    let Event::ApplyMerchantAuditInfo(a) = event("apply_merchant_audit_info") else {
        panic!()
    };
    assert_eq!((a.audit_id, a.status, a.reason.as_deref()), (11111, 3, Some("xxx")));
    let Event::ModifyStoreAuditInfo(a) = event("modify_store_audit_info") else {
        panic!()
    };
    assert_eq!((a.audit_id, a.status), (11111, 3));
    let Event::AddStoreAuditInfo(a) = event("add_store_audit_info") else {
        panic!()
    };
    assert_eq!((a.is_upgrade, a.poiid.as_deref()), (Some(3), Some("12344")));
    let Event::CreateMapPoiAuditInfo(m) = event("create_map_poi_audit_info") else {
        panic!()
    };
    assert_eq!(
        (
            m.status,
            m.map_poi_id.as_deref(),
            m.latitude,
            m.longitude,
            m.sh_remark.as_deref()
        ),
        (1, Some("xxx"), Some(134.0), Some(30.0), Some("xxx"))
    );
}

#[test]
fn card_and_gift_card_events() {
    let Event::CardMerchantCheckResult(c) = event("card_merchant_check_result") else {
        panic!()
    };
    assert_eq!(
        (c.merchant_id, c.is_pass, c.reason.as_deref()),
        (12, false, Some("资质不符"))
    );

    let Event::GiftCardPayDone(g) = event("giftcard_pay_done") else {
        panic!()
    };
    assert_eq!(
        (
            g.page_id.as_str(),
            g.order_id.as_str(),
            g.is_chat_room,
            g.is_return_back
        ),
        (
            "OQK0R3MaFnCm74Phw5hwFJlz5sn+jy1zzM2amDidDbU=",
            "Z2y2rY74ksZX1ceuGA",
            false,
            false
        )
    );
    let Event::GiftCardSendToFriend(g) = event("giftcard_send_to_friend") else {
        panic!()
    };
    assert!(g.is_chat_room && g.is_return_back, "`true` flags, bare and in CDATA");
    let Event::GiftCardUserAccept(g) = event("giftcard_user_accept") else {
        panic!()
    };
    assert_eq!((g.is_chat_room, g.is_return_back), (true, false));
}

#[test]
fn invoice_events() {
    let Event::UserAuthorizeInvoice(u) = event("user_authorize_invoice") else {
        panic!()
    };
    assert_eq!(
        (
            u.succ_order_id.as_deref(),
            u.fail_order_id.as_deref(),
            u.authorize_app_id.as_deref(),
            u.source.as_deref()
        ),
        (Some("1202933957956"), None, None, None)
    );
    // The field is `AuthorizeAppId` on the page, `AppId` in older copies.
    let old = push(
        "user_authorize_invoice",
        "<SuccOrderId><![CDATA[1]]></SuccOrderId><AppId><![CDATA[wx1234567887654321]]></AppId><Source><![CDATA[web]]></Source>",
    );
    let Event::UserAuthorizeInvoice(u) = parse_event(&old).unwrap() else {
        panic!()
    };
    assert_eq!(
        (u.authorize_app_id.as_deref(), u.source.as_deref()),
        (Some("wx1234567887654321"), Some("web"))
    );

    let Event::UpdateInvoiceStatus(s) = event("update_invoice_status") else {
        panic!()
    };
    assert_eq!(
        (s.status.as_str(), s.card_id.as_str(), s.code.as_str()),
        ("INVOICE_REIMBURSE_INIT", "pjZ8Yt7Um2jYxzneP8GomnxoVFWo", "186921658591")
    );
    let Event::SubmitInvoiceTitle(t) = event("submit_invoice_title") else {
        panic!()
    };
    assert_eq!(
        (
            t.title.as_str(),
            t.tax_no.as_deref(),
            t.phone.as_deref(),
            t.bank_no.as_deref(),
            t.title_type.as_deref()
        ),
        (
            "样例公司抬头",
            Some("1486715661"),
            Some("13313331333"),
            Some("bn"),
            Some("InvoiceUserTitleBusinessType")
        )
    );
    let Event::CloudInvoiceResult(c) = event("cloud_invoice_invoiceresult_event") else {
        panic!()
    };
    assert_eq!(
        (c.status.as_deref(), c.fpqqlsh.as_deref(), c.nsrsbh.as_deref()),
        (Some("0"), Some("20170101000001"), Some("110109500321655"))
    );
}

#[test]
fn guide_events() {
    let Event::GuideQrcodeScan(g) = event("guide_qrcode_scan_event") else {
        panic!()
    };
    // The page's example writes `![CDATA[xxx]]` without the `<`: that arrives as text.
    assert_eq!((g.action, g.openid.as_deref()), (11, Some("![CDATA[xxx]]")));
    let Event::GuideInviteResult(g) = event("guide_invite_result_event") else {
        panic!()
    };
    assert_eq!(
        (g.guide_account.as_deref(), g.guide_openid, g.invite_result),
        (Some("ihaveacat"), None, Some(1))
    );
}

#[test]
fn wifi_and_shake_events() {
    let Event::WifiConnected(w) = event("WifiConnected") else {
        panic!()
    };
    assert_eq!(
        (w.connect_time, w.expire_time, w.shop_id.as_deref()),
        (0, Some(0), Some("![CDATA[PlaceId]]"))
    );
    // Other copies of the page name the store `PlaceId`, with real CDATA.
    let place = push(
        "WifiConnected",
        "<ConnectTime>1460000000</ConnectTime><ExpireTime>0</ExpireTime><VendorId><![CDATA[3001224419]]></VendorId>\
         <PlaceId><![CDATA[1234]]></PlaceId><DeviceNo><![CDATA[00:1f:7a:ad:5c:a8]]></DeviceNo>",
    );
    let Event::WifiConnected(w) = parse_event(&place).unwrap() else {
        panic!()
    };
    assert_eq!(
        (
            w.connect_time,
            w.vendor_id.as_deref(),
            w.shop_id.as_deref(),
            w.device_no.as_deref()
        ),
        (1460000000, Some("3001224419"), Some("1234"), Some("00:1f:7a:ad:5c:a8"))
    );

    let Event::ShakearoundUserShake(s) = event("ShakearoundUserShake") else {
        panic!()
    };
    let c = s.chosen_beacon.expect("chosen beacon");
    assert_eq!(
        (c.uuid.as_str(), c.major, c.minor, c.distance),
        ("uuid", 10001, 19007, 0.057)
    );
    let around: Vec<_> = s
        .around_beacons
        .iter()
        .map(|b| (b.major, b.minor, b.distance))
        .collect();
    assert_eq!(around, [(10001, 19008, 166.816), (10002, 19009, 15.013)]);
    // No nearby beacons: an empty list.
    let alone = push(
        "shakearoundusershake",
        "<ChosenBeacon><Uuid><![CDATA[u]]></Uuid><Major>1</Major><Minor>2</Minor><Distance>3.5</Distance></ChosenBeacon>",
    );
    let Event::ShakearoundUserShake(s) = parse_event(&alone).unwrap() else {
        panic!("event names match case-insensitively")
    };
    assert!(s.around_beacons.is_empty());

    let Event::ShakearoundLotteryBind(l) = event("ShakearoundLotteryBind") else {
        panic!()
    };
    assert_eq!(
        (l.lottery_id.as_str(), l.ticket.as_deref(), l.money, l.bind_time),
        ("lotteryid", Some("ticket"), Some(88), Some(1442824313))
    );
}

#[test]
fn store_order_and_scan_product_events() {
    let Event::MerchantOrder(o) = event("merchant_order") else {
        panic!()
    };
    assert_eq!(
        (
            o.order_id.as_str(),
            o.order_status,
            o.product_id.as_deref(),
            o.sku_info.as_deref()
        ),
        (
            "test_order_id",
            2,
            Some("test_product_id"),
            Some("10001:1000012;10002:100021")
        )
    );
    let Event::UserScanProduct(p) = event("user_scan_product") else {
        panic!()
    };
    assert_eq!(
        (
            p.key_standard.as_str(),
            p.key_str.as_str(),
            p.city.as_deref(),
            p.sex,
            p.scene,
            p.ext_info.as_deref()
        ),
        ("ean13", "6901481811083", Some("揭阳"), Some(1), Some(2), Some("123"))
    );
    let Event::UserScanProductEnterSession(p) = event("user_scan_product_enter_session") else {
        panic!()
    };
    assert_eq!((p.key_str.as_str(), p.ext_info), ("6954767461373", None));
    let Event::UserScanProductAsync(p) = event("user_scan_product_async") else {
        panic!()
    };
    assert_eq!(p.region_code.as_deref(), Some("440105"));
    let Event::UserScanProductVerifyAction(p) = event("user_scan_product_verify_action") else {
        panic!()
    };
    assert_eq!((p.result.as_str(), p.reason_msg), ("verify_ok", None));
}

#[test]
fn authorization_change_events() {
    let Event::UserAuthorizationRevoke(r) = event("user_authorization_revoke") else {
        panic!()
    };
    assert_eq!(
        (r.open_id.as_deref(), r.app_id.as_deref(), r.revoke_info.as_deref()),
        (
            Some("owAqB1nqaOYYWl0Ng484G2z5NIwU"),
            Some("wx13974bf780d3dc89"),
            Some("1")
        )
    );
    let Event::UserInfoModified(m) = event("user_info_modified") else {
        panic!()
    };
    assert_eq!(
        (m.union_id.as_deref(), m.revoke_info),
        (Some("oAndb6RVxCR1jvfjNQiK88kS8Bxo"), None)
    );
    let Event::UserAuthorizationCancellation(c) = event("user_authorization_cancellation") else {
        panic!()
    };
    assert_eq!(c.open_id.as_deref(), Some("owAqB1nqaOYYWl0Ng484G2z5NIwU"));
}

/// The shake page's example, verbatim: `<Major>major</Major>` is a placeholder where a
/// 16-bit number is declared, so the push is a typed error, not a panic.
const SHAKE_VERBATIM: &str = r#"<xml>
<ToUserName><![CDATA[toUser]]></ToUserName>
<FromUserName><![CDATA[fromUser]]></FromUserName>
<CreateTime>1433332012</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[ShakearoundUserShake]]></Event>
<ChosenBeacon>
<Uuid><![CDATA[uuid]]></Uuid>
<Major>major</Major>
<Minor>minor</Minor>
<Distance>0.057</Distance>
</ChosenBeacon>
<AroundBeacons>
<AroundBeacon>
<Uuid><![CDATA[uuid]]></Uuid>
<Major>major</Major>
<Minor>minor</Minor>
<Distance>166.816</Distance>
</AroundBeacon>
</AroundBeacons>
</xml>"#;

#[test]
fn values_that_do_not_parse_are_bad_xml() {
    assert!(is_bad_xml(SHAKE_VERBATIM));
    for (event, body) in [
        (
            "PUBLISHJOBFINISH",
            "<PublishEventInfo><publish_id>1</publish_id><publish_status>ok</publish_status></PublishEventInfo>",
        ),
        (
            "PUBLISHJOBFINISH",
            "<PublishEventInfo><publish_id>1</publish_id><publish_status>0</publish_status><fail_idx>x</fail_idx></PublishEventInfo>",
        ),
        (
            "PUBLISHJOBFINISH",
            "<PublishEventInfo><publish_id>1</publish_id><publish_status>0</publish_status><article_detail><item><idx>first</idx><article_url>u</article_url></item></article_detail></PublishEventInfo>",
        ),
        ("PUBLISHJOBFINISH", "<publish_id>1</publish_id>"),
        ("qualification_verify_success", "<ExpiredTime>soon</ExpiredTime>"),
        ("annual_renew", ""),
        ("naming_verify_fail", "<FailTime>1.5</FailTime>"),
        ("poi_check_notify", "<PoiId>1</PoiId>"),
        ("add_store_audit_info", "<audit_id>-1</audit_id><status>3</status>"),
        (
            "create_map_poi_audit_info",
            "<audit_id>1</audit_id><status>1</status><latitude>north</latitude>",
        ),
        (
            "card_merchant_check_result",
            "<MerchantId>12</MerchantId><IsPass>yes</IsPass>",
        ),
        (
            "giftcard_send_to_friend",
            "<PageId>p</PageId><OrderId>o</OrderId><IsChatRoom>maybe</IsChatRoom>",
        ),
        (
            "guide_qrcode_scan_event",
            "<GuideScanEvent><action>scan</action></GuideScanEvent>",
        ),
        ("guide_invite_result_event", "<invite_result>1</invite_result>"),
        ("WifiConnected", "<ConnectTime>now</ConnectTime>"),
        (
            "ShakearoundUserShake",
            "<ChosenBeacon><Uuid>u</Uuid><Major>70000</Major><Minor>1</Minor><Distance>1</Distance></ChosenBeacon>",
        ),
        (
            "ShakearoundUserShake",
            "<AroundBeacons><AroundBeacon><Uuid>u</Uuid><Major>1</Major><Minor>1</Minor><Distance>far</Distance></AroundBeacon></AroundBeacons>",
        ),
        ("ShakearoundLotteryBind", "<LotteryId>l</LotteryId><Money>8.8</Money>"),
        ("merchant_order", "<OrderId>o</OrderId><OrderStatus>paid</OrderStatus>"),
        (
            "user_scan_product",
            "<KeyStandard>ean13</KeyStandard><KeyStr>1</KeyStr><Sex>m</Sex>",
        ),
        ("update_invoice_status", "<Status>s</Status><CardId>c</CardId>"),
        ("submit_invoice_title", "<tax_no>1</tax_no>"),
    ] {
        let xml = push(event, body);
        assert!(is_bad_xml(&xml), "{xml}");
    }
}
