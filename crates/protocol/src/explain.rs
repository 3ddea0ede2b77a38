//! The Explain panel's question and the engine's answer (`POST /_playground/explain`): how a
//! filter parses and which resources it matches, node by node, and a PATCH taken one operation
//! at a time. The engine (`scim::Server::explain_filter`, `explain_patch`) builds these types
//! and the panel reads them.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the panel asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExplainRequest {
    /// How `filter` parses and evaluates against the stored resources of `resource_type`.
    #[serde(rename_all = "camelCase")]
    Filter {
        #[serde(default = "user")]
        resource_type: String,
        #[serde(default)]
        filter: String,
    },
    /// The PATCH `body` applied to resource `id` one operation at a time, storing nothing.
    #[serde(rename_all = "camelCase")]
    Patch {
        #[serde(default = "user")]
        resource_type: String,
        #[serde(default)]
        id: String,
        #[serde(default)]
        body: Value,
    },
    /// What an RFC 9865 `cursor` this server issued names.
    #[serde(rename_all = "camelCase")]
    Cursor {
        #[serde(default)]
        cursor: String,
    },
}

fn user() -> String {
    "User".into()
}

/// Why something could not be explained, or why a step fails: the message, the SCIM error
/// type, and for a filter or path the byte span it points at with the caret lines under it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplainError {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim_type: Option<String>,
    /// The HTTP status the server would answer with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `[start, end)` in bytes of the text that was explained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caret: Option<String>,
}

/// An attribute as a filter or path names it: `urn:…:name.sub`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttrName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
}

impl fmt::Display for AttrName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// A filter's parse tree (RFC 7644 §3.4.2.2), as the engine read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FilterTree {
    /// `attr op value`; `op` is lower case, `value` the JSON literal.
    Compare {
        attr: AttrName,
        op: String,
        value: Value,
    },
    /// `attr pr`.
    Present {
        attr: AttrName,
    },
    And {
        operands: Vec<FilterTree>,
    },
    Or {
        operands: Vec<FilterTree>,
    },
    Not {
        filter: Box<FilterTree>,
    },
    /// `attr[filter]`.
    ValuePath {
        attr: AttrName,
        filter: Box<FilterTree>,
    },
}

/// A PATCH path (RFC 7644 §3.5.2) as the engine read it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathTree {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    pub attribute: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterTree>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_attribute: Option<String>,
}

/// One node of how a filter evaluated against one resource; every operand is evaluated, so
/// the tree shows all of them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Explanation {
    /// The canonical text of this part of the filter (or `emails[0]` for one element that a
    /// value filter looked at).
    pub filter: String,
    pub matched: bool,
    /// For an attribute expression, the values found at its path (empty when absent); for an
    /// element of a value filter, that element.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Value>,
    /// How the values were compared, when that is not obvious from the filter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation>,
}

/// One stored resource and how the filter evaluated against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainedResource {
    pub id: String,
    /// `userName` or `displayName`, else the id.
    pub label: String,
    pub matched: bool,
    pub explanation: Explanation,
}

/// The answer to [`ExplainRequest::Filter`]: `ok` with the tree and the resources (matches
/// first), or not `ok` with the error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FilterExplanation {
    pub ok: bool,
    pub input: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExplainError>,
    /// The filter as the engine prints it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<FilterTree>,
    /// How many resources of the type are stored.
    #[serde(default)]
    pub scanned: usize,
    /// How many of them match.
    #[serde(default)]
    pub matched: usize,
    #[serde(default)]
    pub resources: Vec<ExplainedResource>,
}

/// One operation of a PATCH and what it did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchStep {
    pub index: usize,
    /// The op, lower case.
    pub op: String,
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_tree: Option<PathTree>,
    /// The rule of RFC 7644 §3.5.2 the operation follows.
    pub rule: String,
    /// The top-level attributes it changed, when it applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<String>>,
    /// The resource after it (never with its password), when it applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExplainError>,
    pub ok: bool,
}

/// The answer to [`ExplainRequest::Patch`]: every step up to the first that fails (a PATCH is
/// atomic, so then none applies), or an error when there is nothing to step through.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PatchExplanation {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExplainError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The stored resource before the first step (never with its password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default)]
    pub steps: Vec<PatchStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_as_the_panel_writes_them() {
        let filter: ExplainRequest =
            serde_json::from_str(r#"{"kind":"filter","resourceType":"Group","filter":"x pr"}"#)
                .expect("a filter request");
        assert_eq!(
            filter,
            ExplainRequest::Filter {
                resource_type: "Group".into(),
                filter: "x pr".into()
            }
        );
        let patch: ExplainRequest =
            serde_json::from_str(r#"{"kind":"patch","id":"7","body":{"Operations":[]}}"#)
                .expect("a patch request");
        let ExplainRequest::Patch {
            resource_type, id, ..
        } = patch
        else {
            panic!("not a patch request");
        };
        assert_eq!((resource_type.as_str(), id.as_str()), ("User", "7"));
        assert!(serde_json::from_str::<ExplainRequest>(r#"{"kind":"sort"}"#).is_err());
    }

    #[test]
    fn a_tree_reads_back_as_written() {
        let tree = FilterTree::Or {
            operands: vec![
                FilterTree::Compare {
                    attr: AttrName {
                        name: "userName".into(),
                        ..AttrName::default()
                    },
                    op: "sw".into(),
                    value: "a".into(),
                },
                FilterTree::ValuePath {
                    attr: AttrName {
                        name: "emails".into(),
                        ..AttrName::default()
                    },
                    filter: Box::new(FilterTree::Present {
                        attr: AttrName {
                            name: "value".into(),
                            ..AttrName::default()
                        },
                    }),
                },
            ],
        };
        let json = serde_json::to_value(&tree).expect("json");
        assert_eq!(json["kind"], "or");
        assert_eq!(json["operands"][1]["kind"], "valuePath");
        assert_eq!(serde_json::from_value::<FilterTree>(json).ok(), Some(tree));
    }
}

/// What a cursor says (RFC 9865): which side of which position its page lies, the page size,
/// and when it was issued and expires. A cursor is bound to its query, which it does not spell
/// out, so the explanation cannot say which filter it belongs to; the engine refuses it with
/// any other.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorExplanation {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExplainError>,
    /// `after`, `from`, `before` or `through` the position.
    #[serde(default)]
    pub edge: String,
    /// The position: the resource type and id of the entry it names…
    #[serde(default)]
    pub resource_type: String,
    #[serde(default)]
    pub id: String,
    /// …and that entry's `sortBy` value when the cursor was issued (none without `sortBy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_value: Option<Value>,
    /// Whether that resource is still on the server (a deleted one still marks the place).
    #[serde(default)]
    pub still_there: bool,
    /// The page size the cursor must be sent with.
    #[serde(default)]
    pub count: usize,
    /// RFC 3339 times.
    #[serde(default)]
    pub issued_at: String,
    #[serde(default)]
    pub expires_at: String,
    #[serde(default)]
    pub expired: bool,
}
