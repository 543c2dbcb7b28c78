//! Where a call goes: each host's base URL, parsed once when the client is built, and
//! the URL of one call made from it.

use std::sync::{PoisonError, RwLock};

use reqwest::Url;
use rustc_hash::FxHashMap;

use crate::endpoint::Host;
use crate::error::Error;
use crate::error::redact;

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
#[derive(Debug)]
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
pub(crate) struct HostUrl {
    base: Url,
    /// The base's own path (a proxy's prefix) without the trailing slash; usually empty.
    prefix: String,
    /// For each path called so far, its URL with a placeholder query (see [`ROOM`]).
    /// Keyed by a fast hash: paths come from code, not from anyone who could pick
    /// colliding ones, and every call looks one up.
    templates: RwLock<FxHashMap<&'static str, Url>>,
}

/// The placeholder query of a template: a clone of the template has room for a call's
/// own query, an access token of some 150 characters included, so that writing it does
/// not grow the URL's string. The url crate cannot reserve room, and every growth would
/// be a `realloc`, which skips the allocator's fast per-thread cache.
const ROOM: &str = "0000000000000000000000000000000000000000000000000000000000000000\
                    0000000000000000000000000000000000000000000000000000000000000000\
                    0000000000000000000000000000000000000000000000000000000000000000\
                    0000000000000000000000000000000000000000000000000000000000000000";

/// Paths are `'static` and few; the bound only guards against a caller leaking new
/// ones.
const MAX_TEMPLATES: usize = 512;

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
        Ok(HostUrl {
            base,
            prefix,
            templates: RwLock::default(),
        })
    }

    /// The URL of `path` under this base, with [`ROOM`] as its query.
    #[inline]
    fn template(&self, path: &'static str) -> Url {
        if let Some(url) = self.templates.read().unwrap_or_else(PoisonError::into_inner).get(path) {
            return url.clone();
        }
        let mut url = self.base.clone();
        if self.prefix.is_empty() {
            url.set_path(path);
        } else {
            url.set_path(&[self.prefix.as_str(), path].concat());
        }
        url.set_query(Some(ROOM));
        let mut templates = self.templates.write().unwrap_or_else(PoisonError::into_inner);
        if templates.len() < MAX_TEMPLATES {
            templates.insert(path, url.clone());
        }
        url
    }

    /// `path` under this base, with the `credential` pairs and then the call's `own` as
    /// its query, encoded as `application/x-www-form-urlencoded` as WeChat expects.
    ///
    /// Made from the path's template: parsing the whole URL of every call instead costs
    /// about twice as much, mostly in the host and query parsers, and setting the path
    /// of a clone of the base each time costs the path parser and a growth of the string.
    #[inline]
    pub(crate) fn join(&self, path: &'static str, credential: &[(&str, &str)], own: &[(&str, String)]) -> Url {
        let mut url = self.template(path);
        url.set_query(None);
        // Without pairs the URL keeps no query at all, not an empty one.
        if !(credential.is_empty() && own.is_empty()) {
            let mut query = url.query_pairs_mut();
            for (name, value) in credential {
                query.append_pair(name, value);
            }
            for (name, value) in own {
                query.append_pair(name, value);
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call's own pairs, as a request holds them.
    fn own(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    /// The hosts with `base` for the API host.
    fn hosts(base: &str) -> HostUrls {
        let mut bases = BaseUrls::default();
        bases.set(Host::Api, base.to_owned());
        bases.parse().expect("a valid base")
    }

    /// The URL of a call whose pairs are all its own.
    fn url(base: &str, path: &'static str, pairs: &[(&'static str, &str)]) -> String {
        hosts(base).get(Host::Api).join(path, &[], &own(pairs)).to_string()
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
    fn credential_pairs_come_first() {
        let hosts = hosts("http://h");
        let api = hosts.get(Host::Api);
        let credential = [("appid", "wx1"), ("secret", "s+1")];
        assert_eq!(
            api.join("/p", &credential, &own(&[("openid", "o1")])).as_str(),
            "http://h/p?appid=wx1&secret=s%2B1&openid=o1"
        );
        assert_eq!(api.join("/p", &credential[..1], &[]).as_str(), "http://h/p?appid=wx1");
    }

    #[test]
    fn a_path_template_carries_nothing_from_one_call_to_the_next() {
        let hosts = hosts("http://h");
        let api = hosts.get(Host::Api);
        let long = "t".repeat(ROOM.len() * 2);
        let calls: [&[(&'static str, &str)]; 4] = [&[("a", "1"), ("b", "2")], &[], &[("c", "3")], &[("token", &long)]];
        for pairs in calls {
            let mut expected = "http://h/p".to_owned();
            let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            if !query.is_empty() {
                expected = format!("{expected}?{}", query.join("&"));
            }
            assert_eq!(api.join("/p", &[], &own(pairs)).as_str(), expected);
        }
        assert_eq!(api.join("/q", &[("a", "1")], &[]).as_str(), "http://h/q?a=1");
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
