//! What the server says when the browser refuses to save a change: storage full, said in words
//! with what frees space, or the store's own error. One sentence for the worker's SCIM error and
//! for the panels that show it.

/// The share of the quota past which a refused write is taken to be for lack of space: browsers
/// report a full store as an aborted transaction, often without naming the quota.
const FULL_SHARE: f64 = 0.9;

/// Whether a refused write was for lack of space: the error names the quota, or the origin's
/// usage (bytes) has reached [`FULL_SHARE`] of its quota.
pub fn is_full(error: &str, usage: Option<(f64, f64)>) -> bool {
    let error = error.to_ascii_lowercase();
    error.contains("quota")
        || usage.is_some_and(|(used, quota)| quota > 0.0 && used >= quota * FULL_SHARE)
}

/// The detail of the SCIM error for a change that could not be saved (and so was undone).
pub fn failed_write(error: &str, usage: Option<(f64, f64)>) -> String {
    if !is_full(error, usage) {
        return format!("the change could not be saved, so nothing changed: {error}");
    }
    let room = usage.map_or(String::new(), |(used, quota)| {
        format!(" ({} of {} in use)", megabytes(used), megabytes(quota))
    });
    format!(
        "the change could not be saved, so nothing changed: this browser's storage for the app is full{room}. \
         Free space by clearing the traffic log (Traffic → Clear), or back up everything (App data) and reset \
         the server's data or the Okta org. ({error})"
    )
}

/// In whole tenths, by integers: formatting an `f64` would compile Rust's float formatting into
/// the worker, whose size has a budget.
fn megabytes(bytes: f64) -> String {
    let tenths = (bytes / 100_000.0).round() as u64;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_store_is_named_with_what_frees_space() {
        let table = [
            (
                "QuotaExceededError: the quota has been exceeded",
                None,
                true,
            ),
            (
                "Missing data: Expected the Transaction to be committed",
                Some((9.5e6, 10e6)),
                true,
            ),
            (
                "Missing data: Expected the Transaction to be committed",
                Some((1e6, 10e6)),
                false,
            ),
            (
                "Missing data: Expected the Transaction to be committed",
                None,
                false,
            ),
            ("anything", Some((0.0, 0.0)), false),
        ];
        for (error, usage, full) in table {
            assert_eq!(is_full(error, usage), full, "{error} {usage:?}");
            let detail = failed_write(error, usage);
            assert!(detail.starts_with("the change could not be saved, so nothing changed: "));
            assert!(detail.contains(error), "the store's own words are kept");
            assert_eq!(
                detail.contains("storage for the app is full"),
                full,
                "{detail}"
            );
        }
        let detail = failed_write("x", Some((9.5e6, 10e6)));
        assert!(detail.contains("(9.5 MB of 10.0 MB in use)"), "{detail}");
        assert!(detail.contains("clearing the traffic log"), "{detail}");
    }
}
