//! Property tests: no input panics, and canonical text round-trips. The corpus in
//! `tests/corpus/expr` covers behaviour row by row; these cover what rows cannot enumerate.

use proptest::prelude::*;

use super::*;

/// A context with a few attributes of each type on `user` and an open `appuser`.
fn context() -> MapContext {
    MapContext::new()
        .with_schema(
            Object::User,
            ["firstName", "email", "middleName", "nickName", "n", "roles"],
        )
        .with_value(Object::User, "firstName", "Zoë".into())
        .with_value(Object::User, "email", "zoe@example.com".into())
        .with_value(Object::User, "nickName", "".into())
        .with_value(Object::User, "n", Value::Integer(7))
        .with_value(
            Object::User,
            "roles",
            Value::Array(vec!["a".into(), Value::Number(2.5)]),
        )
}

/// Runs everything the library offers on `src`; any panic fails the property.
fn exercise(src: &str) -> Result<(), TestCaseError> {
    let ctx = context();
    match parse(src) {
        Ok(expr) => {
            let canonical = expr.to_string();
            let reparsed = parse(&canonical);
            prop_assert_eq!(
                reparsed.as_ref(),
                Ok(&expr),
                "canonical text: {}",
                canonical
            );
            for problem in validate(&expr, &ctx) {
                let _ = problem.render(src).to_string();
            }
            if let Err(err) = eval(&expr, &ctx) {
                let _ = err.render(src).to_string();
            }
        }
        Err(err) => {
            prop_assert!(err
                .span()
                .is_some_and(|span| span.start <= span.end && span.end <= src.len()));
            let _ = err.render(src).to_string();
        }
    }
    Ok(())
}

/// Fragments that make up real expressions, so random sequences often parse.
const FRAGMENTS: &[&str] = &[
    "user.firstName",
    "user.email",
    "user.middleName",
    "user.nickName",
    "user.n",
    "user.roles",
    "user.firstname",
    "appuser.x",
    "app.y",
    "org.z",
    "String.substring(",
    "String.len(",
    "String.join(",
    "String.replace(",
    "String.stringSwitch(",
    "String.substringBefore(",
    "toUpperCase(",
    "Arrays.contains(",
    "Convert.toInt(",
    "Convert.toNum(",
    "(",
    ")",
    "{",
    "}",
    ",",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "!",
    "AND",
    "OR",
    "&&",
    "||",
    "?",
    ":",
    "?:",
    "1",
    "0",
    "-1",
    "2.5",
    "1e400",
    "\"a\"",
    "'b''c'",
    "\"\"",
    "\"@\"",
    "\".*\"",
    "\"$1\"",
    "null",
    "true",
    "false",
    ".",
    "=",
    "#",
    "ü",
];

fn fragment_source() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24).prop_map(|parts| parts.join(" "))
}

fn leaf() -> impl Strategy<Value = Expr> {
    let span = Span::default();
    prop_oneof![
        Just(ExprKind::Null),
        any::<bool>().prop_map(|value| ExprKind::Bool { value }),
        (0..i64::MAX).prop_map(|value| ExprKind::Integer { value }),
        prop::sample::select(vec![0.0, 0.5, 1.0, 42.125, 1e7, 1e-4, 1e300, 123.456e-12])
            .prop_map(|value| ExprKind::Number { value }),
        ".{0,8}".prop_map(|value| ExprKind::String { value }),
        (
            prop::sample::select(Object::ALL.to_vec()),
            "[a-zA-Z_$][a-zA-Z0-9_$]{0,8}"
        )
            .prop_map(|(object, name)| ExprKind::Attribute { object, name }),
    ]
    .prop_map(move |kind| Expr::new(kind, span))
}

