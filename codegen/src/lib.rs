//! Spec-driven code generator for wechat-mp.
