//! Pushed events (`MsgType=event`): the typed [`Event`] enum.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::CallbackError;
use super::de;

/// An event push. Event names match case-insensitively; unknown names become
/// [`Event::Unknown`] with the XML kept.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `subscribe`: the user followed the account, possibly by scanning a parametric QR code.
    Subscribe(Subscribe),
    /// `unsubscribe`.
    Unsubscribe,
    /// `SCAN`: an existing follower scanned a parametric QR code.
    Scan(Scan),
    /// `LOCATION`: the periodic location report.
    Location(LocationReport),
    /// `CLICK`: a click menu item.
    Click(MenuKey),
    /// `VIEW`: a link menu item.
    View(MenuView),
    /// `scancode_push`.
    ScancodePush(ScanCode),
    /// `scancode_waitmsg`.
    ScancodeWaitmsg(ScanCode),
    /// `pic_sysphoto`.
    PicSysphoto(SendPics),
    /// `pic_photo_or_album`.
    PicPhotoOrAlbum(SendPics),
    /// `pic_weixin`.
    PicWeixin(SendPics),
    /// `location_select`.
    LocationSelect(LocationSelect),
    /// `view_miniprogram`: a menu item opening a mini program; `event_key` is the page path.
    ViewMiniprogram(MenuView),
    /// `TEMPLATESENDJOBFINISH`.
    TemplateSendJobFinish(TemplateSendJobFinish),
    /// `MASSSENDJOBFINISH`.
    MassSendJobFinish(MassSendJobFinish),
    /// `card_pass_check`.
    CardPassCheck(CardCheck),
    /// `card_not_pass_check`.
    CardNotPassCheck(CardCheck),
    /// `user_get_card`.
    UserGetCard(UserGetCard),
    /// `user_gifting_card`.
    UserGiftingCard(UserGiftingCard),
    /// `user_del_card`.
    UserDelCard(UserCard),
    /// `user_consume_card`.
    UserConsumeCard(UserConsumeCard),
    /// `user_pay_from_pay_cell`.
    UserPayFromPayCell(UserPayFromPayCell),
    /// `user_view_card`.
    UserViewCard(UserViewCard),
    /// `user_enter_session_from_card`.
    UserEnterSessionFromCard(UserCard),
    /// `update_member_card`.
    UpdateMemberCard(UpdateMemberCard),
    /// `card_sku_remind`.
    CardSkuRemind(CardSkuRemind),
    /// `card_pay_order`.
    CardPayOrder(CardPayOrder),
    /// `submit_membercard_user_info`.
    SubmitMembercardUserInfo(UserCard),
    /// `kf_create_session`.
    KfCreateSession(KfSession),
    /// `kf_close_session`.
    KfCloseSession(KfSession),
    /// `kf_switch_session`.
    KfSwitchSession(KfSwitchSession),
    /// `subscribe_msg_popup_event`.
    SubscribeMsgPopup(SubscribeMsgPopup),
    /// `subscribe_msg_change_event`.
    SubscribeMsgChange(SubscribeMsgChange),
    /// `subscribe_msg_sent_event`.
    SubscribeMsgSent(SubscribeMsgSent),
    /// `PUBLISHJOBFINISH`: a free-publish job ended (the page's sample spells it
    /// `FREEPUBLISHJOBFINISH`, which is accepted too).
    PublishJobFinish(PublishEventInfo),
    /// `qualification_verify_success`: qualification verified; the verification APIs are open.
    QualificationVerifySuccess(VerifyExpiry),
    /// `qualification_verify_fail`.
    QualificationVerifyFail(VerifyFail),
    /// `naming_verify_success`: the name is verified (the tick appears in the client).
    NamingVerifySuccess(VerifyExpiry),
    /// `naming_verify_fail`: the name was refused; the API permissions stay.
    NamingVerifyFail(VerifyFail),
    /// `annual_renew`: the yearly re-verification is due.
    AnnualRenew(VerifyExpiry),
    /// `verify_expired`: the verification lapsed.
    VerifyExpired(VerifyExpiry),
    /// `poi_check_notify`: a store (POI) was reviewed.
    PoiCheckNotify(PoiCheckNotify),
    /// `apply_merchant_audit_info`: the store mini program application was reviewed.
    ApplyMerchantAuditInfo(StoreAudit),
    /// `create_map_poi_audit_info`: a store created on Tencent Maps was reviewed.
    CreateMapPoiAuditInfo(CreateMapPoiAudit),
    /// `add_store_audit_info`: a store added to the store mini program was reviewed.
    AddStoreAuditInfo(AddStoreAudit),
    /// `modify_store_audit_info`: a store's picture change was reviewed.
    ModifyStoreAuditInfo(StoreAudit),
    /// `card_merchant_check_result`: a sub-merchant of a card third party was reviewed.
    CardMerchantCheckResult(CardMerchantCheckResult),
    /// `giftcard_pay_done`: a gift card was paid for.
    GiftCardPayDone(GiftCardOrder),
    /// `giftcard_send_to_friend`: a bought gift card was given to a friend.
    GiftCardSendToFriend(GiftCardOrder),
    /// `giftcard_user_accept`: a friend accepted a gift card.
    GiftCardUserAccept(GiftCardOrder),
    /// `user_authorize_invoice`: the user authorised an invoice into their card holder.
    UserAuthorizeInvoice(UserAuthorizeInvoice),
    /// `update_invoice_status`: an invoice's reimbursement status changed.
    UpdateInvoiceStatus(UpdateInvoiceStatus),
    /// `submit_invoice_title`: the user submitted an invoice title.
    SubmitInvoiceTitle(SubmitInvoiceTitle),
    /// `cloud_invoice_invoiceresult_event`: the unified invoicing API's asynchronous result.
    CloudInvoiceResult(CloudInvoiceResult),
    /// `guide_qrcode_scan_event`: a user scanned a shopping guide's QR code.
    GuideQrcodeScan(GuideQrcodeScan),
    /// `guide_invite_result_event`: the answer to adding a shopping guide.
    GuideInviteResult(GuideInviteResult),
    /// `WifiConnected`: the user connected to a store's Wi-Fi.
    WifiConnected(WifiConnected),
    /// `ShakearoundUserShake`: the user shook near the account's beacons.
    ShakearoundUserShake(ShakearoundUserShake),
    /// `ShakearoundLotteryBind`: a shake red packet was bound to the user.
    ShakearoundLotteryBind(ShakearoundLotteryBind),
    /// `merchant_order`: an order of the (old) WeChat store was paid.
    MerchantOrder(MerchantOrder),
    /// `user_scan_product`: the user opened a product page (Scan).
    UserScanProduct(UserScanProduct),
    /// `user_scan_product_enter_session`: the user entered the account from a product page.
    UserScanProductEnterSession(ScanProductKey),
    /// `user_scan_product_async`: the user's location, pushed after `user_scan_product`.
    UserScanProductAsync(UserScanProductAsync),
    /// `user_scan_product_verify_action`: a product was reviewed.
    UserScanProductVerifyAction(UserScanProductVerifyAction),
    /// `user_info_modified`: a web-authorised user's profile was cleaned up.
    UserInfoModified(AuthorizationChange),
    /// `user_authorization_revoke`: a user withdrew authorised information.
    UserAuthorizationRevoke(AuthorizationChange),
    /// `user_authorization_cancellation`: an authorised user closed their account.
    UserAuthorizationCancellation(AuthorizationChange),
    /// An event WeChat added after this crate was written.
    Unknown(UnknownEvent),
}

