//! Embeds every file of `roles/`, `roles/holidays/` and `templates/` in the
//! binary, so `onboard` works from any directory with no files around.
//!
//! Each catalogue file is also embedded as JSON, converted here from its YAML:
//! reading JSON at start-up is several times faster than reading YAML, which
//! matters for a command that should start in a few milliseconds. The YAML
//! text stays the source of truth and is what any error message points into.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    for (constant, dir) in [
        ("ROLES", "roles"),
        ("HOLIDAYS", "roles/holidays"),
        ("TEMPLATES", "templates"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        code.push_str(&format!(
            "/// Files embedded from `{dir}/`: name, text, and for YAML files the same data as JSON.\n\
             pub(crate) const {constant}: &[(&str, &str, Option<&str>)] = &[\n"
        ));
        for name in file_names(&manifest.join(dir)) {
            let path = manifest.join(dir).join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            let json = as_json(&path).map(|json| {
                let json_path = out.join(format!("{}-{name}.json", dir.replace('/', "-")));
                fs::write(&json_path, json).expect("write embedded JSON");
                format!("Some(include_str!({:?}))", json_path.display().to_string())
            });
            code.push_str(&format!(
                "    ({name:?}, include_str!({:?}), {}),\n",
                path.display().to_string(),
                json.unwrap_or_else(|| "None".to_string())
            ));
        }
        code.push_str("];\n");
    }
    fs::write(out.join("embedded.rs"), code).expect("write embedded.rs");
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The YAML file as JSON; `None` when it is not YAML or does not parse, in
/// which case the program reads the YAML and reports the error itself.
fn as_json(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_yaml::from_str(&text).ok()?;
    serde_json::to_string(&value).ok()
}
