//! The HTTP side: one fallback handler that finds the endpoint a request is for,
//! checks it, records it and answers as WeChat would.
//!
//! Every host is served on one port: api.weixin.qq.com at the root, the others under a
//! prefix named after them (`/mp.weixin.qq.com/cgi-bin/showqrcode`), so a request sent
//! to the wrong host misses its endpoint as it would in production.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};
use wechat_mp::endpoint::{Auth, Host, Method};

use crate::FILE_BYTES;
use crate::catalog::{STABLE_TOKEN, TICKET, TOKEN, catalog};
use crate::check::{self, Part, Problem, Sent};
use crate::fault::Fault;
use crate::record::{Call, FormPart, Mismatch};
use crate::schema::{Reply, Route};
use crate::state::{Answer, Shared};
use crate::tokens::Issuer;

/// The largest body the mock reads.
const MAX_BODY: usize = 64 << 20;

/// The prefix of each host's paths.
pub(crate) fn prefix(host: Host) -> &'static str {
    match host {
        Host::Mp => "/mp.weixin.qq.com",
        Host::Open => "/open.weixin.qq.com",
        _ => "",
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(shared)
}

/// A request, read whole.
struct Incoming {
    method: Method,
    host: Host,
    path: String,
    query: Vec<(String, String)>,
    sent: Sent,
}

/// What to answer.
enum Outcome {
    Json(Value),
    Bytes(Bytes, String),
    Fault(Fault, Box<Outcome>),
    NotFound(String),
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let incoming = match read(request).await {
        Ok(incoming) => incoming,
        Err(response) => return response,
    };
    let outcome = shared.serve(incoming);
    answer(outcome).await
}

async fn read(request: Request) -> Result<Incoming, Response> {
    let method = match request.method().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        _ => return Err(StatusCode::METHOD_NOT_ALLOWED.into_response()),
    };
    let full = request.uri().path().to_owned();
    let (host, path) = [Host::Mp, Host::Open]
        .into_iter()
        .find_map(|h| full.strip_prefix(prefix(h)).map(|p| (h, p.to_owned())))
        .unwrap_or((Host::Api, full.clone()));
    let query = form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let sent = if is_form {
        read_form(request).await
    } else {
        match axum::body::to_bytes(request.into_body(), MAX_BODY).await {
            Ok(bytes) if bytes.is_empty() => Sent::Empty,
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(value) => Sent::Json(value),
                Err(_) => Sent::Garbled,
            },
            Err(_) => return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response()),
        }
    };
    Ok(Incoming {
        method,
        host,
        path,
        query,
        sent,
    })
}

/// The parts of a multipart body; a body that breaks off keeps the parts before.
async fn read_form(request: Request) -> Sent {
    let Ok(mut form) = Multipart::from_request(request, &()).await else {
        return Sent::Garbled;
    };
    let mut parts = Vec::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let Ok(bytes) = field.bytes().await else { break };
        parts.push(Part { name, file_name, bytes });
    }
    Sent::Form(parts)
}

