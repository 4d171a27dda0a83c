//! `bench/build_corpus.sh` on a fresh machine, with the Debian tools it calls replaced by
//! stand-ins on `PATH` (the real ones would download 200 MB of packages).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::support::repo;

/// Stand-ins: `apt-get download` fails until `apt-get update` has run (the pinned
/// versions are missing from stale package lists) when `fresh`; `dpkg-deb` and the
/// corpus builder only leave the files the script expects. Every call is logged.
fn stand_ins(dir: &Path, fresh: bool) {
    let state = dir.join("state");
    std::fs::create_dir_all(&state).expect("mkdir");
    if !fresh {
        std::fs::write(state.join("updated"), "").expect("state");
    }
    let log = dir.join("calls.log");
    let tools = [
        (
            "apt-get",
            format!(
                r#"echo "apt-get $1" >> '{log}'
case "$1" in
  update) touch '{state}/updated' ;;
  download)
    [ -f '{state}/updated' ] || {{ echo "E: Version '6.1.192-2' for 'linux-doc-6.1' was not found" >&2; exit 100; }}
    shift; for p in "$@"; do touch "${{p%%=*}}.deb"; done ;;
esac"#,
                log = log.display(),
                state = state.display()
            ),
        ),
        ("sudo", r#"exec "$@""#.to_string()),
        (
            "dpkg-deb",
            r#"case "$1" in -f) basename "$2" .deb ;; -x) mkdir -p "$3" ;; esac"#.to_string(),
        ),
        ("python3", "touch corpus.jsonl queries.txt".to_string()),
    ];
    for (name, body) in tools {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("stand-in");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

fn build_corpus(fresh: bool) -> (std::process::Output, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let bin = tmp.path().join("bin");
    stand_ins(&bin, fresh);
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg(repo().join("bench/build_corpus.sh"))
        .current_dir(&work)
        .env("PATH", path)
        .output()
        .expect("run build_corpus.sh");
    let calls = std::fs::read_to_string(bin.join("calls.log")).unwrap_or_default();
    (out, calls)
}

/// Issue 15: the script failed on a fresh machine until `apt-get update` had run.
#[test]
fn build_corpus_runs_apt_get_update_when_a_pinned_version_is_missing_and_says_so() {
    let (out, calls) = build_corpus(true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        ["apt-get download", "apt-get update", "apt-get download"]
    );
    assert!(stderr.contains("running apt-get update"), "{stderr}");

    let (out, calls) = build_corpus(false);
    assert!(out.status.success());
    assert_eq!(calls.lines().collect::<Vec<_>>(), ["apt-get download"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("apt-get update"));
}
