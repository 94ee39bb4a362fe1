//! Files with personal data (an access report, a portability export, an export's
//! `--output`): created 0600, written whole or not at all, never replacing a file that is there.
//!
//! Each file is written to an unnamed file in its directory (Linux `O_TMPFILE`), synced, and
//! linked to its name: a link fails on an existing name instead of replacing it (a rename
//! would replace it), and a reader never sees half a file. An unnamed file that is never
//! linked is gone when the process ends, however it ends (Ctrl-C, `kill -9`, a power cut), so
//! an interrupted export leaves no personal data behind. Where the file system has no unnamed
//! files, a hidden temp file beside the name is used and removed on any error. A set of files
//! is all placed or none.

use std::ffi::CString;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
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
    let mut temps: Vec<Temp> = Vec::with_capacity(files.len());
    let written = (|| -> Result<()> {
        for (name, content) in files {
            let mut t = Temp::create(dir, name)?;
            t.file.write_all(content).map_err(|e| t.fail(e))?;
            t.file.sync_all().map_err(|e| t.fail(e))?;
            temps.push(t);
        }
        Ok(())
    })();
    // Dropping the temps removes the named ones; the unnamed ones vanish with their handle.
    written?;
    let mut placed: Vec<&PathBuf> = Vec::with_capacity(files.len());
    for (tmp, target) in temps.iter().zip(&targets) {
        if let Err(e) = tmp.link(target) {
            // The set is all or nothing: take back the ones placed by this call.
            for p in &placed {
                let _ = fs::remove_file(p);
            }
            return Err(link_error(e, target, "choose another directory"));
        }
        placed.push(target);
    }
    drop(temps);
    // The new names survive a power cut once the directory is on disk.
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(targets)
}

fn link_error(e: std::io::Error, target: &Path, instead: &str) -> Error {
    if e.kind() == ErrorKind::AlreadyExists {
        taken(target, instead)
    } else {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", target.display()),
        ))
    }
}

/// A file being written before it has its name: unnamed where the file system allows, else
/// a hidden `.NAME.writing-PID-NANOS` beside the name (removed when dropped).
struct Temp {
    file: fs::File,
    /// The hidden name, when the file has one.
    named: Option<PathBuf>,
    /// What error messages call it.
    shown: PathBuf,
}

impl Temp {
    fn create(dir: &Path, name: &str) -> Result<Temp> {
        if let Some(file) = unnamed_in(dir) {
            return Ok(Temp {
                file,
                named: None,
                shown: dir.join(name),
            });
        }
        let tmp = temp_path(dir, name);
        // 0600 from its first byte, whatever the umask.
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| {
                Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot write {}: {e}", tmp.display()),
                ))
            })?;
        Ok(Temp {
            file,
            shown: tmp.clone(),
            named: Some(tmp),
        })
    }

    fn fail(&self, e: std::io::Error) -> Error {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot write {}: {e}", self.shown.display()),
        ))
    }

    /// Gives the (synced) file the name `target`; an existing name fails with AlreadyExists.
    fn link(&self, target: &Path) -> std::io::Result<()> {
        match &self.named {
            Some(tmp) => fs::hard_link(tmp, target),
            None => link_unnamed(&self.file, target),
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(tmp) = &self.named {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// An unnamed 0600 file in `dir` (`O_TMPFILE`), or None where the file system or kernel has
/// none (or /proc, which linking it needs, is not mounted).
fn unnamed_in(dir: &Path) -> Option<fs::File> {
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    OpenOptions::new()
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_TMPFILE)
        .open(dir)
        .ok()
}

/// Links the unnamed file `f` under `target` (never over an existing file).
fn link_unnamed(f: &fs::File, target: &Path) -> std::io::Result<()> {
    let src = CString::new(format!("/proc/self/fd/{}", f.as_raw_fd()))?;
    let dst = CString::new(target.as_os_str().as_bytes())?;
    // SAFETY: both pointers are NUL-terminated strings that outlive the call; linkat only
    // reads them.
    let r = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            src.as_ptr(),
            libc::AT_FDCWD,
            dst.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// One file an export streams into: an unnamed (or hidden) 0600 file in its directory,
/// placed under its name by [`NewFile::place`] once it is whole (an existing file is never
/// replaced). A `NewFile` dropped unplaced (a failed or broken-off export) leaves nothing
/// behind; one interrupted by a signal leaves nothing either where the file is unnamed.
pub struct NewFile {
    temp: Temp,
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
        let temp = Temp::create(&dir, &name)?;
        let f = temp.file.try_clone()?;
        Ok(NewFile {
            temp,
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
        self.temp
            .link(&self.target)
            .map_err(|e| link_error(e, &self.target, "choose another name"))?;
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
        // The writer first: unflushed bytes must not reach a file being removed. The temp
        // (dropped after this) removes its hidden name, if it has one.
        drop(self.out.take());
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