fn tree() -> impl Strategy<Value = Expr> {
    let span = Span::default();
    let binary_ops = vec![
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Rem,
    ];
    let signatures: Vec<(&'static str, usize)> = builtins()
        .iter()
        .map(|builtin| (builtin.name(), builtin.params().len()))
        .collect();
    leaf().prop_recursive(5, 48, 3, move |inner| {
        let boxed = || inner.clone().prop_map(Box::new);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|items| ExprKind::Array { items }),
            (
                prop::sample::select(signatures.clone()),
                prop::collection::vec(inner.clone(), 3)
            )
                .prop_map(|((name, n_params), mut args)| {
                    args.truncate(n_params);
                    ExprKind::Call {
                        function: name.to_owned(),
                        args,
                    }
                }),
            (
                prop::sample::select(vec![UnaryOp::Not, UnaryOp::Neg]),
                boxed()
            )
                .prop_map(|(op, operand)| ExprKind::Unary { op, operand }),
            (prop::sample::select(binary_ops.clone()), boxed(), boxed())
                .prop_map(|(op, left, right)| ExprKind::Binary { op, left, right }),
            (boxed(), boxed(), boxed()).prop_map(|(condition, then, otherwise)| {
                ExprKind::Ternary {
                    condition,
                    then,
                    otherwise,
                }
            }),
            (boxed(), boxed()).prop_map(|(value, fallback)| ExprKind::Elvis { value, fallback }),
        ]
        .prop_map(move |kind| Expr::new(kind, span))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(src in "[a-zA-Z0-9_.(){},'\" +\\-*/%<>=!&|?:ü\\\\\n$@]{0,48}") {
        exercise(&src)?;
    }

    #[test]
    fn token_soup_never_panics(src in fragment_source()) {
        exercise(&src)?;
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_tree(expr in tree()) {
        let canonical = expr.to_string();
        prop_assert_eq!(parse(&canonical), Ok(expr.clone()), "canonical text: {}", canonical);
        let _ = eval(&expr, &context());
    }
}

/// Parses, validates, evaluates and prints `src` on a thread with a 1 MiB stack: the default
/// stack of a wasm32 module, the tightest place this code runs.
fn survives_small_stack(src: String) {
    let outcome = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let expr = parse(&src).map_err(|err| err.to_string())?;
            let _ = validate(&expr, &context());
            let _ = eval(&expr, &context());
            Ok::<String, String>(expr.to_string())
        })
        .expect("spawn")
        .join();
    assert!(matches!(outcome, Ok(Ok(_))), "{outcome:?}");
}

#[test]
fn the_deepest_accepted_expressions_fit_a_wasm_stack() {
    let depth = MAX_DEPTH - 1;
    survives_small_stack(format!("{}1{}", "(".repeat(depth), ")".repeat(depth)));
    survives_small_stack(format!(
        "{}\"a\"{}",
        "String.toUpperCase(".repeat(depth),
        ")".repeat(depth)
    ));
    survives_small_stack(format!("{}true", "!".repeat(depth - 1)));
    survives_small_stack(vec!["1"; depth].join(" + "));
    survives_small_stack(format!("{}1{}", "{".repeat(depth), "}".repeat(depth)));
    survives_small_stack(format!("{}0", "true ? 1 : ".repeat(depth / 2)));
}

#[test]
fn one_level_more_is_refused() {
    let too_deep = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(matches!(parse(&too_deep), Err(ExprError::TooDeep { .. })));
}

#[test]
fn parameter_types_agree_with_the_argument_adapters() {
    // Every builtin is called with one value of each type in each position; an argument the
    // signature accepts must never be refused as the wrong type, and vice versa.
    let samples = [
        Value::Null,
        Value::Bool(true),
        Value::Integer(1),
        Value::Number(1.5),
        Value::String("a".into()),
        Value::Array(vec![Value::Integer(1)]),
    ];
    for builtin in builtins() {
        let n_args = builtin.params().len() + usize::from(builtin.variadic().is_some());
        for position in 0..n_args {
            let param = builtin
                .params()
                .get(position)
                .copied()
                .or(builtin.variadic());
            let Some(param) = param else { continue };
            for sample in &samples {
                let mut args: Vec<Value> = (0..n_args).map(|_| Value::Null).collect();
                for (idx, slot) in args.iter_mut().enumerate() {
                    let fitting = builtin.params().get(idx).copied().or(builtin.variadic());
                    *slot = match fitting.map(|param| param.ty) {
                        Some(Type::Integer) => Value::Integer(0),
                        _ => Value::Null,
                    };
                }
                if let Some(slot) = args.get_mut(position) {
                    *slot = sample.clone();
                }
                let refused_type = matches!(
                    builtin.call(args),
                    Err(functions::Fault::ArgType { index, .. }) if index == position
                );
                assert_eq!(
                    refused_type,
                    !param.accepts(sample.type_of()),
                    "{} argument {position} given {sample:?}",
                    builtin.name()
                );
            }
        }
    }
}

#[test]
fn sources_over_the_length_limit_are_refused_before_lexing() {
    let src = "1 + ".repeat(MAX_SOURCE_BYTES / 4) + "1";
    let err = parse(&src).expect_err("too long");
    assert_eq!(
        err,
        ExprError::TooLong {
            len: src.len(),
            limit: MAX_SOURCE_BYTES,
            span: Span::new(MAX_SOURCE_BYTES, src.len()),
        }
    );
}

#[test]
fn trees_serialise_with_a_type_tag_for_the_ui() {
    let expr = parse("user.email != null").expect("parses");
    let json = serde_json::to_value(&expr).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({
            "kind": {
                "type": "binary",
                "op": "Ne",
                "left": {
                    "kind": {"type": "attribute", "object": "user", "name": "email"},
                    "span": {"start": 0, "end": 10}
                },
                "right": {"kind": {"type": "null"}, "span": {"start": 14, "end": 18}}
            },
            "span": {"start": 0, "end": 18}
        })
    );
}
