//! A pure SCIM 2.0 service-provider engine (RFC 7643 and RFC 7644).
//!
//! This crate turns a transport-neutral request into a response over the data it holds. It knows
//! nothing about the browser: the service worker (`crates/sw`) hosts it over IndexedDB, and native
//! tests drive it directly. Time and ids are injected through [`Env`], so it is deterministic
//! and compiles to `wasm32-unknown-unknown` without threads, clocks or entropy.
//!
//! # How the service worker uses it
//!
//! ```
//! use scim::{Env, Request, Server, Settings};
//!
//! // Cold start: settings and rows come from IndexedDB.
//! let mut server = Server::new(Settings::default());
//! server.load(Vec::new()).unwrap();
//!
//! // Each fetch: build a Request, inject the clock and an id generator, handle it.
//! let mut req = Request::new("POST", "/Users");
//! req.base_url = "http://127.0.0.1:8080/scim/v2".into();
//! req.headers.push(("Content-Type".into(), "application/scim+json".into()));
//! req.body = br#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@x.com"}"#.to_vec();
//! let mut n = 0;
//! let mut next_id = || { n += 1; format!("id-{n}") };
//! let mut env = Env::from_unix_ms(1_700_000_000_000, &mut next_id);
//! let outcome = server.handle(&req, &mut env);
//! assert_eq!(outcome.response.status, 201);
//!
//! // Persist outcome.changes in ONE IndexedDB transaction; if it fails, roll the engine back:
//! let changes = outcome.changes;
//! server.undo(&changes);
//! assert_eq!(server.count(scim::ResourceKind::User), 0);
//! ```
//!
//! - [`Server::handle`] never panics and never partially applies a failed request: an error
//!   response comes with no [`Change`]s.
//! - Every mutation of the in-memory state, including settings ([`Server::update_settings`],
//!   [`Server::add_custom_attribute`], [`Server::remove_custom_attribute`],
//!   [`Server::set_auth`], [`Server::set_profile`], [`Server::issue_token`]), is reported as
//!   [`Change`]s, and [`Server::undo`] restores the exact earlier state.
//! - Errors are one type, [`ScimError`], turned into a response only by
//!   [`ScimError::to_response`].
//!
//! # Map
//!
//! - `schema/`: the registry (RFC 7643 schemas, custom attributes, [`schema::KindLookup`] for
//!   the filter code).
//! - `filter/`: the filter and PATCH path languages.
//! - `resource.rs`: validation and canonical form of client JSON; `render.rs`: computed
//!   attributes and `attributes`/`excludedAttributes`.
//! - `patch.rs`: the pure PATCH applier; `ops/`: one file per operation; `server.rs`: the
//!   dispatcher, changes and settings; `store.rs`: resources and indexes; `auth.rs`;
//!   `http.rs`: request, response, environment; `json.rs`: response bodies in RFC member order.

// Nothing on a request path may panic (ARCHITECTURE.md, "Invariants"): on wasm32 a panic traps
// the worker's instance, and every request after it would hang. Tests may.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod auth;
pub mod b64;
mod datetime;
pub mod error;
pub mod explain;
pub mod filter;
pub mod http;
pub mod json;
mod ops;
pub mod patch;
mod render;
mod resource;
pub mod schema;
mod server;
pub mod settings;
mod store;

pub use error::ScimError;
pub use http::{Env, Request, Response, SCIM_CONTENT_TYPE};
pub use schema::{CustomAttribute, Registry, ResourceKind};
pub use server::{Outcome, Server};
pub use settings::{Auth, IssuedToken, Limits, Profile, Settings};
pub use store::{Change, StoredResource};
