//! The validated model the emitters read: stage two of the pipeline.
//!
//! Everything here has been checked: names are valid Rust, types resolve, examples fit.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

/// All groups, in file-name order, with what they share.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// One per spec file, or per folder of spec files.
    pub groups: Vec<Group>,
    /// Types declared once in `specs/_shared.yaml`, usable by every group.
    pub shared: Vec<NamedType>,
    /// The global errcode table of `specs/_errors.yaml`; empty when there is none.
    pub error_codes: Vec<ErrorCode>,
}

/// Every named type of the specs, by name: names are unique across all specs.
pub type TypeIndex<'a> = BTreeMap<&'a str, &'a NamedType>;

impl Ir {
    /// Every named type, shared ones first.
    pub fn types(&self) -> impl Iterator<Item = &NamedType> {
        self.shared.iter().chain(self.groups.iter().flat_map(|g| &g.types))
    }

    /// The named types by name.
    pub fn index(&self) -> TypeIndex<'_> {
        self.types().map(|t| (t.name.as_str(), t)).collect()
    }
}

/// One API group: a spec file, or a folder of them (`specs/card/*.yaml`).
#[derive(Debug, Clone)]
pub struct Group {
    /// snake_case module, feature and accessor name.
    pub name: String,
    /// The main spec file, relative to the workspace root: `specs/GROUP.yaml` or
    /// `specs/GROUP/GROUP.yaml`.
    pub file: PathBuf,
    /// Human title.
    pub title: String,
    /// Longer description.
    pub doc: Option<String>,
    /// Why the whole group is deprecated, when it is.
    pub deprecated: Option<String>,
    /// The group's spec files, the main one first and then by file name.
    pub sections: Vec<Section>,
    /// HTTP endpoints of every section, in spec order.
    pub endpoints: Vec<Endpoint>,
    /// Hand-written seed interfaces.
    pub helpers: Vec<Helper>,
    /// Named types of every section, in spec order.
    pub types: Vec<NamedType>,
    /// Other groups whose types this one names (`user.Lang`): their features are
    /// enabled with this one's.
    pub uses: Vec<String>,
}

/// One spec file of a group. The main file has no name; the others of a folder group
/// are named after their file and become submodules.
#[derive(Debug, Clone)]
pub struct Section {
    /// `None` for the main file, else the file stem (`codes` for `specs/card/codes.yaml`).
    pub name: Option<String>,
    /// The spec file, relative to the workspace root.
    pub file: PathBuf,
    /// Human title.
    pub title: String,
    /// Longer description.
    pub doc: Option<String>,
}

/// Where a named type is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// `specs/_shared.yaml`: emitted in `api::shared`.
    Shared,
    /// A group's section.
    Group {
        /// The group.
        group: String,
        /// The section, `None` for the main file.
        section: Option<String>,
    },
}

/// One entry of the global errcode table.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The number.
    pub code: i64,
    /// UpperCamelCase variant name.
    pub name: String,
    /// The official meaning.
    pub doc: String,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

/// Host an endpoint lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// api.weixin.qq.com
    Api,
    /// mp.weixin.qq.com
    Mp,
    /// open.weixin.qq.com
    Open,
}

impl Method {
    /// As HTTP spells it: `GET`, `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// The name of the runtime's `endpoint::Method` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
        }
    }
}

impl Host {
    /// The name of the runtime's `endpoint::Host` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Host::Api => "Api",
            Host::Mp => "Mp",
            Host::Open => "Open",
        }
    }

    /// The host name.
    pub fn domain(self) -> &'static str {
        match self {
            Host::Api => "api.weixin.qq.com",
            Host::Mp => "mp.weixin.qq.com",
            Host::Open => "open.weixin.qq.com",
        }
    }
}

/// Credential an endpoint carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// App access token in the query.
    AccessToken,
    /// Nothing.
    None,
    /// The user's OAuth token, a parameter of the call.
    OAuthToken,
    /// appid + secret in the query.
    AppSecret,
    /// appid alone in the query.
    AppId,
}

