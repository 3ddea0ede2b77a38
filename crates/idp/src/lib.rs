//! A pure simulator of Okta's provisioning behaviour.
//!
//! It reaches a SCIM server only through a transport trait, so the same code drives the
//! playground's service worker in the browser and the SCIM engine in process in native tests.
//!
//! # Map
//!
//! - [`org`]: [`org::Org`], the whole simulated org (directory, app, group pushes, import
//!   configuration and last import, System Log), the type the app persists and calls.
//! - [`transport`]: the async `Transport` trait, `HttpRequest`/`HttpResponse`, `block_on`.
//! - [`action`]: what an admin asks for ([`action::Action`]) and [`org::Org::perform`], which does it.
//! - [`clock`], [`rng`]: injected time (`SimClock`), a seeded PRNG for demo data and ids, and
//!   the secure source (`Entropy`) the host gives for passwords.
//! - [`directory`]: users, lifecycle, groups, assignments, app user records; [`generator`]
//!   makes seeded demo users.
//! - [`profile`]: the app's attributes (Profile Editor); [`mapping`]: both mapping tables.
//! - [`settings`], [`client`]: provisioning settings and the IdP compatibility profiles (Okta
//!   custom app, Okta OIN app, Entra ID), which decide every wire shape that differs.
//! - [`push`], [`group_push`]: To App provisioning and Group Push; [`syslog`]: the System Log.
//! - [`import`]: To Okta, with [`matching`], [`sourcing`], [`safeguard`] and the inline
//!   [`hook`]; [`what_if`] plays one event for one person on a copy of the org, through the
//!   [`dry_run`] transport, which sends nothing that could change the app; [`preview`] is the
//!   push Okta would make for one person now, by the same means.
//! - [`share`]: the versioned shareable configuration for URL fragments; [`origin`]: the origin
//!   of a URL, which decides where a credential may go.
//! - [`saved`]: the org as the app stores it, a small head and pieces of 250 items, so a large
//!   org is written and read in short steps.
//! - [`conformance`]: the test runner's suites (Okta's SPEC test, the CRUD flow, discovery).
//! - [`expr`]: the Okta Expression Language.
//!
//! # Use
//!
//! ```
//! use idp::org::Org;
//! use idp::push::App;
//! use idp::settings::{ApiAuth, ProvisioningSettings};
//!
//! let settings = ProvisioningSettings::new("https://app.example/scim/v2", ApiAuth::None);
//! let mut org = Org::new(App::scim_template("0oa1", "My app", settings), 42);
//! idp::generator::generate_users(&mut org.directory, 42, 10, "example.com").unwrap();
//! // Then, with a transport (a `fetch` in the app) and a clock (`SimClock` in tests):
//! // org.assign_user(&transport, &clock, &user_id).await?;
//! // org.importer(&clock).run(&transport).await?;
//! let link = idp::share::encode(&idp::share::SharedConfig::from_org(&org));
//! assert!(idp::share::decode(&link).is_ok());
//! ```

pub mod action;
pub mod backup;
pub mod client;
pub mod clock;
pub mod conformance;
pub mod diagram;
pub mod directory;
pub mod dry_run;
pub mod expr;
pub mod generator;
pub mod group_push;
pub mod hook;
pub mod import;
pub mod mapping;
pub mod matching;
pub mod org;
pub mod origin;
pub mod preview;
pub mod profile;
pub mod push;
pub mod relay;
pub mod rng;
pub mod safeguard;
pub mod saved;
mod scim_json;
pub mod settings;
pub mod share;
pub mod sourcing;
pub mod syslog;
pub mod transport;
pub mod what_if;
