//! Handlebars templates: embedded defaults, folder overrides, helpers, and the
//! escaping that keeps user text inert in GitLab Markdown.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason, Template,
};
use serde::Serialize;
use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::hire::{single_line, Field, Username};
use crate::inert::is_invisible_format;
/// Terminal escaping lives in [`crate::inert`], a leaf every layer may use.
pub(crate) use crate::inert::terminal_safe;
use crate::source::FileSet;
#[cfg(test)]
use crate::source::SourceFile;

mod partials;
mod pieces;

/// The checklist document.
pub(crate) const CHECKLIST: &str = "checklist.md";
/// The checklist's tools table, optional tools and bookmarks: the same for
/// every hire of a role and tool selection, so rendered once for them all.
pub(crate) const CHECKLIST_TOOLS: &str = "checklist-tools.md";
/// The body of an access-request issue.
pub(crate) const ACCESS_REQUEST: &str = "access-request.md";
/// The body of an onboarding issue.
pub(crate) const ONBOARDING_ISSUE: &str = "onboarding-issue.md";
/// The body of an Access Removal or offboarding issue.
pub(crate) const ACCESS_REMOVAL: &str = "access-removal.md";
/// The body of a career-mobility issue.
pub(crate) const CAREER_MOBILITY: &str = "career-mobility.md";
/// What `transfer` and `offboard` filed, found, closed or would file.
pub(crate) const LIFECYCLE_RESULT: &str = "lifecycle-result.txt";
/// `roles list`.
pub(crate) const ROLES_LIST: &str = "roles-list.txt";
/// `roles show`.
pub(crate) const ROLE_SHOW: &str = "role-show.txt";
/// `tools list`.
pub(crate) const TOOLS_LIST: &str = "tools-list.txt";
/// `tools show`.
pub(crate) const TOOL_SHOW: &str = "tool-show.txt";
/// `access plan`.
pub(crate) const ACCESS_PLAN: &str = "access-plan.txt";
/// `access file --dry-run`.
pub(crate) const ACCESS_PREVIEW: &str = "access-preview.txt";
/// The issues `access file` filed or found.
pub(crate) const ACCESS_RESULT: &str = "access-result.txt";
/// `status`'s table.
pub(crate) const STATUS_TABLE: &str = "status.txt";
/// `status --html`'s page.
pub(crate) const STATUS_PAGE: &str = "status.html";
/// The note `status --remind` posts.
pub(crate) const REMINDER: &str = "reminder.md";
/// The table printed after a batch.
pub(crate) const BATCH_SUMMARY: &str = "batch-summary.txt";
/// What the wizard shows before saving.
pub(crate) const WIZARD_SUMMARY: &str = "wizard-summary.txt";

/// Every template the program renders; a templates folder may override any of them.
pub(crate) const ALL: &[&str] = &[
    CHECKLIST,
    CHECKLIST_TOOLS,
    ACCESS_REQUEST,
    ONBOARDING_ISSUE,
    ACCESS_REMOVAL,
    CAREER_MOBILITY,
    LIFECYCLE_RESULT,
    STATUS_TABLE,
    STATUS_PAGE,
    REMINDER,
    ROLES_LIST,
    ROLE_SHOW,
    TOOLS_LIST,
    TOOL_SHOW,
    ACCESS_PLAN,
    ACCESS_PREVIEW,
    ACCESS_RESULT,
    BATCH_SUMMARY,
    WIZARD_SUMMARY,
];

const EXTENSION: &str = ".hbs";

/// The most a template may write in one rendering. A page for thousands of
/// hires stays far below it; a template that multiplies its output without
/// end meets it long before memory runs out.
pub(crate) const MAX_OUTPUT: usize = 32 * 1024 * 1024;

/// A template that failed while rendering, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct RenderFailure(pub Diagnostic);

/// Every template a command may render, compiled the first time it is
/// needed. There is no per-command list to forget: any template of
/// [`ALL`] can be rendered by any command. A templates folder's own files
/// are compiled when the renderer is made, so their mistakes are reported
/// before a command does anything.
pub(crate) struct Renderer {
    /// Each template's source, by name (`checklist.md`).
    sources: Vec<Source>,
    markdown: RwLock<Handlebars<'static>>,
    html: RwLock<Handlebars<'static>>,
    plain: RwLock<Handlebars<'static>>,
}

