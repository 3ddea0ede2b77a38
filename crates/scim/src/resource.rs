//! Validating client JSON against the registry and turning it into the canonical stored form.
//!
//! Canonical means: attribute names spelled as the schema spells them, extension attributes
//! under their schema URN, multi-valued attributes always arrays, nulls and empty values dropped,
//! readOnly attributes removed (the engine maintains them), Entra ID's string booleans turned
//! into booleans when that profile is active. Every write path (create, replace, PATCH, bulk)
//! goes through these functions, so they cannot disagree about what is valid.

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::schema::{AttrType, Attribute, Mutability, Registry, ResourceKind, Schema};
use crate::settings::Profile;

/// What the validators need to know about the request.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub registry: &'a Registry,
    pub kind: ResourceKind,
    pub profile: Profile,
}

impl<'a> Ctx<'a> {
    /// The core schema followed by the extensions of the resource type.
    pub(crate) fn schemas(&self) -> impl Iterator<Item = &'a Schema> {
        std::iter::once(self.registry.core_schema(self.kind))
            .chain(self.registry.extensions(self.kind).iter())
    }
}

/// Validates and canonicalises one attribute value; `Ok(None)` means "unassigned" (null, `[]`,
/// `{}`), which RFC 7643 §2.5 treats as equivalent to absent.
pub(crate) fn normalize_value(
    ctx: Ctx<'_>,
    attr: &Attribute,
    value: &Value,
    label: &str,
) -> Result<Option<Value>, ScimError> {
    if value.is_null() {
        return Ok(None);
    }
    if !attr.multi_valued {
        return normalize_single(ctx, attr, value, label);
    }
    let Some(items) = value.as_array() else {
        return Err(ScimError::InvalidValue(format!(
            "'{label}' is multi-valued, so its value must be a JSON array, not {}",
            describe(value)
        )));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(v) = normalize_single(ctx, attr, item, &format!("{label}[{i}]"))? {
            out.push(v);
        }
    }
    check_one_primary(&out, label)?;
    Ok(if out.is_empty() {
        None
    } else {
        Some(Value::Array(out))
    })
}

/// RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once."
pub(crate) fn check_one_primary(values: &[Value], label: &str) -> Result<(), ScimError> {
    let primaries = values
        .iter()
        .filter(|v| v.get("primary") == Some(&Value::Bool(true)))
        .count();
    if primaries > 1 {
        return Err(ScimError::InvalidValue(format!(
            "'{label}' has {primaries} values marked \"primary\": true; at most one may be"
        )));
    }
    Ok(())
}

fn normalize_single(
    ctx: Ctx<'_>,
    attr: &Attribute,
    value: &Value,
    label: &str,
) -> Result<Option<Value>, ScimError> {
    if value.is_null() {
        return Ok(None);
    }
    let wrong = |expected: &str| {
        ScimError::InvalidValue(format!(
            "'{label}' must be {expected}, not {}",
            describe(value)
        ))
    };
    let normalized = match attr.ty {
        AttrType::String | AttrType::Reference => {
            let s = value.as_str().ok_or_else(|| wrong("a string"))?;
            check_canonical(attr, s, label)?;
            Value::String(s.to_string())
        }
        AttrType::Boolean => match value {
            Value::Bool(b) => Value::Bool(*b),
            Value::String(s) if ctx.profile.is_entra() && s.eq_ignore_ascii_case("true") => {
                Value::Bool(true)
            }
            Value::String(s) if ctx.profile.is_entra() && s.eq_ignore_ascii_case("false") => {
                Value::Bool(false)
            }
            Value::String(_) => {
                return Err(ScimError::InvalidValue(format!(
                    "'{label}' must be a boolean (true or false without quotes), not {}; the \
                     Entra ID profile accepts \"True\"/\"False\" strings",
                    describe(value)
                )))
            }
            _ => return Err(wrong("a boolean")),
        },
        AttrType::Integer => {
            if value.as_i64().is_none() {
                return Err(wrong("an integer"));
            }
            value.clone()
        }
        AttrType::Decimal => {
            if !value.is_number() {
                return Err(wrong("a number"));
            }
            value.clone()
        }
        AttrType::DateTime => {
            let s = value.as_str().ok_or_else(|| wrong("a dateTime string"))?;
            if parse_datetime(s).is_none() {
                return Err(ScimError::InvalidValue(format!(
                    "'{label}' must be an xsd:dateTime such as \"2024-05-01T12:00:00Z\", not \"{s}\""
                )));
            }
            Value::String(s.to_string())
        }
        AttrType::Binary => {
            let s = value.as_str().ok_or_else(|| wrong("a base64 string"))?;
            if crate::b64::decode(s).is_none() {
                return Err(ScimError::InvalidValue(format!(
                    "'{label}' must be base64-encoded binary data"
                )));
            }
            Value::String(s.to_string())
        }
        AttrType::Complex => return normalize_complex(ctx, attr, value, label),
    };
    Ok(Some(normalized))
}

