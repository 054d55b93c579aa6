//! One file per subcommand; each turns parsed arguments into library calls.

mod access;
mod batch;
mod checklist;
mod completions;
mod roles;
mod validate;
mod wizard;

use crate::cli::{Cli, Command, HireArgs};
use crate::hire::{parse_date, Hire, Username};
use crate::Error;

pub use crate::workspace::Workspace;

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Roles { command } => roles::run(&cli.sources, command),
        Command::Validate => validate::run(&cli.sources),
        Command::Checklist(args) => checklist::run(&cli.sources, args),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
        Command::Access { command } => access::run(&cli.sources, command),
        Command::Batch(args) => batch::run(&cli.sources, args),
        Command::Wizard(args) => wizard::run(&cli.sources, args),
    }
}

/// Checks the hire flags' shapes; catalogue ids are checked when planning.
pub fn hire_from_args(args: &HireArgs) -> Result<Hire, Error> {
    let optional_user = |field, value: &Option<String>| {
        value
            .as_deref()
            .map(|v| Username::parse(field, v))
            .transpose()
    };
    Ok(Hire {
        name: args.name.parse()?,
        email: args.email.as_deref().map(str::parse).transpose()?,
        username: optional_user("username", &args.username)?,
        role: args.role.trim().to_string(),
        start: parse_date("start", &args.start)?,
        manager: optional_user("manager", &args.manager)?,
        buddy: optional_user("buddy", &args.buddy)?,
        with: tool_list(&args.with),
        without: tool_list(&args.without),
    })
}

/// Tool ids from repeated or comma/semicolon-separated values.
pub fn tool_list(values: &[String]) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for id in values.iter().flat_map(|v| v.split([',', ';'])) {
        let id = id.trim();
        if !id.is_empty() && !tools.iter().any(|t| t == id) {
            tools.push(id.to_string());
        }
    }
    tools
}
