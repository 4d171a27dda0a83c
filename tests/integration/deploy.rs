//! What `deploy/` ships: the systemd unit passes `systemd-analyze verify` (where that tool
//! exists) with a low exposure, and its command line and configuration are ones factbot
//! accepts.

use std::process::Command;

use crate::support::repo;

/// The unit with its `ExecStart` pointing at the binary under test (`verify` checks that
/// the program exists).
fn unit_for_test(dir: &std::path::Path) -> std::path::PathBuf {
    let unit = std::fs::read_to_string(repo().join("deploy/factbot.service")).expect("unit");
    assert!(unit.contains("ExecStart=/usr/local/bin/factbot "), "{unit}");
    let path = dir.join("factbot.service");
    let unit = unit.replace("/usr/local/bin/factbot", env!("CARGO_BIN_EXE_factbot"));
    std::fs::write(&path, unit).expect("write unit");
    path
}

fn systemd_analyze(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("systemd-analyze").args(args).output() {
        Ok(out) => Some(out),
        Err(_) => {
            eprintln!("systemd-analyze is not installed here: the unit is not checked");
            None
        }
    }
}

#[test]
fn the_systemd_unit_passes_systemd_analyze_verify_with_a_low_exposure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let unit = unit_for_test(tmp.path());
    let unit = unit.to_string_lossy();
    let Some(out) = systemd_analyze(&["verify", &unit]) else {
        return;
    };
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.trim().is_empty(), "{said}");
    // Exposure from 0 (locked down) to 10; above 2 means a protection was dropped.
    let Some(out) = systemd_analyze(&["security", "--offline=yes", "--threshold=20", &unit]) else {
        return;
    };
    let report = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    if said.contains("unrecognized option") {
        eprintln!("this systemd-analyze cannot score a unit file offline: exposure not checked");
        return;
    }
    assert!(out.status.success(), "{report}{said}");
    assert!(report.contains("Overall exposure level"), "{report}");
}

#[test]
fn the_units_command_line_and_configuration_are_ones_factbot_accepts() {
    let unit = std::fs::read_to_string(repo().join("deploy/factbot.service")).expect("unit");
    for needed in [
        "DynamicUser=yes",
        "StateDirectory=factbot",
        "ReadOnlyPaths=",
        "Environment=RUST_LOG=info",
        "Restart=on-failure",
        "RestartPreventExitStatus=2",
    ] {
        assert!(unit.contains(needed), "the unit lost {needed}");
    }
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("ExecStart");
    let mut args: Vec<String> = exec.split_whitespace().skip(1).map(String::from).collect();
    // The deployment's config, with its folders moved into a temporary one.
    let tmp = tempfile::tempdir().expect("tmp");
    let documents = tmp.path().join("documents");
    std::fs::create_dir_all(&documents).expect("mkdir");
    let config = std::fs::read_to_string(repo().join("deploy/config.toml"))
        .expect("deploy config")
        .replace("/srv/factbot/documents", &documents.display().to_string())
        .replace(
            "/var/lib/factbot",
            &tmp.path().join("state").display().to_string(),
        );
    let config_path = tmp.path().join("config.toml");
    std::fs::write(&config_path, config).expect("write config");
    let at = args
        .iter()
        .position(|a| a == "--config")
        .expect("--config in ExecStart");
    args[at + 1] = config_path.display().to_string();
    // Everything parses and is found: what is left to set is the token.
    let out = Command::new(env!("CARGO_BIN_EXE_factbot"))
        .args(&args)
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "info")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("set TELOXIDE_TOKEN"), "{stderr}");
}
