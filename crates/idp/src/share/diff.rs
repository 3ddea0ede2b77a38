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
