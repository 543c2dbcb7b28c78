//! What the mock knows of an endpoint: the wire shape of its request and its answer.
//!
//! `routes/` holds one `const` table per spec group, generated from the specs; this
//! module is the vocabulary those tables are written in, so that the checker reads
//! plain data and no spec is parsed at run time.

use wechat_mp::endpoint::{Auth, Host, Method};

/// One endpoint of the specs.
#[derive(Debug)]
pub(crate) struct Route {
    /// `group.name`, as [`calls`](crate::MockWechat::calls) takes it.
    pub(crate) id: &'static str,
    pub(crate) method: Method,
    pub(crate) host: Host,
    pub(crate) path: &'static str,
    pub(crate) auth: Auth,
    /// The query parameters besides the credential.
    pub(crate) query: &'static [Field],
    pub(crate) body: Body,
    /// What the mock answers unless a test replaces it.
    pub(crate) reply: Reply,
}

/// The request body an endpoint takes.
#[derive(Debug)]
pub(crate) enum Body {
    /// None.
    None,
    /// A JSON object with these members.
    Json(&'static [Field]),
    /// A multipart form with these parts; a part of shape [`Shape::File`] is an upload,
    /// any other holds JSON text.
    Form(&'static [Field]),
}

/// The answer of an endpoint.
#[derive(Debug)]
pub(crate) enum Reply {
    /// This JSON text: the spec's first example answer.
    Json(&'static str),
    /// [`FILE_BYTES`](crate::FILE_BYTES) as an image.
    Bytes,
}

/// A member of a JSON object, a query parameter or a form part.
#[derive(Debug)]
pub(crate) struct Field {
    /// The name on the wire.
    pub(crate) name: &'static str,
    pub(crate) shape: Shape,
    pub(crate) required: bool,
    /// A number may be sent as a string.
    pub(crate) loose: bool,
    /// A one-of whose keys sit in the enclosing object.
    pub(crate) flatten: bool,
    /// The JSON text of the one value the field may hold.
    pub(crate) fixed: Option<&'static str>,
}

impl Field {
    /// A member that must be present.
    pub(crate) const fn required(name: &'static str, shape: Shape) -> Field {
        Field {
            name,
            shape,
            required: true,
            loose: false,
            flatten: false,
            fixed: None,
        }
    }

    /// A member that may be left out.
    pub(crate) const fn optional(name: &'static str, shape: Shape) -> Field {
        Field {
            required: false,
            ..Field::required(name, shape)
        }
    }

    /// A member the client always sends with this JSON value.
    pub(crate) const fn fixed(name: &'static str, json: &'static str) -> Field {
        Field {
            fixed: Some(json),
            ..Field::required(name, Shape::Json)
        }
    }

    /// The same member, taking a number written as a string too.
    pub(crate) const fn loose(self) -> Field {
        Field { loose: true, ..self }
    }

    /// The same member, its one-of's keys merged into the enclosing object.
    pub(crate) const fn flatten(self) -> Field {
        Field { flatten: true, ..self }
    }
}

/// The shape of a value.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "the tables name the number types today's specs use; the others wait for a spec"
)]
pub(crate) enum Shape {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F64,
    /// A `YYYY-MM-DD` day.
    Date,
    /// Any JSON value.
    Json,
    /// An uploaded file (form parts only).
    File,
    List(&'static Shape),
    /// An object with any keys and values of one shape.
    Map(&'static Shape),
    /// A named type of [`TYPES`](crate::routes::TYPES).
    Named(&'static str),
    /// An object of these members: the nesting a spec's `at:` gives parameters.
    Object(&'static [Field]),
}

/// A named type of the specs.
#[derive(Debug)]
pub(crate) enum Type {
    Struct(&'static [Field]),
    /// A string with one of these values.
    Enum(&'static [&'static str]),
    /// An integer with one of these values.
    Codes(&'static [i64]),
    /// An object holding exactly one of the variants' keys, and the tag if there is one.
    OneOf {
        tag: Option<&'static str>,
        variants: &'static [Variant],
    },
}

/// A variant of a one-of.
#[derive(Debug)]
pub(crate) struct Variant {
    /// The key holding the payload.
    pub(crate) key: &'static str,
    /// The value of the tag field alongside it.
    pub(crate) tag: Option<&'static str>,
    pub(crate) shape: Shape,
}