impl Event {
    pub(crate) fn parse(name: &str, xml: &str) -> Result<Self, CallbackError> {
        use quick_xml::de::from_str;
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        Ok(if is("subscribe") {
            Event::Subscribe(from_str(xml)?)
        } else if is("unsubscribe") {
            Event::Unsubscribe
        } else if is("SCAN") {
            Event::Scan(from_str(xml)?)
        } else if is("LOCATION") {
            Event::Location(from_str(xml)?)
        } else if is("CLICK") {
            Event::Click(from_str(xml)?)
        } else if is("VIEW") {
            Event::View(from_str(xml)?)
        } else if is("scancode_push") {
            Event::ScancodePush(from_str(xml)?)
        } else if is("scancode_waitmsg") {
            Event::ScancodeWaitmsg(from_str(xml)?)
        } else if is("pic_sysphoto") {
            Event::PicSysphoto(from_str(xml)?)
        } else if is("pic_photo_or_album") {
            Event::PicPhotoOrAlbum(from_str(xml)?)
        } else if is("pic_weixin") {
            Event::PicWeixin(from_str(xml)?)
        } else if is("location_select") {
            Event::LocationSelect(from_str(xml)?)
        } else if is("view_miniprogram") {
            Event::ViewMiniprogram(from_str(xml)?)
        } else if is("TEMPLATESENDJOBFINISH") {
            Event::TemplateSendJobFinish(from_str(xml)?)
        } else if is("MASSSENDJOBFINISH") {
            Event::MassSendJobFinish(from_str(xml)?)
        } else if is("card_pass_check") {
            Event::CardPassCheck(from_str(xml)?)
        } else if is("card_not_pass_check") {
            Event::CardNotPassCheck(from_str(xml)?)
        } else if is("user_get_card") {
            Event::UserGetCard(from_str(xml)?)
        } else if is("user_gifting_card") {
            Event::UserGiftingCard(from_str(xml)?)
        } else if is("user_del_card") {
            Event::UserDelCard(from_str(xml)?)
        } else if is("user_consume_card") {
            Event::UserConsumeCard(from_str(xml)?)
        } else if is("user_pay_from_pay_cell") {
            Event::UserPayFromPayCell(from_str(xml)?)
        } else if is("user_view_card") {
            Event::UserViewCard(from_str(xml)?)
        } else if is("user_enter_session_from_card") {
            Event::UserEnterSessionFromCard(from_str(xml)?)
        } else if is("update_member_card") {
            Event::UpdateMemberCard(from_str(xml)?)
        } else if is("card_sku_remind") {
            Event::CardSkuRemind(from_str(xml)?)
        } else if is("card_pay_order") {
            Event::CardPayOrder(from_str(xml)?)
        } else if is("submit_membercard_user_info") {
            Event::SubmitMembercardUserInfo(from_str(xml)?)
        } else if is("kf_create_session") {
            Event::KfCreateSession(from_str(xml)?)
        } else if is("kf_close_session") {
            Event::KfCloseSession(from_str(xml)?)
        } else if is("kf_switch_session") {
            Event::KfSwitchSession(from_str(xml)?)
        } else if is("subscribe_msg_popup_event") {
            Event::SubscribeMsgPopup(from_str(xml)?)
        } else if is("subscribe_msg_change_event") {
            Event::SubscribeMsgChange(from_str(xml)?)
        } else if is("subscribe_msg_sent_event") {
            Event::SubscribeMsgSent(from_str(xml)?)
        } else if is("PUBLISHJOBFINISH") || is("FREEPUBLISHJOBFINISH") {
            Event::PublishJobFinish(from_str::<PublishJobFinishXml>(xml)?.publish_event_info)
        } else if is("qualification_verify_success") {
            Event::QualificationVerifySuccess(from_str(xml)?)
        } else if is("qualification_verify_fail") {
            Event::QualificationVerifyFail(from_str(xml)?)
        } else if is("naming_verify_success") {
            Event::NamingVerifySuccess(from_str(xml)?)
        } else if is("naming_verify_fail") {
            Event::NamingVerifyFail(from_str(xml)?)
        } else if is("annual_renew") {
            Event::AnnualRenew(from_str(xml)?)
        } else if is("verify_expired") {
            Event::VerifyExpired(from_str(xml)?)
        } else if is("poi_check_notify") {
            Event::PoiCheckNotify(from_str(xml)?)
        } else if is("apply_merchant_audit_info") {
            Event::ApplyMerchantAuditInfo(from_str(xml)?)
        } else if is("create_map_poi_audit_info") {
            Event::CreateMapPoiAuditInfo(from_str(xml)?)
        } else if is("add_store_audit_info") {
            Event::AddStoreAuditInfo(from_str(xml)?)
        } else if is("modify_store_audit_info") {
            Event::ModifyStoreAuditInfo(from_str(xml)?)
        } else if is("card_merchant_check_result") {
            Event::CardMerchantCheckResult(from_str(xml)?)
        } else if is("giftcard_pay_done") {
            Event::GiftCardPayDone(from_str(xml)?)
        } else if is("giftcard_send_to_friend") {
            Event::GiftCardSendToFriend(from_str(xml)?)
        } else if is("giftcard_user_accept") {
            Event::GiftCardUserAccept(from_str(xml)?)
        } else if is("user_authorize_invoice") {
            Event::UserAuthorizeInvoice(from_str(xml)?)
        } else if is("update_invoice_status") {
            Event::UpdateInvoiceStatus(from_str(xml)?)
        } else if is("submit_invoice_title") {
            Event::SubmitInvoiceTitle(from_str(xml)?)
        } else if is("cloud_invoice_invoiceresult_event") {
            Event::CloudInvoiceResult(from_str(xml)?)
        } else if is("guide_qrcode_scan_event") {
            Event::GuideQrcodeScan(from_str::<GuideScanXml>(xml)?.guide_scan_event)
        } else if is("guide_invite_result_event") {
            Event::GuideInviteResult(from_str::<GuideInviteXml>(xml)?.guide_invite_event)
        } else if is("WifiConnected") {
            Event::WifiConnected(from_str(xml)?)
        } else if is("ShakearoundUserShake") {
            Event::ShakearoundUserShake(from_str(xml)?)
        } else if is("ShakearoundLotteryBind") {
            Event::ShakearoundLotteryBind(from_str(xml)?)
        } else if is("merchant_order") {
            Event::MerchantOrder(from_str(xml)?)
        } else if is("user_scan_product") {
            Event::UserScanProduct(from_str(xml)?)
        } else if is("user_scan_product_enter_session") {
            Event::UserScanProductEnterSession(from_str(xml)?)
        } else if is("user_scan_product_async") {
            Event::UserScanProductAsync(from_str(xml)?)
        } else if is("user_scan_product_verify_action") {
            Event::UserScanProductVerifyAction(from_str(xml)?)
        } else if is("user_info_modified") {
            Event::UserInfoModified(from_str(xml)?)
        } else if is("user_authorization_revoke") {
            Event::UserAuthorizationRevoke(from_str(xml)?)
        } else if is("user_authorization_cancellation") {
            Event::UserAuthorizationCancellation(from_str(xml)?)
        } else {
            Event::Unknown(UnknownEvent {
                event: name.to_owned(),
                raw: xml.to_owned(),
            })
        })
    }