impl Auth {
    /// The name of the runtime's `endpoint::Auth` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Auth::AccessToken => "AccessToken",
            Auth::None => "None",
            Auth::OAuthToken => "OAuthToken",
            Auth::AppSecret => "AppSecret",
            Auth::AppId => "AppId",
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// snake_case method name.
    pub name: String,
    /// The section of its group it is declared in.
    pub section: Option<String>,
    /// WeChat's official page.
    pub doc_url: Option<String>,
    /// How the answer pages, for `.pages()` and `.items()`.
    pub paginate: Option<Paginate>,
    /// Seed interface, `Group.name`.
    pub seed: Option<String>,
    /// One-line summary.
    pub summary: String,
    /// Further docs.
    pub doc: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Host.
    pub host: Host,
    /// Path.
    pub path: String,
    /// Credential.
    pub auth: Auth,
    /// Parameters in spec order: query, then body, then multipart.
    pub params: Vec<Param>,
    /// Response.
    pub response: Response,
    /// Deprecation, if any.
    pub deprecated: Option<Deprecation>,
    /// Examples.
    pub examples: Vec<Example>,
    /// Errors answered for the first example's request.
    pub errors: Vec<ErrorSample>,
    /// A range of days the request must keep within.
    pub date_range: Option<DateRange>,
    /// The body is `{}`: the spec says `body: {}`.
    pub empty_body: bool,
}

/// Two required `date` parameters bounding at most `max_days` days.
#[derive(Debug, Clone)]
pub struct DateRange {
    /// Rust name of the first day's parameter.
    pub begin: String,
    /// Rust name of the last day's parameter.
    pub end: String,
    /// The most days, both ends counted.
    pub max_days: u32,
}

/// How a list endpoint pages.
#[derive(Debug, Clone)]
pub struct Paginate {
    /// The response fields leading to the list: Rust name and whether required.
    pub items: Vec<(String, bool)>,
    /// The list's element type.
    pub item: TypeRef,
    /// How the next page is asked for.
    pub style: PageStyle,
}

/// How the next page is asked for.
#[derive(Debug, Clone)]
pub enum PageStyle {
    /// Send the cursor the last answer gave.
    Cursor {
        /// Rust name of the request parameter.
        param: String,
        /// Whether the parameter is required (not an `Option`).
        param_required: bool,
        /// Rust name of the response field holding the next cursor.
        from: String,
        /// Whether that field is required (not an `Option`).
        from_required: bool,
    },
    /// Send the offset after the items seen so far.
    Offset {
        /// Rust name of the request parameter.
        param: String,
        /// Whether the parameter is required (not an `Option`).
        param_required: bool,
        /// Its type, a number.
        ty: TypeRef,
        /// Rust name of the response field holding the total, and whether required.
        total: Option<(String, bool)>,
    },
    /// Send the next page number.
    Page {
        /// Rust name of the request parameter.
        param: String,
        /// Whether the parameter is required (not an `Option`).
        param_required: bool,
        /// The number of the first page.
        first: u32,
        /// Rust names of the (required) page-size parameter and of the response field
        /// holding the total, with whether the total is required; both or neither.
        size_total: Option<(String, String, bool)>,
    },
}

/// Where a parameter goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamIn {
    /// Query string.
    Query,
    /// JSON body, inside the object at this path.
    Body(Vec<String>),
    /// Multipart field; `json` when the value is sent as a JSON string.
    Multipart {
        /// Send as JSON text.
        json: bool,
    },
}

/// One parameter of an endpoint.
#[derive(Debug, Clone)]
pub struct Param {
    /// Where it goes.
    pub location: ParamIn,
    /// The field as declared.
    pub field: Field,
    /// A fixed value: the parameter is not exposed.
    pub constant: Option<Value>,
}

