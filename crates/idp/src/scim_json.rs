//! Writing app attribute values into a SCIM resource by their external name and namespace:
//! `userName`, `name.givenName`, `emails[primary eq true].value`, or an extension attribute
//! under its schema URN.

use serde_json::{Map, Value};

use crate::profile::{AppAttribute, CORE_USER_URN};

/// A parsed external name: `attr`, `attr.sub`, or `attr[key eq literal].sub`.
struct Path<'a> {
    attr: &'a str,
    filter: Option<(&'a str, Value)>,
    sub: Option<&'a str>,
}

fn parse_path(name: &str) -> Path<'_> {
    if let Some((attr, rest)) = name.split_once('[') {
        if let Some((filter, after)) = rest.split_once(']') {
            let mut words = filter.splitn(3, ' ');
            if let (Some(key), Some(op), Some(literal)) = (words.next(), words.next(), words.next())
            {
                if op.eq_ignore_ascii_case("eq") {
                    let literal = serde_json::from_str(literal.trim())
                        .unwrap_or_else(|_| Value::String(literal.trim().to_string()));
                    let sub = after.strip_prefix('.').filter(|s| !s.is_empty());
                    return Path {
                        attr,
                        filter: Some((key, literal)),
                        sub,
                    };
                }
            }
        }
    }
    match name.split_once('.') {
        Some((attr, sub)) => Path {
            attr,
            filter: None,
            sub: Some(sub),
        },
        None => Path {
            attr: name,
            filter: None,
            sub: None,
        },
    }
}

/// The object an attribute lives in: the resource itself for the core schema, else the
/// extension's object (created, and its URN added to `schemas`, when missing).
fn container<'a>(
    resource: &'a mut Map<String, Value>,
    namespace: &str,
) -> Option<&'a mut Map<String, Value>> {
    if namespace.is_empty() || namespace == CORE_USER_URN {
        return Some(resource);
    }
    if let Some(Value::Array(schemas)) = resource.get_mut("schemas") {
        if !schemas.iter().any(|s| s.as_str() == Some(namespace)) {
            schemas.push(Value::String(namespace.into()));
        }
    }
    as_object(resource.entry(namespace.to_string()).or_insert(Value::Null))
}

/// The slot as an object, replacing whatever else was there (a scalar where an object
/// belongs cannot be kept anyway).
fn as_object(slot: &mut Value) -> Option<&mut Map<String, Value>> {
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
}

/// Sets `attribute` to `value` in `resource`. A filtered path finds the element of the array
/// whose `key` equals the literal, or appends `{key: literal}` first.
pub fn set(resource: &mut Map<String, Value>, attribute: &AppAttribute, value: Value) {
    let path = parse_path(&attribute.external_name);
    let Some(target) = container(resource, &attribute.external_namespace) else {
        return;
    };
    match (path.filter, path.sub) {
        (None, None) => {
            target.insert(path.attr.into(), value);
        }
        (None, Some(sub)) => {
            if let Some(parent) = as_object(target.entry(path.attr).or_insert(Value::Null)) {
                parent.insert(sub.into(), value);
            }
        }
        (Some((key, literal)), sub) => {
            let slot = target.entry(path.attr).or_insert(Value::Null);
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else { return };
            let found = items
                .iter()
                .position(|item| item.get(key) == Some(&literal));
            let idx = match found {
                Some(idx) => idx,
                None => {
                    let mut element = Map::new();
                    element.insert(key.into(), literal);
                    items.push(Value::Object(element));
                    items.len() - 1
                }
            };
            if let Some(item) = items.get_mut(idx) {
                match sub {
                    Some(sub) => {
                        if let Some(element) = as_object(item) {
                            element.insert(sub.into(), value);
                        }
                    }
                    None => *item = value,
                }
            }
        }
    }
}

