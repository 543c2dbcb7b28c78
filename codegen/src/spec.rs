//! The YAML spec format, as deserialized: stage one of the pipeline.
//!
//! Every struct denies unknown keys so that a typo in a spec is an error, not a silently
//! ignored line. `specs/README.md` documents each key; keep the two in step.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

/// A located value: where it was written in its spec file.
pub type At<T> = Spanned<T>;

/// One `specs/*.yaml` file: one API group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Module name, cargo feature name and `client.<group>()` accessor.
    pub group: At<String>,
    /// Human title, e.g. `自定义菜单 Custom menu`.
    pub title: String,
    /// Longer description for the module docs.
    #[serde(default)]
    pub doc: Option<String>,
    /// The main file only: the whole group is deprecated, every endpoint of every
    /// section with it unless the endpoint says otherwise.
    #[serde(default)]
    pub deprecated: Option<At<GroupDeprecationSpec>>,
    /// The HTTP endpoints of the group.
    #[serde(default)]
    pub endpoints: Vec<At<EndpointSpec>>,
    /// Seed interfaces served by hand-written helpers instead of an HTTP call.
    #[serde(default)]
    pub helpers: Vec<At<HelperSpec>>,
    /// Named types: structs, string enums and one-of unions.
    #[serde(default)]
    pub types: IndexMap<String, At<TypeSpec>>,
}

/// One HTTP endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// Rust method name, snake_case.
    pub name: At<String>,
    /// The seed interface this implements, `Group.name`.
    #[serde(default)]
    pub seed: Option<At<String>>,
    /// One-line summary: the first line of the rustdoc.
    pub summary: String,
    /// Further documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// `GET` or `POST`.
    pub method: At<String>,
    /// `api` (default), `mp` or `open`.
    #[serde(default)]
    pub host: Option<At<String>>,
    /// Path on the host, starting with `/`.
    pub path: At<String>,
    /// WeChat's official page of the endpoint, on developers.weixin.qq.com.
    #[serde(default)]
    pub doc_url: Option<At<String>>,
    /// `access_token` (default), `none`, `oauth_token` or `app_secret`.
    #[serde(default)]
    pub auth: Option<At<String>>,
    /// Query-string parameters.
    #[serde(default)]
    pub query: IndexMap<String, At<FieldSpec>>,
    /// JSON body fields; `body: {}` sends an empty object, which some endpoints want.
    #[serde(default)]
    pub body: Option<IndexMap<String, At<FieldSpec>>>,
    /// `multipart/form-data` fields.
    #[serde(default)]
    pub multipart: IndexMap<String, At<FieldSpec>>,
    /// What comes back.
    #[serde(default)]
    pub response: Option<At<ResponseSpec>>,
    /// Set when WeChat retired or replaced the endpoint.
    #[serde(default)]
    pub deprecated: Option<At<DeprecationSpec>>,
    /// Request/response pairs, real WeChat JSON.
    #[serde(default)]
    pub examples: Vec<At<ExampleSpec>>,
    /// Errors WeChat answers for the first example's request (the seed's failure
    /// samples): each becomes a test expecting `Error::Api` with that code.
    #[serde(default)]
    pub errors: Vec<At<ErrorSampleSpec>>,
    /// How WeChat pages the answer, for `.pages()` and `.items()`.
    #[serde(default)]
    pub paginate: Option<At<PaginateSpec>>,
    /// Two `date` parameters that bound a range WeChat caps at `max_days`.
    #[serde(default)]
    pub date_range: Option<At<DateRangeSpec>>,
}

/// A range of days between two `date` parameters, checked before the request is sent.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRangeSpec {
    /// The wire name of the first day's parameter.
    pub begin: At<String>,
    /// The wire name of the last day's parameter (inclusive).
    pub end: At<String>,
    /// The most days WeChat answers for, both ends counted.
    pub max_days: At<u32>,
}

/// How a list endpoint pages: by a cursor the answer carries, or by an offset.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginateSpec {
    /// Dotted path of the list in the response (`data.openid`).
    pub items: At<String>,
    /// Cursor paging: the next page starts where the answer says.
    #[serde(default)]
    pub cursor: Option<At<CursorSpec>>,
    /// Offset paging: the next page starts after the items seen so far.
    #[serde(default)]
    pub offset: Option<At<OffsetSpec>>,
    /// Page-number paging: the next page is the next number.
    #[serde(default)]
    pub page: Option<At<PageSpec>>,
}

/// Cursor paging (`next_openid`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CursorSpec {
    /// The request parameter the cursor is sent in.
    pub param: At<String>,
    /// The response field that holds the next cursor; the parameter's name by default.
    #[serde(default)]
    pub from: Option<At<String>>,
}

/// Offset paging (`offset` and `count`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetSpec {
    /// The request parameter holding the offset of the first item.
    pub param: At<String>,
    /// The response field holding the total number of items, if WeChat sends one.
    #[serde(default)]
    pub total: Option<At<String>>,
}

/// Page-number paging (`page` and `num`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    /// The request parameter holding the page number.
    pub param: At<String>,
    /// The number of the first page: 0 (the default) or 1.
    #[serde(default)]
    pub first: Option<At<u32>>,
    /// The request parameter holding the page size; with `total`, the stream stops
    /// once `total` items have been paged past.
    #[serde(default)]
    pub size: Option<At<String>>,
    /// The response field holding the total number of items, if WeChat sends one.
    #[serde(default)]
    pub total: Option<At<String>>,
}