fn normalize_complex(
    ctx: Ctx<'_>,
    attr: &Attribute,
    value: &Value,
    label: &str,
) -> Result<Option<Value>, ScimError> {
    // Entra ID sends the Enterprise `manager` as a bare id string instead of `{"value": id}`.
    if let (Value::String(s), true) = (value, ctx.profile.is_entra()) {
        if attr.sub_attribute("value").is_some() {
            let mut wrapped = Map::new();
            wrapped.insert("value".into(), Value::String(s.clone()));
            return normalize_complex(ctx, attr, &Value::Object(wrapped), label);
        }
    }
    let Some(obj) = value.as_object() else {
        return Err(ScimError::InvalidValue(format!(
            "'{label}' is complex, so its value must be a JSON object, not {}",
            describe(value)
        )));
    };
    let mut given: Vec<(&Attribute, &Value)> = Vec::with_capacity(obj.len());
    for (key, v) in obj {
        let Some(sub) = attr.sub_attribute(key) else {
            return Err(ScimError::InvalidSyntax(format!(
                "'{label}' has no sub-attribute '{key}'; it has {}",
                names(&attr.sub_attributes)
            )));
        };
        given.push((sub, v));
    }
    let mut out = Map::new();
    // Emit sub-attributes in schema order so stored and returned JSON reads consistently.
    for sub in &attr.sub_attributes {
        if sub.mutability == Mutability::ReadOnly {
            continue;
        }
        let Some((_, v)) = given.iter().rev().find(|(s, _)| std::ptr::eq(*s, sub)) else {
            continue;
        };
        if let Some(v) = normalize_single(ctx, sub, v, &format!("{label}.{}", sub.name))? {
            out.insert(sub.name.clone(), v);
        }
    }
    Ok(if out.is_empty() {
        None
    } else {
        Some(Value::Object(out))
    })
}

