//! Checking a request's credential against the configured [`Auth`] method.

use crate::error::ScimError;
use crate::http::Request;
use crate::settings::Auth;

const REALM: &str = "SCIM Playground";

/// Accepts the request or explains, in the 401's `detail`, what was wrong with its credential.
pub(crate) fn check(auth: &Auth, req: &Request, now_unix_ms: i64) -> Result<(), ScimError> {
    let header = req.header("Authorization").map(str::trim);
    let fail = |detail: &str, challenge: String| ScimError::Unauthorized {
        detail: detail.into(),
        challenge,
    };
    let bearer_challenge = || format!("Bearer realm=\"{REALM}\"");
    match auth {
        Auth::None => Ok(()),
        Auth::Basic { username, password } => {
            let challenge = format!("Basic realm=\"{REALM}\", charset=\"UTF-8\"");
            let Some(header) = header else {
                return Err(fail(
                    "this server requires HTTP Basic authentication",
                    challenge,
                ));
            };
            let Some(encoded) = strip_scheme(header, "Basic") else {
                return Err(fail(
                    "the Authorization header must use the Basic scheme",
                    challenge,
                ));
            };
            let decoded =
                crate::b64::decode(encoded.trim()).and_then(|bytes| String::from_utf8(bytes).ok());
            let Some((user, pass)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
                return Err(fail(
                    "the Basic credential is not base64 of \"username:password\"",
                    challenge,
                ));
            };
            // Evaluate both comparisons so timing does not reveal which half was wrong.
            let user_ok = constant_time_eq(user, username);
            let pass_ok = constant_time_eq(pass, password);
            if user_ok && pass_ok {
                Ok(())
            } else {
                Err(fail("wrong username or password", challenge))
            }
        }
        Auth::Header { value } => match header {
            Some(h) if constant_time_eq(h, value.trim()) => Ok(()),
            Some(_) => Err(fail(
                "the Authorization header does not match the configured value",
                bearer_challenge(),
            )),
            None => Err(fail(
                "this server requires an Authorization header",
                bearer_challenge(),
            )),
        },
        Auth::Bearer { token } => {
            let presented = bearer_token(header).map_err(|d| fail(d, bearer_challenge()))?;
            if constant_time_eq(presented, token) {
                Ok(())
            } else {
                Err(fail(
                    "the bearer token is not valid",
                    format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                ))
            }
        }
        Auth::OAuth { tokens, .. } => {
            let presented = bearer_token(header).map_err(|d| fail(d, bearer_challenge()))?;
            match tokens
                .iter()
                .find(|t| constant_time_eq(&t.token, presented))
            {
                Some(t) if t.expires_at_ms > now_unix_ms => Ok(()),
                Some(_) => Err(fail(
                    "the OAuth access token has expired; request a new one from the token endpoint",
                    format!(
                        "Bearer realm=\"{REALM}\", error=\"invalid_token\", \
                         error_description=\"The access token expired\""
                    ),
                )),
                None => Err(fail(
                    "the OAuth access token was not issued by this server",
                    format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                )),
            }
        }
    }
}

fn bearer_token(header: Option<&str>) -> Result<&str, &'static str> {
    let header = header.ok_or("this server requires a bearer token")?;
    strip_scheme(header, "Bearer")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or("the Authorization header must be \"Bearer <token>\"")
}

/// Strips an auth scheme name, which RFC 7235 §2.1 makes case-insensitive.
fn strip_scheme<'h>(header: &'h str, scheme: &str) -> Option<&'h str> {
    let (name, rest) = header.split_once(' ')?;
    name.eq_ignore_ascii_case(scheme).then_some(rest)
}

/// Compares two secrets in time that depends only on their lengths.
fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::IssuedToken;

    fn req(auth: Option<&str>) -> Request {
        let mut r = Request::new("GET", "/Users");
        if let Some(a) = auth {
            r.headers.push(("authorization".into(), a.into()));
        }
        r
    }

    #[test]
    fn basic_accepts_only_the_right_pair() {
        let auth = Auth::Basic {
            username: "okta".into(),
            password: "s3cret".into(),
        };
        // base64("okta:s3cret")
        assert!(check(&auth, &req(Some("Basic b2t0YTpzM2NyZXQ=")), 0).is_ok());
        assert!(check(&auth, &req(Some("basic b2t0YTpzM2NyZXQ=")), 0).is_ok());
        assert!(check(&auth, &req(Some("Basic b2t0YTp3cm9uZw==")), 0).is_err());
        let Err(ScimError::Unauthorized { challenge, .. }) = check(&auth, &req(None), 0) else {
            panic!("a missing credential must be rejected");
        };
        assert!(challenge.starts_with("Basic realm="));
    }

    #[test]
    fn oauth_tokens_expire() {
        let auth = Auth::OAuth {
            client_id: "c".into(),
            client_secret: "s".into(),
            tokens: vec![IssuedToken {
                token: "tok".into(),
                expires_at_ms: 1000,
            }],
        };
        assert!(check(&auth, &req(Some("Bearer tok")), 999).is_ok());
        assert!(check(&auth, &req(Some("Bearer tok")), 1000).is_err());
        assert!(check(&auth, &req(Some("Bearer other")), 0).is_err());
    }

    #[test]
    fn raw_header_must_match_exactly() {
        let auth = Auth::Header {
            value: "SSWS abc".into(),
        };
        assert!(check(&auth, &req(Some("SSWS abc")), 0).is_ok());
        assert!(check(&auth, &req(Some("Bearer abc")), 0).is_err());
    }
}
