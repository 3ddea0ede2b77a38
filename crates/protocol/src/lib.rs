//! The contract between the page (`src/`) and the service worker (`crates/sw`): what one writes
//! and the other reads, defined once so that a change on one side that the other does not
//! follow is a compile error, not a panel that silently shows nothing.
//!
//! - [`base`]: where a build is served on its origin, and the names its data is stored under.
//! - [`traffic`]: the record of one exchange, its channel and message, the caller header.
//! - [`admin`]: the `/_playground` endpoints, their requests and their answers.
//! - [`settings`]: the built-in server's authentication, profile and limits.
//! - [`explain`]: what the Explain panel asks and what the engine answers.
//! - [`storage`]: what the server says when the browser refuses to save a change.
//!
//! Pure and small: the worker's size budget pays for what it uses of it, and derives it does
//! not call (the worker never reads a record back) are never compiled into it.

pub mod admin;
pub mod base;
pub mod explain;
pub mod settings;
pub mod storage;
pub mod traffic;
