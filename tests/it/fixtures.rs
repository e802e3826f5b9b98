//! The scenarios and designs the tests share, named once: the shipped quickstart (20
//! economies, 120 ticks: the small scenario most tests run), the classroom scenario,
//! the shortened horizon of the library tests and a Morris design over quickstart
//! parameters.

use std::fs;
use std::path::{Path, PathBuf};

use crate::repo;

/// The quickstart's path relative to the repository root (for tests run from there).
pub const QUICKSTART: &str = "scenarios/quickstart.toml";

/// The classroom scenario's path relative to the repository root.
pub const CLASSROOM: &str = "scenarios/classroom.toml";

/// The quickstart's absolute path, for tests run from a temporary folder.
pub fn quickstart() -> String {
    repo(QUICKSTART).to_str().expect("utf-8 path").to_string()
}

/// The `--set` that shortens a library scenario to 60 ticks, the horizon the library
/// tests' expected values were measured at.
pub const SHORT: &str = "scenario.ticks=60";

/// A Morris design over four quickstart parameters, with coalitions and every tick.
pub const MORRIS: &str = r#"[sweep]
design = "morris"
trajectories = 4
levels = 4
replicates = 2
coalitions = true
ticks = "all"
[sweep.params]
"decision.temperature" = { min = 0.05, max = 0.45 }
"coalitions.max_size" = { min = 3, max = 20 }
"behaviour.temperature" = { min = 0.01, max = 0.3 }
"behaviour.review_rate" = { min = 0.1, max = 0.7 }
"#;

/// A copy of the shipped scenarios (and their data) in `dir/scenarios`.
pub fn copy_scenarios(dir: &Path) -> PathBuf {
    let to = dir.join("scenarios");
    fs::create_dir_all(to.join("data")).expect("mkdir");
    for sub in ["", "data"] {
        for entry in fs::read_dir(repo("scenarios").join(sub)).expect("scenarios") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                fs::copy(&path, to.join(sub).join(path.file_name().expect("name"))).expect("copy");
            }
        }
    }
    to
}
