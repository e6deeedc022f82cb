//! Terminal safety: text from the snapshot (names, tags, descriptions) reaches the screen with
//! its control characters escaped, so a Name tag holding `ESC [2K ESC [1A CR REACHABLE` cannot
//! erase or rewrite the verdict line.

/// `text` with every control character except the line feed escaped (`\e`, `\r`, `\t`,
/// `\u{..}`), and the Unicode bidirectional overrides and isolates too (they reorder what the
/// reader sees). Line feeds stay: the renderers lay out their output with them.
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// [`terminal_safe`] for text that must stay on one line (a diagnostic, a list item): line
/// feeds are escaped too (`\n`), so an id holding a newline cannot forge a line of its own.
pub fn one_line(text: &str) -> String {
    terminal_safe(text).replace('\n', "\\n")
}

/// The longest name shown in tables and text: AWS caps tag values at 256 characters, so only a
/// snapshot written by hand or by another tool holds a longer one. JSON keeps it whole.
pub const MAX_NAME: usize = 256;

/// `text` cut to at most `max` characters, the last of them `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let keep = max.saturating_sub(1);
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            std::borrow::Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

/// A name from the snapshot as tables and text show it: at most [`MAX_NAME`] characters.
pub fn name(text: &str) -> std::borrow::Cow<'_, str> {
    truncate(text, MAX_NAME)
}

/// The longest line of prose (an assumption, a warning, a note) shown in tables and text: such
/// lines may quote names from the snapshot, so they are capped too (JSON keeps them whole).
pub const MAX_PROSE: usize = 4 * MAX_NAME;

/// A line of prose as tables and text show it: [`one_line`], then at most [`MAX_PROSE`]
/// characters.
pub fn prose(text: &str) -> String {
    // Escaping only lengthens text and keeps its prefix: cutting first (so that a 4 MB name is
    // not escaped whole) and again after escaping gives the same line as escaping first.
    truncate(&one_line(&truncate(text, MAX_PROSE)), MAX_PROSE).into_owned()
}

pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for HTML, in element content and in quoted attribute values alike (also inside SVG):
/// `&`, `<`, `>`, `"` and `'` become character references, so no snapshot text can open a tag,
/// close an attribute or start an entity.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as inline Markdown (GitHub-flavoured) that renders as exactly that text: every
/// character that could start markup (emphasis, links, images, raw HTML, code, table cells,
/// strikethrough, autolinks) is backslash-escaped, `<`, `>` and `&` become character references,
/// line breaks become spaces, and a leading `#`, `-`, `+`, `=` or digit-dot cannot start a block.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let lower = text.to_ascii_lowercase();
    for (i, c) in text.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '!' | '|' | '~'
            | ':' | '@' | '"' => {
                out.push('\\');
                out.push(c);
            }
            // `www.` starts an extended autolink; `1.` or `-` at the start, a list.
            '.' if lower[..i].ends_with("www")
                || lower[..i].bytes().all(|b| b.is_ascii_digit()) =>
            {
                out.push_str("\\.")
            }
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c if needs_escape(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span (ids, names): nothing inside is interpreted; `|` is escaped
/// (GitHub splits table cells on it even in code) and line breaks become spaces.
pub fn markdown_code(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = t.replace('|', "\\|");
    let longest = t.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if t.starts_with('`') || t.ends_with('`') || t.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{t}{pad}{fence}")
}

/// `text` inside a quoted Mermaid label (`id["..."]`): every character but letters, digits,
/// spaces and `-./,:=+()` becomes a Mermaid entity code (`#60;`), so a label can neither close
/// its quotes nor carry markup.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_alphanumeric()
            || matches!(c, ' ' | '-' | '.' | '/' | ',' | '=' | '+' | '(' | ')' | ':')
        {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push_str(&format!("#{};", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cutting before escaping gives the line escaping the whole text would: the first
    /// MAX_PROSE - 1 characters of the escaped text and an ellipsis, whatever the mix of
    /// escaped characters and where they fall relative to the cut.
    #[test]
    fn prose_is_the_escaped_text_cut_at_max_prose() {
        let reference = |t: &str| truncate(&one_line(t), MAX_PROSE).into_owned();
        let mut texts = vec![
            "x".repeat(MAX_PROSE - 1),
            "x".repeat(MAX_PROSE),
            "x".repeat(MAX_PROSE + 1),
            "\x1b".repeat(MAX_PROSE),
            format!("{}\n{}", "a".repeat(MAX_PROSE - 2), "b".repeat(10)),
            format!("{}\u{202e}tail", "é".repeat(MAX_PROSE - 3)),
            "a\tb\rc\n".repeat(MAX_PROSE / 3),
        ];
        texts.push(texts[3].chars().take(MAX_PROSE / 2 + 1).collect());
        for t in &texts {
            let got = prose(t);
            assert_eq!(got, reference(t), "{:?}…", &t[..20.min(t.len())]);
            assert!(got.chars().count() <= MAX_PROSE);
        }
    }

    #[test]
    fn control_characters_are_escaped_line_feeds_kept() {
        assert_eq!(
            terminal_safe("web\x1b[2K\x1b[1A\rREACHABLE\n\tx\x07\u{9b}\u{202e}"),
            "web\\e[2K\\e[1A\\rREACHABLE\n\\tx\\u{7}\\u{9b}\\u{202e}"
        );
        assert_eq!(terminal_safe("plain │ text\n"), "plain │ text\n");
        assert_eq!(one_line("sg-a\nREACHABLE\r"), "sg-a\\nREACHABLE\\r");
    }

    /// Cut at a character count, not bytes: `é` is one character of two bytes.
    #[test]
    fn truncate_counts_characters_and_marks_the_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("éééé", 3), "éé…");
        let long = "x".repeat(MAX_NAME + 10);
        let cut = name(&long);
        assert_eq!(cut.chars().count(), MAX_NAME);
        assert!(cut.ends_with('…'));
        assert_eq!(name("web"), "web");
    }

    #[test]
    fn html_and_markdown_escape_markup() {
        assert_eq!(
            html("<script>alert(1)</script>\"'&"),
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"
        );
        assert_eq!(
            markdown("<b>*x*</b> [l](u)"),
            "&lt;b&gt;\\*x\\*&lt;/b&gt; \\[l\\]\\(u\\)"
        );
        assert_eq!(markdown("# h"), "\\# h");
        assert_eq!(markdown("www.x http://y"), "www\\.x http\\://y");
        assert_eq!(markdown_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(mermaid("a\"]<b>"), "a#34;#93;#60;b#62;");
    }
}
