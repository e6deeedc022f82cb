//! Output width: how wide tables and lines may be (the terminal's width, 120 columns when piped,
//! or `--width N`), word wrapping that never splits an id, a CIDR or any other token, and tables
//! laid out to fit.
//!
//! Widths are counted in characters (`char`s), not bytes: the box-drawing characters and `…`
//! are one column each.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};
use std::io::IsTerminal;

/// The width when the output is not a terminal and no `--width` is given.
pub const PIPED: usize = 120;

/// The width that asks for `--format text`: no box drawing, one line per table row, no
/// wrapping (so every line can be grepped).
pub const TEXT: usize = 0;

/// Narrowest width accepted: below it nothing readable fits.
pub const MIN: usize = 40;

/// The width to render for: `--width` when given, else the terminal's width when standard
/// output is a terminal, else [`PIPED`].
pub fn resolve(asked: Option<usize>) -> usize {
    if let Some(w) = asked {
        return w.max(MIN);
    }
    if std::io::stdout().is_terminal() {
        // comfy-table asks the terminal for its size (only when it is a terminal).
        if let Some(w) = Table::new().width() {
            return usize::from(w).max(MIN);
        }
    }
    PIPED
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// The pieces a text may be broken after: each ends after a space, a comma or a semicolon (the
/// space is kept on the piece and trimmed at the end of a line), so ids and CIDRs stay whole;
/// also after a hyphen when `hyphens` (for kind names such as `transit-gateway-route-table`:
/// words joined by hyphens, never ids).
fn split(text: &str, hyphens: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in bytes.iter().enumerate() {
        let next_is_space = bytes.get(k + 1).is_some_and(|&(_, n)| n == ' ');
        if (c == ' ' || c == ',' || c == ';' || (hyphens && c == '-')) && !next_is_space {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Wrap one line of text to `width` columns, breaking only after a space, a comma or a
/// semicolon. A single token wider than `width` is kept whole on its own line (never split).
/// Continuation lines start with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    wrap_at(text, width, indent, false)
}

fn wrap_at(text: &str, width: usize, indent: &str, hyphens: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for p in split(text, hyphens) {
        if len(line.trim()) > 0 && len(&line) + len(p.trim_end()) > width {
            lines.push(line.trim_end().to_string());
            line = indent.to_string();
            line.push_str(p.trim_start());
        } else {
            line.push_str(p);
        }
    }
    let last = line.trim_end();
    if !last.is_empty() || lines.is_empty() {
        lines.push(last.to_string());
    }
    lines
}

/// Wrap every line of `text` longer than `width` at word boundaries; continuation lines are
/// indented four more than the line they continue. Lines of a table (box drawing) are left
/// alone: tables are laid out by [`grid`].
pub fn fit(text: &str, width: usize) -> String {
    if width == TEXT {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if len(body) <= width || is_table_line(body) {
            out.push_str(body);
        } else {
            let lead = body.len() - body.trim_start().len();
            let indent = " ".repeat((lead + 4).min(width / 3));
            out.push_str(&wrap(body, width, &indent).join("\n"));
        }
        out.push_str(nl);
    }
    out
}

fn is_table_line(line: &str) -> bool {
    line.starts_with(['│', '┌', '└', '├', '╞'])
}

/// A table of `header` and `rows` no wider than `width`: every column at least as wide as its
/// longest token, the remaining room shared out to the columns that want more, and every cell
/// wrapped at word boundaries (a `kind…` column also after hyphens: it holds kind names, not
/// ids). When even the longest tokens do not fit side by side, each row
/// is printed as `header: value` lines instead (wrapped, never split).
///
/// With [`TEXT`], one line per row instead: `header: value; header: value`.
pub fn grid(header: &[&str], rows: &[Vec<String>], width: usize) -> String {
    if width == TEXT {
        return rows
            .iter()
            .map(|r| {
                let cells: Vec<String> = header
                    .iter()
                    .zip(r)
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(h, v)| format!("{h}: {}", v.replace('\n', ", ")))
                    .collect();
                format!("  {}", cells.join("; "))
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    // A column empty in every row is left out (its header alone would take room).
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| rows.iter().any(|r| !r[i].trim().is_empty()))
        .collect();
    if keep.len() < header.len() && !keep.is_empty() {
        let header: Vec<&str> = keep.iter().map(|&i| header[i]).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
            .collect();
        return grid(&header, &rows, width);
    }
    let n = header.len();
    let hyphens: Vec<bool> = header.iter().map(|h| h.starts_with("kind")).collect();
    let col = |i: usize| {
        std::iter::once(header[i].to_string()).chain(rows.iter().map(move |r| r[i].clone()))
    };
    let min: Vec<usize> = (0..n)
        .map(|i| {
            col(i)
                .flat_map(|c| {
                    c.lines()
                        .flat_map(|l| split(l, hyphens[i]).into_iter().map(|p| len(p.trim())))
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let want: Vec<usize> = (0..n)
        .map(|i| {
            col(i)
                .flat_map(|c| c.lines().map(len).collect::<Vec<_>>())
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    // UTF8_FULL_CONDENSED: a border before each column and one at the end, one space of padding
    // on each side of every cell.
    let chrome = 3 * n + 1;
    let room = width.saturating_sub(chrome);
    if min.iter().sum::<usize>() > room {
        return rows_as_lines(header, rows, width);
    }
    let mut cols = min.clone();
    let mut extra = room - min.iter().sum::<usize>();
    // Share the room fairly (max-min): a column that wants less than an equal share gets what
    // it wants (a short kind or rule stays on one line), the others split what is left.
    loop {
        let open: Vec<usize> = (0..n).filter(|&i| want[i] > cols[i]).collect();
        if open.is_empty() || extra == 0 {
            break;
        }
        let share = extra / open.len();
        let small: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| want[i] - cols[i] <= share)
            .collect();
        if small.is_empty() {
            for (k, &i) in open.iter().enumerate() {
                let give = share + usize::from(k < extra % open.len());
                cols[i] += give;
            }
            break;
        }
        for i in small {
            extra -= want[i] - cols[i];
            cols[i] = want[i];
        }
    }
    let cell = |i: usize, text: &str| {
        let lines: Vec<String> = text
            .lines()
            .flat_map(|l| wrap_at(l, cols[i], "", hyphens[i]))
            .collect();
        Cell::new(lines.join("\n"))
    };
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().enumerate().map(|(i, h)| cell(i, h)));
    for r in rows {
        t.add_row(
            r.iter()
                .enumerate()
                .map(|(i, c)| cell(i, c))
                .collect::<Vec<_>>(),
        );
    }
    t.to_string()
}

/// The fallback of [`grid`] for a narrow width: one block per row, `header: value` per line.
fn rows_as_lines(header: &[&str], rows: &[Vec<String>], width: usize) -> String {
    let mut out = Vec::new();
    for r in rows {
        for (k, (h, v)) in header.iter().zip(r).enumerate() {
            if v.is_empty() {
                continue;
            }
            let text = match (k, *h) {
                (0, "#") => format!("#{v}"),
                (0, _) => format!("- {h}: {}", v.replace('\n', "; ")),
                _ => format!("  {h}: {}", v.replace('\n', "; ")),
            };
            out.extend(wrap(&text, width, "      "));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_between_words_only() {
        let text =
            "route for 10.0.12.143/32 from subnet-018507519c5520021 via igw-0fe010647d32a0001";
        let lines = wrap(text, 30, "  ");
        for l in &lines {
            assert!(len(l) <= 30 || !l.trim().contains(' '), "{l:?}");
        }
        let joined: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(joined, text.split_whitespace().collect::<Vec<_>>());
        assert!(lines.iter().any(|l| l.contains("igw-0fe010647d32a0001")));
    }

    #[test]
    fn wrap_breaks_lists_after_commas() {
        let lines = wrap("10.0.0.0/16,10.1.0.0/16,10.2.0.0/16", 24, "");
        assert_eq!(lines, vec!["10.0.0.0/16,10.1.0.0/16,", "10.2.0.0/16"]);
    }

    #[test]
    fn a_token_wider_than_the_width_stays_whole() {
        assert_eq!(
            wrap("a igw-0fe010647d32a0001 b", 5, ""),
            vec!["a", "igw-0fe010647d32a0001", "b"]
        );
    }

    #[test]
    fn grid_fits_and_falls_back() {
        let rows = vec![vec![
            "acl-02344f08e51020001".to_string(),
            "rule 100 allow all from 0.0.0.0/0 and some more words to wrap here".to_string(),
        ]];
        let t = grid(&["component", "rule"], &rows, 50);
        assert!(t.lines().all(|l| len(l) <= 50), "{t}");
        assert!(t.contains("acl-02344f08e51020001"));
        let narrow = grid(&["component", "rule"], &rows, 20);
        assert!(narrow.starts_with("- component:"), "{narrow}");
        assert!(
            narrow.lines().any(|l| l.trim() == "acl-02344f08e51020001"),
            "{narrow}"
        );
    }
}
