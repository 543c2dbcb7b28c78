//! [`Router`]: rules by message type, event, event key and text, tried in order, with a
//! fallback and middleware around every push.

use std::fmt;

use regex_lite::Regex;

use super::CallbackError;
use super::handler::{Handled, Handler};
use super::message::{Incoming, Message};

/// Text to match: whole, by its start, or by a regular expression.
#[derive(Debug, Clone)]
enum Pattern {
    Exact(String),
    Prefix(String),
    Regex(Regex),
}

impl Pattern {
    fn matches(&self, text: &str) -> bool {
        match self {
            Pattern::Exact(s) => text == s,
            Pattern::Prefix(p) => text.starts_with(p.as_str()),
            Pattern::Regex(r) => r.is_match(text),
        }
    }

    fn regex(pattern: &str) -> Result<Pattern, CallbackError> {
        Regex::new(pattern)
            .map(Pattern::Regex)
            .map_err(|e| CallbackError::BadPattern(e.to_string()))
    }
}

#[derive(Debug, Clone)]
enum Condition {
    MsgType(String),
    Event(String),
    EventKey(Pattern),
    Content(Pattern),
}

impl Condition {
    fn holds(&self, incoming: &Incoming) -> bool {
        match self {
            Condition::MsgType(t) => incoming.message.msg_type().eq_ignore_ascii_case(t),
            Condition::Event(name) => incoming.event().is_some_and(|e| e.name().eq_ignore_ascii_case(name)),
            Condition::EventKey(p) => incoming
                .event()
                .and_then(|e| e.event_key())
                .is_some_and(|k| p.matches(k)),
            Condition::Content(p) => match &incoming.message {
                Message::Text(text) => p.matches(&text.content),
                _ => false,
            },
        }
    }
}

/// When a route applies: every condition joined with [`and`](Self::and) must hold.
#[derive(Debug, Clone)]
pub struct Rule {
    conditions: Vec<Condition>,
}

impl Rule {
    fn of(condition: Condition) -> Rule {
        Rule {
            conditions: vec![condition],
        }
    }

    /// Pushes of this `MsgType` (`text`, `image`, `event`, …), in any case.
    pub fn message(msg_type: &str) -> Rule {
        Rule::of(Condition::MsgType(msg_type.to_owned()))
    }

    /// Events of this name (`subscribe`, `CLICK`, …), in any case.
    pub fn event(name: &str) -> Rule {
        Rule::of(Condition::Event(name.to_owned()))
    }

    /// Events whose `EventKey` is exactly `key` (a menu item's key).
    pub fn event_key(key: &str) -> Rule {
        Rule::of(Condition::EventKey(Pattern::Exact(key.to_owned())))
    }

    /// Events whose `EventKey` starts with `prefix` (`qrscene_` for a subscribe by QR code).
    pub fn event_key_prefix(prefix: &str) -> Rule {
        Rule::of(Condition::EventKey(Pattern::Prefix(prefix.to_owned())))
    }

    /// Text messages whose content is exactly `content`.
    pub fn text(content: &str) -> Rule {
        Rule::of(Condition::Content(Pattern::Exact(content.to_owned())))
    }

    /// Text messages whose content starts with `prefix`.
    pub fn text_prefix(prefix: &str) -> Rule {
        Rule::of(Condition::Content(Pattern::Prefix(prefix.to_owned())))
    }

    /// Text messages whose content matches the regular expression `pattern` (the
    /// `regex-lite` syntax: Perl-style, without Unicode classes).
    ///
    /// # Errors
    /// [`CallbackError::BadPattern`] for a pattern that does not compile.
    pub fn text_regex(pattern: &str) -> Result<Rule, CallbackError> {
        Ok(Rule::of(Condition::Content(Pattern::regex(pattern)?)))
    }

    /// This rule and `other` must both hold.
    #[must_use]
    pub fn and(mut self, other: Rule) -> Rule {
        self.conditions.extend(other.conditions);
        self
    }

    /// Whether the rule applies to `incoming`.
    pub fn matches(&self, incoming: &Incoming) -> bool {
        self.conditions.iter().all(|c| c.holds(incoming))
    }
}

