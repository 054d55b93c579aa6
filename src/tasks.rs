//! Task items in GitLab Markdown (`- [ ]`, `* [x]`, `+ [X]`, `1. [ ]`): read
//! which are ticked, and carry the ticks over when a body is rewritten.

/// A task item line: its text after the box, and whether it is ticked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    /// Everything after the box, trimmed.
    pub text: &'a str,
    /// `[x]` or `[X]`.
    pub done: bool,
}

/// The task item on `line`, if it is one, as GitLab counts them.
pub(crate) fn item(line: &str) -> Option<Item<'_>> {
    let rest = line.trim_start();
    let rest = if let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix("* "))
        .or_else(|| rest.strip_prefix("+ "))
    {
        r
    } else {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        rest[digits..]
            .strip_prefix(". ")
            .or_else(|| rest[digits..].strip_prefix(") "))?
    };
    let (done, text) = if let Some(t) = rest.strip_prefix("[ ]") {
        (false, t)
    } else if let Some(t) = rest
        .strip_prefix("[x]")
        .or_else(|| rest.strip_prefix("[X]"))
    {
        (true, t)
    } else {
        return None;
    };
    (text.is_empty() || text.starts_with(' ')).then(|| Item {
        text: text.trim(),
        done,
    })
}

/// `new`, with every box ticked whose item `same` pairs with a ticked item
/// of `old`. `same` gets the two items' texts.
pub(crate) fn carry_ticks(old: &str, new: &str, same: impl Fn(&str, &str) -> bool) -> String {
    let ticked: Vec<&str> = old
        .lines()
        .filter_map(item)
        .filter(|i| i.done)
        .map(|i| i.text)
        .collect();
    let mut out = String::with_capacity(new.len());
    for line in new.split_inclusive('\n') {
        match item(line) {
            Some(i) if !i.done && ticked.iter().any(|t| same(t, i.text)) => {
                out.push_str(&line.replacen("[ ]", "[x]", 1));
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_read_in_every_form_gitlab_accepts() {
        assert_eq!(
            item("- [ ] a").unwrap(),
            Item {
                text: "a",
                done: false
            }
        );
        assert!(item("* [x] b").unwrap().done);
        assert!(item("  + [X] c").unwrap().done);
        assert_eq!(item("12. [ ] d").unwrap().text, "d");
        assert_eq!(item("- plain"), None);
        assert_eq!(item("- [y] no"), None);
        assert_eq!(item("-[ ] tight"), None);
    }

    #[test]
    fn ticks_survive_a_rewrite_that_keeps_the_item() {
        let old = "## A\n- [x] **Clari**, level one\n- [ ] **Outreach**, x\n";
        let new =
            "## A (new)\n- [ ] **Clari**, level one\n- [ ] **Outreach**, x\n- [ ] **Datafox**, y\n";
        let merged = carry_ticks(old, new, |a, b| a == b);
        assert_eq!(
            merged,
            "## A (new)\n- [x] **Clari**, level one\n- [ ] **Outreach**, x\n- [ ] **Datafox**, y\n"
        );
    }
}
