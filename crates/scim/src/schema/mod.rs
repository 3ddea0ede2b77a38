//! The schema registry: every resource type, schema and attribute the server knows.

pub mod attribute;

pub use attribute::{AttrType, Attribute, Mutability, Returned, Uniqueness};
