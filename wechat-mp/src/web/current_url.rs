//! The URL of the request being served, as the browser saw it (the seed's `Short.current`).

/// Rebuilds the browser-visible URL of a request: the scheme from `X-Forwarded-Proto`
/// (else `https` when `tls` is set or the host names port 443), the host from
/// `X-Forwarded-Host` (else `Host`, else the URI's authority), then path and query.
/// `None` when no host is known. Use it as the `url` to sign for `wx.config`.
pub fn current_url(headers: &http::HeaderMap, uri: &http::Uri, tls: bool) -> Option<String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or(v).trim().to_owned())
    };
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()))
        .filter(|h| !h.is_empty())?;
    let scheme = header("x-forwarded-proto").unwrap_or_else(|| {
        if tls || host.ends_with(":443") {
            "https".to_owned()
        } else {
            "http".to_owned()
        }
    });
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    Some(format!("{scheme}://{host}{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn proxy_headers_win() {
        let uri: http::Uri = "/page?a=1".parse().unwrap();
        let h = headers(&[
            ("host", "10.0.0.1:8080"),
            ("x-forwarded-host", "shop.example"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            current_url(&h, &uri, false).as_deref(),
            Some("https://shop.example/page?a=1")
        );
    }

    #[test]
    fn host_header_and_tls_flag() {
        let uri: http::Uri = "/p".parse().unwrap();
        assert_eq!(
            current_url(&headers(&[("host", "a.example")]), &uri, true).as_deref(),
            Some("https://a.example/p")
        );
        assert_eq!(
            current_url(&headers(&[("host", "a.example")]), &uri, false).as_deref(),
            Some("http://a.example/p")
        );
        assert_eq!(current_url(&http::HeaderMap::new(), &uri, false), None);
    }
}
