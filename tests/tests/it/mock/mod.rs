//! `wechat-mp-mock` itself: what it refuses, the tokens it issues, the faults it plays,
//! and a user's test written against it.

mod checks;
mod faults;
mod tokens;
mod user_app;

use wechat_mp::endpoint::{Auth, Endpoint, Host, Method, ResponseKind};

/// An endpoint a user's code calls by hand, with the runtime's raw request API.
const fn raw(group: &'static str, name: &'static str, method: Method, host: Host, path: &'static str) -> Endpoint {
    Endpoint {
        group,
        name,
        method,
        host,
        path,
        auth: Auth::AccessToken,
        response: ResponseKind::Json,
    }
}
