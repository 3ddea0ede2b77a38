//! The expression corpus: every `tests/corpus/expr/*.txt` file, one row per line, checked by
//! one function.
//!
//! A row is `INPUT ==> EXPECTED`; `#` starts a comment line. What EXPECTED means depends on the
//! file:
//! - `display.txt`: the canonical text `parse(INPUT)` prints, which must parse back to the
//!   same tree;
//! - `validate.txt`: `ok`, or the problems `validate` reports, joined by ` | `;
//! - every other file: the JSON value `evaluate(INPUT)` gives (`1` is an Integer, `1.0` a
//!   Number), or the error it fails with.
//!
//! An error is written `error START..END: MESSAGE` with the byte span and the exact message.
//! Evaluation uses the context in `context.json`, where every object has a closed schema.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use idp::expr::{evaluate, parse, validate, ExprError, MapContext, Object, Value};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/expr");

/// Builds the corpus context: each object lists `values` and the attributes it has but that
/// were never set (`unset`); together they are its schema.
fn corpus_context() -> MapContext {
    let text = fs::read_to_string(Path::new(CORPUS).join("context.json")).expect("context.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("context.json is JSON");
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
}

fn show_error(error: &ExprError) -> String {
    match error.span() {
        Some(span) => format!("error {span}: {error}"),
        None => format!("error: {error}"),
    }
}

fn show_value(value: &Value) -> String {
    serde_json::to_string(&value.to_json()).expect("values serialise")
}

/// What a row's input actually gives, in the file's expectation syntax.
fn actual(file: &str, input: &str, expected: &str, ctx: &MapContext) -> Result<(), String> {
    match file {
        "display.txt" => {
            let expr = parse(input).map_err(|err| show_error(&err))?;
            let canonical = expr.to_string();
            if canonical != expected {
                return Err(canonical);
            }
            match parse(&canonical) {
                Ok(reparsed) if reparsed == expr => Ok(()),
                Ok(reparsed) => Err(format!("{canonical} reparses as {reparsed:?}")),
                Err(err) => Err(format!(
                    "{canonical} does not reparse: {}",
                    show_error(&err)
                )),
            }
        }
        "validate.txt" => {
            let expr = parse(input).map_err(|err| show_error(&err))?;
            let problems = validate(&expr, ctx);
            let shown = if problems.is_empty() {
                "ok".to_owned()
            } else {
                problems
                    .iter()
                    .map(show_error)
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            if shown == expected {
                Ok(())
            } else {
                Err(shown)
            }
        }
        _ => {
            let shown = match evaluate(input, ctx) {
                Ok(value) => {
                    if !expected.starts_with("error") {
                        let want: serde_json::Value = serde_json::from_str(expected)
                            .map_err(|err| format!("bad expectation ({err})"))?;
                        if Value::from_json(&want).as_ref() == Some(&value) {
                            return Ok(());
                        }
                    }
                    show_value(&value)
                }
                Err(err) => show_error(&err),
            };
            if shown == expected {
                Ok(())
            } else {
                Err(shown)
            }
        }
    }
}

#[test]
fn corpus() {
    let ctx = corpus_context();
    let mut files: Vec<_> = fs::read_dir(CORPUS)
        .expect("corpus folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let mut n_rows = 0;
    let mut failures = String::new();
    for path in &files {
        let file = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        let text = fs::read_to_string(path).expect("corpus file");
        for (line_idx, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((input, expected)) = line.split_once(" ==> ") else {
                let _ = writeln!(
                    failures,
                    "{file}:{}: no \" ==> \" in {line:?}",
                    line_idx + 1
                );
                continue;
            };
            n_rows += 1;
            if let Err(got) = actual(file, input, expected, &ctx) {
                let _ = writeln!(
                    failures,
                    "{file}:{}: {input}\n    expected: {expected}\n    actual:   {got}",
                    line_idx + 1
                );
            }
        }
    }
    assert!(failures.is_empty(), "corpus mismatches:\n{failures}");
    assert!(
        n_rows >= 150,
        "the corpus should have at least 150 rows, has {n_rows}"
    );
}

#[test]
fn errors_render_with_carets_under_the_span() {
    let src = r#"String.substrngBefore(user.email, "@")"#;
    let err = parse(src).expect_err("unknown function");
    assert_eq!(
        err.render(src).to_string(),
        "unknown function \"String.substrngBefore\" — did you mean String.substringBefore?\n  \
         String.substrngBefore(user.email, \"@\")\n  \
         ^^^^^^^^^^^^^^^^^^^^^"
    );
}

#[test]
fn carets_count_characters_and_point_at_the_line_of_the_span() {
    let src = "\"Zoë\" +\n  user.firstname";
    let err = evaluate(src, &corpus_context()).expect_err("unknown attribute");
    assert_eq!(
        err.render(src).to_string(),
        "user.firstname is not an attribute of user (did you mean user.firstName?)\n    \
         user.firstname\n    \
         ^^^^^^^^^^^^^^"
    );
}

#[test]
fn a_missing_closing_parenthesis_gets_one_caret_at_the_end() {
    let src = r#"1 + String.append("a", "b""#;
    let err = parse(src).expect_err("unclosed call");
    assert_eq!(
        err.render(src).to_string(),
        "expected \")\" to close the call to String.append opened at column 18, found end of input\n  \
         1 + String.append(\"a\", \"b\"\n  \
         \x20                         ^"
    );
}

#[test]
fn map_context_refuses_json_objects_as_attribute_values() {
    let profile = serde_json::json!({"address": {"city": "Paris"}});
    let err = MapContext::new()
        .with_json(Object::User, profile.as_object().expect("object"))
        .expect_err("objects are not values");
    assert_eq!(err.span(), None);
    assert_eq!(
        err.to_string(),
        "user.address is a JSON object; attributes hold strings, numbers, booleans, arrays or null"
    );
}

#[test]
fn an_open_object_reads_unknown_attributes_as_null() {
    let ctx = MapContext::new();
    assert_eq!(
        evaluate("user.anything == null", &ctx),
        Ok(Value::Bool(true))
    );
}

#[test]
fn values_round_trip_through_json() {
    let json = serde_json::json!([null, true, 7, 2.5, "text", [1, "a"]]);
    let value = Value::from_json(&json).expect("no objects");
    assert_eq!(value.to_json(), json);
    assert_eq!(serde_json::to_value(&value).expect("serialises"), json);
}

#[test]
fn every_builtin_documents_its_signature() {
    let signatures: Vec<String> = idp::expr::builtins()
        .iter()
        .map(|builtin| {
            format!(
                "{}{} -> {}",
                builtin.name(),
                builtin.signature(),
                builtin.returns()
            )
        })
        .collect();
    assert!(signatures
        .contains(&"String.join(String separator, String... strings) -> String".to_owned()));
    assert!(signatures.contains(
        &"String.substring(String input, Integer startIndex, Integer endIndex) -> String"
            .to_owned()
    ));
    assert!(idp::expr::builtins()
        .iter()
        .all(|builtin| !builtin.summary().is_empty()));
}
