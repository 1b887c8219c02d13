//! The `bounce` binary: parses the command line, runs the command, prints the
//! outcome and picks the exit code (0 success, 1 content problems, 2 usage).

use std::process::ExitCode;

use clap::Parser;

use bounce::cli::{BuildArgs, CheckArgs, Cli, Command, Format, InitArgs, NewArgs, ServeArgs};
use bounce::diagnostic::{Diagnostic, Level};
use bounce::scaffold::Refusal;
use bounce::{check, serve, watch};

/// See Cargo.toml.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The stack of rayon's threads, which render the pages. tera's rendering
/// recurses through every component, include, block and loop: its 20 levels
/// of components (the most it allows), each through a chain of includes,
/// overflow the 2 MiB threads have by default (in a release build from about
/// 16 includes a level, in a debug build from one), and an overflow aborts
/// bounce without a word about the template, leaving the staging folder
/// behind. 64 MiB holds a chain of 300 includes a level in a release build
/// (40 in a debug one); it is address space, taken from memory only as deep
/// as a page goes.
const THREAD_STACK: usize = 64 << 20;

fn main() -> ExitCode {
    // Before anything uses rayon's threads; should it fail, they keep the
    // default stack.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(THREAD_STACK)
        .build_global();
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Watch(args) => watch(args),
        Command::Serve(args) => serve(args),
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
            eprintln!("{}", preview_hint(&options.root));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let problems = failure.problems;
            print_all(&problems);
            let errors = problems.iter().filter(|d| d.is_error()).count();
            let warnings = problems.len() - errors;
            if failure.usage {
                // The command could not start (no site here, say): there is
                // no output to speak of.
                eprintln!(
                    "Build failed: {}; nothing was written.",
                    count(errors, "error")
                );
                return ExitCode::from(2);
            }
            eprintln!(
                "Build failed: {} and {}; {} was left as it was.",
                count(errors, "error"),
                count(warnings, "warning"),
                options.output.display()
            );
            ExitCode::from(1)
        }
    }
}

/// The build's last line: how to look at the site. Its pages link to their
/// styles under site.yaml's `base_url`, so opened straight from the folder
/// (`file://`) they show unstyled; `bounce serve` shows them as published.
fn preview_hint(root: &std::path::Path) -> String {
    let serve = if root == std::path::Path::new(".") {
        "bounce serve".to_string()
    } else {
        format!("bounce serve --root {}", quoted(&root.to_string_lossy()))
    };
    format!(
        "To look at the site, run `{serve}` and open the address it prints (pages opened straight from the folder show without their styles)."
    )
}

/// A path as it can be typed in a terminal: in double quotes when it holds a
/// space or a character shells treat specially.
fn quoted(path: &str) -> String {
    if path
        .chars()
        .all(|c| c.is_alphanumeric() || "-_./\\:".contains(c))
    {
        path.to_string()
    } else {
        format!("\"{path}\"")
    }
}

fn watch(args: BuildArgs) -> ExitCode {
    let options = match args.options().map(absolute) {
        Ok(options) => options,
        Err(why) => return usage(&why),
    };
    if let Err(problem) = bounce::build::configure(&options)
        .map(|_| ())
        .and_then(|()| check_output(&options))
    {
        print_all(&problem.problems);
        return ExitCode::from(if problem.usage { 2 } else { 1 });
    }
    println!(
        "Watching {} for changes; the site is written to {}. Press Ctrl-C to stop.",
        options.root.display(),
        options.output.display()
    );
    run_watch(&options, |_| {})
}

fn serve(args: ServeArgs) -> ExitCode {
    let mut options = match args.options().map(absolute) {
        Ok(options) => options,
        Err(why) => return usage(&why),
    };
    let config = match bounce::build::configure(&options) {
        Ok(config) => config,
        Err(failure) => {
            print_all(&failure.problems);
            return ExitCode::from(if failure.usage { 2 } else { 1 });
        }
    };
    if let Err(failure) = check_output(&options) {
        print_all(&failure.problems);
        return ExitCode::from(2);
    }
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: other computers on the network can see this preview, drafts included if you asked for them. They open it by this computer's IP address: names other than localhost are refused.\n",
            args.bind
        );
    }
    let live = serve::Live::new();
    let settings = serve::Settings {
        address: std::net::SocketAddr::new(args.bind, args.port),
        root: options.output.clone(),
        base_path: config.base_path.clone(),
        head_deadline: args
            .head_deadline_ms
            .map_or(serve::HEAD_DEADLINE, std::time::Duration::from_millis),
    };
    let address = match serve::start(settings, live.clone()) {
        Ok(address) => address,
        Err(e) => {
            eprintln!(
                "error: cannot serve on {}:{}: {e}\nhint: another program may be using that port; try --port {} or --port 0 for any free port",
                args.bind,
                args.port,
                args.port.wrapping_add(1)
            );
            return ExitCode::from(2);
        }
    };
    let url = serve::url(address, &config.base_path);
    options.base_url = Some(url.clone());
    println!("Serving the site at {url} . Press Ctrl-C to stop.");
    if args.open {
        open_browser(&url);
    }
    run_watch(&options, |problems| live.publish(problems.to_vec()))
}

