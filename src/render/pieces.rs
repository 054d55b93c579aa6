//! Compiling an embedded template in pieces, for a faster start.
//!
//! Handlebars' parser works out a line and column for every token by
//! counting from the start of the text (pest's `Position::line_col`), so
//! compiling costs the square of a template's length: about 2.7 M of the
//! 6.9 M instructions that compiling a checklist's two templates took, on
//! the critical path of every command. Cut at blank lines outside any block,
//! each piece counts only from its own start. The pieces' elements are put
//! back together, their lines moved down by the lines before them, and the
//! text on either side of each cut joined into the one piece of text the
//! whole template would have had.
//!
//! Only the embedded templates are compiled this way, and a test checks
//! that each one comes out equal, element for element and place for place,
//! to the template compiled whole; a templates folder's own files are
//! always compiled whole.

use handlebars::template::{Template, TemplateElement};
use handlebars::TemplateError;

/// Compiles `text` piece by piece; the same [`Template`] as compiling it
/// whole, for the embedded templates.
pub(super) fn compile(text: &str, name: &str) -> Result<Template, TemplateError> {
    let mut whole = Template::default();
    whole.name = Some(name.to_string());
    let mut lines_before = 0;
    for piece in pieces(text) {
        let Ok(mut template) = Template::compile(piece) else {
            // Compiled whole, the problem is placed in the whole text.
            return Template::compile_with_name(text, name.to_string());
        };
        move_down(&mut template, lines_before);
        lines_before += piece.matches('\n').count();
        append(&mut whole, template);
    }
    Ok(whole)
}

/// `text` cut after each blank line that no block is open across.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    if text.contains("{{{{") {
        // A raw block's text is not Handlebars: never cut around one.
        pieces.push(text);
        return pieces;
    }
    let mut start = 0;
    let mut depth: i32 = 0;
    let mut at = 0;
    loop {
        let next_tag = text[at..].find("{{").map(|o| at + o);
        if depth == 0 {
            cut_at_blank_lines(
                text,
                at..next_tag.unwrap_or(text.len()),
                &mut start,
                &mut pieces,
            );
        }
        let Some(offset) = next_tag else { break };
        let tag = text[offset + 2..].trim_start_matches('~');
        let close = if tag.starts_with("!--") { "--}}" } else { "}}" };
        let else_tag = || {
            tag[1..]
                .trim_start_matches(|c: char| c == '~' || c.is_whitespace())
                .starts_with('}')
        };
        if tag.starts_with('#') || (tag.starts_with('^') && !else_tag()) {
            depth += 1;
        } else if tag.starts_with('/') {
            depth -= 1;
        }
        at = text[offset + 2..]
            .find(close)
            .map_or(text.len(), |end| offset + 2 + end + close.len());
    }
    pieces.push(&text[start..]);
    pieces
}

/// Cuts `text` after each blank line within `range`, never at its very end,
/// nor where only white space stands before a `{{~` that would take it away
/// across the cut.
fn cut_at_blank_lines<'t>(
    text: &'t str,
    range: std::ops::Range<usize>,
    start: &mut usize,
    pieces: &mut Vec<&'t str>,
) {
    let trims_back = text[range.end..].starts_with("{{~");
    let mut from = range.start;
    while let Some(blank) = text[from..range.end].find("\n\n").map(|b| from + b + 2) {
        let trimmed = trims_back && text[blank..range.end].trim().is_empty();
        if blank > *start && blank < text.len() && !trimmed {
            pieces.push(&text[*start..blank]);
            *start = blank;
        }
        from = blank - 1;
    }
}

/// Adds `lines` to every line number in `template`, blocks' insides too.
fn move_down(template: &mut Template, lines: usize) {
    for place in &mut template.mapping {
        place.0 += lines;
    }
    for element in &mut template.elements {
        match element {
            TemplateElement::HelperBlock(helper) => {
                for inner in [&mut helper.template, &mut helper.inverse]
                    .into_iter()
                    .flatten()
                {
                    move_down(inner, lines);
                }
            }
            TemplateElement::DecoratorBlock(decorator)
            | TemplateElement::PartialBlock(decorator) => {
                if let Some(inner) = &mut decorator.template {
                    move_down(inner, lines);
                }
            }
            _ => {}
        }
    }
}

/// Appends `next`'s elements to `whole`, joining the text on either side of
/// the cut into one.
fn append(whole: &mut Template, next: Template) {
    let mut elements = next.elements.into_iter().zip(next.mapping).peekable();
    if let (Some(TemplateElement::RawString(before)), Some((TemplateElement::RawString(_), _))) =
        (whole.elements.last_mut(), elements.peek())
    {
        if let Some((TemplateElement::RawString(after), _)) = elements.next() {
            before.push_str(&after);
        }
    }
    for (element, place) in elements {
        whole.elements.push(element);
        whole.mapping.push(place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileSet;

    #[test]
    fn every_embedded_template_compiles_in_pieces_to_what_it_compiles_whole() {
        let templates = FileSet::embedded_templates();
        for file in &templates.files {
            let whole = Template::compile_with_name(&file.text, file.name.clone()).unwrap();
            assert_eq!(
                compile(&file.text, &file.name).unwrap(),
                whole,
                "{}",
                file.name
            );
        }
        let checklist = templates.get("checklist.md.hbs").unwrap();
        assert!(
            pieces(&checklist.text).len() >= 4,
            "{:#?}",
            pieces(&checklist.text)
        );
    }

    #[test]
    fn pieces_are_cut_at_blank_lines_outside_blocks_only() {
        let text = "# {{title}}\n\nintro\n\n{{#each xs}}\n\n- {{this}}\n{{/each}}\n\nend {{x}}\n";
        assert_eq!(
            pieces(text),
            [
                "# {{title}}\n\n",
                "intro\n\n",
                "{{#each xs}}\n\n- {{this}}\n{{/each}}\n\n",
                "end {{x}}\n"
            ]
        );
        let comment = "a\n\n{{!-- x\n\ny --}}\n\nb";
        assert_eq!(pieces(comment), ["a\n\n", "{{!-- x\n\ny --}}\n\n", "b"]);
        assert_eq!(
            pieces("{{#if a}}x{{^}}\n\ny{{/if}}"),
            ["{{#if a}}x{{^}}\n\ny{{/if}}"]
        );
        assert_eq!(pieces(""), [""]);
        assert_eq!(pieces("a\n\n  {{~x}}\n\nb"), ["a\n\n  {{~x}}\n\n", "b"]);
        let trims = "a\n\n  {{~x}} b\n\nc";
        assert_eq!(
            compile(trims, "t").unwrap(),
            Template::compile_with_name(trims, "t".into()).unwrap()
        );
    }

    #[test]
    fn a_problem_is_placed_on_its_line_in_the_whole_template() {
        let error = compile("a\n\nb\n\n{{#if x}}\n{{/each}}\n", "t").unwrap_err();
        assert_eq!(error.pos(), Some((6, 1)));
    }
}
