//! A pure simulator of Okta's provisioning behaviour.
//!
//! It reaches a SCIM server only through a transport trait, so the same code drives the
//! playground's service worker in the browser and the SCIM engine in process in native tests.

pub mod clock;
pub mod directory;
pub mod expr;
pub mod generator;
pub mod mapping;
pub mod profile;
pub mod push;
pub mod rng;
mod scim_json;
pub mod settings;
pub mod syslog;
pub mod transport;
