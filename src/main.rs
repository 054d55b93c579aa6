use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    onboard::complete_if_asked();
    ExitCode::from(onboard::run(onboard::Cli::parse()))
}
