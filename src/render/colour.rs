//! Colour for people at a terminal: the verdict in green (REACHABLE), yellow (PARTIAL) or red
//! (UNREACHABLE). Never when the output is piped, never when `NO_COLOR` is set to a non-empty
//! value (<https://no-color.org>).

use std::io::IsTerminal;

/// Whether to colour standard output.
pub fn enabled() -> bool {
    decide(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// The rule of [`enabled`]: a terminal, and `NO_COLOR` absent or empty.
pub fn decide(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// `word` in the ANSI colour of a verdict word (`REACHABLE`, `PARTIAL`, `UNREACHABLE`); any
/// other word unchanged.
pub fn verdict(word: &str) -> String {
    let code = match word {
        "REACHABLE" => "32",
        "PARTIAL" => "33",
        "UNREACHABLE" => "31",
        _ => return word.to_string(),
    };
    format!("\x1b[1;{code}m{word}\x1b[0m")
}

/// `word` in the ANSI colour of a check status (`HELD` green, `WAIVED` yellow, `VIOLATED`
/// red); any other word unchanged.
pub fn status(word: &str) -> String {
    let code = match word {
        "HELD" => "32",
        "WAIVED" => "33",
        "VIOLATED" => "31",
        _ => return word.to_string(),
    };
    format!("\x1b[1;{code}m{word}\x1b[0m")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(decide(true, None));
        assert!(decide(true, Some(OsStr::new(""))));
        assert!(!decide(true, Some(OsStr::new("1"))));
        assert!(!decide(false, None));
    }

    #[test]
    fn verdict_words_are_coloured() {
        assert_eq!(verdict("REACHABLE"), "\x1b[1;32mREACHABLE\x1b[0m");
        assert_eq!(verdict("UNREACHABLE"), "\x1b[1;31mUNREACHABLE\x1b[0m");
        assert_eq!(verdict("PARTIAL"), "\x1b[1;33mPARTIAL\x1b[0m");
        assert_eq!(verdict("other"), "other");
    }
}
