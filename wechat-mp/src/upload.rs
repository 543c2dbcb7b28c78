//! Files sent in multipart uploads (media, head images).

use std::path::Path;

use bytes::Bytes;

use crate::error::Error;
use crate::request::Part;

/// A file to upload: its name, content type and bytes.
#[derive(Clone)]
pub struct Upload {
    file_name: String,
    content_type: Option<String>,
    data: Bytes,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

impl Upload {
    /// An upload from bytes in memory. WeChat decides the media type from the file
    /// name's extension, so give a real one (`head.jpg`).
    pub fn from_bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Upload {
            file_name: file_name.into(),
            content_type: None,
            data: data.into(),
        }
    }

    /// An upload read from a file; the file name is taken from the path.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|e| Error::Encode {
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        let file_name = path
            .file_name()
            .map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(Self::from_bytes(file_name, data))
    }

    /// Sets the content type sent with the file.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The multipart part for form field `name`.
    pub fn to_part(&self, name: &'static str) -> Part {
        Part {
            name,
            file_name: Some(self.file_name.clone()),
            content_type: self.content_type.clone(),
            data: self.data.clone(),
        }
    }
}