fn check_canonical(attr: &Attribute, s: &str, label: &str) -> Result<(), ScimError> {
    if attr.canonical_values.is_empty()
        || attr
            .canonical_values
            .iter()
            .any(|c| c.eq_ignore_ascii_case(s))
    {
        return Ok(());
    }
    Err(ScimError::InvalidValue(format!(
        "'{label}' must be one of {}, not \"{s}\"",
        attr.canonical_values
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Parses an RFC 3339 / xsd:dateTime timestamp.
pub(crate) fn parse_datetime(s: &str) -> Option<i128> {
    crate::datetime::parse(s)
}

/// A short description of a JSON value for error messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.len() <= 40 => format!("the string \"{s}\""),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn names(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Validates a create or replace body and returns the canonical stored object, without `id`
/// and `meta` (the engine sets those).
pub(crate) fn normalize_body(ctx: Ctx<'_>, body: &Value) -> Result<Map<String, Value>, ScimError> {
    let Some(obj) = body.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "the request body must be a JSON object (a {} resource), not {}",
            ctx.kind.name(),
            describe(body)
        )));
    };
    let core = ctx.registry.core_schema(ctx.kind);
    let mut schemas = declared_schemas(ctx, obj)?;

    let mut core_values: Map<String, Value> = Map::new();
    let mut ext_values: Vec<(&str, Map<String, Value>)> = Vec::new();
    for (key, value) in obj {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(ext) = ctx.registry.extension(ctx.kind, key) {
            require_declared(ctx, &mut schemas, &ext.id)?;
            if value.is_null() {
                continue;
            }
            let Some(ext_obj) = value.as_object() else {
                return Err(ScimError::InvalidSyntax(format!(
                    "'{}' holds the extension's attributes and must be a JSON object, not {}",
                    ext.id,
                    describe(value)
                )));
            };
            let mut values = Map::new();
            for (name, v) in ext_obj {
                let Some(attr) = ext.attribute(name) else {
                    return Err(unknown_attribute(ctx, &format!("{}:{name}", ext.id)));
                };
                insert_normalized(
                    ctx,
                    attr,
                    v,
                    &format!("{}:{}", ext.id, attr.name),
                    &mut values,
                )?;
            }
            ext_values.push((ext.id.as_str(), values));
            continue;
        }
        let Some(located) = ctx.registry.resolve(ctx.kind, key) else {
            return Err(unknown_attribute(ctx, key));
        };
        let attr = located.attribute;
        match located.extension {
            None => insert_normalized(ctx, attr, value, &attr.name, &mut core_values)?,
            Some(urn) => {
                require_declared(ctx, &mut schemas, urn)?;
                let idx = match ext_values.iter().position(|(u, _)| *u == urn) {
                    Some(idx) => idx,
                    None => {
                        ext_values.push((urn, Map::new()));
                        ext_values.len() - 1
                    }
                };
                if let Some((_, values)) = ext_values.get_mut(idx) {
                    insert_normalized(ctx, attr, value, &format!("{urn}:{}", attr.name), values)?;
                }
            }
        }
    }

    let mut out = Map::new();
    out.insert(
        "schemas".into(),
        Value::Array(schemas.into_iter().map(Value::String).collect()),
    );
    for attr in ctx.registry.common().iter().chain(core.attributes.iter()) {
        if let Some(v) = core_values.remove(&attr.name) {
            out.insert(attr.name.clone(), v);
        }
    }
    for ext in ctx.registry.extensions(ctx.kind) {
        if let Some((_, values)) = ext_values.iter_mut().find(|(u, _)| *u == ext.id) {
            let mut ordered = Map::new();
            for attr in &ext.attributes {
                if let Some(v) = values.remove(&attr.name) {
                    ordered.insert(attr.name.clone(), v);
                }
            }
            if !ordered.is_empty() {
                out.insert(ext.id.clone(), Value::Object(ordered));
            }
        }
    }
    Ok(out)
}

/// Validates `value` for `attr` and stores it under the attribute's canonical name, unless the
/// attribute is readOnly (RFC 7644 §3.3 and §3.5.1: such values "SHALL be ignored").
fn insert_normalized(
    ctx: Ctx<'_>,
    attr: &Attribute,
    value: &Value,
    label: &str,
    into: &mut Map<String, Value>,
) -> Result<(), ScimError> {
    if attr.mutability == Mutability::ReadOnly {
        return Ok(());
    }
    match normalize_value(ctx, attr, value, label)? {
        Some(v) => into.insert(attr.name.clone(), v),
        None => into.remove(&attr.name),
    };
    Ok(())
}

fn unknown_attribute(ctx: Ctx<'_>, key: &str) -> ScimError {
    ScimError::InvalidSyntax(format!(
        "'{key}' is not an attribute of the {} resource type (see /Schemas for the attributes \
         it has)",
        ctx.kind.name()
    ))
}

