//! The shopping-guide group as a user writes it: guides, buyers and materials named by
//! flattened one-ofs, checked against the JSON of WeChat's pages. WeChat took the API
//! offline in 2023, so every call is `#[deprecated]`; the mock still serves it.
#![allow(deprecated)]

use serde_json::{Value, json};
use wechat_mp::api::guide::{
    GuideBuyers, GuideMassSendMaterial, GuideMaterialType, GuideNewRef, GuideOldRef, GuideRef, GuideTaskStatus,
};
use wechat_mp_mock::MockWechat;
use wechat_mp_tests::examples::sent_body;

#[tokio::test]
async fn buyers_move_between_guides_by_list() {
    let wx = MockWechat::start().await;
    wx.client()
        .guide()
        .rebind_buyers(
            GuideOldRef::old_guide_account("wx_account"),
            GuideNewRef::new_guide_account("wx_account2"),
            GuideBuyers::openid_list(vec!["xxxxxxx".to_owned(), "yyyyyyyy".to_owned()]),
        )
        .await
        .unwrap();
    assert_eq!(
        sent_body(&wx, "guide.rebind_buyers"),
        json!({
            "old_guide_account": "wx_account",
            "new_guide_account": "wx_account2",
            "openid_list": ["xxxxxxx", "yyyyyyyy"]
        })
    );
}

#[tokio::test]
async fn a_guide_is_named_by_openid_as_well_as_by_wechat_id() {
    for (guide, key) in [
        (GuideRef::guide_account("wx_account"), "guide_account"),
        (GuideRef::guide_openid("oGUIDE"), "guide_openid"),
    ] {
        let wx = MockWechat::start().await;
        wx.client().guide().delete_guide(guide.clone()).await.unwrap();
        let body = sent_body(&wx, "guide.delete_guide");
        let value = match &guide {
            GuideRef::Account(v) | GuideRef::OpenId(v) => v.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(body, json!({ key: value }));
    }
}

#[tokio::test]
async fn a_mass_send_job_carries_text_image_and_card_materials() {
    let wx = MockWechat::start().await;
    let materials = vec![
        GuideMassSendMaterial::new(GuideMaterialType::Text).with_word("testword"),
        GuideMassSendMaterial::new(GuideMaterialType::Image).with_media_id("MEDIA_ID"),
        GuideMassSendMaterial::new(GuideMaterialType::MiniProgramCard)
            .with_media_id("MEDIA_ID")
            .with_title("test_title")
            .with_path("page/index/index")
            .with_appid("wxzzzzzzzzzzzz"),
    ];
    let answer = wx
        .client()
        .guide()
        .add_mass_send_job(
            GuideRef::guide_account("xxxxxxxx"),
            "testtask_name111",
            1589010582,
            vec!["yyyyyyyy".to_owned()],
            materials,
        )
        .task_remark("testtask_remark111")
        .await
        .unwrap();
    assert!(!answer.task_result.unwrap_or_default().is_empty());
    assert_eq!(
        sent_body(&wx, "guide.add_mass_send_job"),
        json!({
            "guide_account": "xxxxxxxx",
            "task_name": "testtask_name111",
            "task_remark": "testtask_remark111",
            "push_time": 1589010582,
            "openid": ["yyyyyyyy"],
            "material": [
                {"type": 1, "word": "testword"},
                {"type": 3, "media_id": "MEDIA_ID"},
                {"type": 49, "media_id": "MEDIA_ID", "title": "test_title", "path": "page/index/index", "appid": "wxzzzzzzzzzzzz"}
            ]
        })
    );
}

#[tokio::test]
async fn every_guide_is_listed_page_by_page_up_to_the_total() {
    use futures_util::StreamExt;

    let wx = MockWechat::start().await;
    let page = |names: &[&str]| {
        let list: Vec<Value> = names.iter().map(|n| json!({"guide_account": n})).collect();
        json!({"errcode": 0, "errmsg": "ok", "total_num": 3, "list": list})
    };
    wx.respond_next("guide.list_guides", [page(&["a", "b"]), page(&["c"])])
        .unwrap();
    let guides: Vec<String> = wx
        .client()
        .guide()
        .list_guides(0, 2)
        .items()
        .map(|g| g.unwrap().guide_account.unwrap())
        .collect()
        .await;
    assert_eq!(guides, ["a", "b", "c"]);
    wx.assert_no_mismatches();
    let sent: Vec<Value> = wx
        .calls("guide.list_guides")
        .unwrap()
        .into_iter()
        .map(|c| c.body.unwrap())
        .collect();
    // Three guides in pages of two: the third page is never asked for.
    assert_eq!(sent, [json!({"page": 0, "num": 2}), json!({"page": 1, "num": 2})]);
}

#[tokio::test]
async fn numbered_values_read_as_enums_and_the_mock_refuses_an_unknown_code() {
    let wx = MockWechat::start().await;
    let client = wx.client();
    let jobs = client
        .guide()
        .list_mass_send_jobs(GuideRef::guide_account("xxxxxxxx"))
        .task_status(vec![GuideTaskStatus::Pending])
        .await
        .unwrap();
    let job = &jobs.list.unwrap()[0];
    assert_eq!(job.task_status, Some(GuideTaskStatus::Pending));
    let kinds: Vec<GuideMaterialType> = job.materials.iter().flatten().filter_map(|m| m.material_type).collect();
    assert_eq!(
        kinds,
        [
            GuideMaterialType::Text,
            GuideMaterialType::Image,
            GuideMaterialType::MiniProgramCard
        ]
    );
    assert_eq!(
        wx.calls("guide.list_mass_send_jobs").unwrap()[0].body,
        Some(json!({"guide_account": "xxxxxxxx", "task_status": [1]}))
    );

    let err = client
        .guide()
        .add_mass_send_job(
            GuideRef::guide_account("xxxxxxxx"),
            "task",
            1589010582,
            vec!["yyyyyyyy".to_owned()],
            vec![GuideMassSendMaterial::new(GuideMaterialType::Other(2)).with_word("w")],
        )
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(40097), "{err}");
    let mismatches = wx.mismatches();
    assert!(
        mismatches
            .iter()
            .any(|m| m.to_string().contains("`$.material[0].type` is 2")),
        "{mismatches:?}"
    );
}
