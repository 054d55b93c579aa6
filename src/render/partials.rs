//! Partials a template may use: only the inline ones it defines itself
//! (`{{#*inline "row"}}…{{/inline}}`), named in full, and never one that
//! ends up including itself. Handlebars has no depth limit, so a partial
//! that includes itself would recurse until the stack overflows; checking
//! the template's shape when it is compiled turns that into a located error.

use handlebars::template::{DecoratorTemplate, Parameter, Template, TemplateElement};

/// `{{> @partial-block}}`: the content of the partial block being rendered.
const PARTIAL_BLOCK: &str = "@partial-block";

/// A place in the template: line and column.
type Place = (usize, usize);

/// A `{{> name}}` in the template; `None` for a name that is computed.
struct Call {
    name: Option<String>,
    place: Place,
}

/// The body of the template or of one of its inline partials, and the
/// partials it calls.
struct Body {
    name: Option<String>,
    calls: Vec<Call>,
}

/// Checks the partials of `template`; the error is the place and message.
pub(super) fn check(template: &Template) -> Result<(), (usize, usize, String)> {
    let mut bodies = vec![Body {
        name: None,
        calls: Vec::new(),
    }];
    collect(template, 0, &mut bodies);
    for body in &bodies {
        for call in &body.calls {
            let (line, column) = call.place;
            let Some(name) = &call.name else {
                return Err((
                    line,
                    column,
                    "a partial's name must be written out, not computed".to_string(),
                ));
            };
            if name != PARTIAL_BLOCK && !bodies.iter().any(|b| b.name.as_ref() == Some(name)) {
                return Err((
                    line,
                    column,
                    format!(
                        "partial '{name}' is not defined in this template; \
                         define it with {{{{#*inline \"{name}\"}}}}…{{{{/inline}}}}"
                    ),
                ));
            }
        }
    }
    let mut path = Vec::new();
    recursion(&bodies, 0, &mut path)
}

/// Depth-first from body `at`: an error when a call leads back to a body
/// on the current path.
fn recursion(
    bodies: &[Body],
    at: usize,
    path: &mut Vec<usize>,
) -> Result<(), (usize, usize, String)> {
    path.push(at);
    for call in &bodies[at].calls {
        let Some(next) = bodies
            .iter()
            .position(|b| b.name.is_some() && b.name == call.name)
        else {
            continue;
        };
        if path.contains(&next) {
            let (line, column) = call.place;
            let name = call.name.as_deref().unwrap_or_default();
            return Err((
                line,
                column,
                format!("partial '{name}' includes itself, which would never end"),
            ));
        }
        recursion(bodies, next, path)?;
    }
    path.pop();
    Ok(())
}

/// Adds the partial calls of `template` to body `into`, and a body for each
/// inline partial it defines.
fn collect(template: &Template, into: usize, bodies: &mut Vec<Body>) {
    for (i, element) in template.elements.iter().enumerate() {
        let place = template.mapping.get(i).map_or((1, 1), |m| (m.0, m.1));
        match element {
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                bodies[into].calls.push(Call {
                    name: written_name(&d.name),
                    place,
                });
                if let Some(fallback) = &d.template {
                    collect(fallback, into, bodies);
                }
            }
            TemplateElement::DecoratorBlock(d) if is_inline(d) => {
                bodies.push(Body {
                    name: inline_name(d),
                    calls: Vec::new(),
                });
                let at = bodies.len() - 1;
                if let Some(body) = &d.template {
                    collect(body, at, bodies);
                }
            }
            TemplateElement::HelperBlock(h) => {
                for inner in [&h.template, &h.inverse].into_iter().flatten() {
                    collect(inner, into, bodies);
                }
            }
            _ => {}
        }
    }
}

fn written_name(name: &Parameter) -> Option<String> {
    match name {
        Parameter::Name(_) | Parameter::Path(_) => name.as_name().map(str::to_string),
        _ => None,
    }
}

fn is_inline(d: &DecoratorTemplate) -> bool {
    d.name.as_name() == Some("inline")
}

fn inline_name(d: &DecoratorTemplate) -> Option<String> {
    match d.params.first()? {
        Parameter::Literal(serde_json::Value::String(name)) => Some(name.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> Result<(), (usize, usize, String)> {
        check(&Template::compile(text).unwrap())
    }

    #[test]
    fn a_partial_that_includes_itself_is_refused_where_it_does() {
        let (line, _, message) =
            checked("{{#*inline \"r\"}}x\n{{> r}}{{/inline}}{{> r}}").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("'r' includes itself"), "{message}");
        let (_, _, message) = checked(
            "{{#*inline \"a\"}}{{#if x}}{{> b}}{{/if}}{{/inline}}{{#*inline \"b\"}}{{> a}}{{/inline}}{{> a}}",
        )
        .unwrap_err();
        assert!(message.contains("includes itself"), "{message}");
    }

    #[test]
    fn inline_partials_that_end_are_fine_and_others_are_refused() {
        checked("{{#*inline \"row\"}}- {{this}}\n{{/inline}}{{#each xs}}{{> row}}{{/each}}")
            .unwrap();
        let (_, _, message) = checked("{{> footer}}").unwrap_err();
        assert!(message.contains("'footer' is not defined"), "{message}");
        let (_, _, message) = checked("{{> (whichPartial)}}").unwrap_err();
        assert!(message.contains("written out"), "{message}");
    }
}
