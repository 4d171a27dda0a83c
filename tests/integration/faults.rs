//! Index faults through the binary: `factbot index` killed at varying moments of a build,
//! and an index folder the process may not write. The previous good index keeps answering.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::support::{factbot_with, repo, sample_documents};

fn factbot(docs: &Path, index: &Path) -> Command {
    let mut c = factbot_with(&repo().join("config.toml"), docs, index);
    c.env("RUST_LOG", "factbot=info");
    c
}

/// `cmd` run on a disk that fills up after a few KB, as the process sees it: the file size
/// limit (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with an error instead of
/// killing the process) stops every write past 8 KB, as ENOSPC would.
pub(crate) fn on_full_disk(cmd: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(r#"ulimit -f 16 && trap '' XFSZ && exec "$0" "$@""#)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            sh.env(key, value);
        }
    }
    sh
}

/// The sample documents plus `fillers` generated ones (no trade words, no country names,
/// so the sample's answers stay the answers), enough to make a build take a moment.
pub(crate) fn corpus(dir: &Path, fillers: usize) {
    fs::create_dir_all(dir).expect("mkdir docs");
    for e in fs::read_dir(sample_documents())
        .expect("ls samples")
        .flatten()
    {
        fs::copy(e.path(), dir.join(e.file_name())).expect("copy sample");
    }
    for i in 0..fillers {
        let mut text = format!("# Orchard report {i}\n\n");
        for p in 0..12 {
            text.push_str(&format!(
                "Orchard {i}-{p} harvested {}.{} thousand tonnes of apples in {}, {}% more than \
                 the season before; the cooperative bought {} new tractors on {} March {}.\n\n",
                10 + (i * 7 + p) % 90,
                p % 10,
                1990 + (i + p) % 30,
                (i * 3 + p) % 40,
                1 + p % 9,
                1 + (i + p) % 28,
                1995 + (i * p) % 25,
            ));
        }
        fs::write(dir.join(format!("filler-{i:04}.md")), text).expect("write filler");
    }
}

