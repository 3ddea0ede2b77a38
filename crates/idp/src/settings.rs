//! An app's provisioning settings: the API integration (base URL and authentication), the app
//! type, and the "To App" toggles of docs/okta-model.md §2.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::client::ClientProfile;

/// The API integration's authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "camelCase")]
pub enum ApiAuth {
    /// No `Authorization` header.
    None,
    /// HTTP Basic with a username and password.
    Basic {
        /// The username.
        username: String,
        /// The password.
        password: String,
    },
    /// "HTTP Header": the token is sent as the raw `Authorization` value (often `Bearer …`).
    Header {
        /// The whole header value.
        value: String,
    },
    /// OAuth 2.0: the access token is sent as `Bearer <token>`.
    #[serde(rename = "oauth")]
    OAuthBearer {
        /// The access token.
        token: String,
    },
}

impl ApiAuth {
    /// The `Authorization` header value, if any.
    pub fn header_value(&self) -> Option<String> {
        match self {
            ApiAuth::None => None,
            ApiAuth::Basic { username, password } => {
                let raw = format!("{username}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                ))
            }
            ApiAuth::Header { value } => Some(value.clone()),
            ApiAuth::OAuthBearer { token } => Some(format!("Bearer {token}")),
        }
    }
}

/// Where a pushed password comes from (Sync Password's `seed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PasswordSeed {
    /// The user's Okta password.
    Okta,
    /// A random password Okta generates.
    #[default]
    Random,
}

/// The "To App" toggles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ToAppSettings {
    /// Create Users: assignments create (or link) app accounts.
    pub create_users: bool,
    /// Update User Attributes: profile changes are pushed.
    pub update_attributes: bool,
    /// Deactivate Users: unassignment and deactivation deactivate the app account, and
    /// reassignment and reactivation reactivate it.
    pub deactivate_users: bool,
    /// Sync Password: the password sent on create comes from [`ToAppSettings::password_seed`]
    /// instead of being a random placeholder.
    pub sync_password: bool,
    /// Where a synced password comes from.
    pub password_seed: PasswordSeed,
    /// Exclude Username Updates: a changed `userName` is never sent after creation.
    pub exclude_username_updates: bool,
}

impl Default for ToAppSettings {
    fn default() -> Self {
        ToAppSettings {
            create_users: true,
            update_attributes: true,
            deactivate_users: true,
            sync_password: false,
            password_seed: PasswordSeed::Random,
            exclude_username_updates: false,
        }
    }
}

/// Okta gives up on a rate-limited request after this many tries.
pub const MAX_TRIES: u32 = 10;

/// Okta waits this long after a 429 without a usable `Retry-After`, in milliseconds.
pub const DEFAULT_RETRY_WAIT_MS: u64 = 5 * 60 * 1000;

/// The first wait after a 429 whose `Retry-After` this browser cannot read (a server on another
/// origin that does not expose it): Okta would read it, so five minutes would misrepresent
/// Okta; the playground waits this long instead, doubling, and says why. Our choice
/// (docs/okta-model.md §8).
pub const UNREADABLE_RETRY_WAIT_MS: u64 = 5 * 1000;

/// Everything about how Okta provisions one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningSettings {
    /// "Enable API Integration": when off, Okta sends the app nothing at all (assignments and
    /// profile changes stay in Okta only). Settings saved before the switch existed were on.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The SCIM base URL, e.g. `https://app.example/scim/v2`, without a trailing slash.
    pub base_url: String,
    /// The authentication.
    pub auth: ApiAuth,
    /// Which client the simulator talks like: Okta with a custom or a catalog app, or Entra ID.
    #[serde(default)]
    pub client: ClientProfile,
    /// The To App toggles.
    #[serde(default)]
    pub to_app: ToAppSettings,
}

fn enabled_by_default() -> bool {
    true
}

impl ProvisioningSettings {
    /// Settings for `base_url` with `auth`, a custom (AIW) Okta app, and Okta's default toggles.
    pub fn new(base_url: &str, auth: ApiAuth) -> ProvisioningSettings {
        ProvisioningSettings {
            enabled: true,
            base_url: base_url.trim_end_matches('/').to_string(),
            auth,
            client: ClientProfile::OktaCustom,
            to_app: ToAppSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_auth_method_makes_its_header() {
        let basic = ApiAuth::Basic {
            username: "okta".into(),
            password: "secret".into(),
        };
        assert_eq!(
            basic.header_value().as_deref(),
            Some("Basic b2t0YTpzZWNyZXQ=")
        );
        let header = ApiAuth::Header {
            value: "Bearer abc".into(),
        };
        assert_eq!(header.header_value().as_deref(), Some("Bearer abc"));
        let oauth = ApiAuth::OAuthBearer { token: "t".into() };
        assert_eq!(oauth.header_value().as_deref(), Some("Bearer t"));
        assert_eq!(ApiAuth::None.header_value(), None);
    }
}
