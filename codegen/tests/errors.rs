//! One fixture per class of spec error, each asserting the exact
//! `specs/FILE.yaml:LINE:COL: message` report, hint included.

use std::path::Path;

fn errors_of(case: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/errors")
        .join(case);
    match codegen::generate(&root) {
        Ok(_) => panic!("fixture {case} should not generate"),
        Err(codegen::Error::Specs(diagnostics)) => diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        Err(other) => panic!("fixture {case}: expected spec errors, got {other}"),
    }
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(errors_of("yaml_syntax"), "specs/broken.yaml:5:14: unclosed quote");
}

#[test]
fn unknown_key() {
    assert_eq!(
        errors_of("unknown_key"),
        "specs/menu.yaml:5:5: unknown field `summry`, expected one of name, seed, summary, doc, method, host, path, \
         doc_url, auth, query, body, multipart, response, deprecated, examples, errors, paginate, date_range\n  hint: specs/README.md lists every key"
    );
}

#[test]
fn unknown_type_suggests_the_closest() {
    assert_eq!(
        errors_of("unknown_type"),
        "specs/menu.yaml:9:23: unknown type `Buton`\n  hint: did you mean `Button`? known: Button, SubButton"
    );
}

#[test]
fn duplicate_endpoint_name() {
    assert_eq!(
        errors_of("duplicate_name"),
        "specs/menu.yaml:10:11: endpoint `get` is declared twice in group `menu`"
    );
}

#[test]
fn error_sample_of_errcode_zero() {
    assert_eq!(
        errors_of("error_sample_zero"),
        "specs/menu.yaml:11:20: error sample of `get` has errcode 0\n  hint: errcode 0 is success: put a successful \
         answer under `examples:`"
    );
}

#[test]
fn duplicate_yaml_key() {
    assert_eq!(
        errors_of("duplicate_key"),
        "specs/menu.yaml:7:5: duplicate mapping key: method\n  hint: each key may appear once per mapping"
    );
}

#[test]
fn example_that_does_not_fit_reports_every_mismatch() {
    assert_eq!(
        errors_of("bad_example"),
        "specs/user.yaml:17:11: example response of `info`: `$.subscribe`: expected i32, found a string\n\
         specs/user.yaml:17:11: example response of `info`: `$.tagid_list[1]`: expected i64, found a string\n\
         specs/user.yaml:17:11: example response of `info`: `$.nickname` is not a declared field"
    );
}

#[test]
fn replacement_must_name_an_endpoint_of_another_spec() {
    assert_eq!(
        errors_of("bad_replacement"),
        "specs/groups.yaml:10:20: replacement `tags.gett` is not an endpoint of any spec\n  hint: did you mean `tags.get`?"
    );
}

#[test]
fn seed_names_must_be_interfaces_of_the_seed() {
    assert_eq!(
        errors_of("unknown_seed"),
        "specs/menu.yaml:5:11: `Menu.gett` is not an interface of the seed\n  hint: did you mean `Menu.get`?"
    );
}

#[test]
fn a_type_declared_twice_names_both_places() {
    assert_eq!(
        errors_of("conflicting_type"),
        "specs/user.yaml:5:5: type `Lang` is already declared at specs/_shared.yaml:3:5\n  hint: declare it once, \
         in specs/_shared.yaml, or give one of them another name"
    );
}

#[test]
fn another_groups_type_needs_its_group() {
    assert_eq!(
        errors_of("unqualified_type"),
        "specs/user.yaml:9:20: type `Tag` belongs to group `tags` (specs/tags.yaml:5:5)\n  hint: write `tags.Tag` to \
         use the type of another group"
    );
}

#[test]
fn a_paginate_path_that_is_not_in_the_response() {
    assert_eq!(
        errors_of("bad_paginate"),
        "specs/user.yaml:15:14: `paginate.items` of `get`: the response has no field `openids` here\n  hint: fields \
         here: openid"
    );
}

#[test]
fn a_doc_url_off_wechats_documentation() {
    assert_eq!(
        errors_of("bad_doc_url"),
        "specs/menu.yaml:8:14: doc_url `https://blog.csdn.net/some/copy/of/the/page` is not a page of WeChat's \
         documentation\n  hint: doc_url is the official page of the endpoint: https://developers.weixin.qq.com/doc/..."
    );
}

#[test]
fn a_folder_group_needs_its_main_file() {
    assert_eq!(
        errors_of("folder_without_main"),
        "specs/card/codes.yaml:1:8: the folder of group `card` has no main file\n  hint: add \
         specs/card/card.yaml with the group's title and docs"
    );
}
