//! The person being onboarded. Fields are checked for shape where they come in
//! (flags, roster rows, wizard answers) into [`HireFields`], then once against
//! the catalogue and calendar into a [`Hire`], which planning can trust.

mod fields;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::calendar::{Calendar, Calendars};
use crate::catalog::{Catalog, RoleId, ToolId};

pub use fields::{
    is_invisible_format, parse_date, single_line, tool_list, CountryChoice, Email, Field,
    FieldError, FieldErrors, FullName, Username,
};

/// A hire as typed: flags, a roster row or wizard answers, every field text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HireText {
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
}

impl HireText {
    /// Checks every field's shape, reporting every problem at once. Name,
    /// role and start date must be present and not blank, and so must the
    /// fields in `required`.
    pub fn check(self, required: &[Field]) -> Result<HireFields, FieldErrors> {
        const ALWAYS: &[Field] = &[Field::Name, Field::Role, Field::Start];
        let mut errors = Vec::new();
        let mut take = |field: Field, value: Option<String>| {
            let value = value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            if value.is_none() && (ALWAYS.contains(&field) || required.contains(&field)) {
                errors.push(FieldError::shape(field, "is empty"));
            }
            value
        };
        let name = take(Field::Name, self.name);
        let email = take(Field::Email, self.email);
        let username = take(Field::Username, self.username);
        let role = take(Field::Role, self.role);
        let start = take(Field::Start, self.start);
        let manager = take(Field::Manager, self.manager);
        let buddy = take(Field::Buddy, self.buddy);
        let country = take(Field::Country, self.country);
        let e = &mut errors;
        let name: Option<FullName> = keep(e, name.map(|n| n.parse()));
        let email: Option<Email> = keep(e, email.map(|m| m.parse()));
        let username = keep(e, username.map(|u| Username::parse(Field::Username, &u)));
        let start = keep(e, start.map(|s| parse_date(Field::Start, &s)));
        let manager = keep(e, manager.map(|m| Username::parse(Field::Manager, &m)));
        let buddy = keep(e, buddy.map(|b| Username::parse(Field::Buddy, &b)));
        let country = keep(e, country.map(|c| c.parse()));
        match (name, role, start) {
            (Some(name), Some(role), Some(start)) if errors.is_empty() => Ok(HireFields {
                name,
                email,
                username,
                role,
                start,
                manager,
                buddy,
                with: tool_list(&self.with),
                without: tool_list(&self.without),
                country,
            }),
            _ => Err(FieldErrors(errors)),
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

/// A hire whose fields have the right shape; role and tools are not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HireFields {
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
}

/// The tools a hire gets beyond or instead of the role's defaults: the key
/// under which the role part of a plan is shared by every hire who has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    /// The role.
    pub role: RoleId,
    /// Optional tools added, sorted.
    pub with: Vec<ToolId>,
    /// Role tools left out, sorted.
    pub without: Vec<ToolId>,
}

/// A hire checked against the catalogue and calendar: planning cannot fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hire {
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
}

impl Hire {
    /// The role.
    pub fn role(&self) -> &RoleId {
        &self.selection.role
    }
}

impl HireFields {
    /// Checks the role, the tools, the country and the start date,
    /// reporting every problem at once.
    pub fn resolve(self, catalog: &Catalog, calendars: &Calendars) -> Result<Hire, FieldErrors> {
        let mut problems = Vec::new();
        let calendar = calendars
            .get(self.country.as_ref())
            .map_err(|message| problems.push(FieldError::catalog(Field::Country, message)))
            .ok();
        if let Some(Err(e)) = calendar.as_ref().map(|c| c.check_start(self.start)) {
            problems.push(FieldError::shape(Field::Start, e.to_string()));
        }
        let role = catalog
            .find_role(&self.role)
            .map_err(|e| problems.push(FieldError::catalog(Field::Role, e.to_string())))
            .ok();
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
            let role = catalog.role(role);
            for tool in &without {
                if catalog.tool(tool).baseline {
                    problems.push(FieldError::catalog(
                        Field::Without,
                        format!("'{tool}' is a baseline entitlement for every team member and cannot be left out"),
                    ));
                } else if role.entry(tool).is_none() && !with.contains(tool) {
                    problems.push(FieldError::catalog(
                        Field::Without,
                        format!("the role '{}' does not include '{tool}'", role.id),
                    ));
                }
            }
        }
        match (role, calendar) {
            (Some(role), Some(calendar)) if problems.is_empty() => Ok(Hire {
                name: self.name,
                email: self.email,
                username: self.username,
                start: self.start,
                manager: self.manager,
                buddy: self.buddy,
                selection: Selection {
                    role,
                    with,
                    without,
                },
                calendar,
            }),
            _ => Err(FieldErrors(problems)),
        }
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
