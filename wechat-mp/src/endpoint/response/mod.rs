//! Response shapes shared by generated endpoints: media that may come back as JSON, and
//! downloads read as they arrive.

mod byte_stream;
mod json_or_binary;

pub use byte_stream::ByteStream;
pub use json_or_binary::JsonOrBinary;