/// Runs the watch loop, printing a line per rebuild; `published` gets each
/// rebuild's errors (none when it succeeded).
fn run_watch(
    options: &bounce::build::Options,
    mut published: impl FnMut(&[Diagnostic]),
) -> ExitCode {
    let result = watch::run(options, |event| match event {
        watch::Event::Built { changes, outcome } => {
            let errors: Vec<Diagnostic> = outcome
                .problems
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            let what = describe_changes(changes);
            if outcome.failed() {
                print_all(&outcome.problems);
                eprintln!(
                    "{what}: {}; the site was left as it was. Fix the file and save it again.",
                    count(errors.len(), "error")
                );
            } else {
                print_build_warnings(&outcome.problems);
                println!(
                    "{what}: {} rendered, {} written, {} removed in {} ms",
                    count(outcome.rendered, "page"),
                    count(outcome.written, "file"),
                    outcome.removed,
                    outcome.elapsed.as_millis()
                );
            }
            published(&errors);
        }
        watch::Event::Unloadable { changes, problems } => {
            print_all(problems);
            eprintln!(
                "{}: the site cannot be built until this is fixed; the site was left as it was.",
                describe_changes(changes)
            );
            let errors: Vec<Diagnostic> =
                problems.iter().filter(|d| d.is_error()).cloned().collect();
            published(&errors);
        }
    });
    match result {
        Ok(()) => {
            println!("Stopped.");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            print_all(&[problem]);
            ExitCode::from(1)
        }
    }
}

/// "Built" for the first build, else what changed: `content/a.md changed`.
fn describe_changes(changes: &[String]) -> String {
    match changes {
        [] => "Built".to_string(),
        [one] => format!("{one} changed"),
        [first, rest @ ..] => format!("{first} and {} changed", count(rest.len(), "other file")),
    }
}

/// The root and output as absolute paths, so the watcher's paths match them.
fn absolute(mut options: bounce::build::Options) -> bounce::build::Options {
    options.root = std::path::absolute(&options.root).unwrap_or(options.root);
    options.output = std::path::absolute(&options.output).unwrap_or(options.output);
    options
}

fn check_output(options: &bounce::build::Options) -> Result<(), bounce::build::Failure> {
    bounce::output::check_target(&options.root, &options.output).map_err(|d| {
        bounce::build::Failure {
            problems: vec![d],
            usage: true,
        }
    })
}

/// Opens `url` in the default browser, if there is one to open.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}

/// A build's warnings: all of its own, and the first few content lints (a large
/// site can have thousands; `bounce check` is where to read them all).
fn print_build_warnings(warnings: &[Diagnostic]) {
    const LINTS_SHOWN: usize = 10;
    let (lints, own): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        warnings.iter().partition(|d| d.code.is_some());
    let own: Vec<Diagnostic> = own.into_iter().cloned().collect();
    print_all(&own);
    for d in lints.iter().take(LINTS_SHOWN) {
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
            println!("Next, run these three commands:");
            let cd = format!("cd {}", quoted(&options.dir.to_string_lossy()));
            println!("  {cd:<22}go into the site's folder");
            println!(
                "  {:<22}preview it in your browser; it reloads when you save a file (Ctrl-C stops it)",
                "bounce serve --open"
            );
            println!(
                "  {:<22}build the site into output/, the folder to upload",
                "bounce build"
            );
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

/// Every problem, but at most [`bounce::diagnostic::SHOWN_PER_FILE`] of one file.
fn print_all(problems: &[Diagnostic]) {
    for line in bounce::diagnostic::shown(problems) {
        eprintln!("{line}\n");
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
