//! The contract between the page (`src/`) and the service worker (`crates/sw`): what one writes
//! and the other reads, defined once so that a change on one side that the other does not
//! follow is a compile error, not a panel that silently shows nothing.
//!
//! Pure and small: the worker's size budget pays for what it uses of it, and derives it does
//! not call (the worker never reads a record back) are never compiled into it.

pub mod traffic;
