//! The evaluator and the static validation pass. The operators' semantics, which follow
//! SpEL, are listed in the [module documentation](super).

use std::cmp::Ordering;

use super::ast::{BinaryOp, Expr, ExprKind, Object, Span, UnaryOp};
use super::context::{Context, Scope};
use super::error::{closest, ExprError};
use super::functions::{self, Builtin, Fault};
use super::value::{Type, Value};
use super::{MAX_DEPTH, MAX_VALUE_BYTES};

/// Evaluates `expr` against `ctx`; see the [module documentation](super).
pub(crate) fn eval(expr: &Expr, ctx: &dyn Context) -> Result<Value, ExprError> {
    // Parsed trees never exceed the limit, but a tree built by hand might.
    if expr.depth() > MAX_DEPTH {
        return Err(ExprError::TooDeep {
            limit: MAX_DEPTH,
            span: expr.span(),
        });
    }
    Evaluator { ctx }.eval(expr)
}

struct Evaluator<'c> {
    ctx: &'c dyn Context,
}

impl Evaluator<'_> {
    fn eval(&self, expr: &Expr) -> Result<Value, ExprError> {
        let span = expr.span();
        Ok(match expr.kind() {
            ExprKind::Null => Value::Null,
            ExprKind::Bool { value } => Value::Bool(*value),
            ExprKind::Integer { value } => Value::Integer(*value),
            ExprKind::Number { value } => Value::Number(*value),
            ExprKind::String { value } => Value::String(value.clone()),
            ExprKind::Array { items } => Value::Array(
                items
                    .iter()
                    .map(|item| self.eval(item))
                    .collect::<Result<_, _>>()?,
            ),
            ExprKind::Attribute { object, name } => {
                check_attribute(self.ctx, *object, name, span)?;
                self.ctx.value(*object, name).unwrap_or(Value::Null)
            }
            ExprKind::Call { function, args } => {
                let builtin = resolve(function, args.len(), span)?;
                let values = args
                    .iter()
                    .map(|arg| self.eval(arg))
                    .collect::<Result<_, _>>()?;
                builtin
                    .call(values)
                    .map_err(|fault| describe_fault(fault, builtin, function, args, span))?
            }
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Not => Value::Bool(!self.boolean(operand, "\"!\"")?),
                UnaryOp::Neg => match self.eval(operand)? {
                    Value::Integer(int) => Value::Integer(
                        int.checked_neg()
                            .ok_or(ExprError::Overflow { op: "-", span })?,
                    ),
                    Value::Number(num) => Value::Number(-num),
                    other => {
                        return Err(ExprError::NotANumber {
                            found: other.type_of(),
                            span: operand.span(),
                        })
                    }
                },
            },
            ExprKind::Binary { op, left, right } => match op {
                BinaryOp::And => {
                    Value::Bool(self.boolean(left, "AND")? && self.boolean(right, "AND")?)
                }
                BinaryOp::Or => {
                    Value::Bool(self.boolean(left, "OR")? || self.boolean(right, "OR")?)
                }
                _ => binary(*op, self.eval(left)?, self.eval(right)?, span)?,
            },
            ExprKind::Ternary {
                condition,
                then,
                otherwise,
            } => {
                if self.boolean(condition, "the condition of \"?\"")? {
                    self.eval(then)?
                } else {
                    self.eval(otherwise)?
                }
            }
            ExprKind::Elvis { value, fallback } => match self.eval(value)? {
                Value::Null => self.eval(fallback)?,
                Value::String(text) if text.is_empty() => self.eval(fallback)?,
                present => present,
            },
        })
    }

    fn boolean(&self, expr: &Expr, what: &'static str) -> Result<bool, ExprError> {
        match self.eval(expr)? {
            Value::Bool(flag) => Ok(flag),
            other => Err(ExprError::NotABoolean {
                what,
                found: other.type_of(),
                span: expr.span(),
            }),
        }
    }
}

fn check_attribute(
    scope: &dyn Scope,
    object: Object,
    name: &str,
    span: Span,
) -> Result<(), ExprError> {
    if scope.has_attribute(object, name) {
        return Ok(());
    }
    let names = scope.attribute_names(object);
    Err(ExprError::UnknownAttribute {
        object,
        name: name.to_owned(),
        suggestion: closest(name, names.iter().map(String::as_str)),
        span,
    })
}

