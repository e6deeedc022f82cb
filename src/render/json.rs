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