    /// The event's name as WeChat spells it (`subscribe`, `SCAN`, …).
    pub fn name(&self) -> &str {
        match self {
            Event::Subscribe(_) => "subscribe",
            Event::Unsubscribe => "unsubscribe",
            Event::Scan(_) => "SCAN",
            Event::Location(_) => "LOCATION",
            Event::Click(_) => "CLICK",
            Event::View(_) => "VIEW",
            Event::ScancodePush(_) => "scancode_push",
            Event::ScancodeWaitmsg(_) => "scancode_waitmsg",
            Event::PicSysphoto(_) => "pic_sysphoto",
            Event::PicPhotoOrAlbum(_) => "pic_photo_or_album",
            Event::PicWeixin(_) => "pic_weixin",
            Event::LocationSelect(_) => "location_select",
            Event::ViewMiniprogram(_) => "view_miniprogram",
            Event::TemplateSendJobFinish(_) => "TEMPLATESENDJOBFINISH",
            Event::MassSendJobFinish(_) => "MASSSENDJOBFINISH",
            Event::CardPassCheck(_) => "card_pass_check",
            Event::CardNotPassCheck(_) => "card_not_pass_check",
            Event::UserGetCard(_) => "user_get_card",
            Event::UserGiftingCard(_) => "user_gifting_card",
            Event::UserDelCard(_) => "user_del_card",
            Event::UserConsumeCard(_) => "user_consume_card",
            Event::UserPayFromPayCell(_) => "user_pay_from_pay_cell",
            Event::UserViewCard(_) => "user_view_card",
            Event::UserEnterSessionFromCard(_) => "user_enter_session_from_card",
            Event::UpdateMemberCard(_) => "update_member_card",
            Event::CardSkuRemind(_) => "card_sku_remind",
            Event::CardPayOrder(_) => "card_pay_order",
            Event::SubmitMembercardUserInfo(_) => "submit_membercard_user_info",
            Event::KfCreateSession(_) => "kf_create_session",
            Event::KfCloseSession(_) => "kf_close_session",
            Event::KfSwitchSession(_) => "kf_switch_session",
            Event::SubscribeMsgPopup(_) => "subscribe_msg_popup_event",
            Event::SubscribeMsgChange(_) => "subscribe_msg_change_event",
            Event::SubscribeMsgSent(_) => "subscribe_msg_sent_event",
            Event::PublishJobFinish(_) => "PUBLISHJOBFINISH",
            Event::QualificationVerifySuccess(_) => "qualification_verify_success",
            Event::QualificationVerifyFail(_) => "qualification_verify_fail",
            Event::NamingVerifySuccess(_) => "naming_verify_success",
            Event::NamingVerifyFail(_) => "naming_verify_fail",
            Event::AnnualRenew(_) => "annual_renew",
            Event::VerifyExpired(_) => "verify_expired",
            Event::PoiCheckNotify(_) => "poi_check_notify",
            Event::ApplyMerchantAuditInfo(_) => "apply_merchant_audit_info",
            Event::CreateMapPoiAuditInfo(_) => "create_map_poi_audit_info",
            Event::AddStoreAuditInfo(_) => "add_store_audit_info",
            Event::ModifyStoreAuditInfo(_) => "modify_store_audit_info",
            Event::CardMerchantCheckResult(_) => "card_merchant_check_result",
            Event::GiftCardPayDone(_) => "giftcard_pay_done",
            Event::GiftCardSendToFriend(_) => "giftcard_send_to_friend",
            Event::GiftCardUserAccept(_) => "giftcard_user_accept",
            Event::UserAuthorizeInvoice(_) => "user_authorize_invoice",
            Event::UpdateInvoiceStatus(_) => "update_invoice_status",
            Event::SubmitInvoiceTitle(_) => "submit_invoice_title",
            Event::CloudInvoiceResult(_) => "cloud_invoice_invoiceresult_event",
            Event::GuideQrcodeScan(_) => "guide_qrcode_scan_event",
            Event::GuideInviteResult(_) => "guide_invite_result_event",
            Event::WifiConnected(_) => "WifiConnected",
            Event::ShakearoundUserShake(_) => "ShakearoundUserShake",
            Event::ShakearoundLotteryBind(_) => "ShakearoundLotteryBind",
            Event::MerchantOrder(_) => "merchant_order",
            Event::UserScanProduct(_) => "user_scan_product",
            Event::UserScanProductEnterSession(_) => "user_scan_product_enter_session",
            Event::UserScanProductAsync(_) => "user_scan_product_async",
            Event::UserScanProductVerifyAction(_) => "user_scan_product_verify_action",
            Event::UserInfoModified(_) => "user_info_modified",
            Event::UserAuthorizationRevoke(_) => "user_authorization_revoke",
            Event::UserAuthorizationCancellation(_) => "user_authorization_cancellation",
            Event::Unknown(u) => &u.event,
        }
    }
}