impl Shared {
    /// Finds, checks, records and answers one request.
    fn serve(&self, incoming: Incoming) -> Outcome {
        let line = format!(
            "{} {}{}",
            incoming.method.as_str(),
            prefix(incoming.host),
            incoming.path
        );
        let special = match (incoming.host, incoming.path.as_str()) {
            (Host::Api, "/cgi-bin/token") => Some(TOKEN),
            (Host::Api, "/cgi-bin/stable_token") => Some(STABLE_TOKEN),
            (Host::Api, "/cgi-bin/ticket/getticket") => Some(TICKET),
            _ => None,
        };
        let (id, result, fits) = match special {
            Some(id) => (id, self.credential(id, &incoming), vec![id]),
            None => match self.route(&incoming) {
                Ok(routes) => {
                    let fits: Vec<&'static str> = routes.iter().map(|r| r.id).collect();
                    (routes[0].id, self.endpoint(routes[0], &fits, &incoming), fits)
                }
                Err(mismatch) => {
                    let problem = mismatch.problem.clone();
                    self.lock().mismatches.push(mismatch);
                    return Outcome::NotFound(problem);
                }
            },
        };
        let mut state = self.lock();
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(Failure { problem, mismatch }) => {
                if mismatch {
                    state.mismatches.push(Mismatch {
                        endpoint: Some(id),
                        request: line,
                        problem: problem.errmsg.clone(),
                        errcode: Some(problem.errcode),
                    });
                }
                Outcome::Json(json!({"errcode": problem.errcode, "errmsg": problem.errmsg}))
            }
        };
        let fault = fits
            .iter()
            .find_map(|id| state.faults.get_mut(id).and_then(|queue| queue.pop_front()));
        let outcome = match fault {
            Some(Fault::Errcode(code)) => Outcome::Json(json!({"errcode": code, "errmsg": Fault::errmsg(code)})),
            Some(fault) => Outcome::Fault(fault, Box::new(outcome)),
            None => outcome,
        };
        let errcode = match &outcome {
            Outcome::Json(v) => Some(v.get("errcode").and_then(Value::as_i64).unwrap_or(0)),
            _ => None,
        };
        let (body, form) = match incoming.sent {
            Sent::Json(value) => (Some(value), Vec::new()),
            Sent::Form(parts) => (
                None,
                parts
                    .into_iter()
                    .map(|p| FormPart {
                        name: p.name,
                        file_name: p.file_name,
                        bytes: p.bytes,
                    })
                    .collect(),
            ),
            Sent::Empty | Sent::Garbled => (None, Vec::new()),
        };
        state.calls.push(Call {
            endpoint: id,
            method: incoming.method,
            host: incoming.host,
            query: incoming.query,
            body,
            form,
            fits,
            errcode,
        });
        outcome
    }

    /// The endpoints a request is for, the one to answer first; or why there is none.
    fn route(&self, incoming: &Incoming) -> Result<Vec<&'static Route>, Mismatch> {
        let line = format!(
            "{} {}{}",
            incoming.method.as_str(),
            prefix(incoming.host),
            incoming.path
        );
        let at_path = catalog().at(&incoming.path);
        let here: Vec<&'static Route> = at_path.iter().copied().filter(|r| r.host == incoming.host).collect();
        if here.is_empty() {
            let problem = match at_path.first() {
                Some(route) => format!(
                    "`{}` is served by {}, not {}",
                    route.id,
                    domain(route.host),
                    domain(incoming.host)
                ),
                None => format!("no endpoint has the path {}", incoming.path),
            };
            return Err(Mismatch {
                endpoint: at_path.first().map(|r| r.id),
                request: line,
                problem,
                errcode: None,
            });
        }
        let claimed: Vec<&'static Route> = here
            .iter()
            .copied()
            .filter(|r| check::claims(r, &incoming.query, &incoming.sent))
            .collect();
        Ok(if claimed.is_empty() { vec![here[0]] } else { claimed })
    }

    /// The answer of a spec endpoint; `fits` names every endpoint the request is for, whose
    /// replaced answers count.
    fn endpoint(&self, route: &'static Route, fits: &[&'static str], incoming: &Incoming) -> Result<Outcome, Failure> {
        if route.method != incoming.method {
            return Err(Failure::mismatch(match route.method {
                Method::Get => Problem {
                    errcode: 43001,
                    errmsg: "require GET method".into(),
                },
                _ => Problem {
                    errcode: 43002,
                    errmsg: "require POST method hint: [mock]".into(),
                },
            }));
        }
        let query: Vec<(String, String)> = incoming
            .query
            .iter()
            .filter(|(k, _)| !credential_param(route.auth, k))
            .cloned()
            .collect();
        self.authorize(route.auth, &incoming.query)?;
        check::request(route, &query, &incoming.sent, &catalog().types).map_err(Failure::mismatch)?;
        let mut state = self.lock();
        let queued = fits
            .iter()
            .find_map(|id| state.queued.get_mut(id).and_then(VecDeque::pop_front));
        let answer = queued.or_else(|| fits.iter().find_map(|id| state.replies.get(id)).cloned());
        Ok(match answer {
            Some(Answer::Json(value)) => Outcome::Json(value),
            Some(Answer::Bytes(bytes, kind)) => Outcome::Bytes(bytes, kind),
            None => match route.reply {
                Reply::Json(text) => {
                    Outcome::Json(serde_json::from_str(text).unwrap_or_else(|_| json!({"errcode": 0})))
                }
                Reply::Bytes => Outcome::Bytes(Bytes::from_static(FILE_BYTES), "image/jpeg".into()),
            },
        })
    }

    /// The credential an endpoint carries, as WeChat checks it.
    fn authorize(&self, auth: Auth, query: &[(String, String)]) -> Result<(), Failure> {
        let get = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        match auth {
            Auth::AccessToken => self.lock().tokens.check(get("access_token")).map_err(|refusal| {
                let code = refusal.errcode();
                Failure::answer(code, Fault::errmsg(code))
            }),
            Auth::AppSecret => {
                self.check_app_id(get("appid"))?;
                self.check_secret(get("secret"))
            }
            Auth::AppId => self.check_app_id(get("appid")),
            _ => Ok(()),
        }
    }

    fn check_app_id(&self, app_id: Option<&str>) -> Result<(), Failure> {
        match app_id {
            None => Err(Failure::mismatch(Problem::missing("appid"))),
            Some(id) if id != self.account.app_id => Err(Failure::answer(40013, "invalid appid")),
            Some(_) => Ok(()),
        }
    }

    fn check_secret(&self, secret: Option<&str>) -> Result<(), Failure> {
        match secret {
            None => Err(Failure::mismatch(Problem::missing("secret"))),
            Some(s) if s != self.account.app_secret => Err(Failure::answer(
                40001,
                "invalid credential, AppSecret is wrong or does not belong to this account",
            )),
            Some(_) => Ok(()),
        }
    }

    /// The token and ticket endpoints the runtime calls.
    fn credential(&self, id: &'static str, incoming: &Incoming) -> Result<Outcome, Failure> {
        let want = if id == STABLE_TOKEN { Method::Post } else { Method::Get };
        if incoming.method != want {
            let (errcode, errmsg) = match want {
                Method::Get => (43001, "require GET method"),
                _ => (43002, "require POST method"),
            };
            return Err(Failure::mismatch(Problem {
                errcode,
                errmsg: errmsg.into(),
            }));
        }
        let query = |name: &str| incoming.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let body = match &incoming.sent {
            Sent::Json(Value::Object(map)) => map.clone(),
            _ => Default::default(),
        };
        let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
        let lifetime = self.account.token_lifetime;
        if id == TICKET {
            self.authorize(Auth::AccessToken, &incoming.query)?;
            return match query("type").as_deref() {
                Some("jsapi" | "wx_card") => Ok(Outcome::Json(json!({
                    "errcode": 0,
                    "errmsg": "ok",
                    "ticket": format!("MOCK_TICKET_{:016x}", rand::random::<u64>()),
                    "expires_in": lifetime.as_secs(),
                }))),
                Some(_) => Err(Failure::mismatch(Problem {
                    errcode: 40097,
                    errmsg: "invalid args hint: type".into(),
                })),
                None => Err(Failure::mismatch(Problem::missing("type"))),
            };
        }
        let (grant, app_id, secret, force) = match id {
            TOKEN => (query("grant_type"), query("appid"), query("secret"), false),
            _ => {
                if !matches!(incoming.sent, Sent::Json(Value::Object(_))) {
                    return Err(Failure::mismatch(Problem {
                        errcode: 44002,
                        errmsg: "empty post data".into(),
                    }));
                }
                let force = body.get("force_refresh").and_then(Value::as_bool).unwrap_or(false);
                (field("grant_type"), field("appid"), field("secret"), force)
            }
        };
        if grant.as_deref() != Some("client_credential") {
            return Err(Failure::mismatch(Problem {
                errcode: 40002,
                errmsg: "invalid grant_type".into(),
            }));
        }
        self.check_app_id(app_id.as_deref())?;
        self.check_secret(secret.as_deref())?;
        let issuer = if id == TOKEN { Issuer::Basic } else { Issuer::Stable };
        let (token, left) = self.lock().tokens.issue(issuer, force, lifetime);
        Ok(Outcome::Json(
            json!({"access_token": token, "expires_in": left.as_secs()}),
        ))
    }
}

