//! WeChat's 5-second deadline: a handler that is still running when the budget is spent
//! gets `success` answered for it, finishes on its own task, and its reply goes out
//! through a [`LateDelivery`] (the customer-service message API); WeChat's retries of a
//! push whose handler is still running are answered `success` without running it again.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::message::Incoming;
use super::reply::Reply;

/// The default budget: WeChat waits 5 s, and the answer needs time to travel.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(4500);

/// The future of a late delivery: `Err` holds what went wrong, without secrets.
pub type DeliveryFuture = Pin<Box<dyn Future<Output = Result<(), crate::Error>> + Send>>;

/// Sends a reply that missed the deadline to the user some other way. The `Client`
/// implements it with `message/custom/send` (feature `custom_message`).
pub trait LateDelivery: Send + Sync + 'static {
    /// Sends `reply` to the sender of `incoming`.
    fn deliver(&self, incoming: &Incoming, reply: Reply) -> DeliveryFuture;
}

/// The pushes whose handlers are running, by a fingerprint: the `MsgId` of a message,
/// the sender, `CreateTime` and name of an event (WeChat's own de-duplication keys).
#[derive(Default)]
pub(crate) struct InFlight {
    running: Mutex<HashSet<u64>>,
}

impl fmt::Debug for InFlight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.running.lock().map_or(0, |set| set.len());
        f.debug_struct("InFlight").field("running", &n).finish()
    }
}

impl InFlight {
    /// The push's fingerprint; no allocation.
    pub(crate) fn key(incoming: &Incoming) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        match incoming.msg_id() {
            Some(id) => id.hash(&mut hasher),
            // The event's name too: two events of one second (subscribe, then its
            // location report) are not retries of each other.
            None => (
                &incoming.from_user_name,
                incoming.create_time,
                incoming.event().map(|e| e.name()),
            )
                .hash(&mut hasher),
        }
        hasher.finish()
    }

    /// Marks `key` running, unless it already is: `None` then, for a retry.
    pub(crate) fn enter(self: &Arc<Self>, key: u64) -> Option<Running> {
        let mut running = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        running.insert(key).then(|| Running { set: self.clone(), key })
    }
}

/// A running handler's mark; dropped when it finishes, however it finishes.
pub(crate) struct Running {
    set: Arc<InFlight>,
    key: u64,
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut running = self.set.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        running.remove(&self.key);
    }
}

/// Finishes a handler past its deadline on its own task, then delivers its reply.
pub(crate) fn finish_late(
    future: super::ReplyFuture,
    running: Running,
    incoming: Incoming,
    delivery: Option<Arc<dyn LateDelivery>>,
) {
    tokio::spawn(async move {
        let reply = future.await;
        drop(running);
        let Some(reply) = reply else { return };
        let Some(delivery) = delivery else {
            tracing::warn!(
                openid = %incoming.from_user_name,
                "a reply missed WeChat's deadline and no late delivery is configured: it is dropped"
            );
            return;
        };
        match delivery.deliver(&incoming, reply).await {
            Ok(()) => tracing::debug!(openid = %incoming.from_user_name, "late reply delivered"),
            Err(e) => tracing::warn!(
                openid = %incoming.from_user_name,
                errcode = e.errcode(),
                error = %e,
                "a reply that missed WeChat's deadline could not be delivered"
            ),
        }
    });
}

/// Late replies go out as customer-service messages: text, image, voice, video, music and
/// the first article of news keep their content; a hand-over to customer service has no
/// such form and is logged.
#[cfg(feature = "custom_message")]
impl LateDelivery for crate::Client {
    fn deliver(&self, incoming: &Incoming, reply: Reply) -> DeliveryFuture {
        let client = self.clone();
        let openid = incoming.from_user_name.clone();
        Box::pin(async move {
            let Some(message) = custom_message(reply) else {
                tracing::warn!(%openid, "a late transfer to customer service has no customer-service message form: not sent");
                return Ok(());
            };
            client.custom_message().send(openid, message).await
        })
    }
}

/// The customer-service form of a passive reply.
#[cfg(feature = "custom_message")]
fn custom_message(reply: Reply) -> Option<crate::api::custom_message::CustomMessage> {
    use crate::api::custom_message::{CustomMessage, CustomMusic, CustomNewsArticle, CustomVideo};

    Some(match reply {
        Reply::Text { content } => CustomMessage::text(content),
        Reply::Image { media_id } => CustomMessage::image(media_id),
        Reply::Voice { media_id } => CustomMessage::voice(media_id),
        Reply::Video(video) => {
            let thumb = video.thumb_media_id.unwrap_or_else(|| video.media_id.clone());
            let mut custom = CustomVideo::new(video.media_id, thumb);
            custom.title = video.title;
            custom.description = video.description;
            CustomMessage::Video(custom)
        }
        Reply::Music(music) => {
            let mut custom = CustomMusic::new(
                music.title.unwrap_or_default(),
                music.description.unwrap_or_default(),
                music.music_url.unwrap_or_default(),
                music.thumb_media_id,
            );
            custom.hqmusicurl = music.hq_music_url;
            CustomMessage::Music(custom)
        }
        Reply::News(articles) => {
            // A customer-service news message holds one article.
            let first = articles.into_iter().next()?;
            CustomMessage::news(vec![CustomNewsArticle::new(
                first.title,
                first.description.unwrap_or_default(),
                first.url,
                first.pic_url.unwrap_or_default(),
            )])
        }
        Reply::TransferCustomerService { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, time: i64) -> Incoming {
        Incoming::parse(&format!(
            "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>{time}</CreateTime>\
             <MsgType>event</MsgType><Event>{name}</Event></xml>"
        ))
        .unwrap()
    }

    #[test]
    fn a_retry_is_the_same_push_and_another_event_of_the_second_is_not() {
        assert_eq!(
            InFlight::key(&event("subscribe", 1)),
            InFlight::key(&event("subscribe", 1))
        );
        assert_ne!(
            InFlight::key(&event("subscribe", 1)),
            InFlight::key(&event("unsubscribe", 1))
        );
        assert_ne!(
            InFlight::key(&event("subscribe", 1)),
            InFlight::key(&event("subscribe", 2))
        );

        let set = Arc::new(InFlight::default());
        let running = set.enter(7).expect("not yet running");
        assert!(set.enter(7).is_none(), "a retry while it runs");
        drop(running);
        assert!(set.enter(7).is_some(), "it may run again once finished");
    }
}
