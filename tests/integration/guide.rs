//! The guide (`docs/`, a bounce site) against the code: its reference tables
//! are made from the code here and compared with the text between
//! `<!-- generated: NAME -->` and `<!-- end generated: NAME -->` in its
//! markdown, so the guide cannot drift from the lints, front-matter fields,
//! site.yaml keys and command-line options bounce really has. Columns that
//! explain (what a lint finds, what a key means) are written by hand and kept
//! by the row's first cell; a new row gets `*not described yet*`, which fails
//! until someone describes it. `BOUNCE_UPDATE_GUIDE=1 cargo test --test
//! integration guide::` rewrites the tables. And the guide itself must pass
//! `bounce check --strict`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use bounce::reference::{Collection, SITE_YAML_KEYS, known_fields, lint_codes};
use clap::CommandFactory;

/// What a new row's hand-written columns say until someone writes them.
const NOT_DESCRIBED: &str = "*not described yet*";

/// One generated table: its marker name, header, and the cells made from
/// the code; `kept` more columns are the guide's own.
struct Table {
    name: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    kept: usize,
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

/// The lints, each linked to its own heading on the lints page.
fn lints() -> Table {
    Table {
        name: "lints".into(),
        header: vec!["code", "level", "what it finds"],
        rows: lint_codes()
            .into_iter()
            .map(|(name, level)| vec![format!("[`{name}`](#{name})"), level.to_string()])
            .collect(),
        kept: 1,
    }
}

/// Which front-matter fields each kind of document takes: those of every
/// page, then each collection's own.
fn front_matter() -> Table {
    let common = known_fields(Collection::Page, false);
    let list = |fields: Vec<&str>| {
        let named: Vec<String> = fields.iter().map(|f| code(f)).collect();
        named.join(", ")
    };
    let mut rows = vec![vec!["every page".to_string(), list(common.clone())]];
    for (kind, name) in [
        (Collection::Partner, "partners"),
        (Collection::Resource, "resources"),
        (Collection::Event, "events"),
    ] {
        let own = known_fields(kind, false)
            .into_iter()
            .filter(|f| !common.contains(f))
            .collect();
        rows.push(vec![
            name.to_string(),
            format!("those of every page, and {}", list(own)),
        ]);
    }
    Table {
        name: "front-matter".into(),
        header: vec!["kind", "fields"],
        rows,
        kept: 0,
    }
}

fn site_yaml() -> Table {
    Table {
        name: "site-yaml".into(),
        header: vec!["key", "meaning"],
        rows: SITE_YAML_KEYS.iter().map(|k| vec![code(k)]).collect(),
        kept: 1,
    }
}

/// The commands, with what `bounce --help` says of each.
fn commands() -> Table {
    let cli = bounce::cli::Cli::command();
    Table {
        name: "commands".into(),
        header: vec!["command", "what it does"],
        rows: cli
            .get_subcommands()
            .map(|c| {
                let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
                vec![code(&format!("bounce {}", c.get_name())), sentence(&about)]
            })
            .collect(),
        kept: 0,
    }
}

/// One command's arguments and options, from clap, as `--help` shows them.
fn options(name: &str) -> Table {
    let cli = bounce::cli::Cli::command();
    let sub = cli
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("bounce has a `{name}` command"));
    let rows = sub
        .get_arguments()
        .filter(|a| !a.is_hide_set() && a.get_id() != "help")
        .map(|a| {
            let (help, default) =
                split_default(&a.get_help().map(|h| h.to_string()).unwrap_or_default());
            let help = sentence(&help);
            let flag = matches!(a.get_action(), clap::ArgAction::SetTrue);
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|v| code(v.get_name()))
                .collect();
            let meaning = if values.is_empty() || flag {
                help
            } else {
                format!("{help} One of {}.", values.join(", "))
            };
            vec![
                spelling(a),
                meaning,
                default.unwrap_or_else(|| default_of(a)),
            ]
        })
        .collect();
    Table {
        name: format!("cli-{name}"),
        header: vec!["argument or option", "meaning", "default"],
        rows,
        kept: 0,
    }
}

/// clap's help text, which leaves out the last full stop, as a sentence.
fn sentence(help: &str) -> String {
    if help.is_empty() || help.ends_with(['.', '?', '!']) {
        help.to_string()
    } else {
        format!("{help}.")
    }
}

/// `--root DIR`, `--drafts` or `TITLE`, as typed.
fn spelling(arg: &clap::Arg) -> String {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    match arg.get_long() {
        Some(long) if matches!(arg.get_action(), clap::ArgAction::SetTrue) => {
            code(&format!("--{long}"))
        }
        Some(long) => code(&format!("--{long} {value}")),
        None => code(&value),
    }
}

/// A help text that says `[default: X]`, split into the text without it
/// and the default.
fn split_default(help: &str) -> (String, Option<String>) {
    let parts = help
        .split_once(" [default: ")
        .and_then(|(before, rest)| rest.split_once(']').map(|(d, after)| (before, d, after)));
    match parts {
        Some((before, default, after)) => (
            format!("{before}{after}").trim().to_string(),
            Some(code(default)),
        ),
        None => (help.trim().to_string(), None),
    }
}

