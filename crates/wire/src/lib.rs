//! What the SCIM engine (`crates/scim`), the Okta simulator (`crates/idp`) and the worker
//! (`crates/sw`) share on the wire, each written once: SCIM's URNs ([`urn`]), percent-coding
//! ([`percent`]) and the proleptic Gregorian calendar behind RFC 3339 dates ([`civil`]).
//! Pure and dependency-free, so every crate, the page's included, can link it.

/// The URNs of RFC 7643 and RFC 7644 that more than one crate writes.
pub mod urn {
    /// The core User schema (RFC 7643 §4.1).
    pub const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    /// A list response (RFC 7644 §3.4.2).
    pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    /// A PATCH request body (RFC 7644 §3.5.2).
    pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
}

/// Percent-coding of URL components (RFC 3986) and HTML form fields.
pub mod percent {
    fn hex(byte: u8) -> Option<u8> {
        match byte {
            b'0'..=b'9' => Some(byte - b'0'),
            b'a'..=b'f' => Some(byte - b'a' + 10),
            b'A'..=b'F' => Some(byte - b'A' + 10),
            _ => None,
        }
    }

    /// Decodes one component; `+` means a space when `plus_is_space` (HTML forms, and the query
    /// strings older Okta clients send). An invalid escape is kept literally rather than
    /// refused, and bytes that are not UTF-8 become U+FFFD.
    pub fn decode(input: &str, plus_is_space: bool) -> String {
        let bytes = input.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'+' if plus_is_space => out.push(b' '),
                b'%' => match (
                    bytes.get(i + 1).and_then(|c| hex(*c)),
                    bytes.get(i + 2).and_then(|c| hex(*c)),
                ) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                _ => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Encodes one component: everything but RFC 3986's unreserved characters is escaped, so a
    /// space is `%20` (as Okta sends it), never `+`.
    pub fn encode(text: &str) -> String {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut out = String::with_capacity(text.len() * 3);
        for byte in text.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                out.push(char::from(byte));
            } else {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
        out
    }
}

/// The proleptic Gregorian calendar as day counts from 1970-01-01 (Howard Hinnant's
/// algorithms), for RFC 3339 date-times without a date library.
pub mod civil {
    /// Days from 1970-01-01 to `year-month-day`.
    pub fn days_from_date(year: i64, month: u32, day: u32) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`days_from_date`]).
    pub fn date_from_days(days: i64) -> (i64, u32, u32) {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        // Both are small and positive by construction (1..=31, 1..=12).
        let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
        let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_coding_round_trips_and_tolerates_bad_escapes() {
        for text in [
            "",
            "a b",
            "userName eq \"jane@x.com\"",
            "é日🙂",
            "100%",
            "a+b&c=d",
        ] {
            assert_eq!(percent::decode(&percent::encode(text), false), text);
            assert_eq!(percent::decode(&percent::encode(text), true), text);
        }
        assert_eq!(percent::encode("a b\"@"), "a%20b%22%40");
        assert_eq!(percent::decode("a+b%20c", true), "a b c");
        assert_eq!(percent::decode("a+b", false), "a+b");
        for (bad, kept) in [
            ("%", "%"),
            ("%4", "%4"),
            ("%zz", "%zz"),
            ("50%off", "50%off"),
        ] {
            assert_eq!(percent::decode(bad, true), kept);
        }
        assert_eq!(percent::decode("%ff", false), "\u{fffd}");
    }

    #[test]
    fn the_calendar_round_trips_across_eras() {
        for (days, date) in [
            (0, (1970, 1, 1)),
            (-1, (1969, 12, 31)),
            (11_016, (2000, 2, 29)),
            (19_782, (2024, 2, 29)),
            (-719_468, (0, 3, 1)),
            (2_932_896, (9999, 12, 31)),
        ] {
            assert_eq!(civil::date_from_days(days), date, "{days}");
            assert_eq!(
                civil::days_from_date(date.0, date.1, date.2),
                days,
                "{date:?}"
            );
        }
        for days in (-800_000..3_000_000).step_by(997) {
            let (y, m, d) = civil::date_from_days(days);
            assert_eq!(civil::days_from_date(y, m, d), days);
        }
    }
}