impl Event {
    /// The `EventKey`, for the events that carry one: a menu item's key or URL, a QR
    /// code's scene (`qrscene_…` on subscribe).
    pub fn event_key(&self) -> Option<&str> {
        match self {
            Event::Subscribe(e) => e.event_key.as_deref(),
            Event::Scan(e) => Some(&e.event_key),
            Event::Click(e) => Some(&e.event_key),
            Event::View(e) | Event::ViewMiniprogram(e) => Some(&e.event_key),
            Event::ScancodePush(e) | Event::ScancodeWaitmsg(e) => Some(&e.event_key),
            Event::PicSysphoto(e) | Event::PicPhotoOrAlbum(e) | Event::PicWeixin(e) => Some(&e.event_key),
            Event::LocationSelect(e) => Some(&e.event_key),
            _ => None,
        }
    }
}

/// `subscribe`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Subscribe {
    /// `qrscene_<scene>` when the user followed by scanning a parametric QR code; other
    /// values appear for other sources.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub event_key: Option<String>,
    /// The QR code's ticket, when followed by QR code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ticket: Option<String>,
}

impl Subscribe {
    /// The QR scene (the `EventKey` without its `qrscene_` prefix), if followed by QR code.
    pub fn qr_scene(&self) -> Option<&str> {
        self.event_key.as_deref().and_then(|k| k.strip_prefix("qrscene_"))
    }
}

/// `SCAN`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Scan {
    /// The QR scene (no prefix here, unlike subscribe).
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
    /// The QR code's ticket.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ticket: Option<String>,
}

/// `LOCATION`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LocationReport {
    /// Latitude.
    #[serde(deserialize_with = "de::num")]
    pub latitude: f64,
    /// Longitude.
    #[serde(deserialize_with = "de::num")]
    pub longitude: f64,
    /// Precision, in metres.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub precision: Option<f64>,
}

/// `CLICK`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MenuKey {
    /// The menu item's `key`.
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
}

/// `VIEW` and `view_miniprogram`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MenuView {
    /// The URL (VIEW) or page path (view_miniprogram).
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
    /// The conditional menu's id, when one was shown.
    #[serde(default, alias = "MenuID", deserialize_with = "de::opt_string")]
    pub menu_id: Option<String>,
}

/// `scancode_push` and `scancode_waitmsg`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ScanCode {
    /// The menu item's `key`.
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
    /// What was scanned.
    pub scan_code_info: ScanCodeInfo,
}

/// The scan result of a scancode event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ScanCodeInfo {
    /// `qrcode`, `barcode`, …
    #[serde(deserialize_with = "de::string")]
    pub scan_type: String,
    /// The decoded text.
    #[serde(deserialize_with = "de::string")]
    pub scan_result: String,
}

/// `pic_sysphoto`, `pic_photo_or_album` and `pic_weixin`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendPics {
    /// The menu item's `key`.
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
    /// The pictures sent.
    pub send_pics_info: SendPicsInfo,
}

/// The pictures of a pic_* event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendPicsInfo {
    /// How many pictures.
    #[serde(deserialize_with = "de::num")]
    pub count: u32,
    /// The MD5 of each picture, from `<PicList><item><PicMd5Sum>`.
    #[serde(default, rename = "PicList", deserialize_with = "pic_md5_sums")]
    pub pic_md5_sums: Vec<String>,
}

fn pic_md5_sums<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct PicList {
        #[serde(default)]
        item: Vec<PicItem>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct PicItem {
        #[serde(deserialize_with = "de::string")]
        pic_md5_sum: String,
    }
    Ok(PicList::deserialize(d)?
        .item
        .into_iter()
        .map(|i| i.pic_md5_sum)
        .collect())
}

/// `location_select`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LocationSelect {
    /// The menu item's `key`.
    #[serde(deserialize_with = "de::string")]
    pub event_key: String,
    /// The chosen location.
    pub send_location_info: SendLocationInfo,
}

/// The location of a location_select event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendLocationInfo {
    /// Latitude.
    #[serde(rename = "Location_X", deserialize_with = "de::num")]
    pub location_x: f64,
    /// Longitude.
    #[serde(rename = "Location_Y", deserialize_with = "de::num")]
    pub location_y: f64,
    /// Map zoom level.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub scale: Option<f64>,
    /// The place's description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub label: Option<String>,
    /// The point of interest's name; often empty (`None`).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub poiname: Option<String>,
}

