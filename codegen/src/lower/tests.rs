//! Unit tests of lowering: specs given as text, the IR or the diagnostics checked.

use std::path::{Path, PathBuf};

use super::lower;
use crate::diag::Diagnostic;
use crate::ir::*;
use crate::load::{Loaded, LoadedFile, Specs, parse_error, parse_spec};
use crate::spec::{ErrorsFile, SharedFile};

/// A group file at `path` (`specs/user.yaml` or `specs/card/codes.yaml`).
fn file(path: &str, text: &str) -> Loaded {
    let file = PathBuf::from(path);
    let parts: Vec<&str> = path.trim_end_matches(".yaml").split('/').collect();
    let (group, section) = match parts.as_slice() {
        [_, stem] => ((*stem).to_owned(), None),
        [_, dir, stem] if dir == stem => ((*dir).to_owned(), None),
        [_, dir, stem] => ((*dir).to_owned(), Some((*stem).to_owned())),
        _ => panic!("bad path {path}"),
    };
    let spec = parse_spec(&file, text).unwrap_or_else(|d| panic!("{d}"));
    Loaded {
        file,
        group,
        section,
        spec,
    }
}

fn shared(text: &str) -> LoadedFile<SharedFile> {
    let file = PathBuf::from("specs/_shared.yaml");
    let spec = serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{}", parse_error(&file, &e)));
    LoadedFile { file, spec }
}

fn specs(files: Vec<Loaded>) -> Specs {
    Specs {
        files,
        ..Specs::default()
    }
}

fn errors(specs: &Specs) -> Vec<String> {
    match lower(specs) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(Diagnostic::to_string).collect(),
    }
}

fn ok(specs: &Specs) -> Ir {
    lower(specs).unwrap_or_else(|d| panic!("{}", d.iter().map(Diagnostic::to_string).collect::<Vec<_>>().join("\n")))
}

const USER: &str = r#"
group: user
title: Users
endpoints:
  - name: info
    summary: One follower.
    method: GET
    path: /cgi-bin/user/info
    query:
      openid: { type: string, required: true }
      lang: { type: Lang }
    examples:
      - query: { openid: o1, lang: en }
        response: { errcode: 0, errmsg: ok }
"#;

const LANG: &str = r#"
types:
  Lang:
    values: { zh_CN: 简体, en: English }
"#;

#[test]
fn a_shared_type_is_one_type_that_groups_name_plainly() {
    let mut s = specs(vec![file("specs/user.yaml", USER)]);
    s.shared = Some(shared(LANG));
    let ir = ok(&s);
    assert_eq!(ir.shared.len(), 1);
    assert_eq!(ir.shared[0].home, Home::Shared);
    assert!(ir.shared[0].in_request, "reached from a parameter, so users build it");
    assert!(ir.groups[0].types.is_empty());
    let lang = &ir.groups[0].endpoints[0].params[1];
    assert_eq!(lang.field.ty, TypeRef::Named("Lang".into()));
}

#[test]
fn a_name_declared_twice_is_an_error_naming_both_places() {
    let auth = "group: auth\ntitle: Auth\ntypes:\n  Lang:\n    values: { en: English }\n";
    let mut s = specs(vec![file("specs/auth.yaml", auth), file("specs/user.yaml", USER)]);
    s.shared = Some(shared(LANG));
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("specs/auth.yaml:5:5: type `Lang` is already declared at specs/_shared.yaml:4:5"),
        "{errs:?}"
    );
    assert!(errs[0].contains("specs/_shared.yaml"), "{errs:?}");
}

#[test]
fn another_groups_type_must_be_named_with_its_group() {
    let tags = r#"
group: tags
title: Tags
endpoints:
  - name: tag
    summary: Tag followers.
    method: POST
    path: /cgi-bin/tags/tag
    body:
      who: { type: "[Who]", required: true }
    examples:
      - request: { who: [{ openid: o1 }] }
        response: { errcode: 0, errmsg: ok }
types:
  Who:
    fields:
      openid: { type: string }
"#;
    let plain = USER.replace("type: Lang", "type: Who");
    let errs = errors(&specs(vec![
        file("specs/tags.yaml", tags),
        file("specs/user.yaml", &plain),
    ]));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("type `Who` belongs to group `tags` (specs/tags.yaml:"),
        "{errs:?}"
    );
    assert!(errs[0].contains("write `tags.Who`"), "{errs:?}");

    let qualified = r#"
