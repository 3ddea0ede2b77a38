//! The order of a list: `sortBy`/`sortOrder` (RFC 7644 §3.4.2.3), then resource type, then id.
//!
//! That order is total, so a page boundary can be named by the entry it falls after, which is
//! what a cursor stores (see `cursor.rs`).

use std::cmp::Ordering;

use serde_json::Value;

use crate::filter;
use crate::resource::parse_datetime;
use crate::schema::{AttrType, Attribute, Registry, ResourceKind};

/// One resource in a list, with everything its place in the order depends on.
pub(super) struct Entry<'v> {
    /// The `sortBy` value ([`SortKey::Missing`] when the query has no `sortBy`).
    pub key: SortKey,
    pub kind: ResourceKind,
    pub id: &'v str,
    pub data: &'v Value,
}

/// How entries compare: by key (reversed for `descending`), then resource type, then id.
#[derive(Clone, Copy)]
pub(super) struct Order {
    pub descending: bool,
}

impl Order {
    /// Compares two positions in the list.
    pub fn cmp(
        self,
        a: (&SortKey, ResourceKind, &str),
        b: (&SortKey, ResourceKind, &str),
    ) -> Ordering {
        self.by_key(a.0, b.0)
            .then_with(|| rank(a.1).cmp(&rank(b.1)))
            .then_with(|| a.2.cmp(b.2))
    }

    /// Compares sort keys only. A stable sort by key of entries already in (type, id) order
    /// gives the full order of [`Order::cmp`] without comparing ids on every tie.
    pub fn by_key(self, a: &SortKey, b: &SortKey) -> Ordering {
        let by_key = a.cmp_values(b);
        if self.descending {
            by_key.reverse()
        } else {
            by_key
        }
    }

    /// Compares an entry with a position.
    pub fn cmp_entry(self, entry: &Entry<'_>, at: (&SortKey, ResourceKind, &str)) -> Ordering {
        self.cmp((&entry.key, entry.kind, entry.id), at)
    }
}

/// Where a resource type comes in a search at the root: the order of [`ResourceKind::ALL`].
pub(super) fn rank(kind: ResourceKind) -> usize {
    ResourceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// A resolved `sortBy`.
pub(super) struct SortTarget<'a> {
    pub extension: Option<&'a str>,
    pub attribute: &'a Attribute,
    pub sub: Option<&'a Attribute>,
}

/// A comparable sort value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum SortKey {
    Text(String),
    Number(f64),
    Bool(bool),
    Time(i128),
    Missing,
}

impl SortKey {
    /// Orders values of one type; missing values after present ones.
    pub fn cmp_values(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Bool(a), SortKey::Bool(b)) => a.cmp(b),
            (SortKey::Time(a), SortKey::Time(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }

    /// The key as a cursor stores it: a tagged JSON array.
    pub fn to_json(&self) -> Value {
        match self {
            SortKey::Text(s) => serde_json::json!(["t", s]),
            SortKey::Number(n) => serde_json::json!(["n", n]),
            SortKey::Bool(b) => serde_json::json!(["b", b]),
            // Two 64-bit halves: formatting and parsing an i128 as text would add 128-bit
            // division to the worker.
            SortKey::Time(t) => serde_json::json!(["d", (t >> 64) as i64, *t as u64]),
            SortKey::Missing => serde_json::json!(["m"]),
        }
    }

    /// Reads back [`SortKey::to_json`]; `None` for anything else.
    pub fn from_json(value: &Value) -> Option<SortKey> {
        let items = value.as_array()?;
        match (items.first()?.as_str()?, items.get(1), items.len()) {
            ("t", Some(Value::String(s)), 2) => Some(SortKey::Text(s.clone())),
            ("n", Some(n), 2) => n.as_f64().map(SortKey::Number),
            ("b", Some(Value::Bool(b)), 2) => Some(SortKey::Bool(*b)),
            ("d", Some(high), 3) => {
                let low = items.get(2)?.as_u64()?;
                Some(SortKey::Time(
                    i128::from(high.as_i64()?) << 64 | i128::from(low),
                ))
            }
            ("m", None, 1) => Some(SortKey::Missing),
            _ => None,
        }
    }
}

impl<'a> SortTarget<'a> {
    pub fn resolve(
        registry: &'a Registry,
        kind: ResourceKind,
        text: &str,
    ) -> Option<SortTarget<'a>> {
        let path = filter::parse_path(text).ok()?;
        if path.filter.is_some() {
            return None;
        }
        let located = registry.resolve_in(kind, path.urn.as_deref(), &path.attribute)?;
        let sub = match &path.sub_attribute {
            Some(s) => Some(located.attribute.sub_attribute(s)?),
            None => None,
        };
        Some(SortTarget {
            extension: located.extension,
            attribute: located.attribute,
            sub,
        })
    }