/// `TEMPLATESENDJOBFINISH`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TemplateSendJobFinish {
    /// The template message's id (`MsgID`, capital D).
    #[serde(rename = "MsgID", alias = "MsgId", deserialize_with = "de::num")]
    pub msg_id: u64,
    /// `success`, `failed:user block`, `failed: system failed`, …
    #[serde(deserialize_with = "de::string")]
    pub status: String,
}

/// `MASSSENDJOBFINISH`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MassSendJobFinish {
    /// The mass message's id (`MsgID`).
    #[serde(rename = "MsgID", alias = "MsgId", deserialize_with = "de::num")]
    pub msg_id: u64,
    /// `send success`, `send fail`, `err(<code>)`.
    #[serde(deserialize_with = "de::string")]
    pub status: String,
    /// Followers targeted.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub total_count: Option<u64>,
    /// Followers left after filtering.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub filter_count: Option<u64>,
    /// Sent successfully.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub sent_count: Option<u64>,
    /// Failed.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub error_count: Option<u64>,
    /// The originality check, for news.
    #[serde(default)]
    pub copyright_check_result: Option<CopyrightCheckResult>,
    /// The published article URLs.
    #[serde(default)]
    pub article_url_result: Option<ArticleUrlResult>,
}

/// The originality check of a mass send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CopyrightCheckResult {
    /// How many articles were checked.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub count: Option<u32>,
    /// One entry per article.
    #[serde(default, deserialize_with = "items")]
    pub result_list: Vec<CopyrightCheckItem>,
    /// The overall state.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub check_state: Option<i32>,
}

/// One article's originality check.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CopyrightCheckItem {
    /// The article's position, from 1.
    #[serde(deserialize_with = "de::num")]
    pub article_idx: u32,
    /// Whether the user declared it original.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub user_declare_state: Option<i32>,
    /// The audit state.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub audit_state: Option<i32>,
    /// The original article's URL.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub original_article_url: Option<String>,
    /// The original article's type.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub original_article_type: Option<i32>,
    /// Whether reprinting is allowed.
    #[serde(default, deserialize_with = "de::flag")]
    pub can_reprint: bool,
    /// Whether content must be replaced.
    #[serde(default, deserialize_with = "de::flag")]
    pub need_replace_content: bool,
    /// Whether the reprint source must be shown.
    #[serde(default, deserialize_with = "de::flag")]
    pub need_show_reprint_source: bool,
}

/// The article URLs of a mass send.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ArticleUrlResult {
    /// How many.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub count: Option<u32>,
    /// One entry per article.
    #[serde(default, deserialize_with = "items")]
    pub result_list: Vec<ArticleUrlItem>,
}

/// One published article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ArticleUrlItem {
    /// The article's position, from 1.
    #[serde(deserialize_with = "de::num")]
    pub article_idx: u32,
    /// Its URL.
    #[serde(deserialize_with = "de::string")]
    pub article_url: String,
}

/// `<X><item>…</item><item>…</item></X>` as a `Vec`.
fn items<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(bound = "T: Deserialize<'de>")]
    struct Items<T> {
        #[serde(default = "Vec::new")]
        item: Vec<T>,
    }
    Ok(Items::<T>::deserialize(d)?.item)
}

/// `card_pass_check` and `card_not_pass_check`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CardCheck {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// Why it was refused.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub refuse_reason: Option<String>,
}

/// Events that name just a card and a code: `user_del_card`, `user_enter_session_from_card`,
/// `submit_membercard_user_info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
}

/// `user_get_card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserGetCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// Whether a friend gave it.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_give_by_friend: bool,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// The giving friend's OpenID.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub friend_user_name: Option<String>,
    /// The scene value of the claim.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub outer_id: Option<i64>,
    /// The code before a friend re-gave it.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub old_user_card_code: Option<String>,
    /// The `outer_str` scene string.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub outer_str: Option<String>,
    /// Whether a deleted member card was restored.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_restore_member_card: bool,
    /// Whether a friend recommended it.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_recommend_by_friend: bool,
    /// The user's UnionID, when bound to an open platform.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub union_id: Option<String>,
}

/// `user_gifting_card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserGiftingCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// Whether the gift came back.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_return_back: bool,
    /// The receiving friend's OpenID.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub friend_user_name: Option<String>,
    /// Whether it was given in a group chat.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_chat_room: bool,
}

/// `user_consume_card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserConsumeCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// `FROM_API`, `FROM_MOBILE_HELPER`, …
    #[serde(default, deserialize_with = "de::opt_string")]
    pub consume_source: Option<String>,
    /// The store's name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub location_name: Option<String>,
    /// The staff member's OpenID.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub staff_open_id: Option<String>,
    /// The self-service verification code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub verify_code: Option<String>,
    /// The self-service remark amount.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub remark_amount: Option<String>,
    /// The `outer_str` scene string.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub outer_str: Option<String>,
}

/// `user_pay_from_pay_cell`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserPayFromPayCell {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// The WeChat Pay transaction id.
    #[serde(deserialize_with = "de::string")]
    pub trans_id: String,
    /// The store id.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub location_id: Option<u64>,
    /// Amount paid, in fen.
    #[serde(deserialize_with = "de::num")]
    pub fee: u64,
    /// Amount before discounts, in fen.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub original_fee: Option<u64>,
}

/// `user_view_card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserViewCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// The `outer_str` scene string.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub outer_str: Option<String>,
}

/// `update_member_card`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateMemberCard {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The user's card code.
    #[serde(deserialize_with = "de::string")]
    pub user_card_code: String,
    /// Change in bonus points.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub modify_bonus: Option<i64>,
    /// Change in balance.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub modify_balance: Option<i64>,
}

/// `card_sku_remind`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CardSkuRemind {
    /// The card.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The stock warning.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub detail: Option<String>,
}

