//! The PATCH applier (RFC 7644 §3.5.2): `add`, `remove` and `replace` with no path, simple,
//! sub-attribute and value-filter paths, applied to a copy of the resource so that a failing
//! operation leaves nothing changed.
//!
//! [`apply`] is pure: it takes the stored resource and the PatchOp body and returns the patched
//! resource (still without a new `meta`, which the operation sets), so it can be fuzzed and
//! tested on its own.

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::filter::{self, AttributeLookup, CompValue, CompareOp, Filter, PatchPath};
use crate::resource::{check_one_primary, describe, normalize_body, normalize_value, Ctx};
use crate::schema::{AttrType, Attribute, KindLookup, Mutability, Registry, ResourceKind};
use crate::settings::Profile;

/// The schema URN of a PATCH request body.
pub use wire::urn::PATCH_OP;

/// One of the three PATCH operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Remove,
    Replace,
}

/// Applies a PatchOp `body` to the stored `resource` of `kind` and returns the patched resource,
/// revalidated and in canonical form. Nothing is modified on error.
///
/// # Errors
/// `invalidSyntax` for a malformed body, `invalidPath`/`invalidFilter` for a bad path,
/// `noTarget`, `mutability` and `invalidValue` as RFC 7644 §3.5.2 describes.
pub fn apply(
    registry: &Registry,
    kind: ResourceKind,
    profile: Profile,
    resource: &Value,
    body: &Value,
) -> Result<Value, ScimError> {
    let ctx = Ctx {
        registry,
        kind,
        profile,
    };
    let Some(body) = body.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "a PATCH body must be a JSON object with \"Operations\", not {}",
            describe(body)
        )));
    };
    if profile == Profile::StrictRfc {
        let listed = body
            .get("schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(PATCH_OP)));
        if !listed {
            return Err(ScimError::InvalidSyntax(format!(
                "a PATCH body must list \"{PATCH_OP}\" in \"schemas\""
            )));
        }
    }
    let operations = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Operations"))
        .map(|(_, v)| v);
    let Some(operations) = operations.and_then(Value::as_array) else {
        return Err(ScimError::InvalidSyntax(
            "a PATCH body needs \"Operations\": an array of {\"op\", \"path\", \"value\"} objects"
                .into(),
        ));
    };
    if operations.is_empty() {
        return Err(ScimError::InvalidSyntax(
            "\"Operations\" is empty; a PATCH needs at least one operation".into(),
        ));
    }
    let Some(mut working) = resource.as_object().cloned() else {
        return Err(ScimError::InvalidValue(
            "the stored resource is not an object".into(),
        ));
    };
    let own_id = resource
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    for (i, operation) in operations.iter().enumerate() {
        apply_one(ctx, &mut working, operation, own_id)
            .map_err(|e| prefix_error(e, &format!("Operations[{i}]: ")))?;
    }
    finish(ctx, working)
}

/// Revalidates the patched resource through the same normaliser create and replace use, and
/// puts `id` and `meta` back (the normaliser drops readOnly attributes).
fn finish(ctx: Ctx<'_>, working: Map<String, Value>) -> Result<Value, ScimError> {
    let id = working.get("id").cloned();
    let meta = working.get("meta").cloned();
    let mut attributes = normalize_body(ctx, &Value::Object(working))?;
    let mut out = Map::with_capacity(attributes.len() + 2);
    if let Some(schemas) = attributes.remove("schemas") {
        out.insert("schemas".into(), schemas);
    }
    if let Some(id) = id {
        out.insert("id".into(), id);
    }
    out.extend(attributes);
    if let Some(meta) = meta {
        out.insert("meta".into(), meta);
    }
    Ok(Value::Object(out))
}

fn prefix_error(error: ScimError, prefix: &str) -> ScimError {
    let with = |d: String| format!("{prefix}{d}");
    match error {
        ScimError::InvalidSyntax(d) => ScimError::InvalidSyntax(with(d)),
        ScimError::InvalidValue(d) => ScimError::InvalidValue(with(d)),
        ScimError::InvalidPath(d) => ScimError::InvalidPath(with(d)),
        ScimError::InvalidFilter(d) => ScimError::InvalidFilter(with(d)),
        ScimError::NoTarget(d) => ScimError::NoTarget(with(d)),
        ScimError::Mutability(d) => ScimError::Mutability(with(d)),
        other => other,
    }
}

