//! Who may call `/_playground`: the table of requests another website can make (navigations,
//! forms) and the app's own, with the answer each gets (crates/sw/src/guard.rs).
#![cfg(target_arch = "wasm32")]

use scim_sw::guard::{admin, Fetch};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fetch(mode: &str) -> Fetch {
    Fetch { mode: mode.into() }
}

const JSON: Option<&str> = Some("application/json; charset=utf-8");
const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

#[wasm_bindgen_test]
fn navigations_are_refused_except_the_consent_page() {
    for (method, path, content_type) in [
        ("POST", "/reset", None),
        ("POST", "/reset", FORM),
        ("POST", "/import", Some("text/plain")),
        ("GET", "/settings", None),
        ("GET", "/export", None),
        ("GET", "/traffic", None),
        ("POST", "/oauth/token", FORM),
        ("POST", "/oauth/revoke", FORM),
    ] {
        let refused = admin(&fetch("navigate"), method, path, content_type, 10)
            .expect_err("a navigation is refused");
        assert_eq!(refused.status, 403, "{method} {path}");
        let page = String::from_utf8(refused.body).expect("text");
        assert!(page.contains("nothing was changed"), "{page}");
    }
    assert!(admin(&fetch("navigate"), "GET", "/oauth/authorize", None, 0).is_ok());
    assert!(admin(&fetch("navigate"), "POST", "/oauth/authorize", FORM, 40).is_ok());
    assert!(admin(&fetch("no-cors"), "GET", "/settings", None, 0).is_err());
}

#[wasm_bindgen_test]
fn a_body_needs_the_content_type_its_endpoint_reads() {
    let app = fetch("cors");
    assert!(admin(&app, "POST", "/import", JSON, 10).is_ok());
    assert!(admin(&app, "POST", "/explain", Some("application/scim+json"), 10).is_ok());
    assert!(admin(&app, "POST", "/reset", None, 0).is_ok());
    assert!(admin(&app, "GET", "/settings", None, 0).is_ok());
    for bad in [
        Some("text/plain;charset=UTF-8"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let refused = admin(&app, "POST", "/import", bad, 10).expect_err("refused");
        assert_eq!(refused.status, 415, "{bad:?}");
    }
    assert!(admin(&app, "POST", "/oauth/token", FORM, 10).is_ok());
    assert_eq!(
        admin(&app, "POST", "/oauth/token", JSON, 10)
            .unwrap_err()
            .status,
        415
    );
}
