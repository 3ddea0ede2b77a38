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
