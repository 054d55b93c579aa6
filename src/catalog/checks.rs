//! Turns raw catalogue files into model types, collecting every problem with
//! the path of the value it concerns. Positions are worked out later, and
//! only when there is something to report.

use std::collections::BTreeMap;

use crate::calendar::Due;
use crate::diagnostic::{did_you_mean, Problem, YamlPath};

use super::model::{
    AccessMode, AccessRequestDefaults, Bookmark, Classification, Deprovisioner, DoneWhen, Keyword,
    Owner, Person, Provisioner, RoleTool, Source, Task, TaskOrigin, Tool, ToolId, ToolLink,
    TOOL_FACTS,
};
use super::raw;

/// Checks a catalogue id: lower-case words joined by dashes.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "id '{id}' must be lower-case letters and digits joined by single dashes"
        ))
    }
}

/// Checks that a catalogue link is an absolute web address.
pub(super) fn check_link(link: &str) -> Result<(), String> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !link
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "<>\"`".contains(c)) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "link '{link}' must be an absolute http(s) address without spaces"
        )),
    }
}

fn check_text(value: &str, what: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{what} must not be empty"))
    } else {
        Ok(())
    }
}

/// Collects the problems of one file, and its facts that are assumptions.
#[derive(Default)]
pub(super) struct Problems(pub Vec<Problem>, pub Vec<Problem>);

impl Problems {
    /// Records `check`'s complaint about the value at `path`.
    fn check(&mut self, path: YamlPath, check: Result<(), String>) {
        if let Err(message) = check {
            self.0.push(Problem::at(path, message));
        }
    }

    /// Records a complaint about the value at `path`.
    pub(super) fn add(&mut self, path: YamlPath, message: String) {
        self.0.push(Problem::at(path, message));
    }

    /// Notes that the value at `path` is an assumption, for `validate --strict`.
    fn assumed(&mut self, path: YamlPath, fact: &str) {
        self.1.push(Problem::at(path, format!("assumed: {fact}")));
    }

    /// Records a complaint about a value that repeats the one at `first`.
    fn repeated(&mut self, path: YamlPath, first: YamlPath, message: String) {
        self.0
            .push(Problem::at(path, message).see(first, "first on line"));
    }

    fn keyword<K: Keyword>(&mut self, path: YamlPath, value: &str, what: &str) -> Option<K> {
        K::parse(value, what)
            .map_err(|message| self.add(path, message))
            .ok()
    }

    fn optional_link(&mut self, path: YamlPath, link: Option<&str>) {
        if let Some(link) = link {
            self.check(path, check_link(link));
        }
    }
}

/// The tools, the access-request defaults, and every tool id declared (so
/// roles are checked against them even when a tool entry itself is broken).
pub(super) struct CheckedTools {
    /// The tools that are valid.
    pub tools: Vec<Tool>,
    /// `access_requests:`, if given.
    pub defaults: Option<AccessRequestDefaults>,
    /// Every id `tools:` declares.
    pub declared: Vec<String>,
    /// The people and the owner teams; `None` when `tools.yaml` could not
    /// be read, so task owners cannot be checked.
    pub owners: Option<Vec<Owner>>,
}

/// Checks a GitLab handle: `@` and a user name or group path.
fn check_handle(handle: &str) -> Result<(), String> {
    let path = handle.strip_prefix('@').unwrap_or_default();
    let ok = !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        })
        && !["all", "here"].contains(&path);
    if ok {
        Ok(())
    } else {
        Err(format!(
            "handle '{handle}' must be '@' and a GitLab user name or group path, such as @gitlab-com/it"
        ))
    }
}

