//! Loads and validates the role catalogue; with `roster` and `config`, the only
//! code that reads YAML (through [`crate::diagnostic`]).
//!
//! Every problem in every file is collected and reported as
//! `file:line:column: message`. Roles come out merged with their layers, and
//! ids come out as [`RoleId`] and [`ToolId`], so nothing downstream checks them again.

mod checks;
mod graph;
mod model;
mod raw;

use crate::calendar::{Country, CountryHolidays, Holiday};
use crate::diagnostic::{Diagnostic, Diagnostics, Located, Problem};
use crate::source::{FileSet, SourceFile};

pub(crate) use model::{
    AccessMode, AccessRequestDefaults, Bookmark, Catalog, Classification, DoneWhen, Keyword, Owner,
    Person, Provisioner, Role, RoleId, Task, TaskOrigin, Tool, ToolId, UnknownRole, UnknownTool,
};

/// The catalogue file that lists the tools.
pub(crate) const TOOLS_FILE: &str = "tools.yaml";
/// The optional catalogue file that lists company holidays.
pub(crate) const HOLIDAYS_FILE: &str = "holidays.yaml";

/// Reads a holiday list (`holidays: [{date, name}]` or bare dates).
pub(crate) fn parse_holidays(file: &SourceFile) -> Result<Vec<Holiday>, Diagnostics> {
    let raw = raw::holidays(file)?;
    Ok(raw.holidays.into_iter().map(Holiday::from).collect())
}

/// Reads a country's public holidays, `holidays/<CODE>.yaml`: the file name
/// is the ISO 3166-1 code (or ISO 3166-2 for a region), and `country:` its name.
pub(crate) fn parse_country_holidays(file: &SourceFile) -> Result<CountryHolidays, Diagnostics> {
    let raw = raw::holidays(file)?;
    let code = crate::calendar::country_code_of(&file.name).unwrap_or_default();
    Ok(CountryHolidays {
        country: Country {
            name: raw.country.unwrap_or_else(|| code.clone()),
            code,
            years: raw.years,
        },
        holidays: raw.holidays.into_iter().map(Holiday::from).collect(),
    })
}

/// Loads and validates a whole catalogue folder. Whether any role's task
/// names a tool the role does not get is not checked again on the embedded
/// catalogue at every start: a unit test checks it when it is built.
pub(crate) fn load(files: &FileSet) -> Result<Catalog, Diagnostics> {
    load_with(files, !files.is_embedded())
}

