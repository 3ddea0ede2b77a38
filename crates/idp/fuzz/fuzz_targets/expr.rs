//! Parses, validates, prints and evaluates arbitrary input against the expression corpus's
//! context. Any panic is a bug, and so is canonical text that does not parse back to the same
//! tree or an error span outside the input.

#![no_main]

use std::sync::OnceLock;

use idp::expr::{eval, parse, validate, MapContext, Object};
use libfuzzer_sys::fuzz_target;

/// The corpus context (`tests/corpus/expr/context.json`): closed schemas, set, unset and
/// cleared attributes of every type.
fn context() -> &'static MapContext {
    static CONTEXT: OnceLock<MapContext> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/corpus/expr/context.json"))
                .expect("context.json is JSON");
        let mut ctx = MapContext::new();
        for object in Object::ALL {
            let spec = &json[object.as_str()];
            let values = spec["values"].as_object().cloned().unwrap_or_default();
            let unset = spec["unset"].as_array().cloned().unwrap_or_default();
            let schema: Vec<String> = values
                .keys()
                .cloned()
                .chain(
                    unset
                        .iter()
                        .filter_map(|name| name.as_str().map(str::to_owned)),
                )
                .collect();
            ctx = ctx
                .with_json(object, &values)
                .expect("context values")
                .with_schema(object, schema);
        }
        ctx
    })
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let ctx = context();
    match parse(&src) {
        Ok(expr) => {
            let canonical = expr.to_string();
            match parse(&canonical) {
                Ok(reparsed) => assert_eq!(reparsed, expr, "canonical text {canonical:?}"),
                Err(err) => panic!("canonical text {canonical:?} does not parse: {err}"),
            }
            for problem in validate(&expr, ctx) {
                let _ = problem.render(&src).to_string();
            }
            if let Err(err) = eval(&expr, ctx) {
                let span = err.span().expect("evaluation errors have spans");
                assert!(
                    span.start <= span.end && span.end <= src.len(),
                    "{span} in {src:?}"
                );
                let _ = err.render(&src).to_string();
            }
        }
        Err(err) => {
            let span = err.span().expect("syntax errors have spans");
            assert!(
                span.start <= span.end && span.end <= src.len(),
                "{span} in {src:?}"
            );
            let _ = err.render(&src).to_string();
        }
    }
});