group: user
title: Users
endpoints:
  - name: tag
    summary: Tag one follower.
    method: POST
    path: /cgi-bin/user/tag
    body:
      openid: { type: string, required: true }
      who: { type: tags.Who }
    examples:
      - request: { openid: o1, who: { openid: o2 } }
        response: { errcode: 0, errmsg: ok }
"#;
    let ir = ok(&specs(vec![
        file("specs/tags.yaml", tags),
        file("specs/user.yaml", qualified),
    ]));
    let user = ir.groups.iter().find(|g| g.name == "user").unwrap();
    assert_eq!(user.uses, ["tags"]);
    assert_eq!(user.endpoints[0].params[1].field.ty, TypeRef::Named("Who".into()));
}

#[test]
fn a_folder_group_joins_its_files_main_first() {
    let main = "group: card\ntitle: Cards\ndoc: All of them.\n";
    let codes = r#"
group: card
title: Codes
endpoints:
  - name: consume
    summary: Consume a code.
    method: POST
    path: /card/code/consume
    body:
      code: { type: Code, required: true }
    examples:
      - request: { code: { value: "1" } }
        response: { errcode: 0, errmsg: ok }
types:
  Code:
    fields:
      value: { type: string }
"#;
    let ir = ok(&specs(vec![
        file("specs/card/codes.yaml", codes),
        file("specs/card/card.yaml", main),
    ]));
    let card = &ir.groups[0];
    assert_eq!(card.title, "Cards");
    assert_eq!(card.file, Path::new("specs/card/card.yaml"));
    let sections: Vec<Option<&str>> = card.sections.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(sections, [None, Some("codes")]);
    assert_eq!(card.endpoints[0].section.as_deref(), Some("codes"));
    assert_eq!(
        card.types[0].home,
        Home::Group {
            group: "card".into(),
            section: Some("codes".into())
        }
    );

    let errs = errors(&specs(vec![file("specs/card/codes.yaml", codes)]));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("the folder of group `card` has no main file"),
        "{errs:?}"
    );
    assert!(errs[0].contains("specs/card/card.yaml"), "{errs:?}");
}

#[test]
fn a_deprecated_group_deprecates_each_endpoint_that_says_nothing_itself() {
    let main = "group: card\ntitle: Cards\ndeprecated: { note: Offline since 2023-03-16. }\n";
    let codes = r#"
group: card
title: Codes
endpoints:
  - name: consume
    summary: Consume a code.
    method: POST
    path: /card/code/consume
    examples:
      - response: { errcode: 0, errmsg: ok }
  - name: check
    summary: Check a code.
    method: POST
    path: /card/code/check
    deprecated: { note: Gone since 2020., replacement: card.consume }
    examples:
      - response: { errcode: 0, errmsg: ok }
"#;
    let ir = ok(&specs(vec![
        file("specs/card/card.yaml", main),
        file("specs/card/codes.yaml", codes),
    ]));
    let card = &ir.groups[0];
    assert_eq!(card.deprecated.as_deref(), Some("Offline since 2023-03-16."));
    let notes: Vec<(&str, Option<&str>)> = card
        .endpoints
        .iter()
        .map(|ep| {
            let d = ep.deprecated.as_ref().unwrap();
            (d.note.as_str(), d.replacement.as_deref())
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("Offline since 2023-03-16.", None),
            ("Gone since 2020.", Some("card.consume"))
        ]
    );

    let section = codes.replace("title: Codes\n", "title: Codes\ndeprecated: { note: No. }\n");
    let errs = errors(&specs(vec![
        file("specs/card/card.yaml", main),
        file("specs/card/codes.yaml", &section),
    ]));
    assert!(
        errs.iter()
            .any(|e| e.contains("a section of group `card` cannot deprecate the group")),
        "{errs:?}"
    );
}

