//! What an expression can see: which attributes exist ([`Scope`]) and their values
//! ([`Context`]), with [`MapContext`] as a ready-made implementation over plain maps.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::Object;
use super::error::ExprError;
use super::value::Value;

/// Which attributes each object has: the profile schemas. [`validate`](super::validate) needs
/// only this, so the UI can underline a misspelt attribute before anything runs.
pub trait Scope {
    /// Whether `object` has an attribute called `name` (set or not).
    fn has_attribute(&self, object: Object, name: &str) -> bool;

    /// The attribute names of `object`, for "did you mean" suggestions.
    fn attribute_names(&self, object: Object) -> Vec<String>;
}

/// The values an expression reads, on top of the schemas.
pub trait Context: Scope {
    /// The value of `object.name`, or `None` when the attribute was never set (which reads as
    /// null). Only called for attributes that [`Scope::has_attribute`] accepts.
    fn value(&self, object: Object, name: &str) -> Option<Value>;
}

/// A [`Context`] over in-memory maps, one per object, each with an optional schema.
///
/// Without a schema an object is open: every attribute name exists, and the ones without a
/// value read as null. With one, only the schema's names exist, and any other name is an
/// [`ExprError::UnknownAttribute`] with a suggestion. A value stored as [`Value::Null`] and a
/// missing value both read as null; a value of `""` is the empty string, which is not null.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapContext {
    objects: BTreeMap<Object, ObjectData>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct ObjectData {
    schema: Option<BTreeSet<String>>,
    values: BTreeMap<String, Value>,
}

impl MapContext {
    /// A context where every object is open and empty.
    pub fn new() -> MapContext {
        MapContext::default()
    }

    /// Closes `object` to exactly the attributes `names`.
    pub fn with_schema<N: Into<String>>(
        mut self,
        object: Object,
        names: impl IntoIterator<Item = N>,
    ) -> MapContext {
        self.objects.entry(object).or_default().schema =
            Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets `object.name` to `value`.
    pub fn with_value(
        mut self,
        object: Object,
        name: impl Into<String>,
        value: Value,
    ) -> MapContext {
        self.set(object, name, value);
        self
    }

    /// Sets `object.name` to `value`.
    pub fn set(&mut self, object: Object, name: impl Into<String>, value: Value) {
        self.objects
            .entry(object)
            .or_default()
            .values
            .insert(name.into(), value);
    }

    /// Sets every attribute of `object` found in a JSON object, e.g. a profile as Okta's API
    /// returns it. A key mapped to JSON `null` reads as null, like an absent key.
    ///
    /// # Errors
    ///
    /// [`ExprError::UnsupportedJson`] when a value is itself a JSON object.
    pub fn with_json(
        mut self,
        object: Object,
        profile: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<MapContext, ExprError> {
        for (key, json) in profile {
            let value = Value::from_json(json).ok_or_else(|| ExprError::UnsupportedJson {
                object,
                key: key.clone(),
            })?;
            self.set(object, key.clone(), value);
        }
        Ok(self)
    }
}

impl Scope for MapContext {
    fn has_attribute(&self, object: Object, name: &str) -> bool {
        match self
            .objects
            .get(&object)
            .and_then(|data| data.schema.as_ref())
        {
            Some(schema) => schema.contains(name),
            None => true,
        }
    }

    fn attribute_names(&self, object: Object) -> Vec<String> {
        let Some(data) = self.objects.get(&object) else {
            return Vec::new();
        };
        match &data.schema {
            Some(schema) => schema.iter().cloned().collect(),
            None => data.values.keys().cloned().collect(),
        }
    }
}

impl Context for MapContext {
    fn value(&self, object: Object, name: &str) -> Option<Value> {
        self.objects.get(&object)?.values.get(name).cloned()
    }
}