/// Checks `owners:`: the teams that own tasks, after the three people.
fn owner_teams(raw: Vec<raw::OwnerTeam>, problems: &mut Problems) -> Vec<Owner> {
    let root = YamlPath::root();
    let mut owners = Owner::people();
    for (i, team) in raw.into_iter().enumerate() {
        let at = root.key("owners").index(i);
        problems.check(at.key("id"), check_id(&team.id));
        problems.check(at.key("name"), check_text(&team.name, "owner name"));
        problems.check(at.key("handle"), check_handle(&team.handle));
        if let Some((person, _, _)) = Person::ALL.iter().find(|(_, id, _)| *id == team.id) {
            let whose = match person {
                Person::Hire => "the hire's",
                Person::Manager => "the manager's",
                Person::Buddy => "the buddy's",
            };
            problems.add(
                at.key("id"),
                format!(
                    "owner id '{}' is {whose}, whose username comes with each hire",
                    team.id
                ),
            );
        } else if owners.iter().any(|o| o.id() == team.id) {
            problems.add(at.key("id"), format!("duplicate owner id '{}'", team.id));
        } else {
            owners.push(Owner::team(i, &team.id, &team.name, &team.handle));
        }
    }
    owners
}

/// Checks `tools.yaml`.
pub(super) fn tools(raw: raw::ToolsFile, problems: &mut Problems) -> CheckedTools {
    let root = YamlPath::root();
    let owners = owner_teams(raw.owners, problems);
    let provisioners = provisioners(raw.provisioners, problems);
    let declared: Vec<String> = raw.tools.iter().map(|t| t.id.clone()).collect();
    let mut tools: Vec<Tool> = Vec::new();
    for (i, t) in raw.tools.into_iter().enumerate() {
        let at = root.key("tools").index(i);
        let first = declared.iter().position(|id| id == &t.id).unwrap_or(i);
        let first = (first < i).then(|| root.key("tools").index(first).key("id"));
        let teams = Teams {
            provisioners: &provisioners,
            owners: &owners,
        };
        tools.extend(tool(t, &at, first, &teams, problems));
    }
    if declared.is_empty() {
        problems.add(
            root.key("tools"),
            "the tool catalogue lists no tools".into(),
        );
    }
    let defaults = raw.access_requests.map(|raw| {
        let fallback = AccessRequestDefaults::default();
        AccessRequestDefaults {
            labels: raw.labels.unwrap_or(fallback.labels),
            confidential: raw.confidential.unwrap_or(fallback.confidential),
        }
    });
    CheckedTools {
        tools,
        defaults,
        declared,
        owners: Some(owners),
    }
}

/// The provisioning teams of `tools.yaml`, by id; the first of a repeated
/// id wins.
fn provisioners(
    raw: Vec<raw::Provisioner>,
    problems: &mut Problems,
) -> BTreeMap<String, Provisioner> {
    let root = YamlPath::root();
    let mut provisioners: BTreeMap<String, Provisioner> = BTreeMap::new();
    let provisioner_ids: Vec<String> = raw.iter().map(|p| p.id.clone()).collect();
    for (i, p) in raw.into_iter().enumerate() {
        let at = root.key("provisioners").index(i);
        problems.check(at.key("id"), check_id(&p.id));
        let first = provisioner_ids.iter().position(|id| id == &p.id);
        if let Some(first) = first.filter(|first| *first < i) {
            let first = root.key("provisioners").index(first).key("id");
            let message = format!("duplicate provisioner id '{}'", p.id);
            problems.repeated(at.key("id"), first, message);
        }
        problems.check(at.key("name"), check_text(&p.name, "provisioner name"));
        provisioners.entry(p.id.clone()).or_insert(Provisioner {
            id: p.id,
            name: p.name,
            label: p.label,
        });
    }
    provisioners
}

/// The teams a tool names as its provisioner and deprovisioner.
struct Teams<'a> {
    provisioners: &'a BTreeMap<String, Provisioner>,
    owners: &'a [Owner],
}

