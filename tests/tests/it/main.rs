//! Every integration test of `wechat-mp`, in one binary, so that the suite links once.
//!
//! - `endpoints/`: each example of each spec endpoint, generated, against the mock server;
//! - `documented_calls`: hand-written calls of generated groups, checked against what
//!   WeChat documents rather than against the specs that generated them;
//! - `guide`, `messages`, `operations`: typed calls a user writes, against the mock and
//!   WeChat's documented JSON;
//! - `runtime/`: the client runtime (tokens, retries, errors, redaction, downloads,
//!   stores, tracing);
//! - `web/`: OAuth and the JS-SDK and card tickets;
//! - `callback/`: the callback server (protocol, samples, property tests, axum).

mod callback;
mod capture;
mod documented_calls;
mod endpoints;
mod guide;
mod messages;
mod mock;
mod operations;
mod runtime;
mod web;
