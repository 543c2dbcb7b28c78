//! The generator against whole workspaces: the real one (drift fails `cargo test`) and
//! scratch copies of it (check mode, failed runs, deleted and added specs).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Error, Mode};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Drift between `specs/` and the checked-in generated files fails `cargo test`.
#[test]
fn checked_in_files_match_the_specs() {
    if let Err(e) = codegen::run(&repo_root(), Mode::Check) {
        panic!("{e}");
    }
}

/// A scratch workspace holding a copy of the real specs and Cargo.toml.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    for (rel, bytes) in tree(&root.join("specs")) {
        if rel.extension().is_some_and(|e| e == "yaml") {
            let target = dir.path().join("specs").join(rel);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
    }
    fs::create_dir_all(dir.path().join("wechat-mp")).unwrap();
    fs::copy(
        root.join("wechat-mp/Cargo.toml"),
        dir.path().join("wechat-mp/Cargo.toml"),
    )
    .unwrap();
    codegen::run(dir.path(), Mode::Write).unwrap();
    dir
}

fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn check_mode_names_each_stale_file_after_a_description_edit() {
    let ws = scratch();
    codegen::run(ws.path(), Mode::Check).expect("fresh after a write");
    edit(
        &ws.path().join("specs/menu.yaml"),
        "一级菜单数组，个数应为1~3个",
        "一级菜单数组（已编辑）",
    );
    match codegen::run(ws.path(), Mode::Check) {
        Err(Error::Stale(paths)) => {
            // The rustdoc and ENDPOINTS.md both carry the parameter table.
            let mut paths = paths;
            paths.sort();
            assert_eq!(
                paths,
                vec![
                    PathBuf::from("wechat-mp/ENDPOINTS.md"),
                    PathBuf::from("wechat-mp/src/api/menu/requests.rs")
                ]
            );
        }
        other => panic!("expected stale files, got {other:?}"),
    }
}

#[test]
fn a_failed_run_leaves_every_file_as_it_was() {
    let ws = scratch();
    edit(
        &ws.path().join("specs/menu.yaml"),
        "一级菜单数组，个数应为1~3个",
        "changed, but the run fails",
    );
    fs::write(
        ws.path().join("specs/zz_broken.yaml"),
        "group: zz_broken\ntitle: x\nendpoints: 3\n",
    )
    .unwrap();
    let before = tree(ws.path());
    let err = codegen::run(ws.path(), Mode::Write).unwrap_err();
    assert!(err.to_string().contains("specs/zz_broken.yaml:3:12"), "{err}");
    assert_eq!(tree(ws.path()), before);
}

#[test]
fn deleting_a_spec_removes_its_generated_files() {
    let ws = scratch();
    assert!(ws.path().join("wechat-mp/src/api/qrcode/mod.rs").exists());
    fs::remove_file(ws.path().join("specs/qrcode.yaml")).unwrap();
    let summary = codegen::run(ws.path(), Mode::Write).unwrap();
    for file in ["mod.rs", "requests.rs", "types.rs"] {
        assert!(
            summary
                .removed
                .contains(&PathBuf::from(format!("wechat-mp/src/api/qrcode/{file}")))
        );
    }
    assert!(
        !ws.path().join("wechat-mp/src/api/qrcode").exists(),
        "the emptied folder goes too"
    );
    assert!(!ws.path().join("tests/tests/it/endpoints/generated/qrcode.rs").exists());
    let cargo = fs::read_to_string(ws.path().join("wechat-mp/Cargo.toml")).unwrap();
    let full = cargo
        .lines()
        .find(|l| l.starts_with("full = "))
        .expect("a full feature");
    assert!(full.contains("\"menu\"") && !full.contains("qrcode"), "{full}");
    assert!(!cargo.lines().any(|l| l.starts_with("qrcode = ")), "{cargo}");
    codegen::run(ws.path(), Mode::Check).expect("fresh after the removal");
}

#[test]
fn adding_an_endpoint_block_yields_a_documented_tested_method() {
    let ws = scratch();
    let spec = ws.path().join("specs/menu.yaml");
    edit(
        &spec,
        "\ntypes:\n",
        "
  - name: try_match_preview
    summary: Show which menu a user would see.
    method: POST
    path: /cgi-bin/menu/trymatch
    body:
      user_id: { type: string, required: true, doc: 粉丝的OpenID或微信号 }
    response:
      fields:
        button: { type: \"[Button]\", doc: 该用户看到的菜单 }
    examples:
      - request: { user_id: weixin }
        response: { button: [ { type: view, name: tx, url: \"http://www.qq.com/\", sub_button: [] } ] }

types:
",
    );
    let summary = codegen::run(ws.path(), Mode::Write).unwrap();
    assert!(
        summary
            .written
            .contains(&PathBuf::from("wechat-mp/src/api/menu/requests.rs"))
    );
    let code = fs::read_to_string(ws.path().join("wechat-mp/src/api/menu/requests.rs")).unwrap();
    assert!(code.contains("pub fn try_match_preview("), "no method");
    assert!(
        code.contains("/// `POST /cgi-bin/menu/trymatch` on `api.weixin.qq.com`"),
        "no rustdoc"
    );
    assert!(
        code.contains("/// | `user_id` | body | `string` | yes | 粉丝的OpenID或微信号 |"),
        "no parameter table"
    );
    let tests = fs::read_to_string(ws.path().join("tests/tests/it/endpoints/generated/menu.rs")).unwrap();
    assert!(tests.contains("async fn try_match_preview_example_1()"), "no test");
    let table = fs::read_to_string(ws.path().join("wechat-mp/ENDPOINTS.md")).unwrap();
    assert!(
        table.contains("`client.menu().try_match_preview(user_id)`"),
        "no ENDPOINTS.md row"
    );
}

#[test]
fn a_shared_type_is_declared_once_and_a_second_declaration_is_an_error() {
    let ws = scratch();
    let read = |path: &str| fs::read_to_string(ws.path().join(path)).unwrap();
    assert!(read("wechat-mp/src/api/shared.rs").contains("pub enum Lang {"));
    for group in ["auth", "user"] {
        let code = read(&format!("wechat-mp/src/api/{group}/mod.rs"));
        let reexport = code.lines().find(|l| l.starts_with("pub use crate::api::shared::"));
        assert!(
            reexport.is_some_and(|l| l.contains("Lang")),
            "{group} does not re-export Lang"
        );
        assert!(!code.contains("pub enum Lang"), "{group} declares its own Lang");
    }

    // Its doc lives in one place, and changes everywhere.
    edit(
        &ws.path().join("specs/_shared.yaml"),
        "doc: 国家地区语言版本",
        "doc: 语言（已编辑）",
    );
    codegen::run(ws.path(), Mode::Write).unwrap();
    assert!(read("wechat-mp/src/api/shared.rs").contains("/// 语言（已编辑）"));

    // A group declaring it again is told where the first declaration is.
    let user = ws.path().join("specs/user.yaml");
    let text = fs::read_to_string(&user).unwrap();
    fs::write(&user, format!("{text}\n  Lang:\n    values:\n      ko: 韩语\n")).unwrap();
    let err = codegen::run(ws.path(), Mode::Write).unwrap_err().to_string();
    assert!(
        err.contains("type `Lang` is already declared at specs/_shared.yaml:"),
        "{err}"
    );
}
