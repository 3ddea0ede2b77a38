//! The built-in server's settings as both sides read them: how clients authenticate, the
//! compatibility profile and the size limits. The engine (`scim::Settings`) holds these with its
//! custom attributes; the page reads and edits them as a [`SettingsDocument`] through
//! `GET`/`PUT /_playground/settings`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

impl Auth {
    /// The `Authorization` value a client sends to satisfy this setting, when it is one fixed
    /// value (`None` for no authentication and for OAuth, whose tokens are issued per client).
    pub fn authorization(&self) -> Option<String> {
        match self {
            Auth::Basic { username, password } => {
                use base64::Engine as _;
                let pair = format!("{username}:{password}");
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
            Auth::Header { value } => Some(value.clone()),
            Auth::Bearer { token } => Some(format!("Bearer {token}")),
            Auth::None | Auth::OAuth { .. } => None,
        }
    }
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
    /// Every profile, in the order the settings list them.
    pub const ALL: [Profile; 3] = [Profile::StrictRfc, Profile::Okta, Profile::EntraId];

    /// The name sent in the `X-Scim-Profile` header.
    pub fn header_value(self) -> &'static str {
        match self {
            Profile::StrictRfc => "strict-rfc",
            Profile::Okta => "okta",
            Profile::EntraId => "entra-id",
        }
    }

    /// The name the settings document uses (`strict`, `okta`, `entra`).
    pub fn setting_name(self) -> &'static str {
        match self {
            Profile::StrictRfc => "strict",
            Profile::Okta => "okta",
            Profile::EntraId => "entra",
        }
    }

    /// The profile a settings name stands for.
    pub fn from_setting_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.setting_name() == name)
    }

    /// Whether a path-less replace may carry the resource's own `id`.
    pub fn tolerates_own_id(self) -> bool {
        matches!(self, Profile::Okta | Profile::EntraId)
    }

    /// Whether a group member whose `value` names no User or Group on the server is dropped
    /// (the rest of the request applies) rather than refused with `invalidValue`.
    ///
    /// RFC 7644 leaves the check to the server. Strict refuses: a member nobody can `GET` is a
    /// dangling reference. Okta refuses too: Okta only sends member ids the app itself returned,
    /// so an unknown id means the app lost a user Okta believes it has, and Okta reports the
    /// failed push in its System Log, which is what a developer needs to see. Entra drops: it
    /// sends membership changes in batches per group and retries a failed request whole, so one
    /// stale id would hold back every other member; the response lists the members kept.
    pub fn drops_unknown_members(self) -> bool {
        self == Profile::EntraId
    }

    /// What the profile changes, in words, for the server settings panel.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Profile::StrictRfc => &[
                "Every request is checked against RFC 7643/7644 to the letter.",
                "A group member that is not a User or Group here is refused (400 invalidValue).",
            ],
            Profile::Okta => &[
                "A path-less replace may carry the resource's own id (Okta's group rename).",
                "Removing a value that is already gone is a no-op, not noTarget.",
                "A group member that is not a User or Group here is refused (400 invalidValue): \
                 Okta only sends ids the app returned, so it shows as a failed push in the System Log.",
            ],
            Profile::EntraId => &[
                "Capitalised ops (\"Replace\"), \"True\"/\"False\" booleans, remove of members by value \
                 list, writes through filters that match nothing, bare-string manager.",
                "Removing a value that is already gone is a no-op, not noTarget.",
                "A group member that is not a User or Group here is dropped and the rest applies: \
                 Entra retries a failed batch whole, so one stale id would hold back the others.",
            ],
        }
    }

    /// Whether removing a value that is not there is a silent no-op.
    pub fn tolerates_missing_remove(self) -> bool {
        matches!(self, Profile::Okta | Profile::EntraId)
    }

    /// Entra ID's quirks: capitalised ops, string booleans, remove-by-value, write-through
    /// filters and bare-string managers.
    pub fn is_entra(self) -> bool {
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
    /// How many seconds an RFC 9865 cursor stays valid after it was issued.
    pub cursor_timeout_seconds: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            bulk_max_operations: 1000,
            max_payload_size: 1_048_576,
            max_results: 1000,
            cursor_timeout_seconds: 3600,
        }
    }
}

/// The settings document of `GET`/`PUT /_playground/settings` as the page reads and edits it:
/// the parts it shows, typed, and the rest (custom attributes, limits) carried back unchanged,
/// so a page that does not know a setting cannot drop it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SettingsDocument {
    #[serde(default)]
    pub auth: Auth,
    #[serde(default)]
    pub profile: Profile,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page edits auth and profile and sends back what it did not touch.
    #[test]
    fn a_settings_document_keeps_what_the_page_does_not_edit() {
        let text = r#"{"auth":{"method":"bearer","token":"t"},"profile":"strict","customAttributes":[{"x":1}],"limits":{"maxResults":5}}"#;
        let mut document: SettingsDocument = serde_json::from_str(text).expect("a document");
        assert_eq!(document.profile, Profile::StrictRfc);
        assert_eq!(document.auth.authorization().as_deref(), Some("Bearer t"));
        document.profile = Profile::EntraId;
        let written: Value = serde_json::to_value(&document).expect("json");
        assert_eq!(written["profile"], "entra");
        assert_eq!(written["limits"]["maxResults"], 5);
        assert_eq!(written["customAttributes"][0]["x"], 1);
    }

    #[test]
    fn basic_authorization_is_base64_of_the_pair() {
        let auth = Auth::Basic {
            username: "okta".into(),
            password: "p@ss".into(),
        };
        assert_eq!(auth.authorization().as_deref(), Some("Basic b2t0YTpwQHNz"));
        assert_eq!(Auth::None.authorization(), None);
    }

    #[test]
    fn profile_names_round_trip() {
        for profile in Profile::ALL {
            let json = serde_json::to_string(&profile).expect("json");
            assert_eq!(json, format!("\"{}\"", profile.setting_name()));
            assert_eq!(
                Profile::from_setting_name(profile.setting_name()),
                Some(profile)
            );
        }
    }
}
