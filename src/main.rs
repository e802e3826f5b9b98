//! The `minilat` binary: parses the command line in `cli`, prints errors with their
//! context chain, and maps them to exit codes (0 ok, 1 runtime failure, 2 bad input).

use std::process::ExitCode;

use minilat::error::ScenarioErrors;

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`minilat run ... | head`), as command-line tools
    // do, instead of panicking on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match minilat::cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(errors) = e.downcast_ref::<ScenarioErrors>() {
                eprintln!("{errors}");
                eprintln!("minilat: error: the scenario has problems; nothing was run");
            } else {
                eprintln!("minilat: error: {e:#}");
            }
            ExitCode::from(minilat::cli::exit_code(&e))
        }
    }
}