fn apply_one(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    operation: &Value,
    own_id: &str,
) -> Result<(), ScimError> {
    let Some(operation) = operation.as_object() else {
        return Err(ScimError::InvalidSyntax(format!(
            "each operation must be an object, not {}",
            describe(operation)
        )));
    };
    let field = |name: &str| {
        operation
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let op_text = field("op").and_then(Value::as_str).ok_or_else(|| {
        ScimError::InvalidSyntax(
            "an operation needs \"op\": \"add\", \"remove\" or \"replace\"".into(),
        )
    })?;
    let op = parse_op(ctx.profile, op_text)?;
    let value = field("value");
    let path = match field("path") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if p.trim().is_empty() => None,
        Some(Value::String(p)) => Some(p.trim()),
        Some(other) => {
            return Err(ScimError::InvalidPath(format!(
                "\"path\" must be a string, not {}",
                describe(other)
            )))
        }
    };
    match path {
        None => {
            if op == Op::Remove {
                return Err(ScimError::NoTarget(
                    "\"remove\" needs a \"path\" naming what to remove (RFC 7644 §3.5.2.2)".into(),
                ));
            }
            let value = value.ok_or_else(|| {
                ScimError::InvalidValue(format!(
                    "\"{op_text}\" without a path needs a \"value\" object"
                ))
            })?;
            apply_object(ctx, resource, op, value, None, own_id)
        }
        // A path that is a whole extension URN addresses the extension object.
        Some(p) if ctx.registry.extension(ctx.kind, p).is_some() => {
            let urn = ctx
                .registry
                .extension(ctx.kind, p)
                .map(|e| e.id.clone())
                .unwrap_or_default();
            if op == Op::Remove {
                resource.remove(&urn);
                // The resource no longer uses the extension, so it no longer lists it.
                if let Some(Value::Array(schemas)) = resource.get_mut("schemas") {
                    schemas.retain(|s| s.as_str() != Some(urn.as_str()));
                }
                return Ok(());
            }
            let value = value.filter(|v| v.is_object()).ok_or_else(|| {
                ScimError::InvalidValue(format!(
                    "\"{op_text}\" of \"{urn}\" needs a \"value\" object of the extension's \
                     attributes"
                ))
            })?;
            apply_object(ctx, resource, op, value, Some(&urn), own_id)
        }
        Some(p) => {
            let path = filter::parse_path(p)?;
            let lookup = KindLookup {
                registry: ctx.registry,
                kind: ctx.kind,
            };
            filter::validate_path(&path, &lookup)?;
            if op != Op::Remove && value.is_none() {
                return Err(ScimError::InvalidValue(format!(
                    "\"{op_text}\" of \"{p}\" needs a \"value\""
                )));
            }
            apply_path(ctx, resource, op, &path, value, &lookup)
        }
    }
}

fn parse_op(profile: Profile, text: &str) -> Result<Op, ScimError> {
    let op = match text {
        "add" => Op::Add,
        "remove" => Op::Remove,
        "replace" => Op::Replace,
        other if profile.is_entra() => match other.to_ascii_lowercase().as_str() {
            "add" => Op::Add,
            "remove" => Op::Remove,
            "replace" => Op::Replace,
            _ => return Err(bad_op(other)),
        },
        other
            if ["add", "remove", "replace"]
                .iter()
                .any(|o| o.eq_ignore_ascii_case(other)) =>
        {
            return Err(ScimError::InvalidSyntax(format!(
                "\"op\" is \"{other}\", but RFC 7644 spells operations in lower case (\"{}\"); \
                 the Entra ID profile accepts either",
                other.to_ascii_lowercase()
            )))
        }
        other => return Err(bad_op(other)),
    };
    Ok(op)
}

fn bad_op(text: &str) -> ScimError {
    ScimError::InvalidSyntax(format!(
        "\"op\" must be \"add\", \"remove\" or \"replace\", not \"{text}\""
    ))
}

