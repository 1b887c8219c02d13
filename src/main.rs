//! The `bounce` binary: parses the command line, runs the command, prints the
//! outcome and picks the exit code (0 success, 1 content problems, 2 usage).

use std::process::ExitCode;

use clap::Parser;

use bounce::cli::{Cli, Command};
use bounce::diagnostic::Diagnostic;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let options = match args.options() {
                Ok(options) => options,
                Err(why) => {
                    eprintln!("error: {why}");
                    return ExitCode::from(2);
                }
            };
            match bounce::build::build(&options) {
                Ok(report) => {
                    print_all(&report.warnings);
                    println!(
                        "Built {} pages ({} files) into {} in {} ms",
                        report.pages,
                        report.files,
                        options.output.display(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    let problems = failure.problems;
                    print_all(&problems);
                    let errors = problems.iter().filter(|d| d.is_error()).count();
                    let warnings = problems.len() - errors;
                    eprintln!(
                        "Build failed: {} and {}; {} was left as it was.",
                        count(errors, "error"),
                        count(warnings, "warning"),
                        options.output.display()
                    );
                    ExitCode::from(if failure.usage { 2 } else { 1 })
                }
            }
        }
    }
}

fn print_all(problems: &[Diagnostic]) {
    for p in problems {
        eprintln!("{p}\n");
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