/// Where a template comes from.
struct Source {
    name: String,
    path: String,
    text: std::borrow::Cow<'static, str>,
    /// The embedded template, unchanged.
    stock: bool,
}

/// Which registry, and so which escaping, a template's name calls for.
fn kind(name: &str) -> Kind {
    if name.ends_with(".md") {
        Kind::Markdown
    } else if name.ends_with(".html") {
        Kind::Html
    } else {
        Kind::Plain
    }
}

/// The escaping of a template.
#[derive(Clone, Copy)]
enum Kind {
    /// GitLab Markdown: user text made inert.
    Markdown,
    /// An HTML page: HTML-escaped.
    Html,
    /// Terminal text: control sequences removed.
    Plain,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let paths: Vec<&str> = self.sources.iter().map(|s| s.path.as_str()).collect();
        f.debug_struct("Renderer")
            .field("templates", &paths)
            .finish_non_exhaustive()
    }
}

impl Renderer {
    /// Every template embedded in the binary.
    #[cfg(test)]
    pub(crate) fn embedded() -> Self {
        Self::new(&FileSet::embedded_templates()).expect("the embedded templates compile")
    }

    /// The templates of `files` (`*.hbs`). Markdown templates (`*.md.hbs`)
    /// get Markdown escaping, HTML pages (`*.html.hbs`) HTML escaping, the
    /// rest terminal-safe escaping. Files that are not the embedded ones
    /// are compiled now, and every problem among them is reported; the
    /// embedded ones, known to compile, wait until they are first rendered,
    /// so a command pays only for what it renders.
    pub(crate) fn new(files: &FileSet) -> Result<Self, Diagnostics> {
        let renderer = Self {
            sources: files
                .files
                .iter()
                .filter_map(|file| {
                    Some(Source {
                        name: file.name.strip_suffix(EXTENSION)?.to_string(),
                        path: file.path.clone(),
                        text: file.text.clone(),
                        stock: FileSet::is_embedded_template(file),
                    })
                })
                .collect(),
            markdown: RwLock::new(registry(markdown_inert)),
            html: RwLock::new(registry(html_escape)),
            plain: RwLock::new(registry(terminal_safe)),
        };
        let own: Vec<String> = renderer
            .sources
            .iter()
            .filter(|s| !s.stock)
            .map(|s| s.name.clone())
            .collect();
        renderer.compile(own.iter().map(String::as_str))?;
        Ok(renderer)
    }

    /// Compiles `names` ahead of their first render. A template that does
    /// not compile is left for that render to report.
    pub(crate) fn warm(&self, names: &[&str]) {
        for name in names {
            drop(self.compiled(name));
        }
    }

    /// Compiles every template the program renders, reporting every
    /// problem: what `validate` checks before rendering its samples.
    pub(crate) fn compile_all(&self) -> Result<(), Diagnostics> {
        self.compile(ALL.iter().copied())
    }

