//! Turning a stored resource into the JSON a client sees: computed attributes (`groups`,
//! `meta.location`, member `$ref`s), `returned` rules and `attributes`/`excludedAttributes`.

use serde_json::{Map, Value};

use crate::schema::{Attribute, Registry, ResourceKind, Returned};
use crate::store::Store;

/// One entry of `attributes` or `excludedAttributes`, resolved against the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AttrRef {
    /// `None` for core and common attributes, the extension URN otherwise.
    extension: Option<String>,
    /// The canonical attribute name; `None` selects the whole extension.
    name: Option<String>,
    /// The canonical sub-attribute name.
    sub: Option<String>,
}

/// Which attributes a response includes (RFC 7644 §3.4.2.5 and §3.9).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Projection {
    mode: Mode,
    refs: Vec<AttrRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    #[default]
    Default,
    Include,
    Exclude,
}

impl Projection {
    /// Builds a projection from the comma-separated `attributes` and `excludedAttributes`
    /// parameters. Names the resource type does not have are ignored, because a root search
    /// applies one list to several resource types.
    pub(crate) fn new(
        registry: &Registry,
        kind: ResourceKind,
        attributes: Option<&str>,
        excluded: Option<&str>,
    ) -> Projection {
        let (mode, list) = match (attributes, excluded) {
            (Some(a), _) if !a.trim().is_empty() => (Mode::Include, a),
            (_, Some(e)) if !e.trim().is_empty() => (Mode::Exclude, e),
            _ => return Projection::default(),
        };
        let refs = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| resolve_ref(registry, kind, s))
            .collect();
        Projection { mode, refs }
    }

    /// Whether the client asked for an explicit, empty-after-resolution attribute list such as
    /// `attributes=` — used by PATCH to answer 204 instead of the resource.
    pub(crate) fn wants_nothing(attributes: Option<&str>) -> bool {
        attributes.is_some_and(|a| a.trim().is_empty())
    }

    /// Decides whether a top-level attribute appears, and which of its sub-attributes.
    fn select(&self, extension: Option<&str>, attr: &Attribute) -> Selection {
        if attr.returned == Returned::Never {
            return Selection::Skip;
        }
        if attr.returned == Returned::Always {
            return Selection::All;
        }
        let matching = || {
            self.refs.iter().filter(move |r| {
                r.extension.as_deref() == extension
                    && r.name.as_deref().is_none_or(|n| n == attr.name)
            })
        };
        match self.mode {
            Mode::Default => {
                if attr.returned == Returned::Request {
                    Selection::Skip
                } else {
                    Selection::All
                }
            }
            Mode::Include => {
                let mut subs = Vec::new();
                for r in matching() {
                    match &r.sub {
                        None => return Selection::All,
                        Some(sub) => subs.push(sub.clone()),
                    }
                }
                if subs.is_empty() {
                    Selection::Skip
                } else {
                    Selection::Only(subs)
                }
            }
            Mode::Exclude => {
                if attr.returned == Returned::Request {
                    return Selection::Skip;
                }
                let mut subs = Vec::new();
                for r in matching() {
                    match &r.sub {
                        None => return Selection::Skip,
                        Some(sub) => subs.push(sub.clone()),
                    }
                }
                if subs.is_empty() {
                    Selection::All
                } else {
                    Selection::AllBut(subs)
                }
            }
        }
    }
}

enum Selection {
    Skip,
    All,
    Only(Vec<String>),
    AllBut(Vec<String>),
}

fn resolve_ref(registry: &Registry, kind: ResourceKind, text: &str) -> Option<AttrRef> {
    if let Some(ext) = registry.extension(kind, text) {
        return Some(AttrRef {
            extension: Some(ext.id.clone()),
            name: None,
            sub: None,
        });
    }
    // The sub-attribute follows the last '.', but URNs contain dots (`2.0`), so only a dot
    // after the last ':' separates a sub-attribute.
    let colon = text.rfind(':').map_or(0, |i| i + 1);
    let (attr_text, sub_text) = match text.get(colon..).and_then(|t| t.find('.')) {
        Some(dot) => (&text[..colon + dot], Some(&text[colon + dot + 1..])),
        None => (text, None),
    };
    let located = registry.resolve(kind, attr_text)?;
    let sub = match sub_text {
        Some(s) => Some(located.attribute.sub_attribute(s)?.name.clone()),
        None => None,
    };
    Some(AttrRef {
        extension: located.extension.map(str::to_string),
        name: Some(located.attribute.name.clone()),
        sub,
    })
}

/// Everything rendering needs besides the resource itself.
pub(crate) struct RenderCtx<'a> {
    pub registry: &'a Registry,
    pub store: &'a Store,
    pub base_url: &'a str,
}

