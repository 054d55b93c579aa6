//! YAML read twice: serde for the data, saphyr's event parser for where
//! every key and value sits, so problems found in the data can be placed.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use super::{nearest, Diagnostic, Diagnostics};

/// Where a value sits in a YAML document: `tools.3.provisioner`, `0.email`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct YamlPath(String);

impl YamlPath {
    /// The document itself.
    pub(crate) fn root() -> Self {
        Self::default()
    }

    /// A key of the mapping at this path.
    #[must_use]
    pub(crate) fn key(&self, key: &str) -> Self {
        self.join(key)
    }

    /// An item of the sequence at this path.
    #[must_use]
    pub(crate) fn index(&self, index: usize) -> Self {
        self.join(&index.to_string())
    }

    fn join(&self, segment: &str) -> Self {
        if self.0.is_empty() {
            Self(segment.to_string())
        } else {
            Self(format!("{}.{segment}", self.0))
        }
    }

    /// The path as a dotted string.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The enclosing mapping or sequence.
    fn parent(&self) -> Option<Self> {
        if self.0.is_empty() {
            return None;
        }
        Some(Self(
            self.0
                .rsplit_once('.')
                .map(|(parent, _)| parent.to_string())
                .unwrap_or_default(),
        ))
    }
}

impl From<&serde_ignored::Path<'_>> for YamlPath {
    fn from(path: &serde_ignored::Path<'_>) -> Self {
        use serde_ignored::Path as P;
        match path {
            P::Root => Self::root(),
            P::Seq { parent, index } => Self::from(*parent).index(*index),
            P::Map { parent, key } => Self::from(*parent).key(key),
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                Self::from(*parent)
            }
        }
    }
}

/// A one-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: usize,
    column: usize,
}

/// The positions of every key and value of one YAML document.
#[derive(Debug, Default)]
pub(super) struct Spans {
    keys: HashMap<YamlPath, Position>,
    values: HashMap<YamlPath, Position>,
}

/// A mapping or sequence being walked, with what comes next in it.
enum Frame {
    Mapping { path: YamlPath, key: Option<String> },
    Sequence { path: YamlPath, next: usize },
}

impl Spans {
    /// Reads where everything is; a text that does not parse gives no positions.
    pub(super) fn of(text: &str) -> Self {
        let mut spans = Self::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let at = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Scalar(value, ..) if is_awaiting_key(&stack) => {
                    if let Some(Frame::Mapping { path, key }) = stack.last_mut() {
                        spans.keys.insert(path.key(&value), at);
                        *key = Some(value.into_owned());
                    }
                }
                Event::Scalar(..) | Event::Alias(_) => {
                    spans.value_at(&mut stack, at);
                }
                Event::MappingStart(..) => {
                    let path = spans.value_at(&mut stack, at);
                    stack.push(Frame::Mapping { path, key: None });
                }
                Event::SequenceStart(..) => {
                    let path = spans.value_at(&mut stack, at);
                    stack.push(Frame::Sequence { path, next: 0 });
                }
                _ => {}
            }
        }
        spans
    }

    /// Records a value at the next place of the innermost frame; returns its path.
    fn value_at(&mut self, stack: &mut [Frame], at: Position) -> YamlPath {
        let path = match stack.last_mut() {
            None => YamlPath::root(),
            Some(Frame::Mapping { path, key }) => path.key(&key.take().unwrap_or_default()),
            Some(Frame::Sequence { path, next }) => {
                *next += 1;
                path.index(*next - 1)
            }
        };
        self.values.entry(path.clone()).or_insert(at);
        path
    }

    /// The line and column of the value at `path`, else of its key, else of
    /// the nearest enclosing value; the start of the file when nothing is known.
    fn value(&self, path: &YamlPath) -> (usize, usize) {
        let mut current = Some(path.clone());
        while let Some(path) = current {
            if let Some(p) = self.values.get(&path).or_else(|| self.keys.get(&path)) {
                return (p.line, p.column);
            }
            current = path.parent();
        }
        (1, 1)
    }

    /// The line and column of the key at `path`, else of its value.
    fn key(&self, path: &YamlPath) -> (usize, usize) {
        match self.keys.get(path) {
            Some(p) => (p.line, p.column),
            None => self.value(path),
        }
    }
}

