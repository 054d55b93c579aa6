//! Task list items, like GitLab's `Taskable`: a list item (`-`, `+`, `*`,
//! `1.` or `1)`, at any depth, inside `>` quotes too) whose text starts
//! with `[ ]`, `[x]` or `[X]` followed by some text; not in code or HTML
//! blocks. `pulldown-cmark` finds them. They give an issue's
//! `task_completion_status`.

use pulldown_cmark::{Event, Options, Parser};
use std::ops::Range;

/// One task item: where its checkbox's `[` is, its line, and its state.
struct Task {
    checkbox: usize,
    line: Range<usize>,
    ticked: bool,
}

/// Every task item of a description, in order.
fn tasks(text: &str) -> Vec<Task> {
    Parser::new_ext(text, Options::ENABLE_TASKLISTS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::TaskListMarker(ticked) => Some((range.start, ticked)),
            _ => None,
        })
        .filter_map(|(checkbox, ticked)| {
            let start = text[..checkbox].rfind('\n').map_or(0, |i| i + 1);
            let end = text[checkbox..]
                .find('\n')
                .map_or(text.len(), |i| checkbox + i);
            let task = Task {
                checkbox,
                line: start..end,
                ticked,
            };
            // GitLab's pattern wants some text after the box.
            (!task.text(text).is_empty()).then_some(task)
        })
        .collect()
}

impl Task {
    /// The item's text after its checkbox, trimmed.
    fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.checkbox + 3..self.line.end)
            .unwrap_or("")
            .trim()
    }
}

/// `(count, completed_count)` of the task items in a description.
pub(super) fn task_counts(text: &str) -> (u64, u64) {
    let tasks = tasks(text);
    let done = tasks.iter().filter(|t| t.ticked).count();
    (tasks.len() as u64, done as u64)
}

/// Ticks the first open task item whose line contains `needle`; returns
/// the new text and the item's text, `None` when there is no such item.
pub(super) fn tick(text: &str, needle: &str) -> Option<(String, String)> {
    let task = tasks(text)
        .into_iter()
        .find(|t| !t.ticked && text[t.line.clone()].contains(needle))?;
    let item = task.text(text).to_string();
    let mut ticked = text.to_string();
    ticked.replace_range(task.checkbox + 1..task.checkbox + 2, "x");
    Some((ticked, item))
}

#[cfg(test)]
mod tests {
    use super::{task_counts, tick};

    #[test]
    fn task_items_are_counted_at_any_depth_but_not_in_code_or_without_text() {
        let text = "- [ ] a\n  - [x] b\n> * [X] c\n- [ ]\n```\n- [ ] d\n```\n    - [ ] e\n";
        assert_eq!(task_counts(text), (3, 2));
    }

    #[test]
    fn ticking_changes_one_box_and_keeps_the_rest_byte_for_byte() {
        let text = "Intro\r\n\n- [ ] laptop\n- [ ] badge <!-- k -->\n";
        let (ticked, item) = tick(text, "badge").unwrap();
        assert_eq!(ticked, "Intro\r\n\n- [ ] laptop\n- [x] badge <!-- k -->\n");
        assert_eq!(item, "badge <!-- k -->");
        assert!(tick(&ticked, "badge").is_none(), "already ticked");
    }
}
