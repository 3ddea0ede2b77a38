//! IdP compatibility profiles: the same provisioning decisions, spoken like different clients.
//!
//! Okta with a custom (App Integration Wizard) app, Okta with a catalog (OIN) app and Entra ID
//! agree on *what* to send (create, update, deactivate, push a group) but not on the wire
//! shapes (docs/okta-model.md §3). Every shape that differs is decided here, so the push
//! code states each decision once and the UI can show the difference side by side.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::transport::encode_query_value;

/// The `User-Agent` Okta's SCIM client sends.
pub const USER_AGENT: &str = "Okta SCIM Client 1.0.0";

/// The `Accept` and `Content-Type` Okta's SCIM client sends.
pub const SCIM_MEDIA_TYPE: &str = "application/scim+json; charset=utf-8";

/// Request headers that a browser's `fetch` adds (or sets in place of the page's), and that a
/// client calling from its servers, as Okta does, never sends: the browser's own `User-Agent`
/// and client hints, fetch metadata, `Origin`, `Referer`, and the playground's own caller tag.
/// A browser also sends a CORS preflight (`OPTIONS`) before a request to another origin.
const ADDED_BY_A_BROWSER: [&str; 13] = [
    "user-agent",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
    "origin",
    "referer",
    "accept-language",
    "accept-encoding",
    "priority",
    "x-playground-client",
];

/// Whether the request header `name` came from the browser rather than from the client the
/// simulator talks like (see [`ADDED_BY_A_BROWSER`]).
pub fn added_by_a_browser(name: &str) -> bool {
    ADDED_BY_A_BROWSER
        .iter()
        .any(|added| added.eq_ignore_ascii_case(name))
}

/// Which client the simulator talks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ClientProfile {
    /// "Okta (custom app)": an App Integration Wizard app. Profile updates are `GET` then
    /// `PUT` of the whole resource; groups are replaced with `PUT`.
    #[default]
    #[serde(rename = "OKTA_AIW")]
    OktaCustom,
    /// "Okta (OIN app)": a catalog app. Profile updates are `GET` then `PUT`, as for custom
    /// apps (Okta's SCIM 2.0 reference: "all updates to a User object are handled using a PUT
    /// method request"); `PATCH` carries lifecycle and password only; group pushes are
    /// `PATCH`es.
    #[serde(rename = "OKTA_OIN")]
    OktaOin,
    /// "Entra ID": capitalised PATCH ops, booleans as strings, `externalId eq` existence
    /// checks, members removed by value.
    #[serde(rename = "ENTRA_ID")]
    EntraId,
}

/// How a client sends a changed profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStyle {
    /// `GET /Users/{id}`, change the mapped attributes, `PUT` it back.
    GetThenPut,
    /// One `PATCH` with a `replace` (or `remove`) per changed attribute.
    Patch,
}

impl ClientProfile {
    /// Every profile, in the order the UI offers them.
    pub const ALL: [ClientProfile; 3] = [
        ClientProfile::OktaOin,
        ClientProfile::OktaCustom,
        ClientProfile::EntraId,
    ];

