//! `collect` against servers that misbehave, all on 127.0.0.1 (no moto, no AWS): a server that
//! accepts connections and never answers (bounded by `--timeout` × `--max-attempts`, not three
//! minutes of silence), SIGTERM in the middle of a run (handled like Ctrl-C: exit 143, nothing
//! left behind), and arguments with a wrong value (their real cause, exit 2, no network call).

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_vpcreach");

/// Dummy credentials, no AWS config, no instance metadata.
fn sandbox<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", home)
}

/// A server that accepts every connection, reads, and never answers. Returns its URL; the
/// accepted sockets are kept open for the life of the test process.
fn silent_server() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s);
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("vpcreach-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_server_that_never_answers_costs_timeout_times_attempts() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let url = silent_server();
    let out_dir = work.join("snap");
    let start = Instant::now();
    let mut cmd = Command::new(BIN);
    let out = sandbox(&mut cmd, work)
        .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
        .args(["--endpoint-url", &url, "--regions", "us-east-1"])
        .args(["--timeout", "2", "--max-attempts", "2", "--quiet"])
        .output()
        .expect("run");
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The first call (STS GetCallerIdentity) times out twice: the run fails as a whole, well
    // before the 180 s the SDK defaults would take.
    assert!(!out.status.success(), "{stderr}");
    assert_ne!(out.status.code(), Some(2), "not a usage error: {stderr}");
    assert!(took < Duration::from_secs(30), "took {took:?}: {stderr}");
    assert!(!out_dir.exists());
    assert_eq!(leftovers(work), Vec::<String>::new());
}

#[test]
fn sigterm_is_handled_like_ctrl_c() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let url = silent_server();
    // A parent folder that does not exist yet: created for the run, removed with it.
    let out_dir = work.join("new-parent/snap");
    let mut cmd = Command::new(BIN);
    let child = sandbox(&mut cmd, work)
        .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
        .args(["--endpoint-url", &url, "--regions", "us-east-1", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start collect");
    let parent = work.join("new-parent");
    let deadline = Instant::now() + Duration::from_secs(30);
    while leftovers(&parent).is_empty() {
        assert!(Instant::now() < deadline, "no temporary folder after 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("terminated: nothing written"), "{stderr}");
    assert!(!out_dir.exists());
    assert!(
        !parent.exists(),
        "the parent folder the run created is removed"
    );
    assert_eq!(leftovers(work), Vec::<String>::new());
}

#[test]
fn wrong_arguments_name_their_cause_before_any_call() {
    let work = tempfile::tempdir().expect("work dir");
    let work = work.path();
    let out_dir = work.join("snap");
    let run = |extra: &[&str]| {
        let mut cmd = Command::new(BIN);
        let out = sandbox(&mut cmd, work)
            .args(["collect", "--out", out_dir.to_str().expect("utf-8")])
            .args(extra)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, e) = run(&["--endpoint-url", "not a url"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(e.contains("\"not a url\" is not a URL"), "{e}");
    assert!(
        !e.contains("Error {") && !e.contains("kind:"),
        "no debug dump: {e}"
    );
    let (code, e) = run(&["--role-arn", "arn:aws:iam::1234:role/audit"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(e.contains("the account must be 12 digits"), "{e}");
    // A profile that is in neither file: said so, not "connection refused".
    std::fs::write(
        work.join("no-config"),
        "[profile audit]\nregion = us-east-1\n",
    )
    .expect("config");
    let (code, e) = run(&["--profile", "nosuchprofile"]);
    assert_eq!(code, Some(2), "{e}");
    assert!(
        e.contains("profile \"nosuchprofile\" is not in the AWS config or credentials file (defined: audit)"),
        "{e}"
    );
    assert!(!out_dir.exists());
    assert_eq!(leftovers(work), Vec::<String>::new());
}