/// Reads and checks the body's `schemas`: every URN must be the core schema or a registered
/// extension, and the core schema must be listed.
fn declared_schemas(ctx: Ctx<'_>, obj: &Map<String, Value>) -> Result<Vec<String>, ScimError> {
    let core = ctx.registry.core_schema(ctx.kind).id.clone();
    let raw = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
        .map(|(_, v)| v);
    let Some(raw) = raw else {
        if ctx.profile == Profile::StrictRfc {
            return Err(ScimError::InvalidSyntax(format!(
                "the body has no \"schemas\"; a {} must list \"{core}\" (RFC 7643 §3)",
                ctx.kind.name()
            )));
        }
        return Ok(vec![core]);
    };
    let Some(list) = raw.as_array() else {
        return Err(ScimError::InvalidSyntax(
            "\"schemas\" must be an array of schema URNs".into(),
        ));
    };
    let mut out = vec![core.clone()];
    let mut saw_core = false;
    for item in list {
        let Some(urn) = item.as_str() else {
            return Err(ScimError::InvalidSyntax(
                "\"schemas\" must contain only strings".into(),
            ));
        };
        if urn.eq_ignore_ascii_case(&core) {
            saw_core = true;
        } else if let Some(ext) = ctx.registry.extension(ctx.kind, urn) {
            if !out.contains(&ext.id) {
                out.push(ext.id.clone());
            }
        } else {
            return Err(ScimError::InvalidValue(format!(
                "\"{urn}\" is not a schema of the {} resource type; it accepts \"{core}\"{}",
                ctx.kind.name(),
                ctx.registry
                    .extensions(ctx.kind)
                    .iter()
                    .map(|e| format!(", \"{}\"", e.id))
                    .collect::<String>()
            )));
        }
    }
    if !saw_core && ctx.profile == Profile::StrictRfc {
        return Err(ScimError::InvalidValue(format!(
            "\"schemas\" must include the core schema \"{core}\""
        )));
    }
    Ok(out)
}

/// An extension's attributes may appear only when its URN is in `schemas` (RFC 7643 §3); the
/// lenient profiles add the URN instead of failing.
fn require_declared(ctx: Ctx<'_>, schemas: &mut Vec<String>, urn: &str) -> Result<(), ScimError> {
    if schemas.iter().any(|s| s == urn) {
        return Ok(());
    }
    if ctx.profile == Profile::StrictRfc {
        return Err(ScimError::InvalidValue(format!(
            "the body has attributes of \"{urn}\" but \"schemas\" does not list it"
        )));
    }
    schemas.push(urn.to_string());
    Ok(())
}