/// The built-in a call names, if it exists and takes `n_args` arguments. The parser already
/// checked both; trees built by hand get the same errors here.
fn resolve(function: &str, n_args: usize, span: Span) -> Result<&'static Builtin, ExprError> {
    let Some(builtin) = functions::builtin(function) else {
        return Err(ExprError::UnknownFunction {
            name: function.to_owned(),
            suggestion: closest(function, functions::all_names()),
            span,
        });
    };
    if !builtin.accepts(n_args) {
        return Err(ExprError::WrongArity {
            function: function.to_owned(),
            expected: builtin.arity(),
            found: n_args,
            signature: builtin.signature(),
            span,
        });
    }
    Ok(builtin)
}

/// Turns a built-in's complaint into an error that names the function and points at the
/// argument to blame (or the whole call).
fn describe_fault(
    fault: Fault,
    builtin: &Builtin,
    function: &str,
    args: &[Expr],
    call_span: Span,
) -> ExprError {
    let arg_span = |index: usize| args.get(index).map_or(call_span, Expr::span);
    match fault {
        Fault::ArgType {
            index,
            expected,
            found,
        } => ExprError::WrongArgumentType {
            function: function.to_owned(),
            position: index + 1,
            param: param_name(builtin, index),
            expected,
            found,
            span: arg_span(index),
        },
        Fault::Invalid { index, message } => ExprError::InvalidArgument {
            function: function.to_owned(),
            message,
            span: index.map_or(call_span, arg_span),
        },
        Fault::Regex {
            index,
            pattern,
            reason,
        } => ExprError::InvalidRegex {
            function: function.to_owned(),
            pattern,
            reason,
            span: arg_span(index),
        },
        Fault::TooLarge => ExprError::ValueTooLarge {
            limit: MAX_VALUE_BYTES,
            span: call_span,
        },
    }
}

fn param_name(builtin: &Builtin, index: usize) -> &'static str {
    builtin
        .params()
        .get(index)
        .copied()
        .or(builtin.variadic())
        .map_or("", |param| param.name)
}

/// `==` as SpEL defines it; also what `Arrays.contains` uses.
pub(crate) fn equals(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Integer(a), Value::Integer(b)) => a == b,
        (Value::Integer(_) | Value::Number(_), Value::Integer(_) | Value::Number(_)) => {
            as_f64(left) == as_f64(right)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equals(x, y))
        }
        _ => left == right,
    }
}

fn as_f64(value: &Value) -> f64 {
    match value {
        Value::Integer(int) => *int as f64,
        Value::Number(num) => *num,
        _ => f64::NAN,
    }
}

