//! What answers a push: [`Handler`], for synchronous closures and, through
//! [`async_handler`], for async ones.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use super::message::Incoming;
use super::reply::Reply;

/// The future of an async handler: owned, so that it may outlive WeChat's deadline.
pub type ReplyFuture = Pin<Box<dyn Future<Output = Option<Reply>> + Send>>;

/// A handler's answer: ready at once, or a future.
///
/// A synchronous handler answers [`Handled::Ready`] and costs nothing beyond its own
/// work; an async one answers [`Handled::Pending`], which the server awaits within its
/// deadline.
pub enum Handled {
    /// The reply (`None` answers `success`).
    Ready(Option<Reply>),
    /// The reply, once the future completes.
    Pending(ReplyFuture),
}

impl fmt::Debug for Handled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Handled::Ready(reply) => f.debug_tuple("Ready").field(reply).finish(),
            Handled::Pending(_) => f.write_str("Pending(..)"),
        }
    }
}

impl From<Option<Reply>> for Handled {
    fn from(reply: Option<Reply>) -> Self {
        Handled::Ready(reply)
    }
}

/// Answers pushes. Implemented for every `Fn(&Incoming) -> Option<Reply>`; wrap an async
/// function with [`async_handler`]; a [`Router`](super::Router) is one too.
pub trait Handler: Send + Sync + 'static {
    /// The answer to one push.
    fn handle(&self, incoming: &Incoming) -> Handled;
}

impl<F> Handler for F
where
    F: Fn(&Incoming) -> Option<Reply> + Send + Sync + 'static,
{
    fn handle(&self, incoming: &Incoming) -> Handled {
        Handled::Ready(self(incoming))
    }
}

/// An async function as a [`Handler`]: it gets its own copy of the push, so that its
/// future owns everything it needs.
///
/// ```
/// use wechat_mp::callback::{CallbackServer, Incoming, Reply, async_handler};
///
/// let server = CallbackServer::builder("token")
///     .handler(async_handler(|incoming: Incoming| async move {
///         // Look the user up, query a database, call the MP API...
///         Some(Reply::text(format!("hello, {}", incoming.from_user_name)))
///     }))
///     .build()
///     .unwrap();
/// # let _ = server;
/// ```
pub fn async_handler<F, Fut>(f: F) -> AsyncHandler<F>
where
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Reply>> + Send + 'static,
{
    AsyncHandler(f)
}

/// An async function as a [`Handler`]; made by [`async_handler`].
#[derive(Clone)]
pub struct AsyncHandler<F>(F);

impl<F> fmt::Debug for AsyncHandler<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AsyncHandler(..)")
    }
}

impl<F, Fut> Handler for AsyncHandler<F>
where
    F: Fn(Incoming) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Reply>> + Send + 'static,
{
    fn handle(&self, incoming: &Incoming) -> Handled {
        Handled::Pending(Box::pin((self.0)(incoming.clone())))
    }
}
