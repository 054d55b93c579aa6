use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    ExitCode::from(onboard::run(onboard::Cli::parse()))
}
