//! The person being onboarded. Fields are checked for shape where they come in
//! (flags, roster rows, wizard answers) into [`HireFields`], then once against
//! the catalogue and calendar into a [`Hire`], which planning can trust.

mod fields;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::{Calendar, Calendars};
use crate::catalog::{Catalog, Role, RoleId, ToolId};

pub(crate) use fields::{
    parse_date, printable, refuse_control, single_line, tool_list, CountryChoice, Email, Field,
    FieldError, FieldErrors, FullName, StartWindow, Username,
};

/// A hire as typed: flags, a roster row or wizard answers, every field text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HireText {
    /// Full name.
    pub name: Option<String>,
    /// Work email.
    pub email: Option<String>,
    /// Their own GitLab username.
    pub username: Option<String>,
    /// Catalogue role id.
    pub role: Option<String>,
    /// Day 1, `YYYY-MM-DD`.
    pub start: Option<String>,
    /// The manager's GitLab username.
    pub manager: Option<String>,
    /// The buddy's GitLab username.
    pub buddy: Option<String>,
    /// Optional tools, comma- or semicolon-separated, possibly repeated.
    pub with: Vec<String>,
    /// Tools to leave out, likewise.
    pub without: Vec<String>,
    /// Whose public holidays to skip: a country code, or `none`.
    pub country: Option<String>,
    /// The day access ends, `YYYY-MM-DD`: a contractor's.
    pub access_until: Option<String>,
}

impl HireText {
    /// Checks every field's shape, reporting every problem at once. Name,
    /// role and start date must be present and not blank, and so must the
    /// fields in `required`; `window` says how far from today the start may
    /// be (`None`: anywhere, as for reading back an old hire's status).
    pub(crate) fn check(
        self,
        required: &[Field],
        window: Option<StartWindow>,
    ) -> Result<HireFields, FieldErrors> {
        self.draft(required, window).into_fields()
    }

    /// Reads every field as far as it goes, keeping every problem: a roster
    /// row with a bad email is still checked against the catalogue, so all
    /// its problems are reported in one run.
    pub(crate) fn draft(self, required: &[Field], window: Option<StartWindow>) -> Draft {
        const ALWAYS: &[Field] = &[Field::Name, Field::Role, Field::Start];
        let mut problems = Vec::new();
        let mut take = |field: Field, value: Option<String>| {
            let value = value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if value.is_none() && (ALWAYS.contains(&field) || required.contains(&field)) {
                problems.push(FieldError::shape(field, "is empty"));
            }
            value.filter(|v| {
                refuse_control(field, v)
                    .map_err(|e| problems.push(e))
                    .is_ok()
            })
        };
        let name = take(Field::Name, self.name);
        let email = take(Field::Email, self.email);
        let username = take(Field::Username, self.username);
        let role = take(Field::Role, self.role);
        let start = take(Field::Start, self.start);
        let manager = take(Field::Manager, self.manager);
        let buddy = take(Field::Buddy, self.buddy);
        let country = take(Field::Country, self.country);
        let access_until = take(Field::AccessUntil, self.access_until);
        let with: Vec<String> = self
            .with
            .into_iter()
            .filter_map(|v| take(Field::With, Some(v)))
            .collect();
        let without: Vec<String> = self
            .without
            .into_iter()
            .filter_map(|v| take(Field::Without, Some(v)))
            .collect();
        let e = &mut problems;
        let name: Option<FullName> = keep(e, name.map(|n| n.parse()));
        let email: Option<Email> = keep(e, email.map(|m| m.parse()));
        let username = keep(e, username.map(|u| Username::parse(Field::Username, &u)));
        let start = keep(e, start.map(|s| parse_date(Field::Start, &s)));
        let manager = keep(e, manager.map(|m| Username::parse(Field::Manager, &m)));
        let buddy = keep(e, buddy.map(|b| Username::parse(Field::Buddy, &b)));
        let country = keep(e, country.map(|c| c.parse()));
        let access_until = keep(e, access_until.map(|d| parse_date(Field::AccessUntil, &d)));
        if let (Some(until), Some(start)) = (access_until, start) {
            if until < start {
                problems.push(FieldError::shape(
                    Field::AccessUntil,
                    format!("{until} is before the start, {start}"),
                ));
            }
        }
        let mut notes = Vec::new();
        let start = match (start, window) {
            (Some(date), Some(window)) => match window.check(Field::Start, date) {
                Ok(note) => {
                    notes.extend(note);
                    Some(date)
                }
                Err(refused) => {
                    problems.push(refused);
                    None
                }
            },
            (start, _) => start,
        };
        let with = tool_list(&with);
        let without = tool_list(&without);
        for id in with.iter().filter(|id| without.contains(id)) {
            problems.push(FieldError::shape(
                Field::With,
                format!("'{id}' is both added (with) and left out (without); keep one of the two"),
            ));
        }
        Draft {
            name,
            email,
            username,
            role,
            start,
            manager,
            buddy,
            with,
            without,
            country,
            access_until,
            problems,
            notes,
        }
    }
}

