//! The systemd units in `deploy/`: what docs/operations.md promises of them, and that systemd
//! itself reads them without a complaint.

mod support;

use std::path::Path;
use std::process::Command;

fn unit(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy").join(name)).expect("the unit exists")
}

#[test]
fn the_service_runs_hardened_with_room_for_live_watchers() {
    let service = unit("canvass.service");
    for line in [
        "DynamicUser=yes",
        "StateDirectory=canvass",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "LimitNOFILE=65536",
        "KillSignal=SIGTERM",
        "EnvironmentFile=/etc/canvass/canvass.env",
        "ExecStart=/usr/local/bin/canvass serve",
    ] {
        assert!(service.lines().any(|l| l == line), "canvass.service has {line}");
    }
    let env = unit("canvass.env");
    for name in ["DATABASE_URL=sqlite:///var/lib/canvass/canvass.db", "CANVASS_PUBLIC_URL=", "CANVASS_TRUST_FORWARDED_FOR=true", "CANVASS_SURVEYS="] {
        assert!(env.lines().any(|l| l.starts_with(name)), "canvass.env sets {name}");
    }
}

/// `systemd-analyze verify` on copies whose programs and environment file exist here.
#[test]
fn systemd_reads_the_units_without_a_warning() {
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        support::cannot_run::cannot_run("systemd-analyze is not installed (Debian's systemd package has it).");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("canvass.env");
    std::fs::write(&env, unit("canvass.env")).unwrap();
    let mut paths = Vec::new();
    for name in ["canvass.service", "canvass-backup.service", "canvass-backup.timer"] {
        let text = unit(name).replace("/usr/local/bin/canvass", "/bin/true").replace("/etc/canvass/canvass.env", env.to_str().unwrap());
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let output = Command::new("systemd-analyze").arg("verify").args(&paths).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let complaints: Vec<&str> = said.lines().filter(|l| l.contains(dir.path().to_str().unwrap())).collect();
    assert!(complaints.is_empty(), "systemd-analyze verify: {said}");
    assert!(output.status.success(), "systemd-analyze verify: {said}");
}