    /// The name the UI shows.
    pub fn label(self) -> &'static str {
        match self {
            ClientProfile::OktaOin => "Okta (OIN app)",
            ClientProfile::OktaCustom => "Okta (custom app)",
            ClientProfile::EntraId => "Entra ID",
        }
    }

    /// The `User-Agent` the client sends. Entra ID's is not documented, so none is sent.
    pub fn user_agent(self) -> Option<&'static str> {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => Some(USER_AGENT),
            ClientProfile::EntraId => None,
        }
    }

    /// The `Accept` and `Content-Type` value.
    pub fn media_type(self) -> &'static str {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => SCIM_MEDIA_TYPE,
            ClientProfile::EntraId => "application/scim+json",
        }
    }

    /// How profile changes are sent.
    pub fn update_style(self) -> UpdateStyle {
        match self {
            ClientProfile::OktaCustom | ClientProfile::OktaOin => UpdateStyle::GetThenPut,
            ClientProfile::EntraId => UpdateStyle::Patch,
        }
    }

    /// Whether a group push replaces the whole group with `PUT` (custom Okta apps) rather than
    /// sending `PATCH`es.
    pub fn puts_groups(self) -> bool {
        self == ClientProfile::OktaCustom
    }

    /// Whether the create body carries Okta's `groups: []` and a `password`.
    pub fn sends_password_on_create(self) -> bool {
        self != ClientProfile::EntraId
    }

    /// A PATCH operation name as this client spells it: `replace`, or Entra's `Replace`.
    pub fn op(self, name: &str) -> String {
        match self {
            ClientProfile::EntraId => {
                let mut chars = name.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            ClientProfile::OktaOin | ClientProfile::OktaCustom => name.to_string(),
        }
    }

    /// A boolean inside a PATCH value: JSON `true`, or Entra's string `"True"`.
    pub fn patch_bool(self, value: bool) -> Value {
        match (self, value) {
            (ClientProfile::EntraId, true) => json!("True"),
            (ClientProfile::EntraId, false) => json!("False"),
            (_, value) => json!(value),
        }
    }

    /// The query of the existence check before a create: Okta filters on `userName` with
    /// paging, Entra ID on `externalId` (the source object's id) without.
    pub fn user_exists_query(self, user_name: &str, external_id: &str) -> String {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => format!(
                "filter={}&startIndex=1&count=100",
                encode_query_value(&format!("userName eq \"{}\"", escape(user_name)))
            ),
            ClientProfile::EntraId => format!(
                "filter={}",
                encode_query_value(&format!("externalId eq \"{}\"", escape(external_id)))
            ),
        }
    }

    /// The query that finds a group by name before creating it.
    pub fn group_exists_query(self, display_name: &str) -> String {
        let filter = encode_query_value(&format!("displayName eq \"{}\"", escape(display_name)));
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => {
                format!("filter={filter}&startIndex=1&count=100")
            }
            ClientProfile::EntraId => format!("filter={filter}"),
        }
    }

    /// The operations that set `active`: Okta's path-less `replace` with an object value,
    /// Entra ID's `Replace` of the `active` path with a string boolean.
    pub fn active_operations(self, active: bool) -> Vec<Value> {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => {
                vec![json!({"op": "replace", "value": {"active": active}})]
            }
            ClientProfile::EntraId => vec![json!({
                "op": self.op("replace"),
                "path": "active",
                "value": self.patch_bool(active),
            })],
        }
    }

    /// The operations that set a password: Okta's path-less `replace` (the documented shape is
    /// not published; this is the likely one), Entra ID's `Replace` of the `password` path.
    pub fn password_operations(self, password: &str) -> Vec<Value> {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => {
                vec![json!({"op": "replace", "value": {"password": password}})]
            }
            ClientProfile::EntraId => vec![json!({
                "op": self.op("replace"),
                "path": "password",
                "value": password,
            })],
        }
    }

    /// The operations that rename a group. Okta sends the id with the name in a path-less
    /// `replace` (and repeats it on every membership update); Entra ID replaces the path.
    pub fn rename_group_operations(self, group_id: &str, display_name: &str) -> Vec<Value> {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => vec![json!({
                "op": "replace",
                "value": {"id": group_id, "displayName": display_name},
            })],
            ClientProfile::EntraId => vec![json!({
                "op": self.op("replace"),
                "path": "displayName",
                "value": display_name,
            })],
        }
    }

    /// The operation that adds members, each `(scim id, userName)`.
    pub fn add_members_operation(self, members: &[(String, String)]) -> Value {
        let value: Vec<Value> = members
            .iter()
            .map(|(id, name)| match self {
                ClientProfile::EntraId => json!({"value": id}),
                _ => json!({"value": id, "display": name}),
            })
            .collect();
        json!({"op": self.op("add"), "path": "members", "value": value})
    }

    /// The operations that remove members: one filtered path each for Okta, one `Remove` with
    /// the ids as the value for Entra ID.
    pub fn remove_members_operations(self, member_ids: &[String]) -> Vec<Value> {
        match self {
            ClientProfile::OktaOin | ClientProfile::OktaCustom => member_ids
                .iter()
                .map(|id| json!({"op": "remove", "path": format!("members[value eq \"{}\"]", escape(id))}))
                .collect(),
            ClientProfile::EntraId if member_ids.is_empty() => Vec::new(),
            ClientProfile::EntraId => vec![json!({
                "op": self.op("remove"),
                "path": "members",
                "value": member_ids.iter().map(|id| json!({"value": id})).collect::<Vec<_>>(),
            })],
        }
    }
}

/// Escapes a value for a double-quoted SCIM filter string.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_a_browser_adds_are_known_whatever_their_case() {
        for name in [
            "User-Agent",
            "sec-ch-ua",
            "Sec-Fetch-Mode",
            "Origin",
            "X-Playground-Client",
        ] {
            assert!(added_by_a_browser(name), "{name}");
        }
        for name in ["Authorization", "Accept", "Content-Type", "If-Match"] {
            assert!(!added_by_a_browser(name), "{name}");
        }
    }

    #[test]
    fn entra_capitalises_ops_and_stringifies_booleans() {
        let entra = ClientProfile::EntraId;
        assert_eq!(entra.op("replace"), "Replace");
        assert_eq!(
            entra.active_operations(false),
            vec![json!({"op": "Replace", "path": "active", "value": "False"})]
        );
        assert_eq!(
            ClientProfile::OktaOin.active_operations(true),
            vec![json!({"op": "replace", "value": {"active": true}})]
        );
    }

    #[test]
    fn existence_checks_differ_by_client_and_escape_quotes() {
        assert_eq!(
            ClientProfile::OktaOin.user_exists_query("a\"b@x", "00u1"),
            "filter=userName%20eq%20%22a%5C%22b%40x%22&startIndex=1&count=100"
        );
        assert_eq!(
            ClientProfile::EntraId.user_exists_query("a@x", "00u1"),
            "filter=externalId%20eq%20%2200u1%22"
        );
    }
}