/// [`load`], checking what tasks name when `check_mentions`.
fn load_with(files: &FileSet, check_mentions: bool) -> Result<Catalog, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut assumed: Vec<(String, Problem)> = Vec::new();
    let mut tools = None;
    match files.get(TOOLS_FILE) {
        Some(file) => match raw::tools(file) {
            Ok(raw) => {
                let mut found = checks::Problems::default();
                tools = Some(checks::tools(raw, &mut found));
                problems.extend(Located::new(&file.path, &file.text).place_all(found.0));
                assumed.extend(found.1.into_iter().map(|p| (file.path.clone(), p)));
            }
            Err(d) => {
                problems.extend(d);
                tools = Some(checks::CheckedTools {
                    tools: Vec::new(),
                    defaults: None,
                    declared: raw::declared_tool_ids(file),
                    owners: None,
                });
            }
        },
        None => problems.push(Diagnostic::file(
            TOOLS_FILE,
            format!("the catalogue has no {TOOLS_FILE}"),
        )),
    }
    let holidays = match files.get(HOLIDAYS_FILE) {
        Some(file) => parse_holidays(file).unwrap_or_else(|d| {
            problems.extend(d);
            Vec::new()
        }),
        None => Vec::new(),
    };
    let checks::CheckedTools {
        tools,
        defaults,
        declared,
        owners,
    } = tools.unwrap_or(checks::CheckedTools {
        tools: Vec::new(),
        defaults: None,
        declared: Vec::new(),
        owners: None,
    });
    let role_files: Vec<&SourceFile> = files
        .files
        .iter()
        .filter(|f| f.name != TOOLS_FILE && f.name != HOLIDAYS_FILE)
        .filter(|f| f.name.ends_with(".yaml") || f.name.ends_with(".yml"))
        .collect();
    let mut nodes: Vec<graph::Node> = Vec::new();
    let mut unparsed: Vec<&str> = Vec::new();
    for file in &role_files {
        match raw::role(file) {
            Ok(raw) => {
                let mut found = checks::Problems::default();
                let def = checks::role(raw, &file.name, &declared, owners.as_deref(), &mut found);
                problems.extend(Located::new(&file.path, &file.text).place_all(found.0));
                assumed.extend(found.1.into_iter().map(|p| (file.path.clone(), p)));
                nodes.push(graph::Node {
                    def,
                    file: &file.path,
                });
            }
            Err(d) => {
                // A file that failed to parse still declares its role, so
                // children that extend it are not reported as well.
                problems.extend(d);
                unparsed.push(file_stem(&file.name));
            }
        }
    }
    nodes.sort_by(|a, b| a.def.id.cmp(&b.def.id));
    let roles = graph::merge(&nodes);
    let graph_problems = graph::check(&nodes, &unparsed);
    // Which tools a role has is only known once everything else is right.
    let mentions = if graph_problems.is_empty() && problems.is_empty() && check_mentions {
        graph::mentions(&nodes, &roles, &tools)
    } else {
        Vec::new()
    };
    for (i, problem) in graph_problems.into_iter().chain(mentions) {
        let file = role_files
            .iter()
            .find(|f| f.path == nodes[i].file)
            .expect("every node comes from a role file");
        problems.push(Located::new(&file.path, &file.text).place(problem));
    }
    problems.sort();
    problems.into_result(()).map(|()| Catalog {
        tools,
        roles,
        holidays,
        access_requests: defaults.unwrap_or_default(),
        owners: owners.unwrap_or_else(Owner::people),
        assumed,
    })
}

/// Every fact of the catalogue that is an assumption rather than stated on
/// the source page, each at its `file:line:column`, for `validate --strict`.
pub(crate) fn assumptions(catalog: &Catalog, files: &FileSet) -> Diagnostics {
    let mut found = Diagnostics::default();
    for file in &files.files {
        let here: Vec<Problem> = catalog
            .assumed
            .iter()
            .filter(|(path, _)| *path == file.path)
            .map(|(_, p)| p.clone())
            .collect();
        if !here.is_empty() {
            found.extend(Located::new(&file.path, &file.text).place_all(here));
        }
    }
    found
}

/// A problem with a task found after loading (its timing against the
/// others), at the task's `field` in its role file.
pub(crate) fn task_problem(
    files: &FileSet,
    origin: &TaskOrigin,
    field: &str,
    message: String,
) -> Diagnostic {
    let at = crate::diagnostic::YamlPath::root()
        .key("tasks")
        .index(origin.index)
        .key(field);
    match role_file(files, origin) {
        Some(file) => Located::new(&file.path, &file.text).place(Problem::at(at, message)),
        None => Diagnostic::file(&origin.role, message),
    }
}

/// `roles/sales.yaml:52`: where a task is written, for a message about another.
pub(crate) fn task_place(files: &FileSet, origin: &TaskOrigin) -> String {
    let at = crate::diagnostic::YamlPath::root()
        .key("tasks")
        .index(origin.index);
    match role_file(files, origin) {
        Some(file) => format!(
            "{}:{}",
            file.path,
            Located::new(&file.path, &file.text).line_of(&at)
        ),
        None => origin.role.clone(),
    }
}

fn role_file<'f>(files: &'f FileSet, origin: &TaskOrigin) -> Option<&'f SourceFile> {
    files
        .files
        .iter()
        .find(|f| file_stem(&f.name) == origin.role && f.name != TOOLS_FILE)
}

/// `sales.yaml` → `sales`.
fn file_stem(name: &str) -> &str {
    name.trim_end_matches(".yaml").trim_end_matches(".yml")
}

#[cfg(test)]
mod tests;