/// A path-less `add`/`replace`: each member of the value object is applied to its attribute
/// (`extension` set when the value is an extension's object).
fn apply_object(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    op: Op,
    value: &Value,
    extension: Option<&str>,
    own_id: &str,
) -> Result<(), ScimError> {
    let Some(obj) = value.as_object() else {
        return Err(ScimError::InvalidValue(format!(
            "without a path the value must be an object of attributes, not {}",
            describe(value)
        )));
    };
    for (key, v) in obj {
        // A value may carry `schemas` (clients send whole resource or extension objects, as
        // scim2-tester does for a path naming an extension URN); `schemas` is the server's to
        // compute, so it is skipped at any level.
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        match extension {
            None => {
                if let Some(ext) = ctx.registry.extension(ctx.kind, key) {
                    let urn = ext.id.clone();
                    apply_object(ctx, resource, op, v, Some(&urn), own_id)?;
                    continue;
                }
            }
            // An extension's object wrapped once more under its own URN (a client serialising
            // the whole resource shape) means the same object.
            Some(urn) if key.eq_ignore_ascii_case(urn) && v.is_object() => {
                apply_object(ctx, resource, op, v, Some(urn), own_id)?;
                continue;
            }
            Some(_) => {}
        }
        let located = match extension {
            Some(urn) => ctx.registry.resolve_in(ctx.kind, Some(urn), key),
            None => ctx.registry.resolve(ctx.kind, key),
        };
        let Some(located) = located else {
            return Err(ScimError::InvalidSyntax(format!(
                "'{key}' is not an attribute of the {} resource type",
                ctx.kind.name()
            )));
        };
        let attr = located.attribute;
        if attr.mutability == Mutability::ReadOnly {
            // Okta renames a group with {"id": …, "displayName": …}: its own id changes nothing.
            let own = attr.name == "id" && v.as_str() == Some(own_id);
            if own && ctx.profile.tolerates_own_id() {
                continue;
            }
            return Err(read_only(&attr.name));
        }
        let slot = Slot {
            extension: located.extension,
            attribute: attr,
        };
        set_attribute(ctx, resource, op, slot, v)?;
    }
    Ok(())
}

fn read_only(name: &str) -> ScimError {
    ScimError::Mutability(format!("'{name}' is readOnly; the server maintains it"))
}

/// Where a top-level attribute lives.
#[derive(Clone, Copy)]
struct Slot<'a> {
    extension: Option<&'a str>,
    attribute: &'a Attribute,
}

impl Slot<'_> {
    fn get<'r>(&self, resource: &'r Map<String, Value>) -> Option<&'r Value> {
        match self.extension {
            Some(urn) => resource.get(urn).and_then(|e| e.get(&self.attribute.name)),
            None => resource.get(&self.attribute.name),
        }
    }

    /// Sets (or with `None` removes) the attribute, creating or dropping the extension object
    /// and its `schemas` entry as needed.
    fn put(&self, resource: &mut Map<String, Value>, value: Option<Value>) {
        let name = self.attribute.name.clone();
        let Some(urn) = self.extension else {
            match value {
                Some(v) => resource.insert(name, v),
                None => resource.remove(&name),
            };
            return;
        };
        let ext = resource
            .entry(urn.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !ext.is_object() {
            *ext = Value::Object(Map::new());
        }
        if let Some(ext_obj) = ext.as_object_mut() {
            match value {
                Some(v) => {
                    ext_obj.insert(name, v);
                }
                None => {
                    ext_obj.remove(&name);
                }
            }
        }
        let now_empty = ext.as_object().is_some_and(Map::is_empty);
        if now_empty {
            resource.remove(urn);
        } else if let Some(schemas) = resource.get_mut("schemas").and_then(Value::as_array_mut) {
            if !schemas.iter().any(|s| s.as_str() == Some(urn)) {
                schemas.push(Value::String(urn.to_string()));
            }
        }
    }
}