fn is_awaiting_key(stack: &[Frame]) -> bool {
    matches!(stack.last(), Some(Frame::Mapping { key: None, .. }))
}

/// A problem found in a parsed document, placed later, once, by [`Located`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Where it is.
    pub path: YamlPath,
    /// Point at the key (an unknown field) rather than the value.
    pub at_key: bool,
    /// What is wrong.
    pub message: String,
    /// Another place the message refers to, named by its line: `(first on line 12)`.
    pub see: Option<(YamlPath, &'static str)>,
}

impl Problem {
    /// A problem with the value at `path`.
    pub(crate) fn at(path: YamlPath, message: impl Into<String>) -> Self {
        Self {
            path,
            at_key: false,
            message: message.into(),
            see: None,
        }
    }

    /// Adds ` (first on line N)` for the value at `path`, with `words` before the line.
    #[must_use]
    pub(crate) fn see(mut self, path: YamlPath, words: &'static str) -> Self {
        self.see = Some((path, words));
        self
    }

    /// A problem with the key at `path`.
    pub(crate) fn at_key(path: YamlPath, message: impl Into<String>) -> Self {
        Self {
            path,
            at_key: true,
            message: message.into(),
            see: None,
        }
    }
}

/// A YAML document's text, for placing problems found in its data.
pub(crate) struct Located<'a> {
    file: &'a str,
    text: &'a str,
    spans: std::cell::OnceCell<Spans>,
}

impl<'a> Located<'a> {
    /// The document `text` of `file` (the name shown in messages).
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            spans: std::cell::OnceCell::new(),
        }
    }

    fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| Spans::of(self.text))
    }

    /// Places one problem.
    pub(crate) fn place(&self, problem: Problem) -> Diagnostic {
        let (line, column) = if problem.at_key {
            self.spans().key(&problem.path)
        } else {
            self.spans().value(&problem.path)
        };
        let message = match &problem.see {
            Some((path, words)) => format!("{} ({words} {})", problem.message, self.line_of(path)),
            None => problem.message,
        };
        Diagnostic {
            file: self.file.to_string(),
            line,
            column,
            message,
        }
    }

    /// The line the value at `path` starts on.
    pub(crate) fn line_of(&self, path: &YamlPath) -> usize {
        self.spans().value(path).0
    }

    /// Places every problem.
    pub(crate) fn place_all(&self, problems: Vec<Problem>) -> Diagnostics {
        Diagnostics(problems.into_iter().map(|p| self.place(p)).collect())
    }
}

/// Parses one YAML document. Every unknown field is reported, each where it
/// is; `fields_at` names the fields the data allows at a path, for a
/// suggestion. A syntax or type error stops the parse; it is reported with
/// the unknown fields found before it.
pub(crate) fn from_yaml<T: DeserializeOwned>(
    file: &str,
    text: &str,
    fields_at: impl Fn(&YamlPath) -> &'static [&'static str],
) -> Result<T, Diagnostics> {
    let mut unknown: Vec<YamlPath> = Vec::new();
    let parsed = serde_ignored::deserialize(serde_yaml::Deserializer::from_str(text), |path| {
        unknown.push(YamlPath::from(&path));
    });
    let stopped = match parsed {
        Ok(value) if unknown.is_empty() => return Ok(value),
        Ok(_) => None,
        Err(err) => {
            let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
            Some(Diagnostic {
                file: file.to_string(),
                line,
                column,
                message: without_position(&err.to_string()),
            })
        }
    };
    let located = Located::new(file, text);
    let problems = unknown
        .into_iter()
        .map(|path| {
            let name = path
                .as_str()
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_string();
            let allowed = path.parent().map(|p| fields_at(&p)).unwrap_or_default();
            let hint = match nearest(&name, allowed.iter().copied()) {
                Some(near) => format!(" (did you mean `{near}`?)"),
                None if allowed.is_empty() => String::new(),
                None => format!("; expected one of {}", quoted(allowed)),
            };
            Problem::at_key(path, format!("unknown field `{name}`{hint}"))
        })
        .collect();
    let mut found = located.place_all(problems);
    found.0.extend(stopped);
    found.sort();
    Err(found)
}