/// A field of a struct, a response or a parameter.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust identifier (without `r#`).
    pub rust: String,
    /// Type.
    pub ty: TypeRef,
    /// Must be present.
    pub required: bool,
    /// Description.
    pub doc: Option<String>,
    /// Accept numbers as strings too.
    pub loose: bool,
    /// Merge a one-of into the enclosing object.
    pub flatten: bool,
    /// Obsolescence note.
    pub deprecated: Option<String>,
    /// A credential: `Secret` in Rust, redacted in `Debug`.
    pub secret: bool,
}

/// What an endpoint answers.
#[derive(Debug, Clone)]
pub enum Response {
    /// errcode/errmsg only.
    Empty,
    /// Raw bytes.
    Binary,
    /// A JSON object.
    Json(ResponseBody),
    /// JSON for some content, raw bytes for other.
    JsonOrBinary(ResponseBody),
}

/// The JSON shape of a response.
#[derive(Debug, Clone)]
pub enum ResponseBody {
    /// An anonymous struct, emitted as `<Endpoint>Response`.
    Fields(Vec<Field>),
    /// A named type.
    Named(String),
}

/// Deprecation of an endpoint.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// Why.
    pub note: String,
    /// `group.name` of the replacement.
    pub replacement: Option<String>,
    /// The whole group's deprecation, which the endpoint inherits.
    pub of_group: bool,
}

/// An error WeChat answers for an endpoint's first example.
#[derive(Debug, Clone)]
pub struct ErrorSample {
    /// Non-zero `errcode`.
    pub errcode: i64,
    /// `errmsg`.
    pub errmsg: String,
}

/// An example exchange.
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Query parameters.
    pub query: Option<Value>,
    /// Body.
    pub request: Option<Value>,
    /// Response.
    pub response: Option<Value>,
}

/// A hand-written seed interface.
#[derive(Debug, Clone)]
pub struct Helper {
    /// Seed name.
    pub seed: String,
    /// Rust path.
    pub rust: String,
    /// Summary.
    pub summary: String,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// PascalCase name.
    pub name: String,
    /// Where it is declared.
    pub home: Home,
    /// Description.
    pub doc: Option<String>,
    /// Shape.
    pub def: TypeDef,
    /// Reachable from a request parameter: users build it, so it gets a constructor.
    pub in_request: bool,
}

/// Shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A struct.
    Struct(Vec<Field>),
    /// A string enum with an `Other(String)` fallback.
    Enum(Vec<EnumValue>),
    /// An integer enum with an `Other(i64)` fallback; each value's `wire` is its code
    /// in decimal.
    Codes(Vec<EnumValue>),
    /// Exactly one of several keys.
    OneOf {
        /// Field naming the variant, if any.
        tag_field: Option<String>,
        /// Variants.
        variants: Vec<Variant>,
    },
}

/// A value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// On the wire.
    pub wire: String,
    /// Rust variant name.
    pub rust: String,
    /// Description.
    pub doc: Option<String>,
}

impl EnumValue {
    /// The code of a value of [`TypeDef::Codes`], whose `wire` lowering wrote from an
    /// integer.
    pub fn code(&self) -> i64 {
        self.wire.parse().expect("a code's wire value is its integer")
    }
}

/// A variant of a one-of.
#[derive(Debug, Clone)]
pub struct Variant {
    /// JSON key holding the payload.
    pub key: String,
    /// Rust variant name.
    pub rust: String,
    /// Payload type.
    pub ty: TypeRef,
    /// Tag value.
    pub tag: Option<String>,
    /// Description.
    pub doc: Option<String>,
}

/// The keys a flattened one-of of type `ty` may put into its parent object: each
/// variant's key, and the tag field if it has one. Empty for any other type.
pub fn flattened_keys(ty: &TypeRef, types: &TypeIndex<'_>) -> Vec<String> {
    let Some(TypeDef::OneOf { tag_field, variants }) = ty.named().and_then(|n| types.get(n)).map(|t| &t.def) else {
        return Vec::new();
    };
    variants
        .iter()
        .map(|v| v.key.clone())
        .chain(tag_field.clone())
        .collect()
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `string`
    String,
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `f64`
    F64,
    /// `date`: a calendar day, `YYYY-MM-DD` on the wire.
    Date,
    /// `json`: any JSON value.
    Json,
    /// `file`: an upload (multipart only).
    File,
    /// `[T]`
    List(Box<TypeRef>),
    /// `map<T>`: object with string keys.
    Map(Box<TypeRef>),
    /// A named type of the same spec.
    Named(String),
}

