//! A local relay for the SCIM Playground (`make relay TARGET=…`): it forwards
//! `http://127.0.0.1:<port>/<rest>` to `<target>/<rest>`, exactly the target fixed at start,
//! and answers CORS for the playground's origins only, so the page can test a SCIM server that
//! knows nothing of CORS — one on the developer's own machine, say — without changing it or
//! exposing it. What it lets through is decided in [`rules`]; SECURITY.md states the rules.

pub mod config;
mod forward;
pub mod rules;

pub use config::Config;
pub use forward::serve;