/// Runs around every push a [`Router`] handles: logging, metrics, de-duplication. Call
/// `next.run(incoming)` to go on, or answer without it. Implemented for every
/// `Fn(&Incoming, Next<'_>) -> Handled`.
pub trait Middleware: Send + Sync + 'static {
    /// Handles `incoming`, usually by way of `next`.
    fn call(&self, incoming: &Incoming, next: Next<'_>) -> Handled;
}

impl<F> Middleware for F
where
    F: Fn(&Incoming, Next<'_>) -> Handled + Send + Sync + 'static,
{
    fn call(&self, incoming: &Incoming, next: Next<'_>) -> Handled {
        self(incoming, next)
    }
}

/// The rest of a router's chain, from one middleware on.
pub struct Next<'a> {
    router: &'a Router,
    middleware: usize,
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next").field("middleware", &self.middleware).finish()
    }
}

impl Next<'_> {
    /// Runs the next middleware, or the routes after the last one.
    pub fn run(self, incoming: &Incoming) -> Handled {
        match self.router.middleware.get(self.middleware) {
            Some(m) => m.call(
                incoming,
                Next {
                    router: self.router,
                    middleware: self.middleware + 1,
                },
            ),
            None => self.router.dispatch(incoming),
        }
    }
}

/// Routes each push to the handler of the first rule that matches, else the fallback
/// (which answers `success` unless set), with middleware around it all. A router is a
/// [`Handler`]: give it to [`CallbackServerBuilder::handler`](super::CallbackServerBuilder::handler).
///
/// ```
/// use wechat_mp::callback::{Incoming, Reply, Router, Rule, async_handler};
///
/// let router = Router::new()
///     .route(Rule::text("help"), |_: &Incoming| Some(Reply::text("send a number")))
///     .route(Rule::text_regex(r"^\d{6}$").unwrap(), |_: &Incoming| Some(Reply::text("code accepted")))
///     .route(Rule::event("subscribe").and(Rule::event_key_prefix("qrscene_")), |_: &Incoming| {
///         Some(Reply::text("welcome, scanner"))
///     })
///     .route(Rule::event("subscribe"), async_handler(|i: Incoming| async move {
///         Some(Reply::text(format!("welcome, {}", i.from_user_name)))
///     }))
///     .fallback(|_: &Incoming| None);
/// # let _ = router;
/// ```
pub struct Router {
    routes: Vec<(Rule, Box<dyn Handler>)>,
    fallback: Option<Box<dyn Handler>>,
    middleware: Vec<Box<dyn Middleware>>,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("rules", &self.routes.iter().map(|(r, _)| r).collect::<Vec<_>>())
            .field("fallback", &self.fallback.is_some())
            .field("middleware", &self.middleware.len())
            .finish()
    }
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
    }
}

impl Router {
    /// A router with no routes, which answers every push `success`.
    pub fn new() -> Router {
        Router {
            routes: Vec::new(),
            fallback: None,
            middleware: Vec::new(),
        }
    }

    /// Adds a route, tried after those added before it.
    #[must_use]
    pub fn route(mut self, rule: Rule, handler: impl Handler) -> Router {
        self.routes.push((rule, Box::new(handler)));
        self
    }

    /// What handles a push no rule matches.
    #[must_use]
    pub fn fallback(mut self, handler: impl Handler) -> Router {
        self.fallback = Some(Box::new(handler));
        self
    }

    /// Adds middleware; the first added runs outermost.
    #[must_use]
    pub fn middleware(mut self, middleware: impl Middleware) -> Router {
        self.middleware.push(Box::new(middleware));
        self
    }

    fn dispatch(&self, incoming: &Incoming) -> Handled {
        let handler = self
            .routes
            .iter()
            .find(|(rule, _)| rule.matches(incoming))
            .map(|(_, h)| h)
            .or(self.fallback.as_ref());
        match handler {
            Some(h) => h.handle(incoming),
            None => Handled::Ready(None),
        }
    }
}

impl Handler for Router {
    fn handle(&self, incoming: &Incoming) -> Handled {
        Next {
            router: self,
            middleware: 0,
        }
        .run(incoming)
    }
}
