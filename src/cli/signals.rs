//! Termination signals (SIGINT, SIGTERM and, on Unix, SIGHUP) as a flag the command
//! polls. signal-hook's flag handlers only store to an atomic, so nothing else runs
//! inside a signal handler; the command notices the flag at its next check.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use signal_hook::consts::{SIGINT, SIGTERM};

/// The signals that ask minilat to stop.
#[cfg(unix)]
const SIGNALS: [i32; 3] = [SIGINT, SIGTERM, signal_hook::consts::SIGHUP];
#[cfg(not(unix))]
const SIGNALS: [i32; 2] = [SIGINT, SIGTERM];

/// A flag set by the first termination signal. With `exit_on_second`, a second one
/// exits the process at once with code 130 (a batch uses it: its last checkpoint
/// still holds). Registration failures are ignored: the command then simply cannot
/// be interrupted gracefully.
pub(crate) fn termination_flag(exit_on_second: bool) -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in SIGNALS {
        // NOTE: the conditional exit is registered first, so it sees the flag as it
        // was before this signal (set only by an earlier one).
        if exit_on_second {
            let _ =
                signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&flag));
        }
        let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
    }
    flag
}
