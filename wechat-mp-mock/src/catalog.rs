//! The generated route tables, indexed once: by path for serving, by id for tests.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::check::Types;
use crate::routes::{ROUTES, TYPES};
use crate::schema::Route;

/// The endpoints the runtime calls for credentials, which no spec describes.
pub(crate) const TOKEN: &str = "token.token";
/// `POST /cgi-bin/stable_token`.
pub(crate) const STABLE_TOKEN: &str = "token.stable_token";
/// `GET /cgi-bin/ticket/getticket`.
pub(crate) const TICKET: &str = "ticket.getticket";

pub(crate) struct Catalog {
    by_path: HashMap<&'static str, Vec<&'static Route>>,
    ids: Vec<&'static str>,
    pub(crate) types: Types,
}

/// The one index of the tables.
pub(crate) fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut by_path: HashMap<&'static str, Vec<&'static Route>> = HashMap::new();
        let mut ids = vec![TOKEN, STABLE_TOKEN, TICKET];
        for route in ROUTES.iter().flat_map(|group| group.iter()) {
            by_path.entry(route.path).or_default().push(route);
            ids.push(route.id);
        }
        let types = TYPES
            .iter()
            .flat_map(|group| group.iter())
            .map(|(n, t)| (*n, t))
            .collect();
        Catalog { by_path, ids, types }
    })
}

impl Catalog {
    /// The endpoints at `path`, on any host: several endpoints may share one path
    /// (the QR code kinds), told apart by their fixed members.
    pub(crate) fn at(&self, path: &str) -> &[&'static Route] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// `id` as the tables spell it, if an endpoint has it.
    pub(crate) fn id(&self, id: &str) -> Option<&'static str> {
        self.ids.iter().copied().find(|known| *known == id)
    }

    /// The known ids closest to `id`, for an error message.
    pub(crate) fn near(&self, id: &str) -> Vec<&'static str> {
        let (group, name) = id.split_once('.').unwrap_or((id, ""));
        let mut near: Vec<&'static str> = self
            .ids
            .iter()
            .copied()
            .filter(|known| {
                let (g, n) = known.split_once('.').unwrap_or((known, ""));
                g == group || (!name.is_empty() && n == name)
            })
            .collect();
        near.truncate(8);
        near
    }

    /// How many endpoints of the specs the mock serves.
    pub(crate) fn len(&self) -> usize {
        self.ids.len() - 3
    }
}