/// `specs/_shared.yaml`: types that several groups use, declared once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedFile {
    /// Named types, as under a group's `types:`.
    #[serde(default)]
    pub types: IndexMap<String, At<TypeSpec>>,
}

/// `specs/_errors.yaml`: the global errcode table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsFile {
    /// Every code, in ascending order.
    pub codes: Vec<At<ErrorCodeSpec>>,
}

/// One global errcode.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodeSpec {
    /// The number.
    pub code: At<i64>,
    /// The `ErrorCode` variant, UpperCamelCase.
    pub name: At<String>,
    /// The official meaning.
    pub doc: String,
}

/// An error answer: WeChat's `errcode` and `errmsg`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSampleSpec {
    /// Non-zero.
    pub errcode: At<i64>,
    /// As WeChat words it.
    pub errmsg: String,
}

/// A parameter, body field or struct field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Type expression: `string`, `i64`, `[Button]`, `map<Value>`, `Button`...
    #[serde(default, rename = "type")]
    pub ty: Option<At<String>>,
    /// Whether the field must be present.
    #[serde(default)]
    pub required: bool,
    /// Description, usually the seed's table text.
    #[serde(default)]
    pub doc: Option<String>,
    /// A fixed value the generator writes; not a parameter.
    #[serde(default, rename = "const")]
    pub constant: Option<Value>,
    /// Dotted path of the JSON object the field sits in (body fields only).
    #[serde(default)]
    pub at: Option<At<String>>,
    /// Rust name, when the wire name makes a poor one.
    #[serde(default)]
    pub rust_name: Option<At<String>>,
    /// Accept a number written as a string too.
    #[serde(default)]
    pub loose: bool,
    /// Merge a one-of's key into the enclosing object instead of nesting it.
    #[serde(default)]
    pub flatten: bool,
    /// For multipart fields: `json` sends the value as a JSON string.
    #[serde(default)]
    pub encoding: Option<At<String>>,
    /// Why the field is obsolete.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// A credential (a user's OAuth token): stored as `Secret`, never printed.
    #[serde(default)]
    pub secret: bool,
}

/// The response of an endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// `json` (default when fields or type are given), `empty`, `binary`,
    /// `json_or_binary`.
    #[serde(default)]
    pub kind: Option<At<String>>,
    /// Fields of an anonymous response struct.
    #[serde(default)]
    pub fields: IndexMap<String, At<FieldSpec>>,
    /// A named type instead of anonymous fields.
    #[serde(default, rename = "type")]
    pub ty: Option<At<String>>,
}

/// Deprecation of an endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeprecationSpec {
    /// Why, and since when.
    pub note: String,
    /// The replacement endpoint, `group.name`.
    #[serde(default)]
    pub replacement: Option<At<String>>,
}

/// Why a whole group is deprecated. There is no replacement endpoint: one that exists
/// belongs on each endpoint's own `deprecated`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDeprecationSpec {
    /// Why, and since when.
    pub note: String,
}

/// One example exchange.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// Query parameters sent.
    #[serde(default)]
    pub query: Option<At<Value>>,
    /// JSON body sent.
    #[serde(default)]
    pub request: Option<At<Value>>,
    /// JSON WeChat answered.
    #[serde(default)]
    pub response: Option<At<Value>>,
}

/// A seed interface implemented by hand-written code, listed in ENDPOINTS.md.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelperSpec {
    /// The seed interface.
    pub seed: At<String>,
    /// The Rust item that implements it, e.g. `wechat_mp::web::oauth::authorize_url`.
    pub rust: String,
    /// What it does.
    pub summary: String,
}

/// A named type. Exactly one of `fields`, `values` and `one_of` is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    /// Description.
    #[serde(default)]
    pub doc: Option<String>,
    /// A struct's fields.
    #[serde(default)]
    pub fields: Option<IndexMap<String, At<FieldSpec>>>,
    /// A string enum's values, each with its description, or with a variant name and
    /// description where the value makes a poor Rust name (`"1": { name: Ios, doc: iOS }`).
    #[serde(default)]
    pub values: Option<IndexMap<String, Option<ValueSpec>>>,
    /// An integer enum's codes (`1: { name: Text, doc: 文本 }`).
    #[serde(default)]
    pub codes: Option<IndexMap<i64, At<CodeSpec>>>,
    /// A union: exactly one of these keys is present on the wire.
    #[serde(default)]
    pub one_of: Option<IndexMap<String, At<VariantSpec>>>,
    /// For a one-of: the field that also names the variant (`card_type`).
    #[serde(default)]
    pub tag_field: Option<At<String>>,
}

/// One value of a string enum: its description, or a variant name and description.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ValueSpec {
    /// `zh_CN: 简体`: the variant is named after the value.
    Doc(String),
    /// `"1": { name: Ios, doc: iOS }`.
    Named {
        /// The Rust variant, UpperCamelCase.
        name: String,
        /// What the value means.
        #[serde(default)]
        doc: Option<String>,
    },
}

/// One code of an integer enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSpec {
    /// The Rust variant, UpperCamelCase (`MiniProgramCard`).
    pub name: String,
    /// What the code means.
    #[serde(default)]
    pub doc: Option<String>,
}

/// A variant of a one-of union.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// The variant's payload type.
    #[serde(rename = "type")]
    pub ty: At<String>,
    /// Value written into the union's `tag_field` for this variant.
    #[serde(default)]
    pub tag: Option<String>,
    /// Description.
    #[serde(default)]
    pub doc: Option<String>,
    /// Rust variant name, when the wire key makes a poor one.
    #[serde(default)]
    pub rust_name: Option<At<String>>,
}
