//! The `extends` graph: duplicate role ids, unknown parents, cycles, and the
//! merging of each role's layers into one [`Role`].

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostic::{did_you_mean, Problem, YamlPath};

use super::checks::RoleDef;
use super::model::{Role, RoleId, Tool};

/// A checked role file and the name of the file it came from.
pub(super) struct Node<'a> {
    /// The role.
    pub def: RoleDef,
    /// Its file, as shown in messages.
    pub file: &'a str,
}

/// Problems with the graph, by the index of the node whose file they are in.
pub(super) fn check(nodes: &[Node<'_>], unparsed: &[&str]) -> Vec<(usize, Problem)> {
    let mut problems = Vec::new();
    let ids: Vec<&str> = nodes.iter().map(|n| n.def.id.as_str()).collect();
    let by_id: HashMap<&str, &RoleDef> =
        nodes.iter().map(|n| (n.def.id.as_str(), &n.def)).collect();
    let extends = YamlPath::root().key("extends");
    let mut reported_cycles: BTreeSet<Vec<String>> = BTreeSet::new();
    for (i, node) in nodes.iter().enumerate() {
        let role = &node.def;
        // The first of a role's files is the one named after it, else the
        // earliest; each other file is the duplicate.
        let same: Vec<usize> = (0..nodes.len())
            .filter(|&j| nodes[j].def.id == role.id)
            .collect();
        let named_after = |j: &usize| {
            std::path::Path::new(nodes[*j].file)
                .file_stem()
                .is_some_and(|stem| stem == role.id.as_str())
        };
        let first = same.iter().copied().find(named_after).unwrap_or(same[0]);
        if first != i {
            let message = format!(
                "duplicate role id '{}' (first in {})",
                role.id, nodes[first].file
            );
            problems.push((i, Problem::at(YamlPath::root().key("id"), message)));
        }
        let Some(parent) = &role.extends else {
            continue;
        };
        if unparsed.contains(&parent.as_str()) {
            continue;
        }
        if !by_id.contains_key(parent.as_str()) {
            let message = format!(
                "unknown role '{parent}' in extends{}",
                did_you_mean(parent, ids.iter().copied())
            );
            problems.push((i, Problem::at(extends.clone(), message)));
            continue;
        }
        if let Some(cycle) = cycle_from(role, &by_id) {
            let mut members = cycle.clone();
            members.sort();
            members.dedup();
            if reported_cycles.insert(members) {
                let message = format!("extends cycle: {}", cycle.join(" -> "));
                problems.push((i, Problem::at(extends.clone(), message)));
            }
        }
    }
    problems
}

/// The cycle that starts at `role`, as ids from `role` back to `role`.
fn cycle_from(role: &RoleDef, by_id: &HashMap<&str, &RoleDef>) -> Option<Vec<String>> {
    let mut path = vec![role.id.clone()];
    let mut current = role.extends.as_deref()?;
    loop {
        if current == role.id {
            path.push(current.to_string());
            return Some(path);
        }
        if path.iter().any(|id| id == current) {
            return None;
        }
        path.push(current.to_string());
        current = by_id.get(current)?.extends.as_deref()?;
    }
}

/// Every role with its layers merged, in id order. Call only on a graph that
/// [`check`] found sound.
pub(super) fn merge(nodes: &[Node<'_>]) -> Vec<Role> {
    let by_id: HashMap<&str, &RoleDef> =
        nodes.iter().map(|n| (n.def.id.as_str(), &n.def)).collect();
    let mut roles: Vec<Role> = nodes.iter().map(|n| merged(&n.def, &by_id)).collect();
    roles.sort_by(|a, b| a.id.cmp(&b.id));
    roles
}

fn merged(leaf: &RoleDef, by_id: &HashMap<&str, &RoleDef>) -> Role {
    let mut chain = vec![leaf];
    while let Some(parent) = chain.last().and_then(|r| r.extends.as_deref()) {
        match by_id.get(parent) {
            Some(def) if !chain.iter().any(|r| r.id == def.id) => chain.push(def),
            _ => break,
        }
    }
    chain.reverse();
    let mut role = Role {
        id: RoleId::checked(&leaf.id),
        name: leaf.name.clone(),
        description: leaf.description.clone(),
        layer: leaf.layer,
        link: leaf.link.clone(),
        layers: chain.iter().map(|r| RoleId::checked(&r.id)).collect(),
        tools: Vec::new(),
        bookmarks: Vec::new(),
        tasks: Vec::new(),
        max_tasks_per_day: None,
    };
    for layer in chain {
        role.max_tasks_per_day = layer.max_tasks_per_day.or(role.max_tasks_per_day);
        for tool in &layer.tools {
            match role.tools.iter_mut().find(|t| t.tool == tool.tool) {
                Some(inherited) => *inherited = tool.clone(),
                None => role.tools.push(tool.clone()),
            }
        }
        for bookmark in &layer.bookmarks {
            if !role.bookmarks.iter().any(|b| b.link == bookmark.link) {
                role.bookmarks.push(bookmark.clone());
            }
        }
        role.tasks.extend(layer.tasks.iter().cloned());
    }
    role
}

/// Tasks that name a tool a role's hires do not get: for every role anyone
/// is hired into, each task of each of its layers may name only the role's
/// own tools, unless it says `tool:` (then it comes only with that tool).
pub(super) fn mentions(
    nodes: &[Node<'_>],
    roles: &[Role],
    tools: &[Tool],
) -> Vec<(usize, Problem)> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.def.id.as_str(), i))
        .collect();
    let mut found: BTreeSet<(usize, usize, String)> = BTreeSet::new();
    let mut problems = Vec::new();
    for role in roles.iter().filter(|r| !r.layer) {
        // Two tools may share a name (a colleague's view and an own seat);
        // having either is having the name.
        let had: HashSet<&str> = tools
            .iter()
            .filter(|tool| role.tools.iter().any(|t| t.tool == tool.id && !t.optional))
            .map(Tool::short_name)
            .collect();
        let missing: Vec<&Tool> = tools
            .iter()
            .filter(|tool| !had.contains(tool.short_name()))
            .collect();
        for layer in &role.layers {
            let Some(&node) = index.get(layer.as_str()) else {
                continue;
            };
            for (i, task) in nodes[node].def.tasks.iter().enumerate() {
                if task.tool.is_some() {
                    continue;
                }
                for tool in missing.iter().filter(|t| t.named_in(&task.title)) {
                    if found.insert((node, i, tool.id.to_string())) {
                        let message = format!(
                            "the task names {}, which a {} does not get; add 'tool: {}' so the task comes only with it, or give the role the tool",
                            tool.short_name(),
                            role.id,
                            tool.id
                        );
                        let at = YamlPath::root().key("tasks").index(i).key("title");
                        problems.push((node, Problem::at(at, message)));
                    }
                }
            }
        }
    }
    problems
}
