//! The sweep as a job array on a real single-node Slurm: runs `scripts/slurm-test.sh`
//! (installs Debian's Slurm if missing, starts the daemons, submits `minilat slurm`'s
//! scripts with 4 shards plus the merge, compares with the local sweep byte for byte).
//! It needs root and apt-get; without them, or with `MINILAT_SKIP_SLURM=1`, it says
//! SKIPPED with the reason (visible in `cargo test`'s output: `common::skip`) instead
//! of failing, except under `MINILAT_REQUIRE_SYSTEM_TESTS=1` (`.ci/run`), where it fails.

use std::process::Command;

use crate::common::skip;
use crate::repo;

/// Why the Slurm test cannot run here, if it cannot.
fn cannot_run() -> Option<String> {
    if std::env::var_os("MINILAT_SKIP_SLURM").is_some() {
        return Some("MINILAT_SKIP_SLURM is set".into());
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root (the test installs Slurm and starts its daemons)".into());
    }
    let have = |tool: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let installed = have("sbatch") && have("slurmctld") && have("slurmd") && have("munged");
    if !installed && !have("apt-get") {
        return Some("Slurm is not installed and apt-get is not available".into());
    }
    None
}

#[test]
fn a_sweep_as_a_slurm_job_array_merges_to_the_local_sweep() {
    if let Some(reason) = cannot_run() {
        skip(
            "slurm test",
            &format!("{reason}; run `bash scripts/slurm-test.sh` as root"),
        );
        return;
    }
    let out = Command::new("bash")
        .arg(repo("scripts/slurm-test.sh"))
        .env("MINILAT_BIN", env!("CARGO_BIN_EXE_minilat"))
        .output()
        .expect("bash runs the Slurm test script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail = |s: &str| {
        let lines: Vec<&str> = s.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    };
    assert!(
        out.status.success() && stdout.contains("slurm-test: PASS"),
        "scripts/slurm-test.sh failed ({}):\n{}\n{}",
        out.status,
        tail(&stdout),
        tail(&stderr)
    );
    eprintln!(
        "{}",
        stdout
            .lines()
            .filter(|l| l.contains("PASS") || l.contains("identical"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
