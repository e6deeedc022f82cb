//! Finding and reading a snapshot's files safely: only regular files are read (never a FIFO,
//! which would block forever, or a device such as `/dev/zero`, which never ends), each up to a
//! size cap; symbolic links are followed (a link that points nowhere, or a loop of linked
//! folders, is a diagnostic); text is UTF-8, and UTF-8 with a byte-order mark or UTF-16 with
//! one (PowerShell 5's `>`) is decoded with a note.

use crate::diag::{DiagCode, Diagnostic, Diagnostics, Severity};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The default cap on one file's size: far above any real `describe-*` output (100,000 ENIs
/// are about 400 MB of JSON).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 2 << 30;

/// The cap: `VPCREACH_MAX_FILE_BYTES` when set to a number, else [`DEFAULT_MAX_FILE_BYTES`].
pub fn max_file_bytes() -> u64 {
    std::env::var("VPCREACH_MAX_FILE_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_FILE_BYTES)
}

/// What a path is, in words, when it is neither a regular file nor a folder.
pub fn odd_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

fn diag(code: DiagCode, rel: &str, message: String) -> Diagnostic {
    Diagnostic::new(
        if code == DiagCode::Encoding {
            Severity::Note
        } else {
            Severity::Error
        },
        code,
        message,
    )
    .at(rel, "")
}

/// Every `*.json` regular file below `root`, sorted, symbolic links followed. Paths that are
/// not regular files, and entries that cannot be listed, become diagnostics. The second value
/// is the first listing error, for when nothing could be listed at all.
pub fn list_json_files(
    root: &Path,
    diags: &mut Diagnostics,
    rel: impl Fn(&Path) -> String,
) -> (Vec<PathBuf>, Option<String>) {
    let mut out = Vec::new();
    let mut first_error = None;
    for entry in walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) => {
                let is_json = e
                    .path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"));
                if !is_json || e.file_type().is_dir() {
                    continue;
                }
                if e.file_type().is_file() {
                    out.push(e.into_path());
                    continue;
                }
                let what = e
                    .metadata()
                    .ok()
                    .and_then(|m| odd_kind(&m))
                    .unwrap_or("not a regular file");
                diags.push(diag(
                    DiagCode::NotARegularFile,
                    &rel(e.path()),
                    format!("not read: {what}"),
                ));
            }
            Err(err) => {
                let path = err.path().map(&rel).unwrap_or_else(|| ".".into());
                let (code, message) = if let Some(anc) = err.loop_ancestor() {
                    let to = if anc == root {
                        "the snapshot folder itself".to_string()
                    } else {
                        rel(anc)
                    };
                    (
                        DiagCode::NotARegularFile,
                        format!("not followed: a symbolic link back to {to} (a loop)"),
                    )
                } else if err
                    .path()
                    .is_some_and(|p| p.symlink_metadata().is_ok() && p.metadata().is_err())
                {
                    (
                        DiagCode::NotARegularFile,
                        "not read: a symbolic link that points nowhere".to_string(),
                    )
                } else {
                    (DiagCode::Unreadable, format!("cannot read: {err}"))
                };
                if first_error.is_none() {
                    first_error = Some(format!("{path}: {message}"));
                }
                diags.push(diag(code, &path, message));
            }
        }
    }
    (out, first_error)
}

