//! The Share panel's list of what an incoming configuration changes, setting by setting.

use serde_json::Value;

use super::SharedConfig;

/// One setting that differs between two configurations, as the Share panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Where, e.g. `toApp.createUsers` or `mappings.toApp.displayName.expression`.
    pub path: String,
    /// The value now, as JSON text; `None` when it is added.
    pub current: Option<String>,
    /// The value the other configuration brings; `None` when it is removed.
    pub incoming: Option<String>,
}

/// The words Okta's admin pages use for the settings a path names; a segment not listed (an
/// attribute's or a mapping's name) is shown as it is.
const LABELS: [(&str, &str); 44] = [
    ("appLabel", "App label"),
    ("client", "Client profile"),
    ("authMethod", "API Integration › Authentication"),
    ("toApp", "To App"),
    ("createUsers", "Create Users"),
    ("updateAttributes", "Update User Attributes"),
    ("deactivateUsers", "Deactivate Users"),
    ("syncPassword", "Sync Password"),
    ("passwordSeed", "Password to sync"),
    ("excludeUsernameUpdates", "Exclude Username Updates"),
    ("appAttributes", "Profile Editor › App attributes"),
    ("oktaAttributes", "Profile Editor › Okta attributes"),
    ("mappings", "Mappings"),
    ("toOkta", "To Okta"),
    ("expression", "Expression"),
    ("applyOn", "Apply on"),
    ("source", "Source"),
    ("import", "To Okta"),
    ("usernameFormat", "Okta username format"),
    ("matching", "User Creation & Matching"),
    ("username", "Okta username format matches"),
    ("email", "Email matches"),
    ("attribute", "The following attribute matches"),
    ("allowPartial", "Allow partial matches"),
    ("autoConfirmExact", "Confirm matched users"),
    ("autoConfirmPartial", "Confirm partial matches too"),
    ("autoConfirmNew", "Confirm new users"),
    ("autoActivateNew", "Auto-activate new users"),
    ("sourcing", "Profile & Lifecycle Sourcing"),
    ("enabled", "Enabled"),
    ("onDeactivated", "When a user is deactivated in the app"),
    ("reactivateSuspended", "Reactivate suspended Okta users"),
    ("reactivateDeactivated", "Reactivate deactivated Okta users"),
    ("safeguards", "Import Safeguards"),
    ("app", "App-level"),
    ("org", "Org-level"),
    ("percent", "Percentage"),
    ("hook", "Import inline hook"),
    ("url", "URL"),
    ("rules", "Rules"),
    ("schedule", "Full import schedule"),
    ("required", "Required"),
    ("type", "Type"),
    ("version", "Version"),
];

/// A difference's path as the admin pages name it: `toApp.createUsers` → `To App › Create
/// Users`, `mappings.toApp.title.expression` → `Mappings › To App › title › Expression`.
pub fn label(path: &str) -> String {
    path.split('.')
        .map(|segment| {
            LABELS
                .iter()
                .find(|(key, _)| *key == segment)
                .map_or(segment, |(_, label)| label)
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Every setting that differs between `current` and `incoming`, in a stable order. Lists of
/// named things (mappings by target, attributes by name) are compared by name, so adding one
/// mapping reads as one added line rather than every later index changing.
pub fn diff(current: &SharedConfig, incoming: &SharedConfig) -> Vec<Difference> {
    let mut left = std::collections::BTreeMap::new();
    let mut right = std::collections::BTreeMap::new();
    flatten("", &keyed(current), &mut left);
    flatten("", &keyed(incoming), &mut right);
    let mut paths: Vec<&String> = left.keys().chain(right.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| left.get(*p) != right.get(*p))
        .map(|p| Difference {
            path: p.clone(),
            current: left.get(p).cloned(),
            incoming: right.get(p).cloned(),
        })
        .collect()
}

/// The configuration as JSON with its named lists turned into objects keyed by name.
fn keyed(config: &SharedConfig) -> Value {
    let mut value = serde_json::to_value(config).unwrap_or(Value::Null);
    let by = |list: Option<&mut Value>, key: &str| {
        if let Some(list) = list {
            if let Value::Array(items) = list.take() {
                let mut object = serde_json::Map::new();
                for item in items {
                    let name = item
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string();
                    object.insert(name, item);
                }
                *list = Value::Object(object);
            }
        }
    };
    by(value.pointer_mut("/mappings/toApp"), "target");
    by(value.pointer_mut("/mappings/toOkta"), "target");
    by(value.get_mut("appAttributes"), "name");
    by(value.get_mut("oktaAttributes"), "name");
    value
}

fn flatten(prefix: &str, value: &Value, out: &mut std::collections::BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, item) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, item, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn a_path_reads_as_the_admin_pages_name_it() {
        let table = [
            ("toApp.createUsers", "To App › Create Users"),
            (
                "mappings.toApp.title.expression",
                "Mappings › To App › title › Expression",
            ),
            (
                "import.matching.allowPartial",
                "To Okta › User Creation & Matching › Allow partial matches",
            ),
            (
                "import.safeguards.app.percent",
                "To Okta › Import Safeguards › App-level › Percentage",
            ),
            (
                "appAttributes.costCenter.required",
                "Profile Editor › App attributes › costCenter › Required",
            ),
            ("somethingNew", "somethingNew"),
        ];
        for (path, want) in table {
            assert_eq!(label(path), want, "{path}");
        }
    }
}
