//! The layering `lib.rs` promises: data flows one way, so no file of `src/`
//! names, through its `use crate::…` lines, a module that names it back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its text up to its unit tests.
fn sources(dir: &Path, files: &mut BTreeMap<PathBuf, String>) {
    for entry in fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("source");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            files.insert(path, code.to_string());
        }
    }
}

/// The file that holds module `crate::a::b…`: the deepest that exists.
fn file_of(src: &Path, segments: &[&str], files: &BTreeMap<PathBuf, String>) -> Option<PathBuf> {
    let mut best = None;
    for k in 1..=segments.len() {
        let base: PathBuf = segments[..k]
            .iter()
            .fold(src.to_path_buf(), |p, s| p.join(s));
        for candidate in [base.with_extension("rs"), base.join("mod.rs")] {
            if files.contains_key(&candidate) {
                best = Some(candidate);
            }
        }
    }
    best
}

/// The `crate::` paths one `use` names: `crate::a::{b, c::d}` gives
/// `a::b` and `a::c`.
fn named(body: &str) -> Vec<Vec<String>> {
    let head: Vec<String> = body
        .split('{')
        .next()
        .unwrap_or_default()
        .split("::")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s != "*")
        .collect();
    match (body.find('{'), body.rfind('}')) {
        (Some(open), Some(close)) if open < close => body[open + 1..close]
            .split(',')
            .filter_map(|item| item.trim().split("::").next().map(str::trim))
            .filter(|first| !first.is_empty() && *first != "self" && *first != "*")
            .map(|first| {
                let mut path = head.clone();
                path.push(first.to_string());
                path
            })
            .collect(),
        _ => vec![head],
    }
}

/// Which files each file names.
fn edges(src: &Path) -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let mut files = BTreeMap::new();
    sources(src, &mut files);
    let mut edges = BTreeMap::new();
    for (file, text) in &files {
        let mut targets = Vec::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("use crate::") {
            let after = &rest[at + "use crate::".len()..];
            let end = after.find(';').unwrap_or(after.len());
            for path in named(&after[..end]) {
                let segments: Vec<&str> = path.iter().map(String::as_str).collect();
                if let Some(target) = file_of(src, &segments, &files) {
                    if &target != file && !targets.contains(&target) {
                        targets.push(target);
                    }
                }
            }
            rest = &after[end..];
        }
        edges.insert(file.clone(), targets);
    }
    edges
}

/// The strongly connected groups of more than one file (Tarjan).
fn circles(edges: &BTreeMap<PathBuf, Vec<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Walk<'e> {
        edges: &'e BTreeMap<PathBuf, Vec<PathBuf>>,
        index: BTreeMap<&'e PathBuf, (usize, usize)>,
        stack: Vec<&'e PathBuf>,
        next: usize,
        found: Vec<Vec<PathBuf>>,
    }
    impl<'e> Walk<'e> {
        fn visit(&mut self, v: &'e PathBuf) {
            self.index.insert(v, (self.next, self.next));
            self.next += 1;
            self.stack.push(v);
            for w in &self.edges[v] {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.index[w].1.min(self.index[v].1);
                    self.index.get_mut(v).expect("visited").1 = low;
                } else if self.stack.contains(&w) {
                    let low = self.index[w].0.min(self.index[v].1);
                    self.index.get_mut(v).expect("visited").1 = low;
                }
            }
            if self.index[v].0 == self.index[v].1 {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn no_module_names_one_that_names_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = circles(&edges(&src));
    let shown: Vec<String> = found
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|p| p.strip_prefix(&src).unwrap_or(p).display().to_string())
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(shown.is_empty(), "import circles:\n{}", shown.join("\n"));
}

#[test]
fn the_circle_check_sees_a_circle() {
    let dir = tempfile::tempdir().expect("a folder");
    fs::write(dir.path().join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    fs::write(dir.path().join("a.rs"), "use crate::b::{Thing, other};\n").unwrap();
    fs::create_dir(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("b/mod.rs"), "use crate::a::Back;\n").unwrap();
    fs::write(
        dir.path().join("c.rs"),
        "use crate::a;\n#[cfg(test)]\nuse crate::c;\n",
    )
    .unwrap();
    let found = circles(&edges(dir.path()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].len(), 2);
}
