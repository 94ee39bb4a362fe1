//! Files with personal data (an access report, a portability export, an export's
//! `--output`): created 0600, written whole or not at all, never replacing a file that is there.
//!
//! Each file is written to a hidden temp file in the same directory, synced, and hard-linked
//! to its name: a link fails on an existing name instead of replacing it (a rename would
//! replace it), and a reader never sees half a file. A set of files is all placed or none.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The directory files are written to must exist: a mistyped path writes nothing, instead
/// of personal data landing in a directory nobody meant. `field` is the flag that named it.
pub fn check_dir(dir: &Path, field: &str) -> Result<()> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::invalid(
            field,
            dir.display().to_string(),
            "expected a directory, not a file",
        )),
        Err(_) => Err(Error::invalid(
            field,
            dir.display().to_string(),
            "expected an existing directory (it is not created; make it first)",
        )),
    }
}

/// Why a name is taken: says the file was left as it was.
fn exists(path: &Path) -> Error {
    taken(path, "choose another directory")
}

fn taken(path: &Path, instead: &str) -> Error {
    Error::Conflict(format!(
        "{} already exists; it was left untouched and nothing was written (move it away or {instead})",
        path.display()
    ))
}

/// Writes each `(name, content)` into `dir` as a new 0600 file; returns the paths. Either all
/// of them are there afterwards, whole, or none of them (and no temp file is left): an
/// existing name is refused before anything is written.
pub fn write_new(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    check_dir(dir, "--output")?;
    let targets: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    if let Some(t) = targets.iter().find(|t| fs::symlink_metadata(t).is_ok()) {
        return Err(exists(t));
    }
    let mut temps: Vec<PathBuf> = Vec::with_capacity(files.len());
    let written = (|| -> Result<()> {
        for (name, content) in files {
            let tmp = temp_path(dir, name);
            temps.push(tmp.clone());
            write_temp(&tmp, content)?;
        }
        Ok(())
    })();
    let remove_temps = |temps: &[PathBuf]| {
        for t in temps {
            let _ = fs::remove_file(t);
        }
    };
    if let Err(e) = written {
        remove_temps(&temps);
        return Err(e);
    }
    let mut placed: Vec<&PathBuf> = Vec::with_capacity(files.len());
    for (tmp, target) in temps.iter().zip(&targets) {
        if let Err(e) = fs::hard_link(tmp, target) {
            // The set is all or nothing: take back the ones placed by this call.
            for p in &placed {
                let _ = fs::remove_file(p);
            }
            remove_temps(&temps);
            return Err(if e.kind() == ErrorKind::AlreadyExists {
                exists(target)
            } else {
                Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot write {}: {e}", target.display()),
                ))
            });
        }
        placed.push(target);
    }
    remove_temps(&temps);
    // The new names survive a power cut once the directory is on disk.
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(targets)
}

/// One file an export streams into: a hidden 0600 temp file beside its name, placed under
/// the name by [`NewFile::place`] once it is whole (an existing file is never replaced). A
/// `NewFile` dropped unplaced (a failed or broken-off export) removes its temp file, so a
/// failure leaves nothing behind.
pub struct NewFile {
    tmp: PathBuf,
    target: PathBuf,
    out: Option<std::io::BufWriter<fs::File>>,
}

