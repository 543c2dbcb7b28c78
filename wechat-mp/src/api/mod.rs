//! Generated API groups (placeholder until the first `cargo xtask codegen`).
