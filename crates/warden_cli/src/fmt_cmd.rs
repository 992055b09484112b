//! `warden fmt`: print, check or rewrite policies in canonical form.

use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::exit;
use crate::report::Reporter;

#[derive(Debug, Args)]
pub(crate) struct FmtArgs {
    /// Policy files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Print nothing but the names of files that are not canonical, and
    /// exit 1 if there are any.
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite files in place (atomically: a temporary file renamed over
    /// the original).
    #[arg(long)]
    write: bool,
}

pub(crate) fn run(args: &FmtArgs, reporter: &Reporter) -> u8 {
    if args.write && args.files.iter().any(|f| f == "-") {
        reporter
            .usage_error("`--write` cannot rewrite standard input; use `warden fmt -` to print");
        return exit::INPUT_ERROR;
    }
    let mut input_error = false;
    let mut not_canonical = false;
    let mut stdout = std::io::stdout().lock();
    for path in &args.files {
        let Some(source) = reporter.read(path) else {
            input_error = true;
            continue;
        };
        // Semantic problems are `lint`'s; only a policy that cannot be
        // printed without losing text is an error here.
        let canonical = match warden::format(&source) {
            Ok(c) => c,
            Err(diagnostics) => {
                reporter.report(&diagnostics, &source);
                crate::parse_cmd::hint_container(reporter, &source);
                input_error = true;
                continue;
            }
        };
        if args.check {
            if canonical != source.text() {
                not_canonical = true;
                if writeln!(stdout, "{}", source.name()).is_err() {
                    return exit::INPUT_ERROR;
                }
            }
        } else if args.write {
            let changed = canonical != source.text();
            if let Err(e) = changed
                .then(|| write_atomically(Path::new(path), &canonical))
                .transpose()
            {
                reporter.usage_error(&format!("cannot write `{path}`: {e}"));
                input_error = true;
            }
        } else if stdout.write_all(canonical.as_bytes()).is_err() {
            return exit::INPUT_ERROR;
        }
    }
    if input_error {
        exit::INPUT_ERROR
    } else if not_canonical {
        exit::CHECK_FAILED
    } else {
        exit::OK
    }
}

/// Writes `text` to a temporary file beside `path` and renames it over
/// `path`, so a crash never leaves a half-written policy. Keeps the
/// original file's permissions. A symlink stays a symlink: the file it
/// points to is rewritten.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
