//! Where quick actions may be: GitLab renders the text as Markdown
//! (`Banzai::Pipeline::QuickActionPipeline`) and only searches top-level
//! paragraphs, so lines in fenced or indented code, block quotes (`>` and
//! GitLab's `>>>`), HTML blocks, list items and headings are never
//! commands. `pulldown-cmark` parses the `CommonMark`; GitLab's own `>>>`
//! quotes are taken out first, as GitLab's `BlockquoteFenceFilter` does
//! before its parser sees the text.

use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

/// Line ranges (inclusive, 0-based) of the top-level paragraphs.
pub(super) fn paragraphs(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut text: String = lines.concat();
    // Each pass blanks one `>>>` quote, keeping every line where it was.
    while let Some(quote) = first_multiline_quote(&text) {
        blank(&mut text, quote);
    }
    let starts = line_starts(&text);
    top_level_paragraphs(&text)
        .into_iter()
        .map(|bytes| {
            let last = bytes.end.saturating_sub(1).max(bytes.start);
            (line_of(&starts, bytes.start), line_of(&starts, last))
        })
        .collect()
}

/// Byte ranges of the paragraphs that are not inside any other block.
fn top_level_paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 && matches!(tag, Tag::Paragraph) {
                    out.push(range);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// The byte range of the first GitLab `>>>` quote that starts a top-level
/// block: from its opening `>>>` line to its closing one (or the end).
fn first_multiline_quote(text: &str) -> Option<Range<usize>> {
    let mut depth = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 && matches!(tag, Tag::BlockQuote(_)) {
                    if let Some(quote) = multiline_quote_at(text, range.start) {
                        return Some(quote);
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A `>>>` quote whose opening line (unindented) starts at `start`.
fn multiline_quote_at(text: &str, start: usize) -> Option<Range<usize>> {
    let is_fence = |line: &str| line.trim_end() == ">>>";
    if start > 0 && !text[..start].ends_with('\n') {
        return None;
    }
    let mut lines = text[start..].split_inclusive('\n');
    let opening = lines.next().filter(|line| is_fence(line))?;
    let mut end = start + opening.len();
    for line in lines {
        end += line.len();
        if is_fence(line) {
            break;
        }
    }
    Some(start..end)
}

/// Replaces `range` with blank lines (its line breaks kept).
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()].chars().filter(|c| *c == '\n').collect();
    text.replace_range(range, &blanked);
}

/// Byte offsets at which each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The 0-based line holding the byte at `offset`.
fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&start| start <= offset) - 1
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    fn of(text: &str) -> Vec<(usize, usize)> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        paragraphs(&lines)
    }

    #[test]
    fn paragraphs_are_found_by_line_and_blocks_are_left_out() {
        assert_eq!(of("a\nb\n\nc\n"), vec![(0, 1), (3, 3)]);
        assert_eq!(of("# Title\n/close\n"), vec![(1, 1)]);
        assert_eq!(of("```\n/close\n```\nafter\n"), vec![(3, 3)]);
        assert_eq!(of("- item\n/close\n"), Vec::<(usize, usize)>::new());
        assert_eq!(of("> quoted\n/close\n"), Vec::<(usize, usize)>::new());
        assert_eq!(of("    /close\n"), Vec::<(usize, usize)>::new());
    }

    #[test]
    fn a_gitlab_multiline_quote_is_left_out_up_to_its_closing_fence() {
        assert_eq!(of(">>>\n/close\n>>>\n/close\n"), vec![(3, 3)]);
        assert_eq!(of("intro\n>>>\n/close\n>>>\n"), vec![(0, 0)]);
        assert_eq!(
            of(">>>\n/close\n"),
            Vec::<(usize, usize)>::new(),
            "unclosed"
        );
        // Indented, it is three empty `CommonMark` quotes, which the next
        // line does not continue.
        assert_eq!(of("  >>>\n/close\n"), vec![(1, 1)]);
    }
}