/// `add` or `replace` of a whole attribute with a value.
fn set_attribute(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    op: Op,
    slot: Slot<'_>,
    value: &Value,
) -> Result<(), ScimError> {
    let attr = slot.attribute;
    let label = &attr.name;
    let current = slot.get(resource).cloned();
    let value = if attr.multi_valued && !value.is_array() && !value.is_null() {
        Value::Array(vec![value.clone()])
    } else {
        value.clone()
    };
    let normalized = normalize_value(ctx, attr, &value, label)?;
    let merged = match (op, attr.multi_valued, attr.ty, current.clone(), normalized) {
        (_, _, _, _, None) if op == Op::Replace => None,
        (_, _, _, current, None) => current,
        // add to a multi-valued attribute appends, skipping values already present.
        (Op::Add, true, _, Some(Value::Array(mut existing)), Some(Value::Array(new))) => {
            let new_primary = new.iter().any(is_primary);
            if new_primary {
                clear_primary(&mut existing);
            }
            for item in new {
                if !existing.contains(&item) {
                    existing.push(item);
                }
            }
            Some(Value::Array(existing))
        }
        // add/replace of a single complex value merges sub-attributes (RFC 7644 §3.5.2.1, .3).
        (
            _,
            false,
            AttrType::Complex,
            Some(Value::Object(mut existing)),
            Some(Value::Object(new)),
        ) => {
            existing.extend(new);
            Some(Value::Object(existing))
        }
        (_, _, _, _, Some(new)) => Some(new),
    };
    if attr.mutability == Mutability::Immutable && current.is_some() && merged != current {
        return Err(ScimError::Mutability(format!(
            "'{label}' is immutable and already has a value"
        )));
    }
    if let Some(Value::Array(items)) = &merged {
        check_one_primary(items, label)?;
    }
    slot.put(resource, merged);
    Ok(())
}

fn is_primary(v: &Value) -> bool {
    v.get("primary") == Some(&Value::Bool(true))
}

/// A new primary value demotes the old one (RFC 7643 §2.4 allows only one).
fn clear_primary(items: &mut [Value]) {
    for item in items {
        if let Some(obj) = item.as_object_mut() {
            if obj.get("primary") == Some(&Value::Bool(true)) {
                obj.remove("primary");
            }
        }
    }
}

/// An operation with a parsed path.
fn apply_path(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    op: Op,
    path: &PatchPath,
    value: Option<&Value>,
    lookup: &KindLookup<'_>,
) -> Result<(), ScimError> {
    let located = ctx
        .registry
        .resolve_in(ctx.kind, path.urn.as_deref(), &path.attribute)
        .ok_or_else(|| ScimError::InvalidPath(format!("'{path}' names no attribute")))?;
    let attr = located.attribute;
    if attr.mutability == Mutability::ReadOnly {
        return Err(read_only(&attr.name));
    }
    let sub = match &path.sub_attribute {
        Some(s) => Some(attr.sub_attribute(s).ok_or_else(|| {
            ScimError::InvalidPath(format!("'{}' has no sub-attribute '{s}'", attr.name))
        })?),
        None => None,
    };
    if let Some(sub) = sub {
        if sub.mutability == Mutability::ReadOnly {
            return Err(read_only(&format!("{}.{}", attr.name, sub.name)));
        }
    }
    let slot = Slot {
        extension: located.extension,
        attribute: attr,
    };
    match (&path.filter, sub) {
        (None, None) => match op {
            Op::Remove => remove_attribute(ctx, resource, slot, value),
            _ => set_attribute(ctx, resource, op, slot, value.unwrap_or(&Value::Null)),
        },
        (None, Some(sub)) => apply_sub_everywhere(ctx, resource, op, slot, sub, value),
        (Some(filter), _) => {
            if !attr.multi_valued || attr.ty != AttrType::Complex {
                return Err(ScimError::InvalidPath(format!(
                    "'{path}' filters '{}', which is not a multi-valued complex attribute",
                    attr.name
                )));
            }
            apply_filtered(ctx, resource, op, path, filter, slot, sub, value, lookup)
        }
    }
}

