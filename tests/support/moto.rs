//! A local moto server (`moto_server` from `.venv`, installed by `scripts/test`) on 127.0.0.1 for
//! the collection tests, and the sandbox every child process runs in: dummy credentials, no
//! AWS_* settings from the caller, no shared config files, no instance metadata.

#![allow(dead_code)]

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A tool from the crate's `.venv/bin` (or the path in `var`); fails with a clear message when
/// it is missing: the moto tests never skip silently.
pub fn venv_tool(var: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".venv/bin")
            .join(name)
    });
    assert!(
        path.exists(),
        "{} not found at {}: run scripts/test, which installs moto[server] 5.2.x into .venv \
         (or set {var})",
        name,
        path.display()
    );
    path
}

/// Remove every AWS_* variable and set dummy, local-only settings.
pub fn sandbox<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_SESSION_TOKEN", "testing")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", home)
}

/// A moto server on 127.0.0.1, killed on drop.
pub struct Moto {
    pub child: Child,
    pub endpoint: String,
    pub log: PathBuf,
}

impl Moto {
    pub fn start(work: &Path) -> Moto {
        let server = venv_tool("VPCREACH_MOTO_SERVER", "moto_server");
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let log = work.join("moto.log");
        let log_file = std::fs::File::create(&log).expect("moto log");
        let mut cmd = Command::new(server);
        sandbox(&mut cmd, work)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_RECORDER_FILEPATH", work.join("moto-recording.jsonl"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log"))
            .stderr(log_file);
        let child = cmd.spawn().expect("start moto_server");
        let mut moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited ({status}): {}", moto.log_text());
            }
            if TcpStream::connect_timeout(
                &(Ipv4Addr::LOCALHOST, port).into(),
                Duration::from_millis(200),
            )
            .is_ok()
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto_server not ready after 60 s: {}",
                moto.log_text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        moto
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
