//! Finding the files to lint below the paths a user gives, as ripgrep
//! does (with its `ignore` crate): `.gitignore`, `.ignore` and hidden files
//! are honoured, vendor folders skipped, `--exclude` globs applied, each
//! directory walked once however many symlinks lead to it, and what is not
//! a regular file (a FIFO, a socket, a device) never opened.
//!
//! Paths named on the command line are always read (a hidden file, a FIFO
//! from process substitution); only what a walk finds is filtered.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// Folders that hold other people's code or build output, never policies
/// of this repository. Hidden folders (`.git`, `.venv`, `.terraform`,
/// `.aws-sam`) are skipped as hidden.
pub const VENDOR_DIRS: &[&str] = &["node_modules", "cdk.out", "venv", "__pycache__"];

/// File extensions a walk reads.
pub const EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];

/// How to walk directories.
#[derive(Clone, Debug, Default)]
pub struct DiscoverOptions {
    /// Globs (gitignore syntax) of paths not to lint, such as `tests/**`
    /// or `*.event.json`.
    pub exclude: Vec<String>,
    /// Also walk hidden files and folders and those `.gitignore` names.
    pub no_ignore: bool,
}

/// A file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Its path, as given or as found below a given directory.
    pub path: String,
    /// Named by the user (read whatever it holds) rather than found by a
    /// walk (linted only when its content is a policy, template or plan).
    pub named: bool,
}

/// A file a walk found and did not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    /// Its path.
    pub path: String,
    /// Why it was not linted, one line.
    pub reason: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The files to lint, each directory's files sorted.
    pub files: Vec<Candidate>,
    /// Files skipped without reading them (not regular files).
    pub skipped: Vec<SkippedFile>,
    /// Directories or entries that could not be read, with the error.
    pub errors: Vec<(String, String)>,
}

/// Expands `paths` (files, directories, `-` for standard input) into the
/// files to lint. An invalid `--exclude` glob is an error.
pub fn discover(paths: &[String], options: &DiscoverOptions) -> Result<Discovery, String> {
    let mut out = Discovery::default();
    for p in paths {
        let path = Path::new(p);
        if p == "-" || !path.is_dir() {
            out.files.push(Candidate {
                path: p.clone(),
                named: true,
            });
            continue;
        }
        walk(path, options, &mut out)?;
    }
    Ok(out)
}

fn walk(root: &Path, options: &DiscoverOptions, out: &mut Discovery) -> Result<(), String> {
    let mut overrides = OverrideBuilder::new(root);
    for glob in &options.exclude {
        // An override glob selects; `!` makes it exclude.
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("invalid `--exclude` glob `{glob}`: {e}"))?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| format!("invalid `--exclude` globs: {e}"))?;
    // Directories already walked, by device and inode: two symlinks to one
    // directory (or a symlink to an ancestor) walk it once.
    let seen: Arc<Mutex<HashSet<DirId>>> = Arc::new(Mutex::new(dir_id(root).into_iter().collect()));
    let seen_in_filter = Arc::clone(&seen);
    let walker = WalkBuilder::new(root)
        .follow_links(true)
        .hidden(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(false)
        .git_exclude(!options.no_ignore)
        .ignore(!options.no_ignore)
        .parents(!options.no_ignore)
        // A `.gitignore` counts without a `.git` folder (an unpacked archive,
        // a subfolder copied out of a repository).
        .require_git(false)
        .overrides(overrides)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            if e.depth() == 0 || !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if e.file_name()
                .to_str()
                .is_some_and(|n| VENDOR_DIRS.contains(&n))
            {
                return false;
            }
            match dir_id(e.path()) {
                Some(id) => seen_in_filter
                    .lock()
                    .map(|mut s| s.insert(id))
                    .unwrap_or(true),
                None => true,
            }
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.errors.push((root.display().to_string(), e.to_string()));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            continue;
        }
        let path = entry.path();
        let wanted = path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.iter().any(|e| x.eq_ignore_ascii_case(e)));
        if !wanted {
            continue;
        }
        let name = path.display().to_string();
        if kind.is_file() {
            out.files.push(Candidate {
                path: name,
                named: false,
            });
        } else {
            // Opening a FIFO blocks until someone writes to it.
            out.skipped.push(SkippedFile {
                path: name,
                reason: "not a regular file".to_string(),
            });
        }
    }
    Ok(())
}

/// A directory's identity on its file system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct DirId(u64, u64);

#[cfg(unix)]
fn dir_id(path: &Path) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(DirId(m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path) -> Option<DirId> {
    // Without inodes, the canonical path stands for the directory.
    use std::hash::{Hash, Hasher};
    let canonical = std::fs::canonicalize(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut h);
    Some(DirId(0, h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &Discovery, root: &Path) -> Vec<String> {
        d.files
            .iter()
            .map(|c| {
                Path::new(&c.path)
                    .strip_prefix(root)
                    .map_or(c.path.clone(), |p| p.display().to_string())
            })
            .collect()
    }

    #[test]
    fn skips_ignored_hidden_vendor_and_excluded() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        for f in [
            "a.json",
            "b.yaml",
            "readme.md",
            "ignored.json",
            ".hidden.json",
            ".git/config.json",
            "node_modules/x/package.json",
            "cdk.out/stack.template.json",
            "sub/c.json",
            "tests/fixture.json",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap_or(root))?;
            std::fs::write(p, "{}")?;
        }
        std::fs::write(root.join(".gitignore"), "ignored.json\n")?;
        let options = DiscoverOptions {
            exclude: vec!["tests/**".to_string()],
            no_ignore: false,
        };
        let found =
            discover(&[root.display().to_string()], &options).map_err(std::io::Error::other)?;
        assert_eq!(names(&found, root), ["a.json", "b.yaml", "sub/c.json"]);
        assert!(found.files.iter().all(|c| !c.named));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn walks_a_directory_once_and_skips_fifos() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("real"))?;
        std::fs::write(root.join("real/p.json"), "{}")?;
        std::os::unix::fs::symlink(root.join("real"), root.join("link1"))?;
        std::os::unix::fs::symlink(root.join("real"), root.join("link2"))?;
        // A loop: real/up -> root.
        std::os::unix::fs::symlink(root, root.join("real/up"))?;
        let fifo = root.join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        let found = discover(&[root.display().to_string()], &DiscoverOptions::default())
            .map_err(std::io::Error::other)?;
        assert_eq!(names(&found, root), ["link1/p.json"]);
        if made.success() {
            assert_eq!(found.skipped.len(), 1, "{:?}", found.skipped);
        }
        Ok(())
    }
}
