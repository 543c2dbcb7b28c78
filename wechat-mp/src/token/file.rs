//! A store that survives restarts: one small JSON file per credential.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::AsyncWriteExt;

use super::{CachedToken, CredentialKey, StoreFuture, TokenStore};
use crate::error::Error;
use crate::secret::Secret;

/// Keeps each credential in `{dir}/{kind}-{app_id}.json`, readable only by its owner.
///
/// Writes go to a temporary file that is then renamed over the old one, so a reader
/// (or a crash) never sees half a token. Meant for one process; several processes on
/// one machine can share the directory, but nothing stops two of them refreshing at
/// once. A file that cannot be parsed is treated as absent and replaced.
#[derive(Debug)]
pub struct FileStore {
    dir: PathBuf,
    // Serializes compare-and-delete against writes within this process.
    guard: tokio::sync::Mutex<()>,
}

/// Makes temporary file names unique among concurrent writers of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl FileStore {
    /// A store in `dir`, created (mode 0700) on first write if missing.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStore {
            dir: dir.into(),
            guard: tokio::sync::Mutex::new(()),
        }
    }

    /// The directory the files live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file holding `key`. App ids become file names, so anything but letters,
    /// digits, `-` and `_` is refused rather than allowed to escape the directory.
    pub fn path_of(&self, key: &CredentialKey) -> Result<PathBuf, Error> {
        let app_id = key.app_id();
        let valid = !app_id.is_empty()
            && app_id.len() <= 64
            && app_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(Error::Config {
                message: format!("app id {app_id:?} cannot be used as a file name"),
            });
        }
        Ok(self.dir.join(format!("{}-{app_id}.json", key.kind().as_str())))
    }

    async fn read(&self, key: &CredentialKey) -> Result<Option<CachedToken>, Error> {
        let path = self.path_of(key)?;
        let text = match tokio::fs::read_to_string(&path).await {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("read", &path, &e)),
        };
        match CachedToken::from_json(&text) {
            Ok(token) => Ok(Some(token)),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring unreadable token file");
                Ok(None)
            }
        }
    }

    async fn write(&self, key: &CredentialKey, token: &CachedToken) -> Result<(), Error> {
        let path = self.path_of(key)?;
        create_private_dir(&self.dir).await?;
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = self
            .dir
            .join(format!(".{}.{}.{n}.tmp", file_name(&path), std::process::id()));
        let result = write_private(&temp, token.to_json().as_bytes()).await;
        let result = match result {
            Ok(()) => tokio::fs::rename(&temp, &path)
                .await
                .map_err(|e| io_error("rename", &path, &e)),
            Err(e) => Err(e),
        };
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temp).await;
        }
        result
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn io_error(action: &str, path: &Path, error: &std::io::Error) -> Error {
    Error::store(format!("could not {action} {}: {error}", path.display()))
}

async fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir).await.map_err(|e| io_error("create", dir, &e))
}

async fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Set at creation, so the token is never readable by others, not even briefly.
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await.map_err(|e| io_error("create", path, &e))?;
    file.write_all(bytes).await.map_err(|e| io_error("write", path, &e))?;
    file.sync_all().await.map_err(|e| io_error("sync", path, &e))
}

impl TokenStore for FileStore {
    fn get<'a>(&'a self, key: &'a CredentialKey) -> StoreFuture<'a, Option<CachedToken>> {
        Box::pin(self.read(key))
    }

    fn set<'a>(&'a self, key: &'a CredentialKey, token: &'a CachedToken) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let _guard = self.guard.lock().await;
            self.write(key, token).await
        })
    }

    fn invalidate<'a>(&'a self, key: &'a CredentialKey, stale: &'a Secret) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let _guard = self.guard.lock().await;
            match self.read(key).await? {
                Some(current) if current.value() == stale => {
                    let path = self.path_of(key)?;
                    match tokio::fs::remove_file(&path).await {
                        Ok(()) => Ok(true),
                        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
                        Err(e) => Err(io_error("remove", &path, &e)),
                    }
                }
                _ => Ok(false),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::CredentialKind;

    #[test]
    fn app_ids_cannot_escape_the_directory() {
        let store = FileStore::new("/tmp/x");
        for bad in ["../etc", "a/b", "", "wx\0"] {
            let key = CredentialKey::new(CredentialKind::AccessToken, bad);
            assert!(matches!(store.path_of(&key), Err(Error::Config { .. })), "{bad:?}");
        }
        let key = CredentialKey::new(CredentialKind::JsapiTicket, "wx0123_ab-c");
        assert_eq!(
            store.path_of(&key).unwrap(),
            Path::new("/tmp/x/jsapi_ticket-wx0123_ab-c.json")
        );
    }
}