/// The ordering of SpEL's standard type comparator, or `None` for values it cannot order.
fn compare(left: &Value, right: &Value) -> Option<Ordering> {
    match (left, right) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => Some(Ordering::Greater),
        (Value::Integer(a), Value::Integer(b)) => Some(a.cmp(b)),
        (Value::Integer(_) | Value::Number(_), Value::Integer(_) | Value::Number(_)) => {
            as_f64(left).partial_cmp(&as_f64(right))
        }
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn binary(op: BinaryOp, left: Value, right: Value, span: Span) -> Result<Value, ExprError> {
    let mismatch = |left: &Value, right: &Value| ExprError::TypeMismatch {
        op: op.as_str(),
        left: left.type_of(),
        right: right.type_of(),
        span,
    };
    let ordering = |want: fn(Ordering) -> bool| {
        compare(&left, &right)
            .map(|ord| Value::Bool(want(ord)))
            .ok_or_else(|| mismatch(&left, &right))
    };
    match op {
        BinaryOp::Eq => Ok(Value::Bool(equals(&left, &right))),
        BinaryOp::Ne => Ok(Value::Bool(!equals(&left, &right))),
        BinaryOp::Lt => ordering(Ordering::is_lt),
        BinaryOp::Le => ordering(Ordering::is_le),
        BinaryOp::Gt => ordering(Ordering::is_gt),
        BinaryOp::Ge => ordering(Ordering::is_ge),
        BinaryOp::Add if matches!(left, Value::String(_)) || matches!(right, Value::String(_)) => {
            let (head, tail) = (left.to_string(), right.to_string());
            if head.len() + tail.len() > MAX_VALUE_BYTES {
                return Err(ExprError::ValueTooLarge {
                    limit: MAX_VALUE_BYTES,
                    span,
                });
            }
            Ok(Value::String(head + &tail))
        }
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => {
            arithmetic(op, &left, &right, span).unwrap_or_else(|| Err(mismatch(&left, &right)))
        }
        // AND and OR short-circuit, so the evaluator handles them before reaching here.
        BinaryOp::And | BinaryOp::Or => Err(mismatch(&left, &right)),
    }
}

/// Integer arithmetic when both sides are Integers (truncating division, as Java's), double
/// arithmetic when either is a Number, `None` when either is not a number. Division by zero
/// and results that overflow or are not finite are errors.
fn arithmetic(
    op: BinaryOp,
    left: &Value,
    right: &Value,
    span: Span,
) -> Option<Result<Value, ExprError>> {
    let overflow = ExprError::Overflow {
        op: op.as_str(),
        span,
    };
    let divides_by_zero = matches!(op, BinaryOp::Div | BinaryOp::Rem) && as_f64(right) == 0.0;
    if matches!(left.type_of(), Type::Integer | Type::Number)
        && matches!(right.type_of(), Type::Integer | Type::Number)
        && divides_by_zero
    {
        return Some(Err(ExprError::DivisionByZero { span }));
    }
    match (left, right) {
        (Value::Integer(a), Value::Integer(b)) => {
            let result = match op {
                BinaryOp::Add => a.checked_add(*b),
                BinaryOp::Sub => a.checked_sub(*b),
                BinaryOp::Mul => a.checked_mul(*b),
                BinaryOp::Div => a.checked_div(*b),
                _ => a.checked_rem(*b),
            };
            Some(result.map(Value::Integer).ok_or(overflow))
        }
        (Value::Integer(_) | Value::Number(_), Value::Integer(_) | Value::Number(_)) => {
            let (a, b) = (as_f64(left), as_f64(right));
            let result = match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                BinaryOp::Div => a / b,
                _ => a % b,
            };
            Some(if result.is_finite() {
                Ok(Value::Number(result))
            } else {
                Err(overflow)
            })
        }
        _ => None,
    }
}

/// Checks `expr` against `scope` without evaluating it; see [`validate`](super::validate).
pub(crate) fn validate(expr: &Expr, scope: &dyn Scope) -> Vec<ExprError> {
    let mut problems = Vec::new();
    if expr.depth() > MAX_DEPTH {
        problems.push(ExprError::TooDeep {
            limit: MAX_DEPTH,
            span: expr.span(),
        });
        return problems;
    }
    collect_problems(expr, scope, &mut problems);
    problems
}

fn collect_problems(expr: &Expr, scope: &dyn Scope, problems: &mut Vec<ExprError>) {
    match expr.kind() {
        ExprKind::Attribute { object, name } => {
            if let Err(problem) = check_attribute(scope, *object, name, expr.span()) {
                problems.push(problem);
            }
        }
        ExprKind::Call { function, args } => match resolve(function, args.len(), expr.span()) {
            Ok(builtin) => {
                for (index, arg) in args.iter().enumerate() {
                    let Some(found) = literal_type(arg) else {
                        continue;
                    };
                    let Some(param) = builtin.params().get(index).copied().or(builtin.variadic())
                    else {
                        continue;
                    };
                    if !param.accepts(found) {
                        problems.push(ExprError::WrongArgumentType {
                            function: function.clone(),
                            position: index + 1,
                            param: param.name,
                            expected: param.ty,
                            found,
                            span: arg.span(),
                        });
                    }
                }
            }
            Err(problem) => problems.push(problem),
        },
        _ => {}
    }
    for child in expr.kind().children() {
        collect_problems(child, scope, problems);
    }
}

/// The type of a literal argument, known without evaluating anything.
fn literal_type(expr: &Expr) -> Option<Type> {
    Some(match expr.kind() {
        ExprKind::Null => Type::Null,
        ExprKind::Bool { .. } => Type::Boolean,
        ExprKind::Integer { .. } => Type::Integer,
        ExprKind::Number { .. } => Type::Number,
        ExprKind::String { .. } => Type::String,
        ExprKind::Array { .. } => Type::Array,
        _ => return None,
    })
}
