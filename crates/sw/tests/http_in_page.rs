//! The worker's HTTP seam, exercised in a real page in headless Chromium: SCIM answers become
//! browser `Response`s with the right status, content type and body.
#![cfg(target_arch = "wasm32")]

use scim::Response as Answer;
use scim_sw::http::{self, Route};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Response;

wasm_bindgen_test_configure!(run_in_browser);

async fn text_of(response: &Response) -> String {
    let promise = response.text().expect("text()");
    JsFuture::from(promise)
        .await
        .expect("body")
        .as_string()
        .expect("a string body")
}

#[wasm_bindgen_test]
async fn an_error_answer_is_a_scim_error_with_a_string_status() {
    let response =
        http::write_response(&http::error(409, Some("uniqueness"), "taken")).expect("response");
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.headers().get("content-type").expect("header"),
        Some(http::SCIM_CONTENT_TYPE.to_string())
    );
    let body: serde_json::Value = serde_json::from_str(&text_of(&response).await).expect("JSON");
    assert_eq!(body["status"], "409");
    assert_eq!(body["scimType"], "uniqueness");
    assert_eq!(body["detail"], "taken");
    assert_eq!(
        body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
}

#[wasm_bindgen_test]
async fn an_error_without_a_scim_type_omits_the_field() {
    let response =
        http::write_response(&http::error(404, None, "no such thing")).expect("response");
    let body: serde_json::Value = serde_json::from_str(&text_of(&response).await).expect("JSON");
    assert!(body.get("scimType").is_none(), "{body}");
}

#[wasm_bindgen_test]
async fn a_204_answer_has_no_body_even_if_one_was_given() {
    // The Response constructor throws on a body with 204; the seam must drop it instead.
    let answer = Answer {
        status: 204,
        headers: vec![],
        body: b"ignored".to_vec(),
    };
    let response = http::write_response(&answer).expect("a 204 response");
    assert_eq!(response.status(), 204);
    assert_eq!(text_of(&response).await, "");
}

#[wasm_bindgen_test]
async fn an_admin_request_is_routed_to_the_playground_endpoints() {
    let origin = web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin");
    let request =
        web_sys::Request::new_with_str(&format!("{origin}/_playground/export")).expect("request");
    let (route, exchange) = http::read_request(&request).await.expect("read");
    assert_eq!(route, Route::Admin);
    assert_eq!(exchange.path, "/export");
}

#[wasm_bindgen_test]
async fn a_request_is_read_with_its_path_query_headers_and_body() {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(r#"{"userName":"ada"}"#));
    let headers = web_sys::Headers::new().expect("headers");
    headers
        .set("Authorization", "Bearer t0k3n")
        .expect("header");
    init.set_headers(&headers);
    let origin = web_sys::window()
        .expect("window")
        .location()
        .origin()
        .expect("origin");
    let request = web_sys::Request::new_with_str_and_init(
        &format!("{origin}/scim/v2/Users?filter=userName%20eq%20%22ada%22"),
        &init,
    )
    .expect("request");
    let (route, exchange) = http::read_request(&request).await.expect("read");
    assert_eq!(route, Route::Scim);
    assert_eq!(exchange.method, "POST");
    assert_eq!(exchange.path, "/Users");
    assert_eq!(exchange.query, "filter=userName%20eq%20%22ada%22");
    assert_eq!(exchange.base_url, format!("{origin}/scim/v2"));
    assert_eq!(exchange.body, br#"{"userName":"ada"}"#);
    assert!(exchange
        .headers
        .iter()
        .any(|(k, v)| k == "authorization" && v == "Bearer t0k3n"));
}
