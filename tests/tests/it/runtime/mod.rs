//! The client runtime against mock servers on 127.0.0.1.

mod body_limit;
mod chaos;
mod downloads;
mod errors;
mod file_store;
mod local_token;
mod redaction;
mod redis_store;
mod refresh_lock;
mod rejected_token;
mod rejection_quota;
mod retry;
mod token;
mod tracing;