    /// Whether the value is computed when a resource is rendered (`groups`, `meta.location`,
    /// `members.$ref`), so the stored resource does not hold it.
    pub fn is_computed(&self, kind: ResourceKind) -> bool {
        super::scan::computed(
            kind,
            self.extension.is_some(),
            &self.attribute.name,
            self.sub.map(|s| s.name.as_str()),
        )
    }

    /// The value to sort by: for a multi-valued attribute the primary value, else the first
    /// (RFC 7644 §3.4.2.3); a complex attribute without a sub-attribute sorts by its `value`.
    pub fn key(&self, resource: &Value) -> SortKey {
        let container = match self.extension {
            Some(urn) => resource.get(urn),
            None => Some(resource),
        };
        let Some(value) = container.and_then(|c| c.get(&self.attribute.name)) else {
            return SortKey::Missing;
        };
        let value = match value {
            Value::Array(items) => items
                .iter()
                .find(|i| i.get("primary") == Some(&Value::Bool(true)))
                .or_else(|| items.first()),
            other => Some(other),
        };
        let (leaf, attr) = match (self.sub, self.attribute.ty) {
            (Some(sub), _) => (value.and_then(|v| v.get(&sub.name)), sub),
            (None, AttrType::Complex) => match self.attribute.sub_attribute("value") {
                Some(sub) => (value.and_then(|v| v.get(&sub.name)), sub),
                None => (None, self.attribute),
            },
            (None, _) => (value, self.attribute),
        };
        let Some(leaf) = leaf else {
            return SortKey::Missing;
        };
        match (attr.ty, leaf) {
            (AttrType::DateTime, Value::String(s)) => {
                parse_datetime(s).map_or(SortKey::Missing, SortKey::Time)
            }
            (_, Value::String(s)) if attr.case_exact => SortKey::Text(s.clone()),
            (_, Value::String(s)) => SortKey::Text(s.to_lowercase()),
            (_, Value::Number(n)) => n.as_f64().map_or(SortKey::Missing, SortKey::Number),
            (_, Value::Bool(b)) => SortKey::Bool(*b),
            _ => SortKey::Missing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_survive_the_cursor_round_trip() {
        for key in [
            SortKey::Text("Ab c".into()),
            SortKey::Number(-2.5),
            SortKey::Bool(true),
            SortKey::Time(1_700_000_000_123_000_000),
            SortKey::Time(-5),
            SortKey::Missing,
        ] {
            assert_eq!(SortKey::from_json(&key.to_json()), Some(key));
        }
        for junk in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!(["t"]),
            serde_json::json!(["t", 1]),
            serde_json::json!(["m", 1]),
            serde_json::json!(["d", "x"]),
            serde_json::json!(["d", 1]),
            serde_json::json!(["d", 1, -1]),
            serde_json::json!(["z", "x"]),
        ] {
            assert_eq!(SortKey::from_json(&junk), None, "{junk}");
        }
    }
}