#[test]
fn integer_codes_become_an_enum_and_examples_must_use_them() {
    let spec = r#"
group: guide
title: Guide
endpoints:
  - name: send
    summary: Send a material.
    method: POST
    path: /cgi-bin/guide/send
    body:
      kind: { type: Kind, required: true }
    examples:
      - request: { kind: 3 }
        response: { errcode: 0, errmsg: ok }
types:
  Kind:
    codes:
      1: { name: Text, doc: 文本 }
      3: { name: Image }
"#;
    let ir = ok(&specs(vec![file("specs/guide.yaml", spec)]));
    let TypeDef::Codes(codes) = &ir.groups[0].types[0].def else {
        panic!("{:?}", ir.groups[0].types[0].def);
    };
    let wires: Vec<(&str, &str)> = codes.iter().map(|c| (c.wire.as_str(), c.rust.as_str())).collect();
    assert_eq!(wires, [("1", "Text"), ("3", "Image")]);

    let unknown = spec.replace("{ kind: 3 }", "{ kind: 2 }");
    let errs = errors(&specs(vec![file("specs/guide.yaml", &unknown)]));
    assert!(errs[0].contains("2 is not a code of `Kind` (codes: 1, 3)"), "{errs:?}");
    let text = spec.replace("{ kind: 3 }", "{ kind: three }");
    let errs = errors(&specs(vec![file("specs/guide.yaml", &text)]));
    assert!(errs[0].contains("expected Kind"), "{errs:?}");
    ok(&specs(vec![file(
        "specs/guide.yaml",
        &spec.replace("{ kind: 3 }", "{ kind: \"3\" }"),
    )]));
    let clash = spec.replace("{ name: Image }", "{ name: Text }");
    let errs = errors(&specs(vec![file("specs/guide.yaml", &clash)]));
    assert!(
        errs[0].contains("codes 1 and 3 of `Kind` are both named `Text`"),
        "{errs:?}"
    );
    let none = spec.replace("{ name: Image }", "{ name: None }");
    let errs = errors(&specs(vec![file("specs/guide.yaml", &none)]));
    assert!(errs[0].contains("`None` is not a usable variant name"), "{errs:?}");
    let empty = spec.replace(
        "    codes:\n      1: { name: Text, doc: 文本 }\n      3: { name: Image }\n",
        "    codes: {}\n",
    );
    let errs = errors(&specs(vec![file("specs/guide.yaml", &empty)]));
    assert!(
        errs.iter().any(|e| e.contains("integer enum `Kind` has no codes")),
        "{errs:?}"
    );
    let lower = spec.replace("{ name: Image }", "{ name: image }");
    let errs = errors(&specs(vec![file("specs/guide.yaml", &lower)]));
    assert!(errs[0].contains("`image` is not a usable variant name"), "{errs:?}");
}

#[test]
fn a_string_value_may_name_its_variant_and_a_numeric_one_must() {
    let spec = r#"
group: menu
title: Menu
types:
  Platform:
    values:
      "1": { name: Ios, doc: iOS }
      "2": Android
"#;
    let errs = errors(&specs(vec![file("specs/menu.yaml", spec)]));
    assert!(
        errs.iter()
            .any(|e| e.contains("value `2` of `Platform` makes no Rust name")),
        "{errs:?}"
    );
    let named = spec.replace("\"2\": Android", "\"2\": { name: Android }");
    let ir = ok(&specs(vec![file("specs/menu.yaml", &named)]));
    let TypeDef::Enum(values) = &ir.shared.iter().chain(&ir.groups[0].types).next().unwrap().def else {
        panic!("not an enum");
    };
    let names: Vec<(&str, &str, Option<&str>)> = values
        .iter()
        .map(|v| (v.wire.as_str(), v.rust.as_str(), v.doc.as_deref()))
        .collect();
    assert_eq!(names, [("1", "Ios", Some("iOS")), ("2", "Android", None)]);
}

#[test]
fn a_file_must_declare_the_group_its_place_says() {
    let errs = errors(&specs(vec![file("specs/users.yaml", USER)]));
    assert!(
        errs.iter()
            .any(|e| e.contains("group `user` does not match its file name `users.yaml`")),
        "{errs:?}"
    );
}

