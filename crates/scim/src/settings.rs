//! The server's settings: authentication, compatibility profile, custom attributes and limits.
//!
//! Settings are persisted with the data (the worker stores them in the same IndexedDB database)
//! and change only through [`crate::Server`] methods that report a [`crate::Change`].

use serde::{Deserialize, Serialize};

use crate::schema::CustomAttribute;

// Authentication, the profile and the limits are part of the page's contract with the worker,
// so they are defined in `protocol` (the page edits them); the engine adds custom attributes.
pub use protocol::settings::{Auth, IssuedToken, Limits, Profile};

/// Everything configurable about the server.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// How clients authenticate.
    pub auth: Auth,
    /// The compatibility profile.
    pub profile: Profile,
    /// Attributes added in the Profile Editor.
    pub custom_attributes: Vec<CustomAttribute>,
    /// Size limits.
    pub limits: Limits,
}