/// `card_pay_order`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CardPayOrder {
    /// The order id.
    #[serde(deserialize_with = "de::string")]
    pub order_id: String,
    /// `ORDER_STATUS_…`.
    #[serde(deserialize_with = "de::string")]
    pub status: String,
    /// When the order was created, Unix seconds.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub create_order_time: Option<i64>,
    /// When it was paid, Unix seconds (0 if not).
    #[serde(default, deserialize_with = "de::opt_num")]
    pub pay_finish_time: Option<i64>,
    /// Description.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub desc: Option<String>,
    /// Free coins.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub free_coin_count: Option<i64>,
    /// Paid coins.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub pay_coin_count: Option<i64>,
    /// Refunded free coins.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub refund_free_coin_count: Option<i64>,
    /// Refunded paid coins.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub refund_pay_coin_count: Option<i64>,
    /// `ORDER_TYPE_…`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub order_type: Option<String>,
    /// Memo.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub memo: Option<String>,
    /// Invoice information.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub receipt_info: Option<String>,
}

/// `kf_create_session` and `kf_close_session`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct KfSession {
    /// The customer-service account.
    #[serde(deserialize_with = "de::string")]
    pub kf_account: String,
}

/// `kf_switch_session`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct KfSwitchSession {
    /// The account handing over.
    #[serde(deserialize_with = "de::string")]
    pub from_kf_account: String,
    /// The account taking over.
    #[serde(deserialize_with = "de::string")]
    pub to_kf_account: String,
}

/// `subscribe_msg_popup_event`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubscribeMsgPopup {
    /// One entry per template in the pop-up.
    #[serde(rename = "SubscribeMsgPopupEvent", deserialize_with = "list")]
    pub items: Vec<SubscribeMsgPopupItem>,
}

/// One template's answer in a subscribe-message pop-up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SubscribeMsgPopupItem {
    /// The template.
    #[serde(deserialize_with = "de::string")]
    pub template_id: String,
    /// `accept` or `reject`.
    #[serde(deserialize_with = "de::string")]
    pub subscribe_status_string: String,
    /// Where the pop-up was shown.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub popup_scene: Option<i32>,
}

/// `subscribe_msg_change_event`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubscribeMsgChange {
    /// One entry per template whose status changed.
    #[serde(rename = "SubscribeMsgChangeEvent", deserialize_with = "list")]
    pub items: Vec<SubscribeMsgChangeItem>,
}

/// One template's new status.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SubscribeMsgChangeItem {
    /// The template.
    #[serde(deserialize_with = "de::string")]
    pub template_id: String,
    /// `accept` or `reject`.
    #[serde(deserialize_with = "de::string")]
    pub subscribe_status_string: String,
}

/// `subscribe_msg_sent_event`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubscribeMsgSent {
    /// One entry per message sent.
    #[serde(rename = "SubscribeMsgSentEvent", deserialize_with = "list")]
    pub items: Vec<SubscribeMsgSentItem>,
}

/// One subscribe-message delivery result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SubscribeMsgSentItem {
    /// The template.
    #[serde(deserialize_with = "de::string")]
    pub template_id: String,
    /// The message id (`MsgID`).
    #[serde(rename = "MsgID", alias = "MsgId", deserialize_with = "de::num")]
    pub msg_id: u64,
    /// 0 on success.
    #[serde(deserialize_with = "de::num")]
    pub error_code: i64,
    /// `success` or a failure reason.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub error_status: Option<String>,
}

/// `<X><List>…</List><List>…</List></X>` as a `Vec`.
fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(bound = "T: Deserialize<'de>")]
    struct List<T> {
        #[serde(rename = "List", default = "Vec::new")]
        list: Vec<T>,
    }
    Ok(List::<T>::deserialize(d)?.list)
}

// ---------------------------------------------------------------------------------------
// Free publishing

/// The `<xml>` of `PUBLISHJOBFINISH`: everything sits in `PublishEventInfo`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PublishJobFinishXml {
    publish_event_info: PublishEventInfo,
}

/// `PUBLISHJOBFINISH`: the `PublishEventInfo` of a free-publish job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PublishEventInfo {
    /// The job's `publish_id`, as `freepublish/submit` returned it.
    #[serde(deserialize_with = "de::string")]
    pub publish_id: String,
    /// 0 published, 1 publishing, 2 originality check failed, 3 failed, 4 refused by review,
    /// 5 all articles deleted by the user afterwards, 6 all articles banned afterwards.
    #[serde(deserialize_with = "de::num")]
    pub publish_status: i32,
    /// The article id, on success.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub article_id: Option<String>,
    /// The published articles, on success.
    #[serde(default)]
    pub article_detail: Option<PublishArticleDetail>,
    /// The positions (from 1) of the articles that did not pass, for status 2 or 4.
    #[serde(default, deserialize_with = "num_list")]
    pub fail_idx: Vec<u32>,
}

/// The `article_detail` of a publish job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PublishArticleDetail {
    /// How many articles.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub count: Option<u32>,
    /// One entry per article, from the repeated `<item>`.
    #[serde(default, rename = "item")]
    pub items: Vec<PublishArticle>,
}

/// One published article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PublishArticle {
    /// The article's position, from 1.
    #[serde(deserialize_with = "de::num")]
    pub idx: u32,
    /// Its permanent URL.
    #[serde(deserialize_with = "de::string")]
    pub article_url: String,
}

/// Repeated `<x>n</x>` elements as numbers; blank ones are skipped.
fn num_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(D::Error::custom))
        .collect()
}

// ---------------------------------------------------------------------------------------
// WeChat verification (微信认证)

/// `qualification_verify_success`, `naming_verify_success`, `annual_renew` and
/// `verify_expired`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VerifyExpiry {
    /// When the verification expires (or expired), Unix seconds.
    #[serde(deserialize_with = "de::num")]
    pub expired_time: i64,
}

/// `qualification_verify_fail` and `naming_verify_fail`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VerifyFail {
    /// When it failed, Unix seconds.
    #[serde(deserialize_with = "de::num")]
    pub fail_time: i64,
    /// Why.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub fail_reason: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Stores (门店)

