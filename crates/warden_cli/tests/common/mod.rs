//! Helpers shared by the end-to-end tests of the `warden` binary.
#![allow(
    clippy::expect_used,
    dead_code,
    reason = "test helpers: a failure must fail the test loudly; not every test file uses every helper"
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `warden` run from `dir`, without colours.
pub(crate) fn warden(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("warden").expect("binary builds");
    cmd.current_dir(dir).arg("--color=never");
    cmd
}

/// What a run printed and how it exited.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` to completion.
pub(crate) fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    /// Asserts that standard output contains `needle`, showing it if not.
    #[track_caller]
    pub(crate) fn assert_stdout_contains(&self, needle: impl AsRef<str>) {
        let needle = needle.as_ref();
        assert!(
            self.stdout.contains(needle),
            "{needle:?} not in:\n{}",
            self.stdout
        );
    }

    /// Asserts that standard error contains `needle`, showing it if not.
    #[track_caller]
    pub(crate) fn assert_stderr_contains(&self, needle: impl AsRef<str>) {
        let needle = needle.as_ref();
        assert!(
            self.stderr.contains(needle),
            "{needle:?} not in:\n{}",
            self.stderr
        );
    }
}
