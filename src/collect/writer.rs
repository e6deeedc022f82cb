//! Writing a snapshot atomically: a temporary directory next to the target, renamed on success.
//!
//! A run never leaves half a snapshot: data files go into `.<name>.vpcreach-tmp-<pid>-<n>` beside
//! `DIR`; only a finished run renames it to `DIR`. Dropping a [`Staging`] that was not committed
//! (an error, Ctrl-C) removes the temporary directory. An existing non-empty `DIR` is refused
//! unless `--force`, checked before any network call and again just before the rename.

use serde::Serialize;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Why the output directory cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `DIR` exists and has files in it; `--force` replaces it.
    #[error("{0} exists and is not empty (use --force to replace it)")]
    NotEmpty(PathBuf),
    /// `DIR` exists and is not a directory.
    #[error("{0} exists and is not a directory")]
    NotADirectory(PathBuf),
    /// `DIR` has no name of its own (`.`, `..`, `/`).
    #[error("{0} cannot be used as output: name a directory to create, e.g. snapshot/")]
    Unnamed(PathBuf),
    /// A filesystem operation failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Refuse an output directory that exists and is not empty (unless `force`), or is a file.
pub fn check_target(out: &Path, force: bool) -> Result<(), WriteError> {
    if out.file_name().is_none() {
        return Err(WriteError::Unnamed(out.to_path_buf()));
    }
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("cannot inspect", out)(e)),
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotADirectory(out.to_path_buf())),
        Ok(_) => {
            let mut entries = fs::read_dir(out).map_err(io_err("cannot read", out))?;
            if entries.next().is_some() && !force {
                Err(WriteError::NotEmpty(out.to_path_buf()))
            } else {
                Ok(())
            }
        }
    }
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A sibling path of `out` named `.<name>.vpcreach-<tag>-<pid>-<n>`.
fn sibling(out: &Path, tag: &str) -> Result<PathBuf, WriteError> {
    let name = out
        .file_name()
        .ok_or_else(|| WriteError::Unnamed(out.to_path_buf()))?
        .to_string_lossy()
        .into_owned();
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let file = format!(".{name}.vpcreach-{tag}-{}-{n}", std::process::id());
    Ok(match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(file),
        _ => PathBuf::from(file),
    })
}

/// The temporary directory a run writes into.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    temp: PathBuf,
    force: bool,
    committed: bool,
    /// Parents of `out` this run created (deepest first): removed again, when empty, if the
    /// run does not commit.
    created_parents: Vec<PathBuf>,
    /// Temporary folders of earlier runs that were killed, removed before this one started.
    pub stale_removed: Vec<PathBuf>,
}

impl Staging {
    /// Check `out` and create the temporary directory beside it (creating `out`'s parents).
    pub fn create(out: &Path, force: bool) -> Result<Staging, WriteError> {
        check_target(out, force)?;
        let mut created_parents = Vec::new();
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            let mut missing = parent;
            while !missing.as_os_str().is_empty() && !missing.exists() {
                created_parents.push(missing.to_path_buf());
                match missing.parent() {
                    Some(p) => missing = p,
                    None => break,
                }
            }
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        let stale_removed = remove_stale(out)?;
        let temp = sibling(out, "tmp")?;
        fs::create_dir(&temp).map_err(io_err("cannot create", &temp))?;
        Ok(Staging {
            out: out.to_path_buf(),
            temp,
            force,
            committed: false,
            created_parents,
            stale_removed,
        })
    }

    /// The temporary directory.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Write `value` as pretty JSON to `rel` (a `/`-separated path inside the snapshot).
    pub fn write_json<T: Serialize + ?Sized>(
        &self,
        rel: &str,
        value: &T,
    ) -> Result<(), WriteError> {
        let text = serde_json::to_string_pretty(value).map_err(|e| WriteError::Io {
            what: "cannot serialize",
            path: PathBuf::from(rel),
            source: io::Error::other(e),
        })?;
        self.write_text(rel, &text)
    }

    /// Write `text` (plus a final newline) to `rel` (a `/`-separated path inside the snapshot).
    pub fn write_text(&self, rel: &str, text: &str) -> Result<(), WriteError> {
        let path = rel
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != "..")
            .fold(self.temp.clone(), |p, c| p.join(c));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        let file = fs::File::create(&path).map_err(io_err("cannot create", &path))?;
        let mut w = BufWriter::new(file);
        w.write_all(text.as_bytes())
            .and_then(|()| w.write_all(b"\n"))
            .and_then(|()| w.flush())
            .map_err(io_err("cannot write", &path))
    }

    /// Move the finished snapshot to its place. With `force`, an existing directory is replaced
    /// (moved aside first, so a failed rename restores it).
    pub fn commit(mut self) -> Result<PathBuf, WriteError> {
        check_target(&self.out, self.force)?;
        let mut backup = None;
        if fs::symlink_metadata(&self.out).is_ok() {
            // An empty directory is removed; a non-empty one (only with --force) is moved aside.
            if fs::remove_dir(&self.out).is_err() {
                let aside = sibling(&self.out, "old")?;
                fs::rename(&self.out, &aside).map_err(io_err("cannot move aside", &self.out))?;
                backup = Some(aside);
            }
        }
        if let Err(e) = fs::rename(&self.temp, &self.out) {
            if let Some(aside) = &backup {
                let _ = fs::rename(aside, &self.out);
            }
            return Err(io_err("cannot rename the snapshot to", &self.out)(e));
        }
        self.committed = true;
        if let Some(aside) = backup {
            fs::remove_dir_all(&aside).map_err(io_err("cannot remove the replaced", &aside))?;
        }
        Ok(self.out.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
            // Only empty folders: anything someone put there meanwhile stays.
            for p in &self.created_parents {
                if fs::remove_dir(p).is_err() {
                    break;
                }
            }
        }
    }
}