const LIST: &str = r#"
group: user
title: Users
endpoints:
  - name: get
    summary: Followers.
    method: GET
    path: /cgi-bin/user/get
    query:
      next_openid: { type: string }
    response:
      fields:
        total: { type: u64 }
        data: { type: Page }
        next_openid: { type: string }
    paginate:
      items: data.openid
      cursor: { param: next_openid }
    examples:
      - response: { total: 0, next_openid: "" }
types:
  Page:
    fields:
      openid: { type: "[string]" }
"#;

#[test]
fn a_cursor_paginate_resolves_its_items_and_cursor() {
    let ir = ok(&specs(vec![file("specs/user.yaml", LIST)]));
    let p = ir.groups[0].endpoints[0].paginate.as_ref().unwrap();
    assert_eq!(p.items, [("data".to_owned(), false), ("openid".to_owned(), false)]);
    assert_eq!(p.item, TypeRef::String);
    assert!(matches!(
        &p.style,
        PageStyle::Cursor { param, from, param_required: false, from_required: false }
            if param == "next_openid" && from == "next_openid"
    ));
}

#[test]
fn a_bad_paginate_is_a_located_error() {
    let wrong_path = LIST.replace("items: data.openid", "items: data.openids");
    let errs = errors(&specs(vec![file("specs/user.yaml", &wrong_path)]));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .starts_with("specs/user.yaml:17:14: `paginate.items` of `get`: the response has no field `openids` here"),
        "{errs:?}"
    );

    let not_a_list = LIST.replace("items: data.openid", "items: total");
    let errs = errors(&specs(vec![file("specs/user.yaml", &not_a_list)]));
    assert!(
        errs[0].contains("must lead to a list, but `total` is `u64`"),
        "{errs:?}"
    );

    let both = LIST.replace(
        "cursor: { param: next_openid }",
        "cursor: { param: next_openid }\n      offset: { param: next_openid }",
    );
    let errs = errors(&specs(vec![file("specs/user.yaml", &both)]));
    assert!(
        errs[0].contains("needs exactly one of `cursor`, `offset` and `page`"),
        "{errs:?}"
    );

    let numeric = LIST.replace(
        "items: data.openid\n      cursor: { param: next_openid }",
        "items: data.openid\n      offset: { param: next_openid }",
    );
    let errs = errors(&specs(vec![file("specs/user.yaml", &numeric)]));
    assert!(errs[0].contains("`next_openid` must be a number"), "{errs:?}");

    let paged = LIST.replace(
        "next_openid: { type: string }\n    response",
        "page: { type: u32, required: true }\n      num: { type: u32 }\n    response",
    );
    let by_page = |page: &str| paged.replace("cursor: { param: next_openid }", page);
    let errs = errors(&specs(vec![file(
        "specs/user.yaml",
        &by_page("page: { param: page, size: num }"),
    )]));
    assert!(errs[0].contains("needs `size` and `total` together"), "{errs:?}");
    let errs = errors(&specs(vec![file(
        "specs/user.yaml",
        &by_page("page: { param: page, size: num, total: total }"),
    )]));
    assert!(errs[0].contains("`num` must be a required u32"), "{errs:?}");
    let errs = errors(&specs(vec![file(
        "specs/user.yaml",
        &by_page("page: { param: page, first: 2 }"),
    )]));
    assert!(errs[0].contains("must be 0 or 1"), "{errs:?}");
    let ir = ok(&specs(vec![file(
        "specs/user.yaml",
        &by_page("page: { param: page, first: 1 }"),
    )]));
    assert!(matches!(
        &ir.groups[0].endpoints[0].paginate.as_ref().unwrap().style,
        PageStyle::Page { param, param_required: true, first: 1, size_total: None } if param == "page"
    ));
}

#[test]
fn parameters_may_not_shadow_builder_methods() {
    for name in ["to_request", "send_stream", "into_future", "send"] {
        let text = USER
            .replace("lang: { type: Lang }", &format!("{name}: {{ type: string }}"))
            .replace(", lang: en", "");
        let errs = errors(&specs(vec![file("specs/user.yaml", &text)]));
        assert!(
            errs.iter()
                .any(|e| e.contains(&format!("would shadow the builder method `{name}`"))),
            "{name}: {errs:?}"
        );
    }
    // `items` is a method of paged builders only.
    let text = USER
        .replace("lang: { type: Lang }", "items: { type: string }")
        .replace(", lang: en", "");
    assert_eq!(
        errors(&specs(vec![file("specs/user.yaml", &text)])),
        Vec::<String>::new()
    );
}

