//! The client every generated call goes through.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::decode;
use crate::endpoint::{Auth, Host};
use crate::error::Error;
use crate::request::{ApiRequest, Body};
use crate::secret::Secret;

/// A WeChat Official Account API client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    app_id: String,
    app_secret: Option<Secret>,
    access_token: Option<Secret>,
    base_urls: BaseUrls,
}

#[derive(Debug, Clone)]
struct BaseUrls {
    api: String,
    mp: String,
    open: String,
}

impl BaseUrls {
    fn get(&self, host: Host) -> &str {
        match host {
            Host::Api => &self.api,
            Host::Mp => &self.mp,
            Host::Open => &self.open,
        }
    }

    fn set(&mut self, host: Host, url: String) {
        let url = url.trim_end_matches('/').to_owned();
        match host {
            Host::Api => self.api = url,
            Host::Mp => self.mp = url,
            Host::Open => self.open = url,
        }
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The app id this client calls as.
    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// Sends a request whose response is a JSON object.
    ///
    /// Generated endpoints call this; it is public so that an endpoint not yet in the
    /// specs can be called with a hand-made [`Endpoint`](crate::endpoint::Endpoint).
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        let endpoint = request.endpoint;
        let body = self.execute(&request).await?;
        decode::json(endpoint, &body)
    }

    /// Sends a request whose response carries only `errcode`/`errmsg`.
    pub async fn send_empty(&self, request: ApiRequest) -> Result<(), Error> {
        let endpoint = request.endpoint;
        let body = self.execute(&request).await?;
        decode::empty(endpoint, &body)
    }

    /// Sends a request whose response is raw bytes unless it is a JSON error.
    pub async fn send_bytes(&self, request: ApiRequest) -> Result<Bytes, Error> {
        let endpoint = request.endpoint;
        let body = self.execute(&request).await?;
        decode::binary(endpoint, body)
    }

    async fn execute(&self, request: &ApiRequest) -> Result<Bytes, Error> {
        let endpoint = request.endpoint;
        let name = format!("{}.{}", endpoint.group, endpoint.name);
        let base = self.inner.base_urls.get(endpoint.host);
        let mut url = reqwest::Url::parse(&format!("{base}{}", endpoint.path)).map_err(|e| Error::Config {
            message: format!("bad base URL for {name}: {e}"),
        })?;
        {
            let mut pairs = url.query_pairs_mut();
            match endpoint.auth {
                Auth::AccessToken => {
                    let token = self.inner.access_token.as_ref().ok_or_else(|| Error::Config {
                        message: "no access token configured".into(),
                    })?;
                    pairs.append_pair("access_token", token.expose());
                }
                Auth::AppSecret => {
                    let secret = self.inner.app_secret.as_ref().ok_or_else(|| Error::Config {
                        message: "no app secret configured".into(),
                    })?;
                    pairs.append_pair("appid", &self.inner.app_id);
                    pairs.append_pair("secret", secret.expose());
                }
                Auth::AppId => {
                    pairs.append_pair("appid", &self.inner.app_id);
                }
                Auth::None | Auth::OAuthToken => {}
            }
            for (k, v) in &request.query {
                pairs.append_pair(k, v);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut builder = match endpoint.method {
            crate::endpoint::Method::Get => self.inner.http.get(url),
            crate::endpoint::Method::Post => self.inner.http.post(url),
        };
        builder = match &request.body {
            Body::Empty => builder,
            Body::Json(bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    let mut p = reqwest::multipart::Part::bytes(part.data.to_vec());
                    if let Some(file_name) = &part.file_name {
                        p = p.file_name(file_name.clone());
                    }
                    if let Some(ct) = &part.content_type {
                        p = p.mime_str(ct).map_err(|e| Error::Encode {
                            message: e.without_url().to_string(),
                        })?;
                    }
                    form = form.part(part.name, p);
                }
                builder.multipart(form)
            }
        };
        let response = builder.send().await.map_err(|e| transport_error(&name, e))?;
        response.bytes().await.map_err(|e| transport_error(&name, e))
    }
}

fn transport_error(endpoint: &str, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            endpoint: endpoint.to_owned(),
        };
    }
    // reqwest errors print their URL, and ours carries access_token=: drop it.
    Error::Transport {
        endpoint: endpoint.to_owned(),
        message: error.without_url().to_string(),
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    app_id: Option<String>,
    app_secret: Option<Secret>,
    access_token: Option<Secret>,
    base_urls: BaseUrls,
    http: Option<reqwest::Client>,
    timeout: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            app_id: None,
            app_secret: None,
            access_token: None,
            base_urls: BaseUrls {
                api: Host::Api.default_base_url().to_owned(),
                mp: Host::Mp.default_base_url().to_owned(),
                open: Host::Open.default_base_url().to_owned(),
            },
            http: None,
            timeout: Duration::from_secs(15),
        }
    }
}

impl ClientBuilder {
    /// The account's app id (`wx...`).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The account's app secret.
    pub fn app_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// Uses this access token for every call instead of fetching one.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Overrides the base URL of one host (tests, proxies, regional endpoints).
    pub fn base_url(mut self, host: Host, url: impl Into<String>) -> Self {
        self.base_urls.set(host, url.into());
        self
    }

    /// Uses this `reqwest::Client` instead of building one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Request timeout of the default HTTP client.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let app_id = self.app_id.ok_or_else(|| Error::Config {
            message: "app_id is required".into(),
        })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(Duration::from_secs(5))
                .build()
                .map_err(|e| Error::Config {
                    message: e.without_url().to_string(),
                })?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                app_id,
                app_secret: self.app_secret,
                access_token: self.access_token,
                base_urls: self.base_urls,
            }),
        })
    }
}
