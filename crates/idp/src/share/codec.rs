//! The URL form of a configuration (JSON → raw DEFLATE → base64url) and its decoding, which
//! treats the text as hostile: size limits before and after inflating, the version migrated
//! step by step, the shape checked by serde and the rest by `rules`.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde_json::Value;

use super::rules::validate;
use super::{ShareError, SharedConfig, CURRENT_VERSION, MAX_ENCODED_BYTES, MAX_INFLATED_BYTES};

/// The base64url engine: no padding written, padding accepted on input.
pub(super) const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Encodes a configuration for a URL fragment.
pub fn encode(config: &SharedConfig) -> String {
    let json = serde_json::to_vec(config).unwrap_or_default();
    let compressed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    BASE64URL.encode(compressed)
}

/// Decodes a configuration from a URL fragment.
///
/// # Errors
///
/// Every [`ShareError`], each for its own way of being wrong.
pub fn decode(text: &str) -> Result<SharedConfig, ShareError> {
    if text.len() > MAX_ENCODED_BYTES {
        return Err(ShareError::TooLong);
    }
    let compressed = BASE64URL
        .decode(text.trim())
        .map_err(|e| ShareError::InvalidBase64(e.to_string()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            status => ShareError::InvalidDeflate(format!("{status:?}")),
        })?;
    decode_json(&json)
}

/// Decodes a configuration from its JSON (an exported configuration file), with every check
/// [`decode`] makes after inflating.
///
/// # Errors
///
/// [`ShareError::TooLarge`] past [`MAX_INFLATED_BYTES`], and every error after inflating.
pub fn decode_json(json: &[u8]) -> Result<SharedConfig, ShareError> {
    if json.len() > MAX_INFLATED_BYTES {
        return Err(ShareError::TooLarge);
    }
    let value: Value =
        serde_json::from_slice(json).map_err(|e| ShareError::InvalidJson(e.to_string()))?;
    let value = migrate(value)?;
    let config: SharedConfig =
        serde_json::from_value(value).map_err(|e| ShareError::InvalidShape(e.to_string()))?;
    validate(&config)?;
    Ok(config)
}

/// Brings an older version's JSON up to [`CURRENT_VERSION`], one version at a time.
pub(super) fn migrate(mut value: Value) -> Result<Value, ShareError> {
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(ShareError::MissingVersion)?;
    if version > CURRENT_VERSION {
        return Err(ShareError::NewerVersion(version));
    }
    if version == 0 {
        return Err(ShareError::UnsupportedVersion(version));
    }
    if version == 1 {
        value = v1_to_v2(value)?;
    }
    Ok(value)
}

/// Version 1 named only Okta's two app types (`"appType": "AIW" | "OIN"`) and had no import
/// inline hook; version 2 has a `client` profile and `import.hook`.
fn v1_to_v2(mut value: Value) -> Result<Value, ShareError> {
    let failed = |reason: &str| ShareError::Migration {
        from: 1,
        reason: reason.into(),
    };
    let obj = value
        .as_object_mut()
        .ok_or_else(|| failed("not an object"))?;
    let client = match obj.remove("appType").as_ref().and_then(Value::as_str) {
        Some("AIW") => "OKTA_AIW",
        Some("OIN") => "OKTA_OIN",
        Some(other) => return Err(failed(&format!("unknown appType {other:?}"))),
        None => return Err(failed("appType is missing")),
    };
    obj.insert("client".into(), Value::String(client.into()));
    if let Some(Value::Object(import)) = obj.get_mut("import") {
        import.insert("hook".into(), Value::Null);
    }
    obj.insert("version".into(), Value::from(2u64));
    Ok(value)
}