    fn compile<'n>(&self, names: impl Iterator<Item = &'n str>) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::default();
        for name in names {
            if let Err(RenderFailure(problem)) = self.compiled(name) {
                problems.push(problem);
            }
        }
        problems.into_result(())
    }

    /// Whether template `name` is the embedded one, not a templates folder's.
    pub(crate) fn is_stock(&self, name: &str) -> bool {
        self.sources.iter().any(|s| s.name == name && s.stock)
    }

    /// Renders template `name` (e.g. `checklist.md`) with `data`, in strict
    /// mode, compiling it first if this is its first use. At most
    /// [`MAX_OUTPUT`] bytes are written.
    pub(crate) fn render<T: Serialize>(
        &self,
        name: &str,
        data: &T,
    ) -> Result<String, RenderFailure> {
        let registry = self.compiled(name)?;
        let mut out = Bounded {
            bytes: Vec::with_capacity(OUTPUT_START),
            full: false,
        };
        let result = registry.render_to_write(name, data, &mut out);
        drop(registry);
        match result {
            Ok(()) => String::from_utf8(out.bytes).map_err(|_| {
                self.failure(name, 1, 1, "template wrote text that is not UTF-8".into())
            }),
            Err(_) if out.full => Err(self.failure(
                name,
                1,
                1,
                format!(
                    "template writes more than {} MiB; is it repeating itself?",
                    MAX_OUTPUT / (1024 * 1024)
                ),
            )),
            Err(err) => {
                let message = match err.reason() {
                    RenderErrorReason::MissingVariable(Some(path)) => {
                        format!("template uses '{path}', which does not exist")
                    }
                    reason => format!("template failed: {reason}"),
                };
                Err(self.failure(
                    name,
                    err.line_no.unwrap_or(1),
                    err.column_no.unwrap_or(1),
                    message,
                ))
            }
        }
    }

    fn failure(&self, name: &str, line: usize, column: usize, message: String) -> RenderFailure {
        let file = self.sources.iter().find(|s| s.name == name).map_or_else(
            || format!("templates/{name}{EXTENSION}"),
            |s| s.path.clone(),
        );
        RenderFailure(Diagnostic {
            file,
            line,
            column,
            message,
        })
    }

    /// The registry that holds template `name`, compiled.
    fn compiled(
        &self,
        name: &str,
    ) -> Result<RwLockReadGuard<'_, Handlebars<'static>>, RenderFailure> {
        let lock = match kind(name) {
            Kind::Markdown => &self.markdown,
            Kind::Html => &self.html,
            Kind::Plain => &self.plain,
        };
        {
            let registry = lock.read().unwrap_or_else(PoisonError::into_inner);
            if registry.has_template(name) {
                return Ok(registry);
            }
        }
        let source = self
            .sources
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| self.failure(name, 1, 1, "template is missing".into()))?;
        // Compiled outside the lock, so templates of one kind compile on
        // several threads at once.
        let compiled = if source.stock {
            pieces::compile(&source.text, name)
        } else {
            Template::compile_with_name(&source.text, name.to_string())
        };
        let template = compiled.map_err(|err| {
            let (line, column) = err.pos().unwrap_or((1, 1));
            self.failure(
                name,
                line,
                column,
                format!("template does not compile: {}", err.reason()),
            )
        })?;
        partials::check(&template)
            .map_err(|(line, column, message)| self.failure(name, line, column, message))?;
        {
            let mut registry = lock.write().unwrap_or_else(PoisonError::into_inner);
            if !registry.has_template(name) {
                registry.register_template(name, template);
            }
        }
        Ok(lock.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The room a rendering starts with: a whole checklist's worth, so the
/// output of a typical template is not copied as it grows.
const OUTPUT_START: usize = 16 * 1024;

/// What a rendering writes, up to [`MAX_OUTPUT`] bytes.
struct Bounded {
    bytes: Vec<u8>,
    full: bool,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT {
            self.full = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn registry(escape: fn(&str) -> String) -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape);
    let helpers: [(&str, TextHelper); 9] = [
        ("url", url_helper),
        ("mention", mention_helper),
        ("code", code_helper),
        ("day", day_helper),
        ("pad", pad_helper),
        ("plural", plural_helper),
        ("join", join_helper),
        ("paint", paint_helper),
        ("row", row_helper),
    ];
    for (name, helper) in helpers {
        hb.register_helper(
            name,
            Box::new(
                move |h: &Helper,
                      hb: &Handlebars,
                      _: &Context,
                      _: &mut RenderContext,
                      out: &mut dyn Output|
                      -> HelperResult {
                    out.write(&helper(h, hb))?;
                    Ok(())
                },
            ),
        );
    }
    hb
}

/// A helper that turns its parameters into text, written out as it is: each
/// helper escapes what needs escaping itself.
type TextHelper = fn(&Helper, &Handlebars) -> String;

fn param_str<'a>(h: &'a Helper, index: usize) -> &'a str {
    h.param(index)
        .and_then(|p| p.value().as_str())
        .unwrap_or("")
}

/// `{{url link}}`: a link destination with the characters that would end it encoded.
fn url_helper(h: &Helper, _: &Handlebars) -> String {
    encode_url(param_str(h, 0))
}