impl RenderCtx<'_> {
    /// The absolute URL of a resource.
    pub(crate) fn location(&self, kind: ResourceKind, id: &str) -> String {
        format!("{}{}/{}", self.base_url, kind.endpoint(), id)
    }

    /// Renders a stored resource for a response.
    pub(crate) fn render(
        &self,
        kind: ResourceKind,
        data: &Value,
        projection: &Projection,
    ) -> Value {
        let mut out = Map::new();
        let Some(stored) = data.as_object() else {
            return Value::Object(out);
        };
        if let Some(schemas) = stored.get("schemas") {
            out.insert("schemas".into(), schemas.clone());
        }
        let id = stored.get("id").and_then(Value::as_str).unwrap_or_default();
        let core = self.registry.core_schema(kind);
        // `meta` goes last, after the extensions, as in RFC 7643's examples.
        let (meta_attr, common): (Vec<&Attribute>, Vec<&Attribute>) = self
            .registry
            .common()
            .iter()
            .partition(|a| a.name == "meta");
        for attr in common.into_iter().chain(core.attributes.iter()) {
            let computed;
            let value = match (kind, attr.name.as_str()) {
                (ResourceKind::User, "groups") => {
                    computed = self.groups_of(id);
                    computed.as_ref()
                }
                (ResourceKind::Group, "members") => {
                    computed = stored.get("members").map(|m| self.with_refs(m));
                    computed.as_ref()
                }
                _ => stored.get(&attr.name),
            };
            if let Some(v) = value.and_then(|v| project(projection.select(None, attr), attr, v)) {
                out.insert(attr.name.clone(), v);
            }
        }
        for ext in self.registry.extensions(kind) {
            let Some(values) = stored.get(&ext.id).and_then(Value::as_object) else {
                continue;
            };
            let mut projected = Map::new();
            for attr in &ext.attributes {
                let Some(v) = values.get(&attr.name) else {
                    continue;
                };
                if let Some(v) = project(projection.select(Some(&ext.id), attr), attr, v) {
                    projected.insert(attr.name.clone(), v);
                }
            }
            if !projected.is_empty() {
                out.insert(ext.id.clone(), Value::Object(projected));
            }
        }
        for attr in meta_attr {
            let meta = stored.get("meta").map(|m| self.with_location(m, kind, id));
            if let Some(v) = meta.and_then(|v| project(projection.select(None, attr), attr, &v)) {
                out.insert(attr.name.clone(), v);
            }
        }
        Value::Object(out)
    }

    /// A stored resource with its computed attributes added (`User.groups`, `meta.location`,
    /// member `$ref`s) and nothing projected away: what filters and `sortBy` on those
    /// attributes are evaluated against.
    pub(crate) fn with_computed(&self, kind: ResourceKind, data: &Value) -> Value {
        let mut out = data.clone();
        let id = data.get("id").and_then(Value::as_str).unwrap_or_default();
        let computed = [
            (
                "groups",
                (kind == ResourceKind::User)
                    .then(|| self.groups_of(id))
                    .flatten(),
            ),
            (
                "meta",
                data.get("meta").map(|m| self.with_location(m, kind, id)),
            ),
            ("members", data.get("members").map(|m| self.with_refs(m))),
        ];
        if let Some(obj) = out.as_object_mut() {
            for (name, value) in computed {
                if let Some(value) = value {
                    obj.insert(name.into(), value);
                }
            }
        }
        out
    }

    /// The computed, readOnly `User.groups` (RFC 7643 §4.1.2).
    fn groups_of(&self, user_id: &str) -> Option<Value> {
        let groups: Vec<Value> = self
            .store
            .groups_of(user_id)
            .filter_map(|gid| {
                let group = self.store.get(ResourceKind::Group, gid)?;
                let mut g = Map::new();
                g.insert("value".into(), Value::String(gid.clone()));
                g.insert(
                    "$ref".into(),
                    Value::String(self.location(ResourceKind::Group, gid)),
                );
                if let Some(name) = group.get("displayName") {
                    g.insert("display".into(), name.clone());
                }
                g.insert("type".into(), Value::String("direct".into()));
                Some(Value::Object(g))
            })
            .collect();
        if groups.is_empty() {
            None
        } else {
            Some(Value::Array(groups))
        }
    }

    /// Adds each member's `$ref` from its `type` and the current base URL.
    fn with_refs(&self, members: &Value) -> Value {
        let Some(items) = members.as_array() else {
            return members.clone();
        };
        let items = items
            .iter()
            .map(|m| {
                let Some(obj) = m.as_object() else {
                    return m.clone();
                };
                let mut out = Map::new();
                let value = obj.get("value").and_then(Value::as_str).unwrap_or_default();
                let kind = match obj.get("type").and_then(Value::as_str) {
                    Some("Group") => ResourceKind::Group,
                    _ => ResourceKind::User,
                };
                out.insert("value".into(), Value::String(value.to_string()));
                out.insert("$ref".into(), Value::String(self.location(kind, value)));
                for (k, v) in obj {
                    if k != "value" && k != "$ref" {
                        out.insert(k.clone(), v.clone());
                    }
                }
                Value::Object(out)
            })
            .collect();
        Value::Array(items)
    }

    fn with_location(&self, meta: &Value, kind: ResourceKind, id: &str) -> Value {
        let mut out = meta.as_object().cloned().unwrap_or_default();
        out.insert("location".into(), Value::String(self.location(kind, id)));
        Value::Object(out)
    }
}

/// Applies a selection to one attribute value; complex values lose the sub-attributes the
/// selection or their own `returned` characteristic excludes.
fn project(selection: Selection, attr: &Attribute, value: &Value) -> Option<Value> {
    let keep_sub = |name: &str| -> bool {
        let sub = attr.sub_attribute(name);
        let returned = sub.map_or(Returned::Default, |s| s.returned);
        match (&selection, returned) {
            (_, Returned::Never) => false,
            (_, Returned::Always) => true,
            (Selection::Only(subs), _) => subs.iter().any(|s| s == name),
            (Selection::AllBut(subs), r) => {
                r != Returned::Request && !subs.iter().any(|s| s == name)
            }
            (_, r) => r != Returned::Request,
        }
    };
    let filter_obj = |v: &Value| -> Option<Value> {
        let obj = v.as_object()?;
        let kept: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| keep_sub(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (!kept.is_empty()).then_some(Value::Object(kept))
    };
    match selection {
        Selection::Skip => None,
        _ if attr.sub_attributes.is_empty() => Some(value.clone()),
        _ => match value {
            Value::Array(items) => {
                let kept: Vec<Value> = items.iter().filter_map(filter_obj).collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            other => filter_obj(other),
        },
    }
}