/// The value of `attribute` in `resource`, if it is there: what an import reads into the app
/// user profile.
pub fn get(resource: &Map<String, Value>, attribute: &AppAttribute) -> Option<Value> {
    let path = parse_path(&attribute.external_name);
    let namespace = attribute.external_namespace.as_str();
    let source = if namespace.is_empty() || namespace == CORE_USER_URN {
        resource
    } else {
        resource.get(namespace)?.as_object()?
    };
    let slot = source.get(path.attr)?;
    let found = match (path.filter, path.sub) {
        (None, None) => slot,
        (None, Some(sub)) => slot.get(sub)?,
        (Some((key, literal)), sub) => {
            let item = slot
                .as_array()?
                .iter()
                .find(|item| item.get(key) == Some(&literal))?;
            match sub {
                Some(sub) => item.get(sub)?,
                None => item,
            }
        }
    };
    (!found.is_null()).then(|| found.clone())
}

/// Removes `attribute` from `resource`, if it is there.
pub fn remove(resource: &mut Map<String, Value>, attribute: &AppAttribute) {
    let path = parse_path(&attribute.external_name);
    let Some(target) = container(resource, &attribute.external_namespace) else {
        return;
    };
    match (path.filter, path.sub) {
        (None, None) => {
            target.remove(path.attr);
        }
        (None, Some(sub)) => {
            if let Some(Value::Object(parent)) = target.get_mut(path.attr) {
                parent.remove(sub);
            }
        }
        (Some((key, literal)), sub) => {
            if let Some(Value::Array(items)) = target.get_mut(path.attr) {
                for item in items.iter_mut().filter(|i| i.get(key) == Some(&literal)) {
                    if let (Some(sub), Value::Object(element)) = (sub, item) {
                        element.remove(sub);
                    }
                }
                if sub.is_none() {
                    items.retain(|i| i.get(key) != Some(&literal));
                }
            }
        }
    }
}

/// The PATCH path of `attribute`: the external name, prefixed by its URN outside the core
/// schema (RFC 7644 §3.5.2).
pub fn patch_path(attribute: &AppAttribute) -> String {
    if attribute.external_namespace.is_empty() || attribute.external_namespace == CORE_USER_URN {
        attribute.external_name.clone()
    } else {
        format!(
            "{}:{}",
            attribute.external_namespace, attribute.external_name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::AppProfile;
    use serde_json::json;

    fn set_named(resource: &mut Map<String, Value>, name: &str, value: Value) {
        let profile = AppProfile::scim_default();
        let attribute = profile.get(name).cloned().expect("a template attribute");
        set(resource, &attribute, value);
    }

    #[test]
    fn values_land_at_their_scim_paths_in_okta_order() {
        let mut resource = Map::new();
        resource.insert("schemas".into(), json!([CORE_USER_URN]));
        set_named(&mut resource, "userName", json!("jane@x.com"));
        set_named(&mut resource, "givenName", json!("Jane"));
        set_named(&mut resource, "email", json!("jane@x.com"));
        set_named(&mut resource, "primaryEmailType", json!("work"));
        set_named(&mut resource, "department", json!("R&D"));
        assert_eq!(
            Value::Object(resource.clone()),
            json!({
                "schemas": [CORE_USER_URN, crate::profile::ENTERPRISE_USER_URN],
                "userName": "jane@x.com",
                "name": {"givenName": "Jane"},
                "emails": [{"primary": true, "value": "jane@x.com", "type": "work"}],
                crate::profile::ENTERPRISE_USER_URN: {"department": "R&D"}
            })
        );
        let profile = AppProfile::scim_default();
        let email = profile.get("email").cloned().expect("template");
        assert_eq!(get(&resource, &email), Some(json!("jane@x.com")));
        let department = profile.get("department").cloned().expect("template");
        assert_eq!(get(&resource, &department), Some(json!("R&D")));
        remove(&mut resource, &email);
        assert_eq!(get(&resource, &email), None);
        assert_eq!(
            resource["emails"],
            json!([{"primary": true, "type": "work"}])
        );
    }

    #[test]
    fn odd_external_names_never_panic() {
        let mut resource = Map::new();
        for name in [
            "",
            "[",
            "a[",
            "a[b]",
            "a[b eq]",
            "a[b eq 1].",
            ".",
            "a..b",
            "a[x eq \"y\"]",
        ] {
            let attribute = AppAttribute::core("x", "x", name);
            set(&mut resource, &attribute, json!(1));
            get(&resource, &attribute);
            remove(&mut resource, &attribute);
        }
    }
}
