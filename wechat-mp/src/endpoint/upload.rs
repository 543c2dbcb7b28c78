//! Files sent in multipart uploads (media, head images).

use std::path::Path;

use bytes::Bytes;

use crate::endpoint::request::Part;
use crate::error::Error;

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

    /// An upload read from a file without blocking the runtime; the file name is taken
    /// from the path.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let data = tokio::fs::read(path).await.map_err(|e| Error::Encode {
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        let file_name = path
            .file_name()
            .map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(Self::from_bytes(file_name, data))
    }

    /// An upload read to the end from an async reader.
    ///
    /// The whole file is held in memory: a call retried after a token refresh must send
    /// the same bytes again, and WeChat's media limits keep uploads small.
    pub async fn from_reader<R>(file_name: impl Into<String>, mut reader: R) -> Result<Self, Error>
    where
        R: tokio::io::AsyncRead + Unpin,
    {
        use tokio::io::AsyncReadExt;
        let mut data = Vec::new();
        reader.read_to_end(&mut data).await.map_err(|e| Error::Encode {
            message: format!("cannot read the upload: {e}"),
        })?;
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

#[cfg(test)]
mod tests {
    use super::Upload;

    #[tokio::test]
    async fn path_bytes_and_reader_give_the_same_part() {
        let dir = std::env::temp_dir().join(format!("wechat-mp-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("head.jpg");
        std::fs::write(&path, b"JPEG DATA").unwrap();

        let from_path = Upload::from_path(&path).await.unwrap().to_part("media");
        let from_bytes = Upload::from_bytes("head.jpg", &b"JPEG DATA"[..]).to_part("media");
        let from_reader = Upload::from_reader("head.jpg", &b"JPEG DATA"[..])
            .await
            .unwrap()
            .to_part("media");
        for part in [&from_path, &from_bytes, &from_reader] {
            assert_eq!(part.file_name.as_deref(), Some("head.jpg"));
            assert_eq!(&part.data[..], b"JPEG DATA");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_missing_file_is_an_encode_error_naming_it() {
        let err = Upload::from_path("/nonexistent/wechat-mp/x.jpg").await.unwrap_err();
        assert!(err.to_string().contains("/nonexistent/wechat-mp/x.jpg"), "{err}");
    }

    #[test]
    fn debug_shows_the_length_not_the_content() {
        let text = format!("{:?}", Upload::from_bytes("a.jpg", &b"SECRET-CONTENT"[..]));
        assert!(text.contains("len: 14") && !text.contains("SECRET"), "{text}");
    }
}
