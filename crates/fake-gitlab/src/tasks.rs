//! Task list items, like GitLab's `Taskable`: a list item (`-`, `+`, `*`,
//! `1.` or `1)`, optionally inside `>` quotes) whose text starts with
//! `[ ]`, `[x]` or `[X]` followed by some text, outside fenced code blocks.
//! They give an issue's `task_completion_status`.

/// Where a task item's checkbox sits in a line, and whether it is ticked.
fn task_item(line: &str) -> Option<(usize, bool)> {
    let trimmed = line.trim_start();
    let mut offset = line.len() - trimmed.len();
    let mut s = trimmed;
    while let Some(rest) = s.strip_prefix('>') {
        let rest_trimmed = rest.trim_start();
        offset += s.len() - rest_trimmed.len();
        s = rest_trimmed;
    }
    let after_marker = if let Some(rest) = s.strip_prefix(['-', '+', '*']) {
        rest
    } else {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        s[digits..].strip_prefix(['.', ')'])?
    };
    if !after_marker.starts_with([' ', '\t']) {
        return None;
    }
    let item = after_marker.trim_start();
    offset += s.len() - item.len();
    let b = item.as_bytes();
    if b.len() < 4 || b[0] != b'[' || b[2] != b']' || !(b[3] == b' ' || b[3] == b'\t') {
        return None;
    }
    if item[4..].trim().is_empty() {
        return None;
    }
    match b[1] {
        b' ' | b'\t' => Some((offset, false)),
        b'x' | b'X' => Some((offset, true)),
        _ => None,
    }
}

/// Calls `f(line_index, line, checkbox_offset, ticked)` for every task item
/// outside fenced code.
fn for_each_task(text: &str, mut f: impl FnMut(usize, &str, usize, bool)) {
    let mut fence: Option<(char, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = fence_char {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if run >= 3 {
                match fence {
                    None => fence = Some((c, run)),
                    Some((open, len))
                        if open == c && run >= len && trimmed[run..].trim().is_empty() =>
                    {
                        fence = None;
                    }
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        if let Some((offset, ticked)) = task_item(line) {
            f(index, line, offset, ticked);
        }
    }
}

/// `(count, completed_count)` of the task items in a description.
pub(super) fn task_counts(text: &str) -> (u64, u64) {
    let (mut count, mut done) = (0, 0);
    for_each_task(text, |_, _, _, ticked| {
        count += 1;
        if ticked {
            done += 1;
        }
    });
    (count, done)
}

/// Ticks the first open task item whose line contains `needle`; returns
/// the new text and the item's text, `None` when there is no such item.
pub(super) fn tick(text: &str, needle: &str) -> Option<(String, String)> {
    let mut target = None;
    for_each_task(text, |index, line, offset, ticked| {
        if target.is_none() && !ticked && line.contains(needle) {
            target = Some((index, offset));
        }
    });
    let (index, offset) = target?;
    let ends_with_newline = text.ends_with('\n');
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let item = lines[index][offset + 3..].trim().to_string();
    lines[index].replace_range(offset + 1..offset + 2, "x");
    let mut out = lines.join("\n");
    if ends_with_newline {
        out.push('\n');
    }
    Some((out, item))
}
