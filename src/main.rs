use std::process::ExitCode;

use clap::Parser;
use onboard::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match onboard::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", err.report());
            ExitCode::from(err.exit_code())
        }
    }
}