/// One tool entry at `at`, checked; `None` when it is unusable or repeats
/// the id first declared at `first`.
fn tool(
    t: raw::Tool,
    at: &YamlPath,
    first: Option<YamlPath>,
    teams: &Teams,
    problems: &mut Problems,
) -> Option<Tool> {
    problems.check(at.key("id"), check_id(&t.id));
    let duplicate = first.is_some();
    if let Some(first) = first {
        problems.repeated(at.key("id"), first, format!("duplicate tool id '{}'", t.id));
    }
    check_tool_text(&t, at, problems);
    let assumed = assumed_facts(&t, at, problems);
    report_assumed(&t, at, &assumed, problems);
    let access = problems.keyword::<AccessMode>(at.key("access"), &t.access, "access mode");
    let classification = problems.keyword::<Classification>(
        at.key("classification"),
        &t.classification,
        "classification",
    );
    let provisioner = teams.provisioners.get(&t.provisioner).cloned();
    if provisioner.is_none() {
        problems.add(
            at.key("provisioner"),
            format!(
                "unknown provisioner '{}'{}",
                t.provisioner,
                did_you_mean(
                    &t.provisioner,
                    teams.provisioners.keys().map(String::as_str)
                )
            ),
        );
    }
    let deprovisioner = provisioner.as_ref().and_then(|provisioner| {
        deprovisioner(
            &t,
            provisioner,
            teams.provisioners,
            teams.owners,
            at,
            problems,
        )
    });
    check_via(&t, access, at, problems);
    let (Some(access), Some(classification), Some(provisioner), Some(deprovisioner), false) = (
        access,
        classification,
        provisioner,
        deprovisioner,
        duplicate,
    ) else {
        return None;
    };
    let links = tool_links(&t);
    Some(Tool {
        id: ToolId::checked(&t.id),
        name: t.name,
        purpose: t.purpose,
        access,
        via: t.via,
        provisioner,
        deprovisioner,
        links,
        link: t.link,
        about: t.about,
        training: t.training,
        video: t.video,
        if_missing: t.if_missing,
        classification,
        baseline: t.baseline,
        check: t.check,
        assumed,
    })
}

/// A tool's name, purpose and links: present, and links absolute.
fn check_tool_text(t: &raw::Tool, at: &YamlPath, problems: &mut Problems) {
    problems.check(at.key("name"), check_text(&t.name, "tool name"));
    problems.check(at.key("purpose"), check_text(&t.purpose, "tool purpose"));
    for (field, link) in [
        ("link", &t.link),
        ("about", &t.about),
        ("training", &t.training),
        ("video", &t.video),
    ] {
        problems.optional_link(at.key(field), link.as_deref());
    }
    if t.link.is_none() && t.about.is_none() && t.training.is_none() {
        problems.add(
            at.key("id"),
            format!(
                "tool '{}' needs 'link:' (the tool itself) or 'about:' (a page about it)",
                t.id
            ),
        );
    }
}

/// Notes the facts of a tool that are assumed: the whole entry, or some.
fn report_assumed(t: &raw::Tool, at: &YamlPath, assumed: &[String], problems: &mut Problems) {
    if assumed.len() == TOOL_FACTS.len() {
        problems.assumed(
            at.key("id"),
            &format!("tool '{}': the source page does not mention it", t.id),
        );
    } else if !assumed.is_empty() {
        problems.assumed(
            at.key("assumed"),
            &format!(
                "tool '{}': {} not stated on the source page",
                t.id,
                assumed.join(", ")
            ),
        );
    }
}

/// `via:` is there exactly when the tool is reached through a colleague.
fn check_via(t: &raw::Tool, access: Option<AccessMode>, at: &YamlPath, problems: &mut Problems) {
    match (access, &t.via) {
        (Some(AccessMode::Colleague), None) => problems.add(
            at.key("access"),
            format!(
                "tool '{}' is reached through a colleague, so it needs 'via:' naming who",
                t.id
            ),
        ),
        (Some(mode), Some(_)) if mode != AccessMode::Colleague => problems.add(
            at.key("via"),
            format!(
                "'via:' only applies to 'access: colleague', but tool '{}' has 'access: {}'",
                t.id, t.access
            ),
        ),
        _ => {}
    }
}