impl NewFile {
    /// Starts the file `path` (`field` is the flag that named it): its directory must exist
    /// and the name must be free, so a mistake is found before anything is recorded or read.
    pub fn create(path: &Path, field: &str) -> Result<NewFile> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..")
            .ok_or_else(|| {
                Error::invalid(field, path.display().to_string(), "expected a file name")
            })?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        check_dir(&dir, field)?;
        if fs::symlink_metadata(path).is_ok() {
            return Err(taken(path, "choose another name"));
        }
        let tmp = temp_path(&dir, &name);
        let fail = |e: std::io::Error| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot write {}: {e}", tmp.display()),
            ))
        };
        // 0600 from its first byte, whatever the umask.
        let f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(fail)?;
        Ok(NewFile {
            tmp,
            target: path.to_path_buf(),
            out: Some(std::io::BufWriter::with_capacity(256 * 1024, f)),
        })
    }

    /// Puts the whole, synced file under its name; returns the name.
    pub fn place(mut self) -> Result<PathBuf> {
        let out = self.out.take().expect("placed once");
        let f = out.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        drop(f);
        if let Err(e) = fs::hard_link(&self.tmp, &self.target) {
            return Err(if e.kind() == ErrorKind::AlreadyExists {
                taken(&self.target, "choose another name")
            } else {
                Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot write {}: {e}", self.target.display()),
                ))
            });
        }
        let _ = fs::remove_file(&self.tmp);
        if let Some(dir) = self.target.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(self.target.clone())
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.out {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("the file was already placed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.out {
            Some(w) => w.write_all(buf),
            None => Err(std::io::Error::other("the file was already placed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        // Placed or not, the temp name goes; unplaced, nothing of the export stays.
        drop(self.out.take());
        let _ = fs::remove_file(&self.tmp);
    }
}

/// `.NAME.writing-PID-NANOS` beside the target: hidden, and unique per process and call.
fn temp_path(dir: &Path, name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    dir.join(format!(
        ".{name}.writing-{}-{nanos:08x}",
        std::process::id()
    ))
}

fn write_temp(tmp: &Path, content: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", tmp.display()),
        ))
    };
    // 0600 from its first byte, whatever the umask.
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(tmp)
        .map_err(fail)?;
    f.write_all(content).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn set(parts: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        parts
            .iter()
            .map(|(n, c)| (n.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn files_are_written_whole_0600_and_no_temp_file_stays() {
        let d = tempfile::tempdir().unwrap();
        let paths = write_new(d.path(), &set(&[("a.json", "{}"), ("a.md", "# A")])).unwrap();
        assert_eq!(paths, vec![d.path().join("a.json"), d.path().join("a.md")]);
        assert_eq!(fs::read_to_string(&paths[0]).unwrap(), "{}");
        assert_eq!(fs::read_to_string(&paths[1]).unwrap(), "# A");
        for p in &paths {
            let mode = fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
        assert_eq!(names(d.path()), ["a.json", "a.md"]);
    }

    #[test]
    fn an_existing_file_is_never_overwritten_and_nothing_else_is_written() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.md"), "mine").unwrap();
        let e = write_new(d.path(), &set(&[("a.json", "{}"), ("a.md", "# A")])).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        let msg = e.to_string();
        assert!(
            msg.contains(&d.path().join("a.md").display().to_string()),
            "{msg}"
        );
        assert!(msg.contains("already exists"), "{msg}");
        assert_eq!(fs::read_to_string(d.path().join("a.md")).unwrap(), "mine");
        assert_eq!(names(d.path()), ["a.md"]);
    }

    #[test]
    fn a_missing_directory_is_named_and_nothing_is_created() {
        let d = tempfile::tempdir().unwrap();
        let missing = d.path().join("no-such-dir");
        let e = write_new(&missing, &set(&[("a.json", "{}")])).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.contains("--output"), "{msg}");
        assert!(msg.contains(&missing.display().to_string()), "{msg}");
        assert!(msg.contains("existing directory"), "{msg}");
        assert!(!missing.exists());
        let file = d.path().join("plain");
        fs::write(&file, "").unwrap();
        let e = write_new(&file, &set(&[("a.json", "{}")])).unwrap_err();
        assert!(e.to_string().contains("not a file"), "{e}");
    }

    #[test]
    fn a_streamed_file_is_placed_whole_0600_or_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("out.csv");
        let mut f = NewFile::create(&target, "--output").unwrap();
        f.write_all(b"a,b\n").unwrap();
        // Nothing under the name until it is placed.
        assert!(!target.exists());
        assert_eq!(f.place().unwrap(), target);
        assert_eq!(fs::read_to_string(&target).unwrap(), "a,b\n");
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(names(d.path()), ["out.csv"]);

        // Dropped unplaced (a failed export): no file, no temp file.
        let other = d.path().join("other.csv");
        let mut f = NewFile::create(&other, "--output").unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(names(d.path()), ["out.csv"]);

        // An existing name is refused up front and kept; a missing directory is named.
        let e = NewFile::create(&target, "--output").err().unwrap();
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "a,b\n");
        let e = NewFile::create(&d.path().join("no/x.csv"), "--output")
            .err()
            .unwrap();
        assert_eq!(e.exit_code(), 2, "{e}");
        assert_eq!(names(d.path()), ["out.csv"]);
    }

    #[test]
    fn a_failed_write_leaves_no_file_of_the_set() {
        let d = tempfile::tempdir().unwrap();
        // A name that cannot be a file: the second temp file fails after the first is written.
        let e = write_new(d.path(), &set(&[("a.json", "{}"), ("sub/a.md", "# A")])).unwrap_err();
        assert_eq!(e.exit_code(), 1, "{e}");
        assert!(names(d.path()).is_empty(), "{:?}", names(d.path()));
    }
}
