//! The callback server: WeChat's pushes verified, decrypted, parsed and answered.

mod axum;
mod deadline;
mod events;
mod example;
mod props;
mod protocol;
mod router;
mod samples;