/// Who removes a tool's access: `deprovisioner:`, a provisioner or owner
/// team id, else the tool's provisioner. `None` after reporting an unknown id.
fn deprovisioner(
    t: &raw::Tool,
    provisioner: &Provisioner,
    provisioners: &BTreeMap<String, Provisioner>,
    owners: &[Owner],
    at: &YamlPath,
    problems: &mut Problems,
) -> Option<Deprovisioner> {
    let Some(id) = t.deprovisioner.as_deref() else {
        return Some(Deprovisioner::from(provisioner));
    };
    if let Some(team) = provisioners.get(id) {
        return Some(Deprovisioner::from(team));
    }
    if let Some(owner) = owners.iter().find(|o| o.id() == id && o.person().is_none()) {
        return Some(Deprovisioner {
            id: owner.id().to_string(),
            name: owner.to_string(),
            handle: owner.handle().map(str::to_string),
        });
    }
    let known = provisioners.keys().map(String::as_str).chain(
        owners
            .iter()
            .filter(|o| o.person().is_none())
            .map(Owner::id),
    );
    problems.add(
        at.key("deprovisioner"),
        format!(
            "unknown deprovisioner '{id}': name a provisioner or an owner team{}",
            did_you_mean(id, known)
        ),
    );
    None
}

/// A tool's links, labelled by what they lead to, the tool itself first.
fn tool_links(t: &raw::Tool) -> Vec<ToolLink> {
    let short = t.name.split_once(" (").map_or(t.name.as_str(), |(s, _)| s);
    [
        (&t.link, "Open".to_string()),
        (&t.about, format!("About {short}")),
        (&t.training, "Training".to_string()),
        (&t.video, "Overview video".to_string()),
    ]
    .into_iter()
    .filter_map(|(url, label)| url.clone().map(|url| ToolLink { label, url }))
    .collect()
}

/// The facts of a tool the source page does not state: `source: assumed`
/// for the whole entry, or `assumed: [access, provisioner]` for some.
fn assumed_facts(t: &raw::Tool, at: &YamlPath, problems: &mut Problems) -> Vec<String> {
    let source = t
        .source
        .as_deref()
        .and_then(|s| problems.keyword::<Source>(at.key("source"), s, "source"));
    for (i, fact) in t.assumed.iter().enumerate() {
        if !TOOL_FACTS.contains(&fact.as_str()) {
            problems.add(
                at.key("assumed").index(i),
                format!(
                    "'{fact}' is not a fact of a tool{}; expected some of: {}",
                    did_you_mean(fact, TOOL_FACTS.iter().copied()),
                    TOOL_FACTS.join(", ")
                ),
            );
        }
    }
    if source == Some(Source::Assumed) {
        TOOL_FACTS.iter().map(ToString::to_string).collect()
    } else {
        t.assumed.clone()
    }
}

/// Whether an entry is assumed: its own `source:`, else its file's.
fn is_assumed(
    own: Option<&str>,
    file_default: Option<Source>,
    at: YamlPath,
    problems: &mut Problems,
) -> bool {
    let own = own.and_then(|s| problems.keyword::<Source>(at, s, "source"));
    own.or(file_default) == Some(Source::Assumed)
}

/// One role file, checked but not yet layered.
#[derive(Debug, Clone)]
pub(super) struct RoleDef {
    /// Catalogue id (the file name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One or two sentences about the role.
    pub description: String,
    /// A shared layer that nobody is hired into directly.
    pub layer: bool,
    /// A page about the role.
    pub link: Option<String>,
    /// The parent layer.
    pub extends: Option<String>,
    /// Tools this layer adds or overrides.
    pub tools: Vec<RoleTool>,
    /// Bookmarks this layer adds.
    pub bookmarks: Vec<Bookmark>,
    /// Tasks this layer adds.
    pub tasks: Vec<Task>,
    /// How many tasks one owner may have on a day, if not the usual.
    pub max_tasks_per_day: Option<usize>,
}