/// `poi_check_notify`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PoiCheckNotify {
    /// The merchant's own id for the store (the `sid` given at creation).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub uniq_id: Option<String>,
    /// WeChat's store id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub poi_id: Option<String>,
    /// `succ` or `fail`.
    #[serde(deserialize_with = "de::string")]
    pub result: String,
    /// The notice on success, the reason on refusal.
    #[serde(default, alias = "msg", deserialize_with = "de::opt_string")]
    pub msg: Option<String>,
}

/// `apply_merchant_audit_info` and `modify_store_audit_info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct StoreAudit {
    /// The review's id.
    #[serde(deserialize_with = "de::num")]
    pub audit_id: u64,
    /// The review's state (3 passed, 4 refused, …).
    #[serde(deserialize_with = "de::num")]
    pub status: i32,
    /// Why it was refused.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason: Option<String>,
}

/// `add_store_audit_info`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AddStoreAudit {
    /// The review's id.
    #[serde(deserialize_with = "de::num")]
    pub audit_id: u64,
    /// The review's state (3 passed, 4 refused, …).
    #[serde(deserialize_with = "de::num")]
    pub status: i32,
    /// Why it was refused.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason: Option<String>,
    /// Whether the store was upgraded from the old store API.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub is_upgrade: Option<i32>,
    /// The store's id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub poiid: Option<String>,
}

/// `create_map_poi_audit_info`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CreateMapPoiAudit {
    /// The review's id.
    #[serde(deserialize_with = "de::num")]
    pub audit_id: u64,
    /// The review's state.
    #[serde(deserialize_with = "de::num")]
    pub status: i32,
    /// The Tencent Maps point id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub map_poi_id: Option<String>,
    /// The store's name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub name: Option<String>,
    /// The store's address.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub address: Option<String>,
    /// Latitude.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub longitude: Option<f64>,
    /// The reviewer's remark.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub sh_remark: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Cards: third-party sub-merchants and gift cards

/// `card_merchant_check_result`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CardMerchantCheckResult {
    /// The sub-merchant.
    #[serde(deserialize_with = "de::num")]
    pub merchant_id: u64,
    /// Whether it passed.
    #[serde(default, deserialize_with = "de::flag")]
    pub is_pass: bool,
    /// Why it was refused.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason: Option<String>,
}

/// `giftcard_pay_done`, `giftcard_send_to_friend` and `giftcard_user_accept`; the flags are
/// `false` where the event does not carry them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GiftCardOrder {
    /// The gift card shelf (page).
    #[serde(deserialize_with = "de::string")]
    pub page_id: String,
    /// The order.
    #[serde(deserialize_with = "de::string")]
    pub order_id: String,
    /// Given in a group chat (send_to_friend, user_accept).
    #[serde(default, deserialize_with = "de::flag")]
    pub is_chat_room: bool,
    /// The gift came back unaccepted (send_to_friend).
    #[serde(default, deserialize_with = "de::flag")]
    pub is_return_back: bool,
}

// ---------------------------------------------------------------------------------------
// Invoices (微信发票)

/// `user_authorize_invoice`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserAuthorizeInvoice {
    /// The order authorised, on success.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub succ_order_id: Option<String>,
    /// The order refused, on failure.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub fail_order_id: Option<String>,
    /// The account that receives the push (`AuthorizeAppId`; older samples say `AppId`).
    #[serde(default, alias = "AppId", deserialize_with = "de::opt_string")]
    pub authorize_app_id: Option<String>,
    /// `web` (H5 in WeChat) or `app`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub source: Option<String>,
}

/// `update_invoice_status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UpdateInvoiceStatus {
    /// `INVOICE_REIMBURSE_INIT`, `INVOICE_REIMBURSE_LOCK`, `INVOICE_REIMBURSE_CLOSURE`, …
    #[serde(deserialize_with = "de::string")]
    pub status: String,
    /// The invoice's card id.
    #[serde(deserialize_with = "de::string")]
    pub card_id: String,
    /// The invoice's code.
    #[serde(deserialize_with = "de::string")]
    pub code: String,
}

/// `submit_invoice_title` (its fields are lower-case on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct SubmitInvoiceTitle {
    /// The title (company or person).
    #[serde(deserialize_with = "de::string")]
    pub title: String,
    /// Phone.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub phone: Option<String>,
    /// Tax number.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub tax_no: Option<String>,
    /// Address.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub addr: Option<String>,
    /// Bank.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub bank_type: Option<String>,
    /// Bank account.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub bank_no: Option<String>,
    /// The merchant's extra data.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub attach: Option<String>,
    /// `InvoiceUserTitlePersonType` or `InvoiceUserTitleBusinessType`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub title_type: Option<String>,
}

/// `cloud_invoice_invoiceresult_event` (lower-case fields on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CloudInvoiceResult {
    /// The invoicing result code, as sent.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub status: Option<String>,
    /// The invoice request serial number (发票请求流水号).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub fpqqlsh: Option<String>,
    /// The seller's taxpayer id (纳税人识别号).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub nsrsbh: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Shopping guides (对话能力)

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GuideScanXml {
    guide_scan_event: GuideQrcodeScan,
}

/// `guide_qrcode_scan_event`: the `GuideScanEvent` element.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GuideQrcodeScan {
    /// The guide's WeChat id.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub qrcode_guide_account: Option<String>,
    /// The guide's OpenID, for guides bound by OpenID.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub qrcode_guide_openid: Option<String>,
    /// The scanning user's OpenID.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub openid: Option<String>,
    /// 1 the guide is no longer valid, 2 bound, 3 already bound, 4 bound to another guide.
    #[serde(deserialize_with = "de::num")]
    pub action: i32,
    /// The `qrcode_info` given when the code was made.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub qrcode_info: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GuideInviteXml {
    guide_invite_event: GuideInviteResult,
}

/// `guide_invite_result_event`: the `GuideInviteEvent` element.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GuideInviteResult {
    /// The guide's WeChat id, when added by it.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub guide_account: Option<String>,
    /// The guide's OpenID, when added by it.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub guide_openid: Option<String>,
    /// The invitation's result (the page documents only 1).
    #[serde(default, deserialize_with = "de::opt_num")]
    pub invite_result: Option<i32>,
}

