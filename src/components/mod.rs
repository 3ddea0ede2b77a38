//! Generic widgets shared by the shell and the panels.

pub mod activity;
pub mod worker_badge;