/// Checks a role file named `file_name` against the declared tool ids and
/// owners (`None`: owners unknown, so not checked).
pub(super) fn role(
    raw: raw::Role,
    file_name: &str,
    declared: &[String],
    owners: Option<&[Owner]>,
    problems: &mut Problems,
) -> RoleDef {
    let root = YamlPath::root();
    let stem = file_name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let id_check = check_id(&raw.id).and_then(|()| {
        if raw.id == stem {
            Ok(())
        } else {
            Err(format!(
                "role id '{}' does not match its file name '{file_name}'",
                raw.id
            ))
        }
    });
    problems.check(root.key("id"), id_check);
    problems.check(root.key("name"), check_text(&raw.name, "role name"));
    problems.optional_link(root.key("link"), raw.link.as_deref());
    let file_source = raw
        .source
        .as_deref()
        .and_then(|s| problems.keyword::<Source>(root.key("source"), s, "source"));
    let layer = Layer {
        role: &raw.id,
        declared,
        owners,
        file_source,
    };
    let tools = layer.tools(raw.tools, problems);
    let bookmarks = layer.bookmarks(raw.bookmarks, problems);
    let tasks = layer.tasks(raw.tasks, problems);
    if raw.max_tasks_per_day == Some(0) {
        problems.add(
            root.key("max_tasks_per_day"),
            "max_tasks_per_day must be at least 1".into(),
        );
    }
    RoleDef {
        id: raw.id,
        name: raw.name,
        description: raw.description,
        layer: raw.layer,
        link: raw.link,
        extends: raw.extends,
        tools,
        bookmarks,
        tasks,
        max_tasks_per_day: raw.max_tasks_per_day,
    }
}

/// What a role file's entries are checked against.
struct Layer<'a> {
    /// The role's id.
    role: &'a str,
    /// The tool ids of the catalogue.
    declared: &'a [String],
    /// The owners tasks may have; `None`: unknown, so not checked.
    owners: Option<&'a [Owner]>,
    /// The file's own `source:`.
    file_source: Option<Source>,
}