/// Checks that every required attribute (and required sub-attribute of a present complex
/// value) is present in a canonical resource.
pub(crate) fn check_required(ctx: Ctx<'_>, data: &Map<String, Value>) -> Result<(), ScimError> {
    let declared = |urn: &str| {
        data.get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|v| v.as_str() == Some(urn)))
    };
    for (i, schema) in ctx.schemas().enumerate() {
        let values = if i == 0 {
            Some(data)
        } else if declared(&schema.id) {
            data.get(&schema.id).and_then(Value::as_object)
        } else {
            continue;
        };
        for attr in &schema.attributes {
            if attr.mutability == Mutability::ReadOnly {
                continue;
            }
            let value = values.and_then(|v| v.get(&attr.name));
            match value {
                None if attr.required => {
                    return Err(ScimError::InvalidValue(format!(
                        "'{}' is required for a {}",
                        attr.name,
                        ctx.kind.name()
                    )))
                }
                Some(v) if attr.ty == AttrType::Complex => {
                    let items: Vec<&Value> = match v {
                        Value::Array(items) => items.iter().collect(),
                        other => vec![other],
                    };
                    for item in items {
                        for sub in attr.sub_attributes.iter().filter(|s| s.required) {
                            if item.get(&sub.name).is_none() {
                                return Err(ScimError::InvalidValue(format!(
                                    "'{}.{}' is required when '{}' is given",
                                    attr.name, sub.name, attr.name
                                )));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// Enforces immutability and keeps write-only values on a replace: an immutable attribute that
/// already has a value must keep it, and an omitted `password` stays, because a client that
/// did GET-then-PUT could never have sent it back (it is never returned).
pub(crate) fn carry_over(
    ctx: Ctx<'_>,
    old: &Map<String, Value>,
    new: &mut Map<String, Value>,
) -> Result<(), ScimError> {
    for (i, schema) in ctx.schemas().enumerate() {
        for attr in &schema.attributes {
            if !matches!(
                attr.mutability,
                Mutability::Immutable | Mutability::WriteOnly
            ) {
                continue;
            }
            let old_value = if i == 0 {
                old.get(&attr.name)
            } else {
                old.get(&schema.id).and_then(|e| e.get(&attr.name))
            };
            let Some(old_value) = old_value else { continue };
            let new_container = if i == 0 {
                Some(&mut *new)
            } else {
                new.get_mut(&schema.id).and_then(Value::as_object_mut)
            };
            let new_value = new_container.as_ref().and_then(|c| c.get(&attr.name));
            match (attr.mutability, new_value) {
                (Mutability::Immutable, Some(v)) if v != old_value => {
                    return Err(ScimError::Mutability(format!(
                        "'{}' is immutable and already has a value; it cannot be changed",
                        attr.name
                    )));
                }
                (_, None) => {
                    if let Some(container) = new_container {
                        container.insert(attr.name.clone(), old_value.clone());
                    } else {
                        let mut ext = Map::new();
                        ext.insert(attr.name.clone(), old_value.clone());
                        new.insert(schema.id.clone(), Value::Object(ext));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx(registry: &Registry, profile: Profile) -> Ctx<'_> {
        Ctx {
            registry,
            kind: ResourceKind::User,
            profile,
        }
    }

    #[test]
    fn canonicalises_names_and_drops_read_only_and_nulls() {
        let r = Registry::build(&[]).unwrap();
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "USERNAME": "bjensen", "id": "client-id", "groups": [], "nickName": null,
            "emails": [{"VALUE": "b@x.com", "type": "work", "primary": true}],
        });
        let out = normalize_body(ctx(&r, Profile::StrictRfc), &body).unwrap();
        assert_eq!(
            Value::Object(out),
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "bjensen",
                "emails": [{"value": "b@x.com", "type": "work", "primary": true}],
            })
        );
    }

    #[test]
    fn string_booleans_only_in_entra_profile() {
        let r = Registry::build(&[]).unwrap();
        let body =
            json!({"schemas": [crate::schema::USER_SCHEMA], "userName": "a", "active": "False"});
        let strict = normalize_body(ctx(&r, Profile::StrictRfc), &body);
        assert!(matches!(strict, Err(ScimError::InvalidValue(_))));
        let entra = normalize_body(ctx(&r, Profile::EntraId), &body).unwrap();
        assert_eq!(entra.get("active"), Some(&Value::Bool(false)));
    }

    #[test]
    fn rejects_two_primaries_wrong_types_and_unknown_names() {
        let r = Registry::build(&[]).unwrap();
        let c = ctx(&r, Profile::StrictRfc);
        let base = |extra: Value| {
            let mut b = json!({"schemas": [crate::schema::USER_SCHEMA], "userName": "a"});
            if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            b
        };
        let two = base(
            json!({"emails": [{"value": "a", "primary": true}, {"value": "b", "primary": true}]}),
        );
        assert!(matches!(
            normalize_body(c, &two),
            Err(ScimError::InvalidValue(_))
        ));
        let not_array = base(json!({"emails": {"value": "a"}}));
        assert!(matches!(
            normalize_body(c, &not_array),
            Err(ScimError::InvalidValue(_))
        ));
        let unknown = base(json!({"shoeSize": 9}));
        assert!(matches!(
            normalize_body(c, &unknown),
            Err(ScimError::InvalidSyntax(_))
        ));
        let bad_type = base(json!({"emails": [{"value": "a", "type": "pigeon"}]}));
        assert!(matches!(
            normalize_body(c, &bad_type),
            Err(ScimError::InvalidValue(_))
        ));
        let bad_schema = json!({"schemas": ["urn:nope"], "userName": "a"});
        assert!(matches!(
            normalize_body(c, &bad_schema),
            Err(ScimError::InvalidValue(_))
        ));
    }
}
