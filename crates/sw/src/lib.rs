//! The service worker.