/// Read one file as text: regular files only, at most `cap` bytes, UTF-8 (a UTF-8 byte-order
/// mark is dropped, UTF-16 with a byte-order mark decoded, each with a note). `None` after a
/// diagnostic when it cannot be read.
pub fn read_text(path: &Path, rel: &str, cap: u64, diags: &mut Diagnostics) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            diags.push(diag(DiagCode::Unreadable, rel, format!("cannot read: {e}")));
            return None;
        }
    };
    if let Some(what) = odd_kind(&meta) {
        diags.push(diag(
            DiagCode::NotARegularFile,
            rel,
            format!("not read: {what}"),
        ));
        return None;
    }
    if meta.len() > cap {
        too_big(rel, meta.len(), cap, diags);
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let read = std::fs::File::open(path).and_then(|f| f.take(cap + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        diags.push(diag(DiagCode::Unreadable, rel, format!("cannot read: {e}")));
        return None;
    }
    if bytes.len() as u64 > cap {
        too_big(rel, bytes.len() as u64, cap, diags);
        return None;
    }
    decode(bytes, rel, diags)
}

/// The diagnostic of a file of `n` bytes or more, over the cap.
pub fn too_big(rel: &str, n: u64, cap: u64, diags: &mut Diagnostics) {
    diags.push(diag(
        DiagCode::NotARegularFile,
        rel,
        format!(
            "not read: {n} bytes or more, over the cap of {cap} bytes (VPCREACH_MAX_FILE_BYTES)"
        ),
    ));
}

/// Bytes to text (see [`read_text`]).
pub fn decode(bytes: Vec<u8>, rel: &str, diags: &mut Diagnostics) -> Option<String> {
    let utf16 = |be: bool, body: &[u8]| -> Option<String> {
        if !body.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    let (text, note) = match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (
            std::str::from_utf8(rest).ok().map(str::to_string),
            "UTF-8 with a byte-order mark: read without it",
        ),
        [0xFF, 0xFE, rest @ ..] => (
            utf16(false, rest),
            "UTF-16 (little-endian, with a byte-order mark; what PowerShell 5's `>` writes): decoded",
        ),
        [0xFE, 0xFF, rest @ ..] => (
            utf16(true, rest),
            "UTF-16 (big-endian, with a byte-order mark): decoded",
        ),
        _ => {
            // UTF-16 of ASCII text without a byte-order mark: every other byte is zero (which
            // is valid UTF-8, so this is checked first).
            let head = &bytes[..bytes.len().min(200)];
            let zeros = head.iter().filter(|x| **x == 0).count();
            if zeros > 0 && zeros * 3 >= head.len() {
                diags.push(diag(
                    DiagCode::JsonSyntax,
                    rel,
                    "not UTF-8 text: it looks like UTF-16 without a byte-order mark; convert it \
                     to UTF-8 (iconv -f UTF-16LE -t UTF-8)"
                        .to_string(),
                ));
                return None;
            }
            return match String::from_utf8(bytes) {
                Ok(t) => Some(t),
                Err(e) => {
                    diags.push(diag(
                        DiagCode::JsonSyntax,
                        rel,
                        format!(
                            "not UTF-8 text (invalid byte at offset {})",
                            e.utf8_error().valid_up_to()
                        ),
                    ));
                    None
                }
            };
        }
    };
    match text {
        Some(t) => {
            diags.push(diag(DiagCode::Encoding, rel, note.to_string()));
            Some(t)
        }
        None => {
            diags.push(diag(
                DiagCode::JsonSyntax,
                rel,
                format!(
                    "{} but the text after it is not valid",
                    note.split(':').next().unwrap_or(note)
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> (Option<String>, Vec<String>) {
        let mut d = Diagnostics::default();
        let t = decode(bytes.to_vec(), "f.json", &mut d);
        (t, d.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn encodings() {
        assert_eq!(dec(b"{\"Vpcs\":[]}").0.as_deref(), Some("{\"Vpcs\":[]}"));
        let (t, d) = dec(b"\xEF\xBB\xBF{}");
        assert_eq!(t.as_deref(), Some("{}"));
        assert!(d[0].contains("byte-order mark"), "{d:?}");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"Vpcs\":[]}".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let (t, d) = dec(&le);
        assert_eq!(t.as_deref(), Some("{\"Vpcs\":[]}"));
        assert!(d[0].contains("PowerShell 5"), "{d:?}");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(dec(&be).0.as_deref(), Some("{}"));
        let bare: Vec<u8> = "{\"Vpcs\":[]}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let (t, d) = dec(&bare);
        assert!(t.is_none() && d[0].contains("looks like UTF-16"), "{d:?}");
        let (t, d) = dec(b"\xFF\xFE{");
        assert!(t.is_none() && d[0].contains("not valid"), "{d:?}");
    }
}