/// Remove the temporary folders (`.<name>.vpcreach-tmp-<pid>-<n>`) that runs for the same `out`
/// left behind when they were killed (SIGKILL, power loss): those whose process no longer
/// exists. Folders of a live process are another run in progress and are left alone. Returns
/// what was removed, for the run to report.
fn remove_stale(out: &Path) -> Result<Vec<PathBuf>, WriteError> {
    let name = out
        .file_name()
        .ok_or_else(|| WriteError::Unnamed(out.to_path_buf()))?
        .to_string_lossy()
        .into_owned();
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{name}.vpcreach-tmp-");
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(removed);
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || process_exists(pid) {
            continue;
        }
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) && fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    Ok(removed)
}

/// Whether a process with this id runs (Linux: `/proc/<pid>`; elsewhere assumed running, so
/// nothing is removed that might belong to a live run).
fn process_exists(pid: u32) -> bool {
    let proc_root = Path::new("/proc/self");
    if !proc_root.exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("vpcreach-writer-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).expect("scratch dir");
        d
    }

    fn entries(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn writes_then_renames() {
        let root = scratch();
        let out = root.join("snap");
        let s = Staging::create(&out, false).expect("staging");
        s.write_json(
            "111111111111/us-east-1/describe-vpcs.json",
            &serde_json::json!({"Vpcs": []}),
        )
        .expect("write");
        assert!(!out.exists(), "nothing visible before commit");
        s.commit().expect("commit");
        let text = fs::read_to_string(out.join("111111111111/us-east-1/describe-vpcs.json"))
            .expect("file");
        assert!(text.contains("\"Vpcs\""));
        assert_eq!(entries(&root), vec!["snap"]);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn refuses_non_empty_without_force_and_replaces_with_force() {
        let root = scratch();
        let out = root.join("snap");
        fs::create_dir_all(&out).expect("dir");
        fs::write(out.join("keep.txt"), "mine").expect("file");
        assert!(matches!(
            Staging::create(&out, false),
            Err(WriteError::NotEmpty(_))
        ));
        assert_eq!(
            fs::read_to_string(out.join("keep.txt")).ok().as_deref(),
            Some("mine")
        );
        let s = Staging::create(&out, true).expect("forced");
        s.write_json("manifest.json", &serde_json::json!({}))
            .expect("write");
        s.commit().expect("commit");
        assert_eq!(entries(&out), vec!["manifest.json"]);
        assert_eq!(entries(&root), vec!["snap"], "no temp or backup left");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn empty_dir_is_fine_and_drop_cleans_up() {
        let root = scratch();
        let out = root.join("snap");
        fs::create_dir_all(&out).expect("dir");
        {
            let s = Staging::create(&out, false).expect("empty dir accepted");
            s.write_json("a/b.json", &serde_json::json!({"x": 1}))
                .expect("write");
        }
        assert_eq!(entries(&root), vec!["snap"], "temp dir removed on drop");
        assert!(entries(&out).is_empty());
        fs::write(root.join("file"), "x").expect("file");
        assert!(matches!(
            Staging::create(&root.join("file"), true),
            Err(WriteError::NotADirectory(_))
        ));
        assert!(matches!(
            Staging::create(Path::new(".."), true),
            Err(WriteError::Unnamed(_))
        ));
        let _ = fs::remove_dir_all(&root);
    }

    /// A run that fails (or is interrupted) removes the parents of `--out` it created, and
    /// only those, and only when empty.
    #[test]
    fn an_uncommitted_run_removes_the_parents_it_created() {
        let root = scratch();
        let out = root.join("a/b/snap");
        let s = Staging::create(&out, false).expect("staging");
        assert!(root.join("a/b").is_dir());
        drop(s);
        assert_eq!(entries(&root), Vec::<String>::new(), "a/ and a/b/ are gone");
        // An existing parent stays.
        fs::create_dir_all(root.join("keep")).expect("dir");
        drop(Staging::create(&root.join("keep/new/snap"), false).expect("staging"));
        assert_eq!(entries(&root), vec!["keep"]);
        assert_eq!(entries(&root.join("keep")), Vec::<String>::new());
        let _ = fs::remove_dir_all(&root);
    }

    /// Temporary folders of killed runs (their process is gone) are removed and reported; a
    /// live process's folder is left alone.
    #[test]
    fn stale_temporary_folders_of_dead_runs_are_removed() {
        let root = scratch();
        // A pid that cannot exist (above Linux's pid_max limit of 2^22).
        let dead = root.join(".snap.vpcreach-tmp-4194305-0");
        let live = root.join(format!(".snap.vpcreach-tmp-{}-99", std::process::id()));
        let other = root.join(".other.vpcreach-tmp-4194305-0");
        for d in [&dead, &live, &other] {
            fs::create_dir_all(d.join("111111111111")).expect("dir");
        }
        let s = Staging::create(&root.join("snap"), false).expect("staging");
        if Path::new("/proc/self").exists() {
            assert_eq!(s.stale_removed, vec![dead.clone()]);
            assert!(!dead.exists());
        }
        assert!(live.exists() && other.exists());
        drop(s);
        let _ = fs::remove_dir_all(&root);
    }
}