impl Layer<'_> {
    /// The role's `tools:`.
    fn tools(&self, raw: Vec<raw::RoleTool>, problems: &mut Problems) -> Vec<RoleTool> {
        let root = YamlPath::root();
        let mut tools: Vec<RoleTool> = Vec::new();
        for (i, t) in raw.into_iter().enumerate() {
            let at = root.key("tools").index(i);
            if !self.declared.contains(&t.tool) {
                problems.add(at.key("tool"), self.unknown_tool(&t.tool));
            } else if let Some(first) = tools.iter().position(|e| e.tool.as_str() == t.tool) {
                let first = root.key("tools").index(first).key("tool");
                let message = format!("tool '{}' is listed twice in this role", t.tool);
                problems.repeated(at.key("tool"), first, message);
            }
            problems.check(at.key("level"), check_text(&t.level, "access level"));
            problems.check(
                at.key("justification"),
                check_text(&t.justification, "justification"),
            );
            let assumed = self.is_assumed(t.source.as_deref(), &at, problems);
            if assumed {
                problems.assumed(
                    at.key("level"),
                    &format!(
                        "the level and justification of '{}' for {}",
                        t.tool, self.role
                    ),
                );
            }
            tools.push(RoleTool {
                tool: ToolId::checked(&t.tool),
                level: t.level,
                justification: t.justification,
                optional: t.optional,
                assumed,
            });
        }
        tools
    }

    /// The role's `bookmarks:`.
    fn bookmarks(&self, raw: Vec<raw::Bookmark>, problems: &mut Problems) -> Vec<Bookmark> {
        let root = YamlPath::root();
        let mut bookmarks = Vec::new();
        for (i, b) in raw.into_iter().enumerate() {
            let at = root.key("bookmarks").index(i);
            problems.check(at.key("title"), check_text(&b.title, "bookmark title"));
            problems.check(at.key("link"), check_link(&b.link));
            let assumed = self.is_assumed(b.source.as_deref(), &at, problems);
            if assumed {
                problems.assumed(at.key("title"), &format!("bookmark '{}'", b.title));
            }
            bookmarks.push(Bookmark {
                title: b.title,
                link: b.link,
                note: b.note,
                assumed,
            });
        }
        bookmarks
    }

    /// The role's `tasks:`; a task without a known owner or a due day is
    /// left out once reported.
    fn tasks(&self, raw: Vec<raw::Task>, problems: &mut Problems) -> Vec<Task> {
        let root = YamlPath::root();
        let mut tasks = Vec::new();
        let mut task_ids: Vec<(String, usize)> = Vec::new();
        for (i, t) in raw.into_iter().enumerate() {
            let at = root.key("tasks").index(i);
            problems.check(at.key("title"), check_text(&t.title, "task title"));
            if let Some(id) = &t.id {
                problems.check(at.key("id"), check_id(id));
                match task_ids.iter().find(|(seen, _)| seen == id) {
                    Some((_, first)) => problems.repeated(
                        at.key("id"),
                        root.key("tasks").index(*first).key("id"),
                        format!("duplicate task id '{id}'"),
                    ),
                    None => task_ids.push((id.clone(), i)),
                }
            }
            tasks.extend(self.task(t, i, &at, problems));
        }
        tasks
    }

    /// Task `index` at `at`, past its title and id.
    fn task(
        &self,
        t: raw::Task,
        index: usize,
        at: &YamlPath,
        problems: &mut Problems,
    ) -> Option<Task> {
        let owner = self
            .owners
            .and_then(|owners| task_owner(owners, &t.owner, at, problems));
        let done_when = t.done_when.as_deref().and_then(|word| {
            problems.keyword::<DoneWhen>(at.key("done_when"), word, "'done_when' state")
        });
        let due = t
            .due
            .parse::<Due>()
            .map_err(|e| problems.add(at.key("due"), e.to_string()))
            .ok();
        problems.optional_link(at.key("link"), t.link.as_deref());
        let tool = match &t.tool {
            Some(id) if !self.declared.contains(id) => {
                problems.add(at.key("tool"), self.unknown_tool(id));
                None
            }
            Some(id) => Some(ToolId::checked(id)),
            None => None,
        };
        let assumed = self.is_assumed(t.source.as_deref(), at, problems);
        if assumed {
            problems.assumed(at.key("title"), &format!("task '{}'", t.title));
        }
        let (Some(owner), Some(due)) = (owner, due) else {
            return None;
        };
        Some(Task {
            title: t.title,
            owner,
            due,
            link: t.link,
            section: t.section,
            tool,
            done_when,
            assumed,
            id: t.id,
            follows: t.follows,
            origin: TaskOrigin {
                role: self.role.to_string(),
                index,
            },
        })
    }

    /// Whether the entry at `at` is assumed: its own `source:`, else the
    /// file's.
    fn is_assumed(&self, own: Option<&str>, at: &YamlPath, problems: &mut Problems) -> bool {
        is_assumed(own, self.file_source, at.key("source"), problems)
    }

    /// The message for a tool id the catalogue does not declare.
    fn unknown_tool(&self, id: &str) -> String {
        format!(
            "unknown tool '{id}'{}",
            did_you_mean(id, self.declared.iter().map(String::as_str))
        )
    }
}

/// The owner a task names, from the known `owners`; `None` once reported.
fn task_owner(owners: &[Owner], id: &str, at: &YamlPath, problems: &mut Problems) -> Option<Owner> {
    owners.iter().find(|o| o.id() == id).cloned().or_else(|| {
        let ids: Vec<&str> = owners.iter().map(Owner::id).collect();
        problems.add(
            at.key("owner"),
            format!(
                "unknown owner '{id}'{}; expected one of: {} (teams are defined under 'owners:' in tools.yaml)",
                did_you_mean(id, ids.iter().copied()),
                ids.join(", ")
            ),
        );
        None
    })
}
