//! The server's settings: authentication, compatibility profile, custom attributes and limits.
//!
//! Settings are persisted with the data (the worker stores them in the same IndexedDB database)
//! and change only through [`crate::Server`] methods that report a [`crate::Change`].

use serde::{Deserialize, Serialize};

use crate::schema::CustomAttribute;

mod auth_de;

/// How clients must authenticate.
///
/// `Deserialize` is implemented by hand in `settings/auth_de.rs` (same behaviour as the derive,
/// a smaller worker); the `serde` attributes below describe the format both directions share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "method", rename_all = "camelCase")]
pub enum Auth {
    /// Every request is accepted.
    #[default]
    None,
    /// HTTP Basic (RFC 7617) with one username and password.
    Basic { username: String, password: String },
    /// The `Authorization` header must equal `value` exactly (Okta's "HTTP Header" option, where
    /// the admin pastes the whole header value, often `Bearer …`).
    Header { value: String },
    /// `Authorization: Bearer <token>` with one fixed token.
    Bearer { token: String },
    /// `Authorization: Bearer <token>` where the token was issued by the playground's OAuth 2.0
    /// token endpoint for this client and has not expired.
    #[serde(rename = "oauth", rename_all = "camelCase")]
    OAuth {
        client_id: String,
        client_secret: String,
        #[serde(default)]
        tokens: Vec<IssuedToken>,
    },
}

/// An OAuth 2.0 access token the worker's token endpoint issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuedToken {
    /// The opaque access token.
    pub token: String,
    /// When it stops being valid, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

/// How far the server bends the RFC to accommodate a real client.
///
/// Each relaxation is named here rather than applied silently, and the active profile is sent in
/// every response's `X-Scim-Profile` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Profile {
    /// RFC 7643/7644 to the letter.
    #[serde(rename = "strict")]
    StrictRfc,
    /// Okta's client: a path-less `replace` whose value carries the resource's own `id` (group
    /// rename) is accepted, and removing a value that is already gone is a no-op instead of
    /// `noTarget`.
    #[default]
    Okta,
    /// Microsoft Entra ID's client: capitalised op names (`"Replace"`), `"True"`/`"False"`
    /// strings for booleans, `remove` of `members` with a `value` list removes just those
    /// members, a write through a value filter that matches nothing creates the value, a bare
    /// string `manager` means `{"value": …}`, and removing a missing value is a no-op.
    #[serde(rename = "entra")]
    EntraId,
}

impl Profile {
    /// The name sent in the `X-Scim-Profile` header.
    pub fn header_value(self) -> &'static str {
        match self {
            Profile::StrictRfc => "strict-rfc",
            Profile::Okta => "okta",
            Profile::EntraId => "entra-id",
        }
    }

    /// Whether a path-less replace may carry the resource's own `id`.
    pub(crate) fn tolerates_own_id(self) -> bool {
        matches!(self, Profile::Okta | Profile::EntraId)
    }

    /// Whether removing a value that is not there is a silent no-op.
    pub(crate) fn tolerates_missing_remove(self) -> bool {
        matches!(self, Profile::Okta | Profile::EntraId)
    }

    /// Entra ID's quirks: capitalised ops, string booleans, remove-by-value, write-through
    /// filters and bare-string managers.
    pub(crate) fn is_entra(self) -> bool {
        self == Profile::EntraId
    }
}

/// Limits advertised in `/ServiceProviderConfig` and enforced by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// The most operations one bulk request may contain.
    pub bulk_max_operations: usize,
    /// The largest request body, in bytes, for bulk and every other request.
    pub max_payload_size: usize,
    /// The most resources one list or search response returns.
    pub max_results: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            bulk_max_operations: 1000,
            max_payload_size: 1_048_576,
            max_results: 1000,
        }
    }
}

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
