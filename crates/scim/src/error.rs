//! The engine's one error type and its RFC 7644 §3.12 wire form.
//!
//! Every failure a client can cause is a [`ScimError`]. It knows its HTTP status and `scimType`,
//! and [`ScimError::to_response`] is the single place where an error becomes a [`Response`].

use serde_json::{json, Value};

use crate::http::Response;

/// The schema URN of a SCIM error body (RFC 7644 §3.12).
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Everything that can go wrong while serving a SCIM request.
///
/// Each variant's documentation shows a request that triggers it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScimError {
    /// The filter could not be parsed or names something that cannot be filtered.
    ///
    /// `GET /Users?filter=userName eq` (the comparison has no value).
    #[error("{0}")]
    InvalidFilter(String),

    /// The request body does not have the structure SCIM requires.
    ///
    /// `POST /Users` with body `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","shoeSize":9}`
    /// (no schema defines `shoeSize`), or a body that is not JSON at all.
    #[error("{0}")]
    InvalidSyntax(String),

    /// A value has the wrong type, is not one of the canonical values, or is missing.
    ///
    /// `POST /Users` with `"active":"yes"` (a string where a boolean is required).
    #[error("{0}")]
    InvalidValue(String),

    /// The request tried to change an attribute whose mutability forbids it.
    ///
    /// `PATCH /Users/{id}` with `{"op":"replace","path":"id","value":"x"}` (`id` is readOnly).
    #[error("{0}")]
    Mutability(String),

    /// A value that must be unique is already taken.
    ///
    /// `POST /Users` with a `userName` that differs from an existing one only in case.
    #[error("{0}")]
    Uniqueness(String),

    /// A PATCH path is malformed or names an attribute the resource type does not have.
    ///
    /// `PATCH` with `{"op":"add","path":"emails[type eq","value":"x"}`.
    #[error("{0}")]
    InvalidPath(String),

    /// A PATCH path is valid but selects nothing to operate on.
    ///
    /// `PATCH` with `{"op":"remove"}` (remove needs a path), or, in the Strict RFC profile,
    /// `{"op":"remove","path":"members[value eq \"nobody\"]"}` when no such member exists.
    #[error("{0}")]
    NoTarget(String),

    /// A `cursor` that this server did not issue for this query (RFC 9865 §2.1).
    ///
    /// `GET /Users?cursor=xyz`, or a cursor issued for `/Groups` sent to `/Users`.
    #[error("{0}")]
    InvalidCursor(String),

    /// A `cursor` older than the advertised `cursorTimeout` (RFC 9865 §2.1).
    ///
    /// `GET /Users?cursor=…` with a cursor issued two hours ago when the timeout is one hour.
    #[error("{0}")]
    ExpiredCursor(String),

    /// A `count` that differs from the one the cursor was issued with (RFC 9865 §2.1).
    ///
    /// `GET /Users?cursor=…&count=50` after a first page asked with `count=10`.
    #[error("{0}")]
    InvalidCount(String),

    /// The `version` of a bulk operation is not a valid entity tag.
    ///
    /// A bulk operation with `"version":"not-an-etag"`.
    #[error("{0}")]
    InvalidVersion(String),

    /// No credential, or the wrong one, was presented.
    ///
    /// `GET /Users` without an `Authorization` header when the server requires Basic auth.
    #[error("{detail}")]
    Unauthorized {
        /// What was wrong with the credential.
        detail: String,
        /// The `WWW-Authenticate` challenge that tells the client which scheme to use.
        challenge: String,
    },

    /// The resource, schema or resource type does not exist.
    ///
    /// `GET /Users/does-not-exist`.
    #[error("{0}")]
    NotFound(String),

    /// The endpoint exists but not with this HTTP method.
    ///
    /// `DELETE /ServiceProviderConfig`.
    #[error("{detail}")]
    MethodNotAllowed {
        /// Why the method is refused.
        detail: String,
        /// The methods the endpoint does accept, for the `Allow` header.
        allow: &'static str,
    },

    /// `If-Match` names a version that is no longer current.
    ///
    /// `PUT /Users/{id}` with `If-Match: W/"1"` after the user has been modified.
    #[error("{0}")]
    PreconditionFailed(String),

    /// The body, or the number of bulk operations, exceeds the advertised limits.
    ///
    /// `POST /Bulk` with more operations than `bulk.maxOperations`.
    #[error("{0}")]
    PayloadTooLarge(String),

    /// The request body is not JSON.
    ///
    /// `POST /Users` with `Content-Type: text/xml`.
    #[error("{0}")]
    UnsupportedMediaType(String),

    /// The endpoint is part of SCIM but this server does not offer it.
    ///
    /// `GET /Me` (the server has no notion of an authenticated subject).
    #[error("{0}")]
    NotImplemented(String),
}