// ---------------------------------------------------------------------------------------
// Wi-Fi and Shake Nearby

/// `WifiConnected`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WifiConnected {
    /// When the user connected, Unix seconds.
    #[serde(deserialize_with = "de::num")]
    pub connect_time: i64,
    /// Reserved by WeChat (a fixed value).
    #[serde(default, deserialize_with = "de::opt_num")]
    pub expire_time: Option<i64>,
    /// Reserved by WeChat (a fixed value).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub vendor_id: Option<String>,
    /// The store (`ShopId`; some versions say `PlaceId`).
    #[serde(default, alias = "PlaceId", deserialize_with = "de::opt_string")]
    pub shop_id: Option<String>,
    /// The access point's wireless MAC address (its BSSID).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub device_no: Option<String>,
}

/// `ShakearoundUserShake`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ShakearoundUserShake {
    /// The beacon whose page was shown.
    #[serde(default)]
    pub chosen_beacon: Option<Beacon>,
    /// Up to five other nearby beacons of the account, from
    /// `<AroundBeacons><AroundBeacon>`.
    #[serde(default, deserialize_with = "around_beacons")]
    pub around_beacons: Vec<Beacon>,
}

/// An iBeacon seen by a shake.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Beacon {
    /// The beacon's UUID.
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    /// Its major number.
    #[serde(deserialize_with = "de::num")]
    pub major: u16,
    /// Its minor number.
    #[serde(deserialize_with = "de::num")]
    pub minor: u16,
    /// The distance from the phone, in metres.
    #[serde(deserialize_with = "de::num")]
    pub distance: f64,
}

fn around_beacons<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Beacon>, D::Error> {
    #[derive(Deserialize)]
    struct AroundBeacons {
        #[serde(rename = "AroundBeacon", default)]
        beacons: Vec<Beacon>,
    }
    Ok(AroundBeacons::deserialize(d)?.beacons)
}

/// `ShakearoundLotteryBind`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ShakearoundLotteryBind {
    /// The red packet campaign.
    #[serde(deserialize_with = "de::string")]
    pub lottery_id: String,
    /// The red packet's ticket.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ticket: Option<String>,
    /// The amount, in fen.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub money: Option<u64>,
    /// When it was bound, Unix seconds.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub bind_time: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// The old WeChat store and Scan (扫一扫)

/// `merchant_order`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MerchantOrder {
    /// The order.
    #[serde(deserialize_with = "de::string")]
    pub order_id: String,
    /// The order's state (2: paid).
    #[serde(deserialize_with = "de::num")]
    pub order_status: i32,
    /// The product.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub product_id: Option<String>,
    /// The SKU, `attr:value;attr:value`.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub sku_info: Option<String>,
}

/// `user_scan_product`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserScanProduct {
    /// The code standard (`ean13`, `qrcode`, …).
    #[serde(deserialize_with = "de::string")]
    pub key_standard: String,
    /// The code.
    #[serde(deserialize_with = "de::string")]
    pub key_str: String,
    /// The user's country, as set in WeChat.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub country: Option<String>,
    /// The user's province.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub province: Option<String>,
    /// The user's city.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub city: Option<String>,
    /// 1 male, 2 female, 0 unknown.
    #[serde(default, deserialize_with = "de::opt_num")]
    pub sex: Option<i32>,
    /// 1 by scanning, 2 from elsewhere (chat, favourites, Moments).
    #[serde(default, deserialize_with = "de::opt_num")]
    pub scene: Option<i32>,
    /// The `extinfo` of the product QR code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ext_info: Option<String>,
}

/// `user_scan_product_enter_session`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ScanProductKey {
    /// The code standard.
    #[serde(deserialize_with = "de::string")]
    pub key_standard: String,
    /// The code.
    #[serde(deserialize_with = "de::string")]
    pub key_str: String,
    /// The `extinfo` of the product QR code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ext_info: Option<String>,
}

/// `user_scan_product_async`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserScanProductAsync {
    /// The code standard.
    #[serde(deserialize_with = "de::string")]
    pub key_standard: String,
    /// The code.
    #[serde(deserialize_with = "de::string")]
    pub key_str: String,
    /// The `extinfo` of the product QR code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub ext_info: Option<String>,
    /// The user's administrative region code.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub region_code: Option<String>,
}

/// `user_scan_product_verify_action`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UserScanProductVerifyAction {
    /// The code standard.
    #[serde(deserialize_with = "de::string")]
    pub key_standard: String,
    /// The code.
    #[serde(deserialize_with = "de::string")]
    pub key_str: String,
    /// `verify_ok` or `verify_not_pass`.
    #[serde(deserialize_with = "de::string")]
    pub result: String,
    /// Why it did not pass.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub reason_msg: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Web authorisation changes (授权用户信息变更)

/// `user_info_modified`, `user_authorization_revoke` and `user_authorization_cancellation`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AuthorizationChange {
    /// The user (`OpenID`).
    #[serde(default, rename = "OpenID", alias = "OpenId", deserialize_with = "de::opt_string")]
    pub open_id: Option<String>,
    /// The user's UnionID (`UnionID`), when sent.
    #[serde(default, rename = "UnionID", alias = "UnionId", deserialize_with = "de::opt_string")]
    pub union_id: Option<String>,
    /// The account (`AppID`).
    #[serde(default, rename = "AppID", alias = "AppId", deserialize_with = "de::opt_string")]
    pub app_id: Option<String>,
    /// What was withdrawn (201 address, 202 invoice, 203 cards, 204 microphone, 205 nickname
    /// and avatar, 206 location, 207 chosen media, …), for `user_authorization_revoke`.
    #[serde(default, deserialize_with = "de::opt_string", rename = "RevokeInfo")]
    pub revoke_info: Option<String>,
}

/// An event this crate does not model; the XML is kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// The `Event` as sent.
    pub event: String,
    /// The whole plaintext XML, to parse yourself.
    pub raw: String,
}