fn generations(index: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(index)
        .expect("ls index")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn current(index: &Path) -> String {
    fs::read_to_string(index.join("CURRENT"))
        .expect("CURRENT")
        .trim()
        .to_string()
}

/// `factbot ask --json "trade 2002"`, checked to answer from the sample document, and
/// whether it had to build an index first.
fn ask_trade_2002(cmd: &mut Command) -> bool {
    let out = cmd
        .args(["ask", "--json", "trade 2002"])
        .output()
        .expect("run ask");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ask failed: {stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json answer");
    assert_eq!(v["kind"], "trade", "{v}");
    assert_eq!(v["facts"][0]["amount"], 160_700_000.0, "{v}");
    stderr.contains("building it") || stderr.contains("rebuilding")
}

pub(crate) fn run_index(docs: &Path, index: &Path) -> Output {
    let out = factbot(docs, index)
        .arg("index")
        .output()
        .expect("run index");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn index_killed_mid_build_leaves_the_previous_index_answering() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    corpus(&docs, 300);
    run_index(&docs, &index);
    // A second build, timed, sets the kill moments (the first warmed the caches).
    let t = Instant::now();
    run_index(&docs, &index);
    let full = t.elapsed();
    assert!(!ask_trade_2002(&mut factbot(&docs, &index)));

    let mut killed = 0;
    let mut mid_build = 0;
    for i in 0..10u32 {
        let gens_before = generations(&index);
        let before = current(&index);
        let mut child = factbot(&docs, &index)
            .arg("index")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn index");
        // Moments spread over the whole build: loading, indexing, committing, switching.
        std::thread::sleep(full.mul_f64((f64::from(i) + 0.5) / 10.0));
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        if status.signal() == Some(9) {
            killed += 1;
        }
        // CURRENT names either the previous generation or a new complete one.
        let now = current(&index);
        assert!(
            index.join(&now).join("meta.json").is_file(),
            "kill {i}: CURRENT names an incomplete generation {now}"
        );
        if status.signal() == Some(9) && now != before {
            eprintln!("kill {i} came after the switch to {now}");
        }
        // A kill that left a new generation without its metadata hit the build itself.
        if generations(&index)
            .iter()
            .any(|g| !gens_before.contains(g) && !g.join("meta.json").is_file())
        {
            mid_build += 1;
        }
        // The next question is answered from that index, without rebuilding.
        assert!(
            !ask_trade_2002(&mut factbot(&docs, &index)),
            "kill {i}: ask rebuilt the index instead of using the current one"
        );
    }
    assert!(
        mid_build > 0,
        "no kill landed inside a build ({killed} killed, {full:?} per build)"
    );
    let half_built = generations(&index)
        .iter()
        .filter(|g| !g.join("meta.json").is_file())
        .count();
    eprintln!(
        "{killed} of 10 builds killed ({mid_build} inside the build, {full:?} per build), \
         {half_built} half-built generations left"
    );

    // A full build afterwards succeeds and cleans up: at most the current generation and
    // the one before it remain, and a second build leaves no half-built one.
    run_index(&docs, &index);
    assert!(generations(&index).len() <= 2, "{:?}", generations(&index));
    run_index(&docs, &index);
    let gens = generations(&index);
    assert!(gens.len() <= 2, "{gens:?}");
    assert!(
        gens.iter().all(|g| g.join("meta.json").is_file()),
        "half-built generations survived two full builds: {gens:?}"
    );
    assert!(!ask_trade_2002(&mut factbot(&docs, &index)));
}

fn set_mode(path: &Path, dir_mode: u32, file_mode: u32) {
    let mode = if path.is_dir() { dir_mode } else { file_mode };
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    if path.is_dir() {
        for e in fs::read_dir(path).expect("ls").flatten() {
            set_mode(&e.path(), dir_mode, file_mode);
        }
    }
}

/// Can this process create a file in `dir`? (Root can, whatever the mode says.)
fn can_write(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let ok = fs::write(&probe, b"x").is_ok();
    let _ = fs::remove_file(probe);
    ok
}

#[test]
fn read_only_index_folder_is_a_clear_error_and_the_old_index_answers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    corpus(&docs, 0);
    run_index(&docs, &index);
    let before = (current(&index), generations(&index));

    // Everything readable by anyone, nothing under the index writable.
    set_mode(tmp.path(), 0o755, 0o644);
    set_mode(&index, 0o555, 0o444);
    // Root ignores modes: then run the binary as the unprivileged user `nobody`, for whom
    // the modes hold.
    let as_nobody = can_write(&index);
    let cmd = || {
        let mut c = factbot(&docs, &index);
        if as_nobody {
            c.uid(65534).gid(65534);
        }
        c
    };
    if as_nobody {
        eprintln!("running as root: the binary runs as uid 65534 so the modes apply");
    }

    let out = cmd().arg("index").output().expect("run index");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: building the index")
            && stderr.contains(index.to_string_lossy().as_ref())
            && stderr.contains("ermission denied"),
        "{stderr}"
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert_eq!((current(&index), generations(&index)), before);

    // The index that was there still answers, read-only.
    assert!(!ask_trade_2002(&mut cmd()));

    set_mode(tmp.path(), 0o755, 0o644);
}

/// A disk that fills up mid-build (see [`on_full_disk`]).
#[test]
fn full_disk_during_a_build_is_a_clear_error_and_the_old_index_answers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    corpus(&docs, 50);
    run_index(&docs, &index);
    let before = (current(&index), generations(&index));

    let out = on_full_disk(factbot(&docs, &index).arg("index"))
        .output()
        .expect("run index under a file size limit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line: {stderr}"));
    // The cause is said once, not once per layer of the error chain.
    assert_eq!(error.matches("os error").count(), 1, "{error}");
    // Nothing half-written is left in service or on disk.
    assert_eq!((current(&index), generations(&index)), before);
    assert!(!ask_trade_2002(&mut factbot(&docs, &index)));

    // New documents arrive while the disk is still full: `ask` cannot rebuild, says so, and
    // answers from the previous index.
    fs::write(docs.join("late.md"), "# Late news\n\nA new document.\n").expect("write late");
    let out = on_full_disk(factbot(&docs, &index).args(["ask", "--json", "trade 2002"]))
        .output()
        .expect("run ask under a file size limit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("answering from the previous one"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json answer");
    assert_eq!(v["facts"][0]["amount"], 160_700_000.0, "{v}");
    assert_eq!((current(&index), generations(&index)), before);
}
