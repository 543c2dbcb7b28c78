//! The MP API's endpoint universe (`specs/_universe.yaml`): every endpoint of the
//! Official Account server API, by group, which `ENDPOINTS.md` measures the specs against.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Sink};
use crate::ir::{Endpoint, Group, Host, Ir, Method, ParamIn};
use crate::load::parse_error;
use crate::spec::At;

/// The universe file, relative to the workspace root.
pub const UNIVERSE_FILE: &str = "specs/_universe.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UniverseFile {
    groups: Vec<GroupEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupEntry {
    group: String,
    title: String,
    endpoints: Vec<EndpointEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum EndpointEntry {
    Plain(At<String>),
    Marked {
        endpoint: At<String>,
        #[serde(default)]
        runtime: bool,
    },
}

/// The universe, by group.
#[derive(Debug, Clone, Default)]
pub struct Universe {
    /// In the file's order.
    pub groups: Vec<UniverseGroup>,
}

/// One group of the universe.
#[derive(Debug, Clone)]
pub struct UniverseGroup {
    /// Short name, as the universe's sources call the family.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Its endpoints.
    pub endpoints: Vec<UniverseEndpoint>,
}

/// One endpoint of the universe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniverseEndpoint {
    /// `GET` or `POST`.
    pub method: Method,
    /// The host.
    pub host: Host,
    /// The path, without its query.
    pub path: String,
    /// `action=…` when the entry is one variant of a path told apart by its query.
    pub action: Option<String>,
    /// Served by the runtime (tokens) rather than by a spec.
    pub runtime: bool,
}

/// Reads `specs/_universe.yaml`; `None` when the workspace has none (as in fixtures).
pub fn load_universe(root: &Path) -> Result<Option<Universe>, Vec<Diagnostic>> {
    let Ok(text) = std::fs::read_to_string(root.join(UNIVERSE_FILE)) else {
        return Ok(None);
    };
    let file: UniverseFile =
        serde_saphyr::from_str(&text).map_err(|e| vec![parse_error(Path::new(UNIVERSE_FILE), &e)])?;
    let mut sink = Sink::new(UNIVERSE_FILE.into());
    let mut groups = Vec::new();
    for g in file.groups {
        let mut endpoints = Vec::new();
        for entry in g.endpoints {
            let (text, runtime) = match entry {
                EndpointEntry::Plain(text) => (text, false),
                EndpointEntry::Marked { endpoint, runtime } => (endpoint, runtime),
            };
            match parse_endpoint(&text.value, runtime) {
                Ok(endpoint) => endpoints.push(endpoint),
                Err(message) => sink.error(&text.referenced, format!("`{}`: {message}", text.value)),
            }
        }
        groups.push(UniverseGroup {
            name: g.group,
            title: g.title,
            endpoints,
        });
    }
    match sink.diagnostics.is_empty() {
        true => Ok(Some(Universe { groups })),
        false => Err(sink.diagnostics),
    }
}

/// `POST /cgi-bin/menu/create`, `GET mp.weixin.qq.com/cgi-bin/showqrcode`,
/// `POST /card/invoice/setbizattr?action=set_contact`.
fn parse_endpoint(text: &str, runtime: bool) -> Result<UniverseEndpoint, String> {
    let (method, rest) = text.split_once(' ').ok_or("expected `METHOD HOST/PATH`")?;
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => return Err(format!("`{other}` is not GET or POST")),
    };
    let (host, path) = match rest.find('/') {
        Some(0) => (Host::Api, rest),
        Some(at) => {
            let host = match &rest[..at] {
                "api.weixin.qq.com" => Host::Api,
                "mp.weixin.qq.com" => Host::Mp,
                "open.weixin.qq.com" => Host::Open,
                other => return Err(format!("`{other}` is not a WeChat host")),
            };
            (host, &rest[at..])
        }
        None => return Err("the path must start with `/`".into()),
    };
    let (path, action) = match path.split_once('?') {
        Some((path, query)) => {
            let action = query
                .strip_prefix("action=")
                .ok_or("only an `action=` query may tell variants apart")?;
            (path, Some(action.to_owned()))
        }
        None => (path, None),
    };
    Ok(UniverseEndpoint {
        method,
        host,
        path: path.to_owned(),
        action,
        runtime,
    })
}

impl UniverseGroup {
    /// The group's endpoints as the universe counts them: the `action` variants of one
    /// method, host and path together.
    pub fn units(&self) -> Vec<Vec<&UniverseEndpoint>> {
        let mut units: Vec<Vec<&UniverseEndpoint>> = Vec::new();
        for e in &self.endpoints {
            match units
                .iter_mut()
                .find(|u| u[0].method == e.method && u[0].host == e.host && u[0].path == e.path)
            {
                Some(unit) => unit.push(e),
                None => units.push(vec![e]),
            }
        }
        units
    }
}

impl UniverseEndpoint {
    /// The spec endpoints that serve this one: the same host and path (a method the
    /// sources disagree on still counts), and the same fixed `action` where there is
    /// one. Two specs may serve one endpoint (`qrcode.show` and `card.show_qrcode`).
    pub fn serving<'ir>(&self, ir: &'ir Ir) -> impl Iterator<Item = (&'ir Group, &'ir Endpoint)> {
        ir.groups
            .iter()
            .flat_map(|g| g.endpoints.iter().map(move |ep| (g, ep)))
            .filter(|(_, ep)| {
                ep.host == self.host
                    && ep.path == self.path
                    && self.action.as_ref().is_none_or(|action| {
                        ep.params.iter().any(|p| {
                            p.location == ParamIn::Query
                                && p.field.wire == "action"
                                && p.constant.as_ref().and_then(|c| c.as_str()) == Some(action.as_str())
                        })
                    })
            })
    }

    /// Whether a spec endpoint serves this one.
    pub fn specced(&self, ir: &Ir) -> bool {
        self.serving(ir).next().is_some()
    }

    /// Whether it is specced and every spec serving it is deprecated.
    pub fn deprecated(&self, ir: &Ir) -> bool {
        self.specced(ir) && self.serving(ir).all(|(_, ep)| ep.deprecated.is_some())
    }

    /// `POST /cgi-bin/menu/create`, as the file writes it.
    pub fn spelling(&self) -> String {
        let host = match self.host {
            Host::Api => "",
            other => other.domain(),
        };
        let action = self.action.as_ref().map(|a| format!("?action={a}")).unwrap_or_default();
        format!("{} {host}{}{action}", self.method.as_str(), self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_with_their_host_and_action() {
        let e = parse_endpoint("GET mp.weixin.qq.com/cgi-bin/showqrcode", false).unwrap();
        assert_eq!(
            (e.method, e.host, e.path.as_str()),
            (Method::Get, Host::Mp, "/cgi-bin/showqrcode")
        );
        let e = parse_endpoint("POST /card/invoice/setbizattr?action=set_contact", false).unwrap();
        assert_eq!(e.action.as_deref(), Some("set_contact"));
        assert_eq!(e.spelling(), "POST /card/invoice/setbizattr?action=set_contact");
        assert!(parse_endpoint("PUT /x", false).is_err());
        assert!(parse_endpoint("GET example.com/x", false).is_err());
        assert!(parse_endpoint("GET /x?type=1", false).is_err());
        assert!(parse_endpoint("GET", false).is_err());
    }
}
