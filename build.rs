//! Embeds every file of `roles/` and `templates/` in the binary, so `onboard`
//! works from any directory with no files around.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    let mut code = String::new();
    for (constant, dir) in [("ROLES", "roles"), ("TEMPLATES", "templates")] {
        println!("cargo:rerun-if-changed={dir}");
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
        code.push_str(&format!(
            "/// Files embedded from `{dir}/`.\npub const {constant}: &[(&str, &str)] = &[\n"
        ));
        for name in names {
            let path = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap())
                .join(dir)
                .join(&name);
            println!("cargo:rerun-if-changed={}", path.display());
            code.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
        code.push_str("];\n");
    }
    fs::write(out, code).expect("write embedded.rs");
}
