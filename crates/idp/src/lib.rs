//! A pure simulator of Okta's provisioning behaviour.
//!
//! It reaches a SCIM server only through a transport trait, so the same code drives the
//! playground's service worker in the browser and the SCIM engine in process in native tests.
//!
//! # Map
//!
//! - [`transport`]: the async `Transport` trait, `HttpRequest`/`HttpResponse`, `block_on`.
//! - [`clock`], [`rng`]: injected time (`SimClock`) and a seeded PRNG, since wasm32 has neither.
//! - [`directory`]: users, lifecycle, groups, assignments, app user records; [`generator`]
//!   makes seeded demo users.
//! - [`profile`]: the app's attributes (Profile Editor); [`mapping`]: both mapping tables.
//! - [`settings`], [`push`], [`syslog`]: To App provisioning and its System Log.
//! - [`expr`]: the Okta Expression Language.

pub mod client;
pub mod clock;
pub mod directory;
pub mod expr;
pub mod generator;
pub mod group_push;
pub mod hook;
pub mod import;
pub mod mapping;
pub mod matching;
pub mod org;
pub mod profile;
pub mod push;
pub mod rng;
pub mod safeguard;
mod scim_json;
pub mod settings;
pub mod share;
pub mod sourcing;
pub mod syslog;
pub mod transport;