/// Percent-encodes the few characters that would break a Markdown link.
pub(crate) fn encode_url(link: &str) -> String {
    // Most addresses are printable ASCII with nothing to encode.
    let plain = |b: &u8| b.is_ascii_graphic() && !b"()<>\"`".contains(b);
    if link.as_bytes().iter().all(plain) {
        return link.to_string();
    }
    let mut out = String::with_capacity(link.len());
    for c in link.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '"' => out.push_str("%22"),
            '`' => out.push_str("%60"),
            c if c.is_control() || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `{{mention handle}}`: an intended `@mention` of a checked username or
/// group path (`gitlab-com/it`); anything else is written inert.
fn mention_helper(h: &Helper, hb: &Handlebars) -> String {
    let text = param_str(h, 0).trim().trim_start_matches('@');
    let checked = text
        .split('/')
        .map(|part| Username::parse(Field::Manager, part).map(|u| u.to_string()))
        .collect::<Result<Vec<String>, _>>();
    match checked {
        Ok(parts) => format!("@{}", parts.join("/")),
        Err(_) => hb.get_escape_fn()(text),
    }
}

/// `{{code text}}`: an inline code span, where GitLab expands nothing.
fn code_helper(h: &Helper, _: &Handlebars) -> String {
    let text: String = (0..h.params().len()).map(|i| param_str(h, i)).collect();
    format!("`{}`", single_line(&text).replace('`', "'"))
}

/// `{{day date}}`: `2026-12-07` becomes `Mon 2026-12-07`.
fn day_helper(h: &Helper, _: &Handlebars) -> String {
    let text = param_str(h, 0);
    match crate::day::parse_iso(text) {
        Some(date) => crate::day::day(date),
        None => terminal_safe(text),
    }
}

/// A parameter as text: strings as they are, `null` empty, the rest as JSON.
fn value_text(value: Option<&serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The widest column a template may ask for: wider than any terminal, and
/// small enough that a stray zero cannot make a helper write gigabytes.
const MAX_WIDTH: usize = 1000;

/// A parameter as a width, at most [`MAX_WIDTH`]; anything else is 0.
fn value_width(value: Option<&serde_json::Value>) -> usize {
    value
        .and_then(serde_json::Value::as_u64)
        .and_then(|w| usize::try_from(w).ok())
        .map_or(0, |w| w.min(MAX_WIDTH))
}

/// `{{pad value width}}`: left-aligned in a column of `width` characters.
fn pad_helper(h: &Helper, hb: &Handlebars) -> String {
    let text = value_text(h.param(0).map(handlebars::PathAndJson::value));
    let width = value_width(h.param(1).map(handlebars::PathAndJson::value));
    let text = hb.get_escape_fn()(&text);
    let padding = width.saturating_sub(text.chars().count());
    format!("{text}{}", " ".repeat(padding))
}

/// `{{paint colour text width}}`: `text` padded to `width` (optional), in
/// `colour` (`red`, `green`, `yellow`) on a terminal; an empty colour, as
/// views give when colour is off, writes the text alone.
fn paint_helper(h: &Helper, hb: &Handlebars) -> String {
    let text = hb.get_escape_fn()(param_str(h, 1));
    let width = value_width(h.param(2).map(handlebars::PathAndJson::value));
    let padding = " ".repeat(width.saturating_sub(text.chars().count()));
    let code = match param_str(h, 0) {
        "red" => "31",
        "green" => "32",
        "yellow" => "33",
        _ => return format!("{text}{padding}"),
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m{padding}")
}

/// `{{row text width text width … indent=N}}`: cells side by side, one
/// space apart, each wrapped at spaces to its width, so a table keeps to
/// its columns (and to 80 of them) however long a cell is. A word longer
/// than its cell, such as a link, is cut short with `…`. Every line starts
/// with `indent` spaces and loses its trailing ones.
fn row_helper(h: &Helper, hb: &Handlebars) -> String {
    let escape = hb.get_escape_fn();
    let indent = " ".repeat(value_width(
        h.hash_get("indent").map(handlebars::PathAndJson::value),
    ));
    let cells: Vec<(Vec<String>, usize)> = h
        .params()
        .chunks(2)
        .map(|pair| {
            let width = value_width(pair.get(1).map(handlebars::PathAndJson::value));
            (
                wrap(&escape(&value_text(Some(pair[0].value()))), width),
                width,
            )
        })
        .collect();
    let height = cells
        .iter()
        .map(|(lines, _)| lines.len())
        .max()
        .unwrap_or(1);
    (0..height.max(1))
        .map(|i| {
            let mut line = indent.clone();
            for (j, (lines, width)) in cells.iter().enumerate() {
                if j > 0 {
                    line.push(' ');
                }
                let cell = lines.get(i).map_or("", String::as_str);
                line.push_str(cell);
                line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count())));
            }
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words of `text` in lines of at most `width` characters (no limit for 0);
/// a word longer than a line is cut short with `…`.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    if width == 0 {
        return vec![text.split_whitespace().collect::<Vec<_>>().join(" ")];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word: String = if word.chars().count() > width {
            word.chars()
                .take(width - 1)
                .chain(std::iter::once('…'))
                .collect()
        } else {
            word.to_string()
        };
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `{{plural count "task"}}`: `1 task`, `3 tasks`.
fn plural_helper(h: &Helper, _: &Handlebars) -> String {
    let count = h.param(0).and_then(|p| p.value().as_u64()).unwrap_or(0);
    let suffix = if count == 1 { "" } else { "s" };
    format!("{count} {}{suffix}", terminal_safe(param_str(h, 1)))
}

/// `{{join list ", "}}`: the escaped items of a list of strings.
fn join_helper(h: &Helper, hb: &Handlebars) -> String {
    let escape = hb.get_escape_fn();
    h.param(0)
        .and_then(|p| p.value().as_array())
        .map(|items| {
            items
                .iter()
                .map(|item| escape(item.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(param_str(h, 1))
        })
        .unwrap_or_default()
}

/// Characters after which GitLab looks for a reference or mention
/// (`@user`, `#1`, `!1`, `~label`, `%milestone`, `$snippet`, `&epic`, `^`).
const REFERENCE_PREFIXES: &[char] = &['@', '#', '!', '~', '%', '$', '&', '^'];

/// Makes text inert in GitLab Markdown: one line, no quick action, no mention
/// or reference, no HTML, no Markdown structure.
pub(crate) fn markdown_inert(text: &str) -> String {
    inert(text, true)
}

/// Makes plain text (an issue title) inert: one line, no mention or reference.
pub(crate) fn plain_inert(text: &str) -> String {
    inert(text, false)
}

fn inert(text: &str, markdown: bool) -> String {
    // Most text (catalogue titles, plain names) needs no change at all.
    let plain = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                ' ' | ',' | '.' | ':' | ';' | '\'' | '(' | ')' | '?' | '-'
            )
    };
    if text.chars().all(plain)
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    // Whitespace, control and invisible characters collapse into one space
    // between words (never at either end), in the same single pass.
    let mut gap = false;
    let mut after_sigil = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() || c.is_control() || is_invisible_format(c) {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
            after_sigil = false;
        }
        if after_sigil && (c.is_alphanumeric() || c == '_' || c == '"') {
            // A word joiner between the sigil and the name: invisible, but it
            // stops GitLab from reading a mention, reference or quick action.
            out.push('\u{2060}');
        }
        match c {
            '/' if markdown && out.is_empty() => out.push_str("\\/"),
            '<' if markdown => out.push_str("&lt;"),
            '>' if markdown => out.push_str("&gt;"),
            // Only an `&` that could begin an entity (`&amp;`, `&#60;`)
            // needs escaping; "Educate & Engage" stays as written.
            '&' if markdown
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;");
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' if markdown => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        after_sigil = REFERENCE_PREFIXES.contains(&c);
    }
    out
}

/// Escapes text for an HTML page: element content and quoted attributes;
/// bidi controls and invisible characters are dropped.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            // A right-to-left override in a name would reverse the text
            // after it: the badge that says whether day 1 is ready.
            c if is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_actions_and_mentions_become_inert() {
        let out = markdown_inert("Ada\n/assign @root\n/close @all #12 ~bug");
        assert!(!out.contains('\n'));
        assert!(!out.contains("@all") && !out.contains("@root"), "{out}");
        assert!(!out.contains("#12") && !out.contains("~bug"), "{out}");
        assert_eq!(markdown_inert("/close"), "\\/close");
    }

    #[test]
    fn html_and_markdown_are_escaped() {
        assert_eq!(
            markdown_inert("<b>[x](javascript:alert(1))</b> | *bold* _it_ `code`"),
            "&lt;b&gt;\\[x\\](javascript:alert(1))&lt;/b&gt; \\| \\*bold\\* \\_it\\_ \\`code\\`"
        );
        assert_eq!(markdown_inert("Educate & Engage"), "Educate & Engage");
        // `&` and `#` also start GitLab references, so a word joiner follows.
        assert_eq!(
            markdown_inert("AT&T &amp; &#60;"),
            "AT&amp;\u{2060}T &amp;\u{2060}amp; &amp;#\u{2060}60;"
        );
        assert_eq!(markdown_inert("<!-- hide -->"), "&lt;!-- hide --&gt;");
    }

    #[test]
    fn plain_text_is_left_as_it_is() {
        let text = "Read the SAL playbook (MVP), then review: it's due.";
        assert_eq!(markdown_inert(text), text);
        assert_eq!(markdown_inert("  two  spaces "), "two spaces");
    }

    #[test]
    fn titles_keep_their_punctuation_but_lose_mentions() {
        assert_eq!(plain_inert("Ada [x] *y*\n@all"), "Ada [x] *y* @\u{2060}all");
    }

    #[test]
    fn rows_wrap_each_cell_to_its_column() {
        assert_eq!(
            wrap("Access Request, provisioned by Sales Systems", 20),
            ["Access Request,", "provisioned by Sales", "Systems"]
        );
        assert_eq!(
            wrap("https://example.com/a/long/path", 12),
            ["https://exa…"]
        );
        assert_eq!(wrap("", 5), [""]);
        let mut hb = registry(terminal_safe);
        hb.register_template_string("t", "{{row a 6 b 8 c 0 indent=2}}|")
            .unwrap();
        let out = hb
            .render(
                "t",
                &serde_json::json!({"a": "one two three", "b": "x", "c": "last cell"}),
            )
            .unwrap();
        assert_eq!(out, "  one    x        last cell\n  two\n  three|");
    }

    #[test]
    fn links_cannot_break_out() {
        assert_eq!(
            encode_url("https://x.test/a b)(c"),
            "https://x.test/a%20b%29%28c"
        );
    }

    #[test]
    fn a_folders_own_templates_are_compiled_at_once_and_all_reported() {
        let files = FileSet::embedded_templates().overridden_by(FileSet {
            files: vec![
                SourceFile {
                    path: "t/checklist.md.hbs".into(),
                    name: "checklist.md.hbs".into(),
                    text: "line one\n{{#if x}}\n".into(),
                    json: None,
                },
                SourceFile {
                    path: "t/roles-list.txt.hbs".into(),
                    name: "roles-list.txt.hbs".into(),
                    text: "{{/each}}".into(),
                    json: None,
                },
            ],
        });
        let text = Renderer::new(&files).unwrap_err().to_string();
        assert!(text.contains("t/checklist.md.hbs:"), "{text}");
        assert!(text.contains("t/roles-list.txt.hbs:1:"), "{text}");
    }

    #[test]
    fn every_template_any_command_renders_is_there_without_asking() {
        let renderer = Renderer::embedded();
        renderer.compile_all().unwrap();
        for name in ALL {
            assert!(renderer.is_stock(name), "{name} is embedded");
        }
        let err = renderer.render("nonesuch.md", &()).unwrap_err();
        assert!(err.to_string().contains("template is missing"), "{err}");
    }

    #[test]
    fn output_is_bounded_and_widths_are_capped() {
        let files = FileSet::embedded_templates().overridden_by(FileSet {
            files: vec![SourceFile {
                path: "t/roles-list.txt.hbs".into(),
                name: "roles-list.txt.hbs".into(),
                text: "{{#each roles}}{{#each ../roles}}{{#each ../../roles}}{{pad \"x\" 99999999999}}{{/each}}{{/each}}{{/each}}".into(),
                json: None,
            }],
        });
        let renderer = Renderer::new(&files).unwrap();
        let roles: Vec<u32> = (0..100).collect();
        let err = renderer
            .render(ROLES_LIST, &serde_json::json!({ "roles": roles }))
            .unwrap_err();
        assert!(
            err.to_string().starts_with("t/roles-list.txt.hbs:"),
            "{err}"
        );
        assert!(err.to_string().contains("more than 32 MiB"), "{err}");
    }

    #[test]
    fn missing_fields_fail_in_strict_mode_with_a_location() {
        let renderer = Renderer::embedded();
        let err = renderer
            .render(ROLES_LIST, &serde_json::json!({"nothing": true}))
            .unwrap_err();
        assert!(
            err.to_string().starts_with("templates/roles-list.txt.hbs:"),
            "{err}"
        );
        assert!(err.to_string().contains("does not exist"), "{err}");
    }
}
