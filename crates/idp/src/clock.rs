//! Time, injected: the simulator never reads a clock of its own, so it runs the same in a
//! browser tab, in wasm32 without a clock, and in tests where waiting is instant.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

/// The current time and a way to wait. The app implements it over `Date.now()` and a timer;
/// tests and the playground's "advance time" button use [`SimClock`].
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Waits `ms` milliseconds.
    fn sleep(&self, ms: u64) -> Pin<Box<dyn Future<Output = ()> + '_>>;

    /// Waits `ms` milliseconds before Okta tries a rate-limited request again; `why` says how
    /// the wait was chosen. The app shows it with a countdown and a cancel: `false` when the
    /// admin cancelled (nothing more is sent). By default it just sleeps.
    fn backoff(&self, ms: u64, why: &str) -> Pin<Box<dyn Future<Output = bool> + '_>> {
        let _ = why;
        Box::pin(async move {
            self.sleep(ms).await;
            true
        })
    }
}

/// A simulated clock: sleeping moves its time forward at once.
#[derive(Debug, Default)]
pub struct SimClock {
    now_ms: Cell<i64>,
}

impl SimClock {
    /// A clock that reads `now_ms`.
    pub fn new(now_ms: i64) -> SimClock {
        SimClock {
            now_ms: Cell::new(now_ms),
        }
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: u64) {
        let step = i64::try_from(ms).unwrap_or(i64::MAX);
        self.now_ms.set(self.now_ms.get().saturating_add(step));
    }
}

impl Clock for SimClock {
    fn now_ms(&self) -> i64 {
        self.now_ms.get()
    }

    fn sleep(&self, ms: u64) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        self.advance(ms);
        Box::pin(std::future::ready(()))
    }
}

/// `ms` since the Unix epoch as RFC 3339 in UTC with milliseconds, e.g.
/// `2023-11-14T22:13:20.000Z`, the form Okta's event times take.
pub fn rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let ms_of_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = wire::civil::date_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
    }
}