fn domain(host: Host) -> &'static str {
    match host {
        Host::Mp => "mp.weixin.qq.com",
        Host::Open => "open.weixin.qq.com",
        _ => "api.weixin.qq.com",
    }
}

/// Whether query parameter `name` is the credential of `auth`, checked apart.
fn credential_param(auth: Auth, name: &str) -> bool {
    match auth {
        Auth::AccessToken => name == "access_token",
        Auth::AppSecret => name == "appid" || name == "secret",
        Auth::AppId => name == "appid",
        _ => false,
    }
}

/// A request WeChat refuses: with a mismatch recorded when the request breaks the specs,
/// without one when WeChat would refuse it anyway (an expired token).
struct Failure {
    problem: Problem,
    mismatch: bool,
}

impl Failure {
    fn mismatch(problem: Problem) -> Self {
        Failure {
            problem,
            mismatch: true,
        }
    }

    fn answer(errcode: i64, errmsg: &str) -> Self {
        Failure {
            problem: Problem {
                errcode,
                errmsg: errmsg.into(),
            },
            mismatch: false,
        }
    }
}

async fn answer(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Json(value) => {
            // WeChat's own content type, which some clients match exactly.
            (
                [(header::CONTENT_TYPE, "application/json; encoding=utf-8")],
                value.to_string(),
            )
                .into_response()
        }
        Outcome::Bytes(bytes, kind) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        Outcome::NotFound(problem) => (StatusCode::NOT_FOUND, format!("404 Not Found: {problem}")).into_response(),
        Outcome::Fault(Fault::Delay(pause), then) => {
            tokio::time::sleep(pause).await;
            Box::pin(answer(*then)).await
        }
        Outcome::Fault(Fault::Html, _) => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
        )
            .into_response(),
        Outcome::Fault(_, _) => broken(),
    }
}

/// A response that declares more than it sends and then breaks off.
fn broken() -> Response {
    let chunks: [Result<Bytes, std::io::Error>; 2] = [
        Ok(Bytes::from_static(b"{\"errcode\":0,\"err")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "mock disconnect",
        )),
    ];
    let mut response = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("1024"));
    response
}
