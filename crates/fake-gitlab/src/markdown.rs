//! Where quick actions may be: GitLab renders the text as Markdown
//! (`Banzai::Pipeline::QuickActionPipeline`) and only searches top-level
//! paragraphs, so lines in fenced or indented code, block quotes (`>` and
//! GitLab's `>>>`), HTML blocks, list items and headings are never
//! commands. This is a small `CommonMark` block scanner that finds those
//! paragraphs' line ranges.

/// Leading indentation in columns (a tab counts 4).
fn indent(line: &str) -> usize {
    let mut n = 0;
    for c in line.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            _ => break,
        }
    }
    n
}

/// An opening code fence: (char, run length).
fn fence_open(line: &str) -> Option<(char, usize)> {
    if indent(line) > 3 {
        return None;
    }
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = t.chars().take_while(|x| *x == c).count();
    let info = &t[run..];
    (run >= 3 && !(c == '`' && info.contains('`'))).then_some((c, run))
}

fn fence_closes(line: &str, (c, len): (char, usize)) -> bool {
    let t = line.trim_start();
    let run = t.chars().take_while(|x| *x == c).count();
    indent(line) <= 3 && run >= len && t[run..].trim().is_empty()
}

fn is_list_item(t: &str) -> bool {
    if let Some(rest) = t.strip_prefix(['-', '+', '*']) {
        return rest.is_empty() || rest.starts_with([' ', '\t']);
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return false;
    }
    t[digits..]
        .strip_prefix(['.', ')'])
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

fn is_heading(t: &str) -> bool {
    let hashes = t.chars().take_while(|c| *c == '#').count();
    (1..=6).contains(&hashes)
        && t[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

fn is_thematic_break(t: &str) -> bool {
    let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
    chars.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| chars.iter().all(|c| c.to_string() == *m))
}

fn is_setext_underline(t: &str) -> bool {
    let t = t.trim_end();
    !t.is_empty() && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
}

/// An HTML block start; `true` when it ends at a `-->` line (a comment).
fn html_start(t: &str) -> Option<bool> {
    let rest = t.strip_prefix('<')?;
    if rest.starts_with("!--") {
        return Some(true);
    }
    rest.chars()
        .next()
        .filter(|c| c.is_ascii_alphabetic() || *c == '/' || *c == '!' || *c == '?')
        .map(|_| false)
}

enum Block {
    None,
    Paragraph(usize),
    Fence(char, usize),
    MultiQuote,
    Quote,
    Html { comment: bool },
    List { blank: bool },
}

/// Line ranges (inclusive, 0-based) of the top-level paragraphs.
pub(super) fn paragraphs(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut block = Block::None;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\n');
        let t = line.trim_start();
        let blank = t.is_empty();
        match block {
            Block::Fence(c, len) => {
                if fence_closes(line, (c, len)) {
                    block = Block::None;
                }
                continue;
            }
            Block::MultiQuote => {
                if line.trim_end() == ">>>" {
                    block = Block::None;
                }
                continue;
            }
            Block::Html { comment } => {
                if (comment && line.contains("-->")) || (!comment && blank) {
                    block = Block::None;
                }
                continue;
            }
            Block::Quote | Block::List { .. } if blank => {
                block = match block {
                    Block::List { .. } => Block::List { blank: true },
                    _ => Block::None,
                };
                continue;
            }
            Block::Quote
                if !t.starts_with('>') && fence_open(line).is_none() && !is_list_item(t) =>
            {
                continue
            }
            Block::List { blank: false }
                if indent(line) <= 3 && fence_open(line).is_none() && !is_heading(t) =>
            {
                // A list item line, or a lazy continuation of one.
                continue;
            }
            Block::List { blank: true } if indent(line) >= 2 || is_list_item(t) => {
                block = Block::List { blank: false };
                continue;
            }
            _ => {}
        }
        if let Block::Paragraph(start) = block {
            if blank {
                out.push((start, i - 1));
                block = Block::None;
                continue;
            }
            if is_setext_underline(t) && indent(line) <= 3 {
                block = Block::None; // The paragraph was a heading.
                continue;
            }
            let interrupts = indent(line) <= 3
                && (fence_open(line).is_some()
                    || t.starts_with('>')
                    || is_heading(t)
                    || is_thematic_break(t)
                    || is_list_item(t)
                    || html_start(t) == Some(true));
            if !interrupts {
                continue;
            }
            out.push((start, i - 1));
            block = Block::None;
        }
        if blank || indent(line) >= 4 {
            continue; // Blank, or indented code.
        }
        block = if line.trim_end() == ">>>" {
            Block::MultiQuote
        } else if let Some((c, len)) = fence_open(line) {
            Block::Fence(c, len)
        } else if t.starts_with('>') {
            Block::Quote
        } else if is_heading(t) || is_thematic_break(t) {
            Block::None
        } else if is_list_item(t) {
            Block::List { blank: false }
        } else if let Some(comment) = html_start(t) {
            if comment && line.contains("-->") {
                Block::None
            } else {
                Block::Html { comment }
            }
        } else {
            Block::Paragraph(i)
        };
    }
    if let Block::Paragraph(start) = block {
        out.push((start, lines.len() - 1));
    }
    out
}