impl TypeRef {
    /// Parses a type expression; `Err` says what is malformed.
    pub fn parse(text: &str) -> Result<TypeRef, String> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix('[') {
            let inner = inner
                .strip_suffix(']')
                .ok_or_else(|| format!("`{text}` lacks its closing `]`"))?;
            return Ok(TypeRef::List(Box::new(TypeRef::parse(inner)?)));
        }
        if let Some(inner) = text.strip_prefix("map<") {
            let inner = inner
                .strip_suffix('>')
                .ok_or_else(|| format!("`{text}` lacks its closing `>`"))?;
            return Ok(TypeRef::Map(Box::new(TypeRef::parse(inner)?)));
        }
        Ok(match text {
            "string" => TypeRef::String,
            "bool" => TypeRef::Bool,
            "i32" => TypeRef::I32,
            "i64" => TypeRef::I64,
            "u32" => TypeRef::U32,
            "u64" => TypeRef::U64,
            "f64" => TypeRef::F64,
            "date" => TypeRef::Date,
            "json" => TypeRef::Json,
            "file" => TypeRef::File,
            "" => return Err("empty type".into()),
            name if is_type_name(name) => TypeRef::Named(name.to_owned()),
            qualified
                if qualified.split_once('.').is_some_and(|(group, name)| {
                    !group.is_empty()
                        && group
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                        && is_type_name(name)
                }) =>
            {
                TypeRef::Named(qualified.to_owned())
            }
            other => return Err(format!("`{other}` is not a type expression")),
        })
    }

    /// The same expression with its named type called `name` (a qualified name
    /// resolved to the type's own).
    pub fn renamed(self, name: &str) -> TypeRef {
        match self {
            TypeRef::List(t) => TypeRef::List(Box::new(t.renamed(name))),
            TypeRef::Map(t) => TypeRef::Map(Box::new(t.renamed(name))),
            TypeRef::Named(_) => TypeRef::Named(name.to_owned()),
            other => other,
        }
    }

    /// The group a qualified name (`user.Lang`) names, and the type's own name.
    pub fn split_qualified(name: &str) -> (Option<&str>, &str) {
        match name.split_once('.') {
            Some((group, ty)) => (Some(group), ty),
            None => (None, name),
        }
    }

    /// The spec spelling, for docs and messages.
    pub fn spelling(&self) -> String {
        match self {
            TypeRef::String => "string".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::U32 => "u32".into(),
            TypeRef::U64 => "u64".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Date => "date".into(),
            TypeRef::Json => "json".into(),
            TypeRef::File => "file".into(),
            TypeRef::List(t) => format!("[{}]", t.spelling()),
            TypeRef::Map(t) => format!("map<{}>", t.spelling()),
            TypeRef::Named(n) => n.clone(),
        }
    }

    /// Whether a number type.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F64
        )
    }

    /// Named types this expression mentions.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::List(t) | TypeRef::Map(t) => t.named(),
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }
}

fn is_type_name(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_alphanumeric()) && name.starts_with(|c: char| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::TypeRef;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            TypeRef::parse("[map<Button>]").unwrap(),
            TypeRef::List(Box::new(TypeRef::Map(Box::new(TypeRef::Named("Button".into())))))
        );
        assert_eq!(TypeRef::parse("[[u32]]").unwrap().spelling(), "[[u32]]");
        assert!(TypeRef::parse("[Button").is_err());
        assert!(TypeRef::parse("button").is_err());
        assert!(TypeRef::parse("map<>").is_err());
        assert_eq!(TypeRef::parse("[user.Lang]").unwrap().named(), Some("user.Lang"));
        assert!(TypeRef::parse("User.Lang").is_err());
        assert!(TypeRef::parse("user.lang").is_err());
    }
}