#[test]
fn an_at_path_places_a_parameter_in_nested_objects() {
    let text = r#"
group: qrcode
title: QR
endpoints:
  - name: create
    summary: A code.
    method: POST
    path: /cgi-bin/qrcode/create
    body:
      action_name: { const: QR_SCENE }
      scene_id: { type: u32, required: true, at: action_info.scene }
    examples:
      - request: { action_name: QR_SCENE, action_info: { scene: { scene_id: 1 } } }
        response: { errcode: 0, errmsg: ok }
"#;
    let ir = ok(&specs(vec![file("specs/qrcode.yaml", text)]));
    let params = &ir.groups[0].endpoints[0].params;
    assert_eq!(params[0].constant, Some(serde_json::json!("QR_SCENE")));
    assert!(params[0].field.required, "a constant is always sent");
    assert_eq!(
        params[1].location,
        ParamIn::Body(vec!["action_info".into(), "scene".into()])
    );
}

#[test]
fn a_type_name_generated_code_uses_is_rejected() {
    let text = format!(
        "{USER}types:\n  Result:\n    fields:\n      x: {{ type: string }}\n  InfoRequest:\n    fields:\n      y: {{ type: string }}\n"
    );
    let mut s = specs(vec![file("specs/user.yaml", &text)]);
    s.shared = Some(shared(LANG));
    let errs = errors(&s);
    assert!(
        errs.iter().any(|e| e.contains("type name `Result` collides")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("type name `InfoRequest` collides with the request builder of `user.info`")),
        "{errs:?}"
    );
}

#[test]
fn a_doc_url_must_be_a_page_of_wechats_documentation() {
    let good = USER.replace(
        "path: /cgi-bin/user/info",
        "path: /cgi-bin/user/info\n    doc_url: https://developers.weixin.qq.com/doc/service/api/usermanage/userinfo/api_userinfo.html",
    );
    let mut s = specs(vec![file("specs/user.yaml", &good)]);
    s.shared = Some(shared(LANG));
    let ir = ok(&s);
    assert!(
        ir.groups[0].endpoints[0]
            .doc_url
            .as_deref()
            .unwrap()
            .ends_with("api_userinfo.html")
    );

    let bad = good.replace("https://developers.weixin.qq.com/doc/", "https://blog.example.com/");
    let mut s = specs(vec![file("specs/user.yaml", &bad)]);
    s.shared = Some(shared(LANG));
    let errs = errors(&s);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("is not a page of WeChat's documentation"), "{errs:?}");
}

#[test]
fn the_errcode_table_is_unique_and_ascending() {
    let table = |text: &str| -> Specs {
        let file = PathBuf::from("specs/_errors.yaml");
        let spec: ErrorsFile = serde_saphyr::from_str(text).unwrap();
        Specs {
            errors: Some(LoadedFile { file, spec }),
            ..Specs::default()
        }
    };
    let good = table(
        "codes:\n  - { code: -1, name: SystemBusy, doc: 系统繁忙 }\n  - { code: 40001, name: InvalidCredential, doc: 无效 }\n",
    );
    let ir = ok(&good);
    assert_eq!(ir.error_codes.len(), 2);
    assert_eq!(ir.error_codes[1].name, "InvalidCredential");

    let bad = table(
        "codes:\n  - { code: 40001, name: A, doc: a }\n  - { code: 40001, name: B, doc: b }\n  - { code: 3, name: A, doc: c }\n  - { code: 4, name: Other, doc: d }\n",
    );
    let errs = errors(&bad);
    assert!(
        errs.iter().any(|e| e.contains("errcode 40001 is listed twice")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("errcode 3 comes after 40001")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("errcode name `A` is already used by 40001")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|e| e.contains("other than `Other`")), "{errs:?}");
}
