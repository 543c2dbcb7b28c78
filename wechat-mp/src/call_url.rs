//! Where a call goes: each host's base URL, parsed once when the client is built, and
//! the URL of one call made from it.

use reqwest::Url;

use crate::endpoint::Host;
use crate::error::Error;
use crate::redact;

/// The base URL of each host as configured, without a trailing slash.
#[derive(Clone)]
pub(crate) struct BaseUrls {
    api: String,
    mp: String,
    open: String,
}

impl Default for BaseUrls {
    fn default() -> Self {
        BaseUrls {
            api: Host::Api.default_base_url().to_owned(),
            mp: Host::Mp.default_base_url().to_owned(),
            open: Host::Open.default_base_url().to_owned(),
        }
    }
}

/// A proxy's credentials in a base URL are not printed.
impl std::fmt::Debug for BaseUrls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BaseUrls")
            .field("api", &redact::userinfo(&self.api))
            .field("mp", &redact::userinfo(&self.mp))
            .field("open", &redact::userinfo(&self.open))
            .finish()
    }
}

impl BaseUrls {
    pub(crate) fn set(&mut self, host: Host, url: String) {
        let url = url.trim_end_matches('/').to_owned();
        match host {
            Host::Api => self.api = url,
            Host::Mp => self.mp = url,
            Host::Open => self.open = url,
        }
    }

    /// Rejects a base that is not an absolute http(s) URL at build time rather than on
    /// the first call.
    pub(crate) fn parse(&self) -> Result<HostUrls, Error> {
        Ok(HostUrls {
            api: HostUrl::parse(Host::Api, &self.api)?,
            mp: HostUrl::parse(Host::Mp, &self.mp)?,
            open: HostUrl::parse(Host::Open, &self.open)?,
        })
    }
}

/// The parsed base URL of each host.
#[derive(Debug, Clone)]
pub(crate) struct HostUrls {
    api: HostUrl,
    mp: HostUrl,
    open: HostUrl,
}

impl HostUrls {
    pub(crate) fn get(&self, host: Host) -> &HostUrl {
        match host {
            Host::Api => &self.api,
            Host::Mp => &self.mp,
            Host::Open => &self.open,
        }
    }
}

/// One host's base URL.
#[derive(Clone)]
pub(crate) struct HostUrl {
    base: Url,
    /// The base's own path (a proxy's prefix) without the trailing slash; usually empty.
    prefix: String,
}

impl std::fmt::Debug for HostUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact::userinfo(self.base.as_str()))
    }
}

impl HostUrl {
    fn parse(host: Host, text: &str) -> Result<HostUrl, Error> {
        let invalid = |why: &str| Error::Config {
            message: format!("base URL for {host:?} {why}: {:?}", redact::userinfo(text)),
        };
        let base = Url::parse(text).map_err(|_| invalid("is not an http(s) URL"))?;
        if !matches!(base.scheme(), "http" | "https") || !base.has_host() {
            return Err(invalid("is not an http(s) URL"));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid("must not have a query or fragment"));
        }
        let prefix = base.path().trim_end_matches('/').to_owned();
        Ok(HostUrl { base, prefix })
    }

    /// `path` under this base, with `pairs` as its query, encoded as
    /// `application/x-www-form-urlencoded` as WeChat expects.
    ///
    /// The parsed base is cloned and extended: parsing the whole URL of every call
    /// instead costs about twice as much, mostly in the host and query parsers.
    pub(crate) fn join<'a>(&self, path: &str, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Url {
        let mut url = self.base.clone();
        if self.prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&[self.prefix.as_str(), path].concat());
        }
        let mut pairs = pairs.into_iter().peekable();
        // Without pairs the URL keeps no query at all, not an empty one.
        if pairs.peek().is_some() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str, path: &str, pairs: &[(&str, &str)]) -> String {
        let mut bases = BaseUrls::default();
        bases.set(Host::Api, base.to_owned());
        let hosts = bases.parse().expect("a valid base");
        hosts.get(Host::Api).join(path, pairs.iter().copied()).to_string()
    }

    #[test]
    fn query_values_are_form_encoded() {
        assert_eq!(url("http://h", "/p", &[]), "http://h/p");
        assert_eq!(
            url(
                "http://h",
                "/p",
                &[
                    ("access_token", "AbC-1_2.3*"),
                    ("openid", "o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
                ]
            ),
            "http://h/p?access_token=AbC-1_2.3*&openid=o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
        );
        assert_eq!(
            url(
                "http://h",
                "/p",
                &[("ticket", "gQ+a/b=="), ("q", "a b&c"), ("名", "微信")]
            ),
            "http://h/p?ticket=gQ%2Ba%2Fb%3D%3D&q=a+b%26c&%E5%90%8D=%E5%BE%AE%E4%BF%A1"
        );
    }

    #[test]
    fn a_base_path_prefixes_every_call() {
        assert_eq!(
            url("https://proxy.example:8443/wechat/", "/cgi-bin/token", &[("a", "1")]),
            "https://proxy.example:8443/wechat/cgi-bin/token?a=1"
        );
        assert_eq!(
            url("http://127.0.0.1:9/", "/cgi-bin/x", &[]),
            "http://127.0.0.1:9/cgi-bin/x"
        );
    }

    #[test]
    fn a_base_never_prints_its_credentials() {
        for bad in ["http://user:pa55@proxy/?a=1", "http://user:pa55@/x", "ftp://pa55@h"] {
            let mut bases = BaseUrls::default();
            bases.set(Host::Api, bad.to_owned());
            let error = bases.parse().expect_err(bad).to_string();
            assert!(!error.contains("pa55"), "{error}");
            assert!(error.contains("***@"), "{error}");
            let debug = format!("{bases:?}");
            assert!(!debug.contains("pa55") && debug.contains("***@"), "{debug}");
        }
        let mut bases = BaseUrls::default();
        bases.set(Host::Open, "https://user:pa55@proxy.example/wx".to_owned());
        let parsed = format!("{:?}", bases.parse().expect("a valid base"));
        assert!(
            !parsed.contains("pa55") && parsed.contains("https://***@proxy.example/wx"),
            "{parsed}"
        );
    }

    #[test]
    fn bad_bases_are_rejected_with_the_host_named() {
        for bad in ["ftp://h", "not a url", "http://h/?a=1", "http://h/#f", "mailto:x@y"] {
            let mut bases = BaseUrls::default();
            bases.set(Host::Mp, bad.to_owned());
            let error = bases.parse().expect_err(bad).to_string();
            assert!(
                error.contains("Mp") && error.contains(bad.trim_end_matches('/')),
                "{error}"
            );
        }
    }
}