/// `remove` of a whole attribute, or — in the Entra ID profile — of the listed values of a
/// multi-valued attribute (`{"op":"Remove","path":"members","value":[{"value":"…"}]}`).
fn remove_attribute(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    slot: Slot<'_>,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let attr = slot.attribute;
    let listed = value.filter(|v| !v.is_null());
    let Some(listed) = listed else {
        if attr.required {
            return Err(ScimError::InvalidValue(format!(
                "'{}' is required and cannot be removed",
                attr.name
            )));
        }
        if attr.mutability == Mutability::Immutable && slot.get(resource).is_some() {
            return Err(ScimError::Mutability(format!(
                "'{}' is immutable",
                attr.name
            )));
        }
        slot.put(resource, None);
        return Ok(());
    };
    if !(ctx.profile.is_entra() && attr.multi_valued) {
        return Err(ScimError::InvalidSyntax(format!(
            "\"remove\" takes no \"value\"; to remove some values of '{0}' use a filter such as \
             '{0}[value eq \"…\"]' (the Entra ID profile accepts a value list)",
            attr.name
        )));
    }
    let wanted: Vec<&Value> = match listed {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let Some(Value::Array(mut existing)) = slot.get(resource).cloned() else {
        return Ok(());
    };
    let before = existing.len();
    existing.retain(|item| {
        !wanted
            .iter()
            .any(|w| match (w.get("value"), item.get("value")) {
                (Some(a), Some(b)) => a == b,
                _ => *w == item,
            })
    });
    if existing.len() != before {
        slot.put(
            resource,
            (!existing.is_empty()).then_some(Value::Array(existing)),
        );
    }
    Ok(())
}

/// `name.givenName` (single complex) or `emails.value` (every element of a multi-valued one).
fn apply_sub_everywhere(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    op: Op,
    slot: Slot<'_>,
    sub: &Attribute,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let attr = slot.attribute;
    let label = format!("{}.{}", attr.name, sub.name);
    let new_sub = match (op, value) {
        (Op::Remove, _) | (_, None) => None,
        (_, Some(v)) => normalize_value(ctx, sub, v, &label)?,
    };
    let current = slot.get(resource).cloned();
    let updated = match current {
        Some(Value::Array(mut items)) => {
            if items.is_empty() && op != Op::Remove {
                return Err(no_match(&label));
            }
            for item in &mut items {
                set_sub(item, sub, new_sub.clone(), &label)?;
            }
            items.retain(|i| i.as_object().is_some_and(|o| !o.is_empty()));
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Some(mut single) => {
            set_sub(&mut single, sub, new_sub, &label)?;
            single
                .as_object()
                .is_some_and(|o| !o.is_empty())
                .then_some(single)
        }
        None if attr.multi_valued => {
            if op == Op::Remove {
                return Ok(());
            }
            return Err(no_match(&label));
        }
        None => {
            let mut obj = Map::new();
            if let Some(v) = new_sub {
                obj.insert(sub.name.clone(), v);
            }
            (!obj.is_empty()).then_some(Value::Object(obj))
        }
    };
    slot.put(resource, updated);
    Ok(())
}

fn no_match(label: &str) -> ScimError {
    ScimError::NoTarget(format!("'{label}' has no values to operate on"))
}

/// Sets or removes one sub-attribute of a complex value, refusing to change immutable ones.
fn set_sub(
    item: &mut Value,
    sub: &Attribute,
    new: Option<Value>,
    label: &str,
) -> Result<(), ScimError> {
    let Some(obj) = item.as_object_mut() else {
        return Ok(());
    };
    let old = obj.get(&sub.name);
    if sub.mutability == Mutability::Immutable && old.is_some() && old != new.as_ref() {
        return Err(ScimError::Mutability(format!(
            "'{label}' is immutable; remove the value and add a new one instead"
        )));
    }
    match new {
        Some(v) => obj.insert(sub.name.clone(), v),
        None => obj.remove(&sub.name),
    };
    Ok(())
}

/// A path with a value filter: `emails[type eq "work"]`, `emails[type eq "work"].value`,
/// `members[value eq "…"]`.
#[allow(clippy::too_many_arguments)]
fn apply_filtered(
    ctx: Ctx<'_>,
    resource: &mut Map<String, Value>,
    op: Op,
    path: &PatchPath,
    filter: &Filter,
    slot: Slot<'_>,
    sub: Option<&Attribute>,
    value: Option<&Value>,
    lookup: &dyn AttributeLookup,
) -> Result<(), ScimError> {
    let attr = slot.attribute;
    let mut items = match slot.get(resource) {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let hits: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| filter::element_matches(path, item, lookup))
        .map(|(i, _)| i)
        .collect();

    if hits.is_empty() {
        if op == Op::Remove {
            if ctx.profile.tolerates_missing_remove() {
                return Ok(());
            }
            return Err(ScimError::NoTarget(format!("no value matches '{path}'")));
        }
        if !ctx.profile.is_entra() {
            return Err(ScimError::NoTarget(format!(
                "no value matches '{path}' (the Entra ID profile would create one)"
            )));
        }
        // Entra ID writes through filters that match nothing and expects the value created,
        // built from the filter's equality tests plus the written value.
        let mut element = seed_from_filter(filter).ok_or_else(|| {
            ScimError::NoTarget(format!(
                "no value matches '{path}', and its filter is not a set of \"eq\" tests a new \
                 value could be built from"
            ))
        })?;
        let v = value.unwrap_or(&Value::Null);
        match sub {
            Some(sub) => {
                element.insert(sub.name.clone(), v.clone());
            }
            None => {
                if let Some(obj) = v.as_object() {
                    element.extend(obj.clone());
                }
            }
        }
        let normalized = normalize_value(
            ctx,
            attr,
            &Value::Array(vec![Value::Object(element)]),
            &attr.name,
        )?;
        if let Some(Value::Array(new)) = normalized {
            if new.iter().any(is_primary) {
                clear_primary(&mut items);
            }
            items.extend(new);
        }
        slot.put(resource, Some(Value::Array(items)));
        return Ok(());
    }

    let label = path.to_string();
    match (op, sub) {
        (Op::Remove, None) => {
            let mut idx = 0;
            items.retain(|_| {
                let keep = !hits.contains(&idx);
                idx += 1;
                keep
            });
        }
        (Op::Remove, Some(sub)) => {
            for &i in &hits {
                if let Some(item) = items.get_mut(i) {
                    set_sub(item, sub, None, &label)?;
                }
            }
            items.retain(|i| i.as_object().is_some_and(|o| !o.is_empty()));
        }
        (_, Some(sub)) => {
            let v = value.unwrap_or(&Value::Null);
            let new_sub = normalize_value(ctx, sub, v, &label)?;
            if sub.name == "primary" && new_sub == Some(Value::Bool(true)) {
                clear_primary(&mut items);
            }
            for &i in &hits {
                if let Some(item) = items.get_mut(i) {
                    set_sub(item, sub, new_sub.clone(), &label)?;
                }
            }
        }
        (_, None) => {
            let v = value.unwrap_or(&Value::Null);
            let normalized = normalize_value(ctx, attr, &Value::Array(vec![v.clone()]), &label)?;
            let Some(Value::Array(mut new)) = normalized else {
                return Err(ScimError::InvalidValue(format!(
                    "'{label}' needs an object value"
                )));
            };
            let Some(Value::Object(new_obj)) = new.pop() else {
                return Err(ScimError::InvalidValue(format!(
                    "'{label}' needs an object value"
                )));
            };
            if is_primary(&Value::Object(new_obj.clone())) {
                clear_primary(&mut items);
            }
            for &i in &hits {
                if let Some(item) = items.get_mut(i) {
                    let replacement = match (op, item.as_object()) {
                        // add merges into the matching values; replace swaps them out.
                        (Op::Add, Some(existing)) => {
                            let mut merged = existing.clone();
                            merged.extend(new_obj.clone());
                            merged
                        }
                        _ => new_obj.clone(),
                    };
                    for s in attr
                        .sub_attributes
                        .iter()
                        .filter(|s| s.mutability == Mutability::Immutable)
                    {
                        let before = item.get(&s.name);
                        if before.is_some() && before != replacement.get(&s.name) {
                            return Err(ScimError::Mutability(format!(
                                "'{}.{}' is immutable; remove the value and add a new one instead",
                                attr.name, s.name
                            )));
                        }
                    }
                    *item = Value::Object(replacement);
                }
            }
        }
    }
    check_one_primary(&items, &attr.name)?;
    slot.put(resource, (!items.is_empty()).then_some(Value::Array(items)));
    Ok(())
}

/// `type eq "work" and primary eq true` → `{"type": "work", "primary": true}`.
fn seed_from_filter(filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let operands: Vec<&Filter> = match filter {
        Filter::And { operands } => operands.iter().collect(),
        other => vec![other],
    };
    for operand in operands {
        let Filter::Compare {
            attr,
            op: CompareOp::Eq,
            value,
        } = operand
        else {
            return None;
        };
        let v = match value {
            CompValue::String(s) => Value::String(s.clone()),
            CompValue::Bool(b) => Value::Bool(*b),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::Null => return None,
        };
        let name = attr.sub.clone().unwrap_or_else(|| attr.name.clone());
        out.insert(name, v);
    }
    Some(out)
}