/// The value, or nothing with its problem noted.
fn keep<T>(errors: &mut Vec<FieldError>, result: Option<Result<T, FieldError>>) -> Option<T> {
    match result? {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// A hire's fields read as far as each goes, with every problem found so
/// far: a roster row before it is checked against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Draft {
    name: Option<FullName>,
    email: Option<Email>,
    username: Option<Username>,
    role: Option<String>,
    start: Option<NaiveDate>,
    manager: Option<Username>,
    buddy: Option<Username>,
    with: Vec<String>,
    without: Vec<String>,
    country: Option<CountryChoice>,
    access_until: Option<NaiveDate>,
    /// What is wrong with the fields that could not be read, or are missing.
    problems: Vec<FieldError>,
    /// What is allowed but deserves a warning, such as a start in the past.
    pub notes: Vec<FieldError>,
}

impl From<HireFields> for Draft {
    fn from(fields: HireFields) -> Self {
        Self {
            name: Some(fields.name),
            email: fields.email,
            username: fields.username,
            role: Some(fields.role),
            start: Some(fields.start),
            manager: fields.manager,
            buddy: fields.buddy,
            with: fields.with,
            without: fields.without,
            country: fields.country,
            access_until: fields.access_until,
            problems: Vec::new(),
            notes: fields.notes,
        }
    }
}

impl Draft {
    /// The work email, when it could be read.
    pub(crate) fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    /// Whether the row names a country, rather than leaving it to the default.
    pub(crate) fn names_country(&self) -> bool {
        self.country.is_some()
    }

    /// Notes one more problem, found by looking at other rows.
    pub(crate) fn refuse(&mut self, problem: FieldError) {
        self.problems.push(problem);
    }

    /// The fields, when every one of them could be read.
    pub(crate) fn into_fields(self) -> Result<HireFields, FieldErrors> {
        match (self.name, self.role, self.start) {
            (Some(name), Some(role), Some(start)) if self.problems.is_empty() => Ok(HireFields {
                name,
                email: self.email,
                username: self.username,
                role,
                start,
                manager: self.manager,
                buddy: self.buddy,
                with: self.with,
                without: self.without,
                country: self.country,
                access_until: self.access_until,
                notes: self.notes,
            }),
            _ => Err(FieldErrors(self.problems)),
        }
    }

    /// Checks the role, the tools, the country and the start date against
    /// the catalogue and calendar, as far as the fields could be read, and
    /// reports every problem of every field at once, in column order.
    pub(crate) fn resolve(
        self,
        catalog: &Catalog,
        calendars: &Calendars,
    ) -> Result<Hire, FieldErrors> {
        let mut problems = self.problems;
        let country_unread = problems.iter().any(|p| p.field == Field::Country);
        let calendar = if country_unread {
            None
        } else {
            calendars
                .get(self.country.as_ref())
                .map_err(|message| problems.push(FieldError::catalog(Field::Country, message)))
                .ok()
        };
        if let (Some(calendar), Some(start)) = (&calendar, self.start) {
            if let Err(e) = calendar.check_start(start) {
                problems.push(FieldError::shape(Field::Start, e.to_string()));
            }
        }
        let role = self
            .role
            .as_deref()
            .and_then(|id| {
                catalog
                    .find_role(id)
                    .map_err(|e| problems.push(FieldError::catalog(Field::Role, e.to_string())))
                    .ok()
            })
            .filter(|id| {
                let layer = catalog.role(id).layer;
                if layer {
                    problems.push(FieldError::catalog(Field::Role, layer_refusal(catalog, id)));
                }
                !layer
            });
        let mut ids = |field: Field, given: &[String]| -> Vec<ToolId> {
            let mut found: Vec<ToolId> = given
                .iter()
                .filter_map(|id| {
                    catalog
                        .find_tool(id)
                        .map_err(|e| problems.push(FieldError::catalog(field, e.to_string())))
                        .ok()
                })
                .collect();
            found.sort();
            found.dedup();
            found
        };
        let with = ids(Field::With, &self.with);
        let without = ids(Field::Without, &self.without);
        if let Some(role) = &role {
            check_choices(
                catalog.role(role),
                catalog,
                (&with, &without),
                &mut problems,
            );
        }
        problems.sort_by_key(|p| p.field);
        match (self.name, role, self.start, calendar) {
            (Some(name), Some(role), Some(start), Some(calendar)) if problems.is_empty() => {
                Ok(Hire {
                    name,
                    email: self.email,
                    username: self.username,
                    start,
                    manager: self.manager,
                    buddy: self.buddy,
                    selection: Selection {
                        role,
                        with,
                        without,
                    },
                    calendar,
                    access_until: self.access_until,
                })
            }
            _ => Err(FieldErrors(problems)),
        }
    }
}

/// Reports each `--with` tool that is not an optional tool of `role`, and
/// each `--without` tool it does not have or that everyone must have.
fn check_choices(
    role: &Role,
    catalog: &Catalog,
    (with, without): (&[ToolId], &[ToolId]),
    problems: &mut Vec<FieldError>,
) {
    for tool in with {
        match role.entry(tool) {
            Some(entry) if entry.optional => {}
            entry => problems.push(FieldError::catalog(
                Field::With,
                format!(
                    "'{tool}' is not an optional tool of role '{}'{}; {}",
                    role.id,
                    if entry.is_some() {
                        " (the role has it already)"
                    } else {
                        ""
                    },
                    optional_tools(role)
                ),
            )),
        }
    }
    for tool in without {
        if catalog.tool(tool).baseline {
            problems.push(FieldError::catalog(
                Field::Without,
                format!("'{tool}' is a baseline entitlement for every team member and cannot be left out"),
            ));
        } else if role.entry(tool).is_none() {
            problems.push(FieldError::catalog(
                Field::Without,
                format!("the role '{}' does not include '{tool}'", role.id),
            ));
        }
    }
}

/// `its optional tools are: conversica, datafox`, or that it has none.
fn optional_tools(role: &Role) -> String {
    let optional: Vec<&str> = role
        .tools
        .iter()
        .filter(|t| t.optional)
        .map(|t| t.tool.as_str())
        .collect();
    if optional.is_empty() {
        "it has no optional tools".to_string()
    } else {
        format!("its optional tools are: {}", optional.join(", "))
    }
}

/// Why a layer cannot be a hire's role, with the roles built on it (or
/// every role one can be hired into, when none is).
fn layer_refusal(catalog: &Catalog, layer: &RoleId) -> String {
    let hireable = || catalog.roles().iter().filter(|r| !r.layer);
    let built_on: Vec<&str> = hireable()
        .filter(|r| r.layers.contains(layer))
        .map(|r| r.id.as_str())
        .collect();
    let roles = if built_on.is_empty() {
        format!(
            "the roles one can be hired into are: {}",
            hireable()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        format!("the roles built on it are: {}", built_on.join(", "))
    };
    format!(
        "'{layer}' is a layer that other roles build on, not a role anyone is hired into; {roles}"
    )
}

/// A hire whose fields have the right shape; role and tools are not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HireFields {
    /// Full name.
    pub name: FullName,
    /// Work email.
    pub email: Option<Email>,
    /// Their own GitLab username.
    pub username: Option<Username>,
    /// The role id as given.
    pub role: String,
    /// Day 1.
    pub start: NaiveDate,
    /// Their manager's GitLab username.
    pub manager: Option<Username>,
    /// Their buddy's GitLab username.
    pub buddy: Option<Username>,
    /// Optional tools to add, as given.
    pub with: Vec<String>,
    /// Role tools to leave out, as given.
    pub without: Vec<String>,
    /// Whose public holidays to skip; the company's default when `None`.
    pub country: Option<CountryChoice>,
    /// The day access ends, for a contractor.
    pub access_until: Option<NaiveDate>,
    /// What is allowed but deserves a warning, such as a start in the past.
    pub notes: Vec<FieldError>,
}

/// The tools a hire gets beyond or instead of the role's defaults: the key
/// under which the role part of a plan is shared by every hire who has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Selection {
    /// The role.
    pub role: RoleId,
    /// Optional tools added, sorted.
    pub with: Vec<ToolId>,
    /// Role tools left out, sorted.
    pub without: Vec<ToolId>,
}

