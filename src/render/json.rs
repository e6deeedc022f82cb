//! JSON rendering: pretty-printed serde output of a findings value.

use serde::Serialize;

/// Serialize any findings value as pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Findings are plain data (strings, numbers, maps with string keys): serialization
        // cannot fail; report instead of panicking if it ever does.
        Err(e) => format!("{{\"error\": \"cannot serialize output: {e}\"}}\n"),
    }
}

/// Serialize a findings value as pretty JSON straight into `w` (no intermediate string: a large
/// report streams out as it is serialized), with a trailing newline.
pub fn write_json<T: Serialize>(w: &mut dyn std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
