//! The `bounce` binary: parses the command line, runs the command, prints the
//! outcome and picks the exit code (0 success, 1 content problems, 2 usage).

use std::process::ExitCode;

use clap::Parser;

use bounce::check;
use bounce::cli::{BuildArgs, CheckArgs, Cli, Command, Format, InitArgs, NewArgs};
use bounce::diagnostic::{Diagnostic, Level};
use bounce::scaffold::Refusal;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::New(args) => new(args),
        Command::Init(args) => init(args),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let options = match args.options() {
        Ok(options) => options,
        Err(why) => return usage(&why),
    };
    match bounce::build::build(&options) {
        Ok(report) => {
            print_build_warnings(&report.warnings);
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

/// A build's warnings: all of its own, and the first few content lints (a large
/// site can have thousands; `bounce check` is where to read them all).
fn print_build_warnings(warnings: &[Diagnostic]) {
    const LINTS_SHOWN: usize = 10;
    let (lints, own): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        warnings.iter().partition(|d| d.code.is_some());
    for d in own.iter().chain(lints.iter().take(LINTS_SHOWN)) {
        eprintln!("{d}\n");
    }
    if lints.len() > LINTS_SHOWN {
        eprintln!(
            "... and {} more content warnings and notes: run `bounce check` to see them all.\n",
            lints.len() - LINTS_SHOWN
        );
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let format = args.format;
    let options = match args.options() {
        Ok(options) => options,
        Err(why) if format == Format::Json => {
            println!("{}", bounce::diagnostic::to_json(&[Diagnostic::error(why)]));
            return ExitCode::from(2);
        }
        Err(why) => return usage(&why),
    };
    let report = check::check(&options);
    match format {
        Format::Human => {
            print_all(&report.problems);
            let mut counts = vec![
                count(report.count(Level::Error), "error"),
                count(report.count(Level::Warning), "warning"),
            ];
            if report.count(Level::Note) > 0 {
                counts.push(count(report.count(Level::Note), "note"));
            }
            eprintln!(
                "Checked {}: {}",
                count(report.documents, "document"),
                counts.join(", ")
            );
        }
        Format::Json => {
            println!("{}", bounce::diagnostic::to_json(&report.problems));
        }
    }
    match (report.usage, report.failed()) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

fn new(args: NewArgs) -> ExitCode {
    let options = match args.options() {
        Ok(options) => options,
        Err(why) => return usage(&why),
    };
    match bounce::scaffold::new::create(&options) {
        Ok(path) => {
            println!("{}", path.display());
            eprintln!(
                "Fill in the fields marked `required`, write below the front matter, then run `bounce check`."
            );
            ExitCode::SUCCESS
        }
        Err(refusal) => refused(refusal),
    }
}

fn init(args: InitArgs) -> ExitCode {
    let options = match args.options() {
        Ok(options) => options,
        Err(why) => return usage(&why),
    };
    match bounce::scaffold::init::create(&options) {
        Ok(files) => {
            let dir = options.dir.display();
            println!("Created a new site in {dir} ({}).", count(files, "file"));
            println!("Next: edit {dir}/site.yaml, then run `bounce build --root {dir}`.");
            ExitCode::SUCCESS
        }
        Err(refusal) => refused(refusal),
    }
}

fn usage(why: &str) -> ExitCode {
    eprintln!("error: {why}");
    ExitCode::from(2)
}

fn refused(refusal: Refusal) -> ExitCode {
    eprintln!("{}", refusal.problem);
    ExitCode::from(if refusal.usage { 2 } else { 1 })
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