fn default_of(arg: &clap::Arg) -> String {
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    match defaults.as_slice() {
        _ if arg.is_required_set() => "required".to_string(),
        [] | [_] if matches!(arg.get_action(), clap::ArgAction::SetTrue) => "off".to_string(),
        [] => String::new(),
        [one] => code(one),
        many => many.join(", "),
    }
}

/// The tables and the guide page each one is in.
fn tables() -> Vec<(&'static str, Table)> {
    let mut all = vec![
        ("content/writing-content/lints.md", lints()),
        ("content/reference/_index.md", commands()),
        ("content/reference/_index.md", front_matter()),
        ("content/reference/_index.md", site_yaml()),
    ];
    for name in ["build", "serve", "watch", "check", "new", "init"] {
        all.push(("content/reference/_index.md", options(name)));
    }
    all
}

/// A table's cells as the guide writes them: `|`-separated, `\|` kept.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cells.last_mut().expect("a cell").push_str("\\|");
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The table as it should read, the kept columns taken from `current`.
fn render(table: &Table, current: &str) -> String {
    let kept_of = |first: &str| -> Vec<String> {
        current
            .lines()
            .skip(2)
            .map(cells)
            .find(|c| c.first().map(String::as_str) == Some(first))
            .map(|c| {
                c.into_iter()
                    .skip(table.header.len() - table.kept)
                    .collect()
            })
            .unwrap_or_default()
    };
    let line = |cells: &[String]| {
        let shown: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    " |".to_string()
                } else {
                    format!(" {c} |")
                }
            })
            .collect();
        format!("|{}", shown.concat())
    };
    let mut out = vec![
        line(
            &table
                .header
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>(),
        ),
        format!("|{}", "---|".repeat(table.header.len())),
    ];
    for row in &table.rows {
        let mut kept = kept_of(&row[0]);
        kept.resize(table.kept, NOT_DESCRIBED.to_string());
        let mut full = row.clone();
        full.extend(kept.into_iter().map(|k| {
            if k.is_empty() {
                NOT_DESCRIBED.to_string()
            } else {
                k
            }
        }));
        out.push(line(&full));
    }
    out.join("\n")
}

/// Where the table's text is in `page`: (start, end) byte offsets.
fn block(page: &str, name: &str) -> Option<(usize, usize)> {
    let open = format!("<!-- generated: {name} -->\n");
    let close = format!("\n<!-- end generated: {name} -->");
    let start = page.find(&open)? + open.len();
    let end = start + page[start..].find(&close)?;
    Some((start, end))
}

#[test]
fn the_guides_reference_tables_match_the_code() {
    let update = std::env::var_os("BOUNCE_UPDATE_GUIDE").is_some();
    let mut stale = Vec::new();
    for (file, table) in tables() {
        let path = docs().join(file);
        let page = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some((start, end)) = block(&page, &table.name) else {
            panic!(
                "{file} has no `<!-- generated: {} -->` ... `<!-- end generated: {} -->` block",
                table.name, table.name
            );
        };
        let wanted = render(&table, &page[start..end]);
        if wanted.contains(NOT_DESCRIBED) {
            stale.push(format!(
                "{file}: the `{}` table has a row {NOT_DESCRIBED}: describe it",
                table.name
            ));
        }
        if page[start..end] == wanted {
            continue;
        }
        if update {
            let new = format!("{}{wanted}{}", &page[..start], &page[end..]);
            fs::write(&path, new).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else {
            stale.push(format!(
                "{file}: the `{}` table differs from the code; it should read\n{wanted}",
                table.name
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\n\nRun `BOUNCE_UPDATE_GUIDE=1 cargo test --test integration guide::` to rewrite the tables from the code, then describe new rows.",
        stale.join("\n\n")
    );
}

#[test]
fn the_guide_passes_check_strict() {
    let out = Command::new(env!("CARGO_BIN_EXE_bounce"))
        .args(["check", "--strict", "--root"])
        .arg(docs())
        .output()
        .expect("run bounce");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(": 0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn a_table_keeps_its_descriptions_and_marks_new_rows() {
    let table = Table {
        name: "t".into(),
        header: vec!["key", "meaning"],
        rows: vec![vec![code("title")], vec![code("new_key")]],
        kept: 1,
    };
    let current = "| key | meaning |\n|---|---|\n| `title` | The site's name \\| its title. |\n| `gone` | Old. |";
    assert_eq!(
        render(&table, current),
        "| key | meaning |\n|---|---|\n| `title` | The site's name \\| its title. |\n| `new_key` | *not described yet* |"
    );
}

#[test]
fn every_front_matter_field_is_explained_on_writing_content() {
    let path = docs().join("content/writing-content/_index.md");
    let page = fs::read_to_string(&path).expect("the Writing content page");
    let first_cells: Vec<String> = page
        .lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| cells(l).into_iter().next())
        .collect();
    let kinds = [
        Collection::Page,
        Collection::Partner,
        Collection::Resource,
        Collection::Event,
    ];
    let missing: Vec<&str> = kinds
        .into_iter()
        .flat_map(|k| known_fields(k, false))
        .filter(|f| !first_cells.iter().any(|c| c.contains(&code(f))))
        .collect();
    assert!(
        missing.is_empty(),
        "{} has no table row for {missing:?}",
        path.display()
    );
}