/// A hire checked against the catalogue and calendar: planning cannot fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hire {
    /// Full name.
    pub name: FullName,
    /// Work email.
    pub email: Option<Email>,
    /// Their own GitLab username.
    pub username: Option<Username>,
    /// Day 1, a business day.
    pub start: NaiveDate,
    /// Their manager's GitLab username.
    pub manager: Option<Username>,
    /// Their buddy's GitLab username.
    pub buddy: Option<Username>,
    /// Role and tools.
    pub selection: Selection,
    /// The days their dates skip: weekends, their country's public holidays
    /// and the company's own days off.
    pub calendar: Arc<Calendar>,
    /// The day their access ends, for a contractor: never open-ended.
    pub access_until: Option<NaiveDate>,
}

impl Hire {
    /// The role.
    pub(crate) fn role(&self) -> &RoleId {
        &self.selection.role
    }
    /// Refuses access that ends more than `max_days` after the start.
    pub(crate) fn check_access_until(&self, max_days: u32) -> Result<(), FieldError> {
        let Some(until) = self.access_until else {
            return Ok(());
        };
        let days = (until - self.start).num_days();
        if days > i64::from(max_days) {
            return Err(FieldError::shape(
                Field::AccessUntil,
                format!(
                    "{until} is {days} days after the start; access may last at most {max_days} days (max_access_days in the config)"
                ),
            ));
        }
        Ok(())
    }
}

impl HireFields {
    /// Checks the role, the tools, the country and the start date,
    /// reporting every problem at once.
    pub(crate) fn resolve(
        self,
        catalog: &Catalog,
        calendars: &Calendars,
    ) -> Result<Hire, FieldErrors> {
        Draft::from(self).resolve(catalog, calendars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_lists_split_and_drop_repeats() {
        assert_eq!(
            tool_list(&["clari, datafox", "clari;okta", " "]),
            ["clari", "datafox", "okta"]
        );
    }
}
