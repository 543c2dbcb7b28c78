//! The file store: tokens survive a new client, files are private and written whole.

use std::time::Duration;

use serde_json::{Value, json};
use wechat_mp::request::ApiRequest;
use wechat_mp::token::{CachedToken, CredentialKey, CredentialKind, FileStore, TokenStore};
use wechat_mp::{Error, Secret};
use wechat_mp_tests::runtime::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn key() -> CredentialKey {
    CredentialKey::new(CredentialKind::AccessToken, APP_ID)
}

#[tokio::test]
async fn a_new_client_reuses_the_token_a_previous_one_stored() {
    let dir = TempDir::new("file-store");
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    Mock::given(path(GET_EP.path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;

    for _ in 0..2 {
        // A new client, as after a restart: nothing shared but the directory.
        let client = builder(&server)
            .app_secret(APP_SECRET)
            .token_store(FileStore::new(dir.path()))
            .build()
            .unwrap();
        client.send_json::<Value>(ApiRequest::new(&GET_EP)).await.unwrap();
    }

    server.verify().await;
    let sent: Vec<_> = requests_to(&server, GET_EP.path)
        .await
        .iter()
        .map(access_token_of)
        .collect();
    assert_eq!(sent, [Some(token(1)), Some(token(1))]);
}

#[tokio::test]
async fn files_are_private_and_no_temporary_files_are_left() {
    let dir = TempDir::new("file-mode");
    let store = FileStore::new(dir.path().join("nested"));
    for n in 0..5 {
        let value = format!("VALUE-{n}");
        store
            .set(
                &key(),
                &CachedToken::issued_now(value.as_str(), Duration::from_secs(60)),
            )
            .await
            .unwrap();
        let read = store.get(&key()).await.unwrap().expect("stored");
        assert_eq!(read.value(), &Secret::new(value));
    }
    let path = store.path_of(&key()).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [path.file_name().unwrap().to_str().unwrap()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(dir.path().join("nested"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode & 0o077, 0, "directory is private: {dir_mode:o}");
    }
}

#[tokio::test]
async fn concurrent_writes_leave_one_whole_token() {
    let dir = TempDir::new("file-race");
    let store = std::sync::Arc::new(FileStore::new(dir.path()));
    let mut writers = tokio::task::JoinSet::new();
    for n in 0..20 {
        let store = store.clone();
        writers.spawn(async move {
            let token = CachedToken::issued_now(format!("VALUE-{n}"), Duration::from_secs(60));
            store.set(&key(), &token).await
        });
    }
    while let Some(result) = writers.join_next().await {
        result.unwrap().unwrap();
    }
    let read = store.get(&key()).await.unwrap().expect("one token survives");
    assert!(read.value().expose().starts_with("VALUE-"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[tokio::test]
async fn unreadable_files_are_treated_as_absent_and_replaced() {
    let dir = TempDir::new("file-corrupt");
    let store = FileStore::new(dir.path());
    let path = store.path_of(&key()).unwrap();
    std::fs::write(&path, "{not json").unwrap();
    assert_eq!(store.get(&key()).await.unwrap(), None);

    let server = MockServer::start().await;
    mount_token_endpoint(&server, 1).await;
    let client = builder(&server)
        .app_secret(APP_SECRET)
        .token_store(store)
        .build()
        .unwrap();
    assert_eq!(client.access_token().await.unwrap(), Secret::new(token(1)));
    server.verify().await;
    assert!(CachedToken::from_json(&std::fs::read_to_string(&path).unwrap()).is_ok());
}

#[tokio::test]
async fn an_unusable_directory_is_a_store_error() {
    let dir = TempDir::new("file-blocked");
    let blocker = dir.path().join("file-not-dir");
    std::fs::write(&blocker, "x").unwrap();
    let store = FileStore::new(&blocker);
    let token = CachedToken::issued_now("VALUE", Duration::from_secs(60));
    let err = store.set(&key(), &token).await.unwrap_err();
    assert!(matches!(err, Error::Store { .. }), "{err:?}");
}