/// A parser message without the ` at line L column C` it puts in the text,
/// since the diagnostic shows the position itself.
fn without_position(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[start + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest
        .strip_prefix(" column ")
        .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    format!("{}{rest}", &message[..start])
}

/// Parses JSON produced from a YAML file at build time; `None` when anything in
/// it would need a located message, so the caller reads the YAML instead.
pub(crate) fn from_embedded_json<T: DeserializeOwned>(json: &str) -> Option<T> {
    let mut unknown = false;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = serde_ignored::deserialize(&mut deserializer, |_| unknown = true).ok()?;
    (!unknown).then_some(value)
}

/// The field names a struct accepts, read from its `Deserialize` impl, so an
/// unknown field's suggestion can never drift from the struct.
pub(crate) fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    struct Spy(&'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for &mut Spy {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs are read"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("fields read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }

    let mut spy = Spy(&[]);
    let _ = T::deserialize(&mut spy);
    spy.0
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str, path: &YamlPath) -> (usize, usize) {
        let d = Located::new("f.yaml", text).place(Problem::at(path.clone(), "m"));
        (d.line, d.column)
    }

    #[test]
    fn values_are_placed_in_block_and_flow_styles() {
        let text = "tools:\n  - tool: okta\n    level: x\n  - {tool: clari, level: \"y\"}\n";
        let tools = YamlPath::root().key("tools");
        assert_eq!(place(text, &tools.index(0).key("tool")), (2, 11));
        assert_eq!(place(text, &tools.index(1).key("tool")), (4, 12));
        assert_eq!(place(text, &tools.index(1).key("level")), (4, 26));
        assert_eq!(place(text, &tools.index(1)), (4, 5));
        assert_eq!(
            place(text, &tools.index(1).key("missing")),
            (4, 5),
            "an absent key falls back to its mapping"
        );
    }

    #[test]
    fn folded_and_literal_scalars_are_placed_at_their_start() {
        let text = "a: >\n  folded\n  text\nb: |\n  literal\nc: plain\n";
        assert_eq!(place(text, &YamlPath::root().key("c")), (6, 4));
        assert_eq!(
            place(text, &YamlPath::root().key("b")).0,
            5,
            "the text itself"
        );
    }

    #[test]
    fn every_unknown_field_is_reported_where_it_is_with_a_hint() {
        #[derive(serde::Deserialize, Debug)]
        struct Row {
            #[allow(dead_code)]
            name: String,
        }
        let text = "- name: a\n  nmae: b\n- {name: c, emial: d}\n";
        let err = from_yaml::<Vec<Row>>("r.yaml", text, |_| &["name"])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "r.yaml:2:3: unknown field `nmae` (did you mean `name`?)\nr.yaml:3:13: unknown field `emial`; expected one of `name`"
        );
    }

    #[test]
    fn unknown_fields_are_reported_with_the_error_that_stopped_the_parse() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Tool {
            id: String,
            name: String,
        }
        let text = "- id: a\n  nmae: b\n  colour: c\n";
        let err = from_yaml::<Vec<Tool>>("t.yaml", text, |_| &["id", "name"])
            .unwrap_err()
            .to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 3, "{err}");
        assert!(lines[0].starts_with("t.yaml:1:"), "{err}");
        assert!(lines[0].ends_with("missing field `name`"), "{err}");
        assert_eq!(
            lines[1],
            "t.yaml:2:3: unknown field `nmae` (did you mean `name`?)"
        );
        assert_eq!(
            lines[2],
            "t.yaml:3:3: unknown field `colour`; expected one of `id`, `name`"
        );
    }

    #[test]
    fn the_fields_of_a_struct_come_from_serde() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Tool {
            id: String,
            #[serde(rename = "link")]
            url: String,
        }
        assert_eq!(fields_of::<Tool>(), ["id", "link"]);
        assert!(fields_of::<Vec<Tool>>().is_empty());
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = from_yaml::<serde_json::Value>("x.yaml", "a: [1\nb: 2\n", |_| &[]).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.0[0].line >= 1, "{err}");
        assert_eq!(
            err.to_string(),
            "x.yaml:2:2: did not find expected ',' or ']', while parsing a flow sequence at line 1 column 4"
        );
    }
}