impl ScimError {
    /// The HTTP status code this error is reported with.
    pub fn status(&self) -> u16 {
        match self {
            ScimError::InvalidFilter(_)
            | ScimError::InvalidSyntax(_)
            | ScimError::InvalidValue(_)
            | ScimError::Mutability(_)
            | ScimError::InvalidPath(_)
            | ScimError::NoTarget(_)
            | ScimError::InvalidVersion(_)
            | ScimError::InvalidCursor(_)
            | ScimError::ExpiredCursor(_)
            | ScimError::InvalidCount(_) => 400,
            ScimError::Unauthorized { .. } => 401,
            ScimError::NotFound(_) => 404,
            ScimError::MethodNotAllowed { .. } => 405,
            ScimError::Uniqueness(_) => 409,
            ScimError::PreconditionFailed(_) => 412,
            ScimError::PayloadTooLarge(_) => 413,
            ScimError::UnsupportedMediaType(_) => 415,
            ScimError::NotImplemented(_) => 501,
        }
    }

    /// The RFC 7644 §3.12 `scimType` (and RFC 9865's for cursors), for the errors the RFCs
    /// define one for.
    pub fn scim_type(&self) -> Option<&'static str> {
        match self {
            ScimError::InvalidFilter(_) => Some("invalidFilter"),
            ScimError::InvalidSyntax(_) => Some("invalidSyntax"),
            ScimError::InvalidValue(_) => Some("invalidValue"),
            ScimError::Mutability(_) => Some("mutability"),
            ScimError::Uniqueness(_) => Some("uniqueness"),
            ScimError::InvalidPath(_) => Some("invalidPath"),
            ScimError::NoTarget(_) => Some("noTarget"),
            ScimError::InvalidVersion(_) => Some("invalidVers"),
            ScimError::InvalidCursor(_) => Some("invalidCursor"),
            ScimError::ExpiredCursor(_) => Some("expiredCursor"),
            ScimError::InvalidCount(_) => Some("invalidCount"),
            _ => None,
        }
    }

    /// The error body as RFC 7644 §3.12 defines it; `status` is a JSON string.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status().to_string(),
        });
        if let (Some(ty), Some(obj)) = (self.scim_type(), body.as_object_mut()) {
            obj.insert("scimType".into(), Value::String(ty.into()));
        }
        if let Some(obj) = body.as_object_mut() {
            obj.insert("detail".into(), Value::String(self.to_string()));
        }
        body
    }

    /// Turns the error into a response: the only place in the engine where that happens.
    pub fn to_response(&self) -> Response {
        let mut response = Response::json(self.status(), &self.to_json());
        match self {
            ScimError::Unauthorized { challenge, .. } => {
                response.set_header("WWW-Authenticate", challenge);
            }
            ScimError::MethodNotAllowed { allow, .. } => {
                response.set_header("Allow", allow);
            }
            _ => {}
        }
        response
    }
}

impl From<crate::filter::FilterError> for ScimError {
    /// A filter error keeps its `scimType` (`invalidFilter`, or `invalidPath` for a PATCH path)
    /// and its message with the caret picture under the offending part.
    fn from(error: crate::filter::FilterError) -> Self {
        match error.scim_type() {
            crate::filter::ScimType::InvalidPath => ScimError::InvalidPath(error.to_string()),
            _ => ScimError::InvalidFilter(error.to_string()),
        }
    }
}
