//! RFC 3339 timestamps (`xsd:dateTime` as SCIM uses it), parsed and formatted by hand.
//!
//! The engine needs only two things: to order two timestamps (filters and `sortBy` on dateTime
//! attributes, validation of client values) and to write `meta.created`/`lastModified`. That is
//! a page of arithmetic, and it keeps a whole date-time library out of the service worker's wasm.

/// Nanoseconds per second.
const NANOS: i128 = 1_000_000_000;

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

use wire::civil::{date_from_days as civil_from_days, days_from_date as days_from_civil};

/// A fixed-width run of ASCII digits at `at`, as a number.
fn digits(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    let run = bytes.get(at..at + len)?;
    run.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into nanoseconds since the Unix epoch.
/// Without an offset the time is read as UTC (clients often omit it). A leap second (`:60`) is
/// read as the last instant of its minute. Anything else is `None`.
pub(crate) fn parse(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    let year = i64::from(digits(b, 0, 4)?);
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| b.get(i) != Some(&c))
        || !matches!(b.get(10), Some(b'T' | b't'))
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut fraction: i128 = 0;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let run = b.get(start..at)?;
        if run.is_empty() {
            return None;
        }
        // Nanosecond precision; further digits cannot change the order of real timestamps.
        for (i, digit) in run.iter().take(9).enumerate() {
            fraction += i128::from(digit - b'0') * 10i128.pow(8 - i as u32);
        }
    }
    let offset_seconds: i64 = match b.get(at) {
        None => 0,
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let (h, m) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if *sign == b'+' {
                seconds
            } else {
                -seconds
            }
        }
        _ => return None,
    };
    let (second, fraction) = if second == 60 {
        (59, NANOS - 1)
    } else {
        (second, fraction)
    };
    let seconds = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_seconds;
    Some(i128::from(seconds) * NANOS + fraction)
}

/// Formats Unix milliseconds as RFC 3339 in UTC with exactly three fractional digits.
pub(crate) fn format_ms(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let millis = unix_ms.rem_euclid(1000);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_timestamps_parse_to_the_same_instant_whatever_the_offset() {
        let utc = parse("2024-01-01T04:00:00Z");
        assert_eq!(utc, Some(1_704_081_600 * NANOS));
        assert_eq!(parse("2024-01-01T05:00:00+01:00"), utc);
        assert_eq!(parse("2023-12-31T23:00:00-05:00"), utc);
        assert_eq!(parse("2024-01-01t04:00:00z"), utc);
        assert_eq!(parse("2024-01-01T04:00:00"), utc, "no offset reads as UTC");
        assert_eq!(parse("2024-01-01T04:00:00.5Z"), utc.map(|n| n + NANOS / 2));
        assert_eq!(parse("1969-12-31T23:59:59Z"), Some(-NANOS));
    }

    #[test]
    fn malformed_or_impossible_timestamps_are_refused() {
        for bad in [
            "",
            "yesterday",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01 04:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T04:00:00.Z",
            "2024-01-01T04:00:00+1:00",
            "2024-01-01T04:00:00Zjunk",
            "2024-01-01T04:00:00+24:00",
            "２０２４-01-01T04:00:00Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("2024-02-29T00:00:00Z").is_some(), "a leap day");
        assert!(parse("2016-12-31T23:59:60Z") > parse("2016-12-31T23:59:59.999Z"));
    }

    #[test]
    fn formatting_round_trips_through_parsing() {
        for ms in [0, 1_700_000_000_123, -1, 951_782_400_000, 4_102_444_799_999] {
            let text = format_ms(ms);
            assert_eq!(parse(&text), Some(i128::from(ms) * 1_000_000), "{text}");
        }
        assert_eq!(format_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(format_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
