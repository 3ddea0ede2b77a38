//! A pure SCIM 2.0 service-provider engine (RFC 7643 and RFC 7644).
//!
//! This crate turns a transport-neutral request into a response over the data it holds. It knows
//! nothing about the browser: the service worker (`crates/sw`) hosts it over IndexedDB, and native
//! tests drive it directly.

pub mod schema;
