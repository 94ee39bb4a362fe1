//! Sorting more records than memory should hold: records collect in a buffer of bounded
//! size; a full buffer is sorted and written to an unnamed temp file as one sorted run; the
//! runs are then read back merged, one record at a time. Memory stays at about the buffer's
//! size whatever the number of records, and the records are never part of the register.
//!
//! A record is bytes; the order is a comparison of two records' bytes, given by the caller.
//! The temp files are created unlinked (`O_TMPFILE` where the system has it) with mode 0600
//! in the system's temp directory (`TMPDIR`), so nothing is left behind when the process
//! ends however it ends.

use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// How many runs are merged at once; more are first merged into longer runs (each open run
/// holds one read buffer).
const FAN_IN: usize = 64;
/// Read and write buffer of one run file.
const RUN_BUFFER: usize = 64 * 1024;

/// Records to sort, held in at most `limit` bytes of memory (plus four bytes per record).
pub struct Sorter<C> {
    cmp: C,
    /// The buffered records back to back, each its length (`u32`, little-endian) then its bytes.
    arena: Vec<u8>,
    /// Where each buffered record starts in `arena`.
    starts: Vec<u32>,
    limit: usize,
    runs: Vec<File>,
    len: u64,
}

impl<C: Fn(&[u8], &[u8]) -> Ordering> Sorter<C> {
    /// A sorter whose buffer spills to a run when it reaches `limit` bytes.
    pub fn new(limit: usize, cmp: C) -> Self {
        // Offsets into the arena are u32: keep it well inside that.
        let limit = limit.clamp(1024, 1 << 30);
        Sorter {
            cmp,
            arena: Vec::new(),
            starts: Vec::new(),
            limit,
            runs: Vec::new(),
            len: 0,
        }
    }

    /// How many records were pushed.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a record (it may not be longer than the buffer's limit).
    pub fn push(&mut self, record: &[u8]) -> io::Result<()> {
        let n = u32::try_from(record.len())
            .ok()
            .filter(|&n| (n as usize) < self.limit)
            .ok_or_else(|| io::Error::other("a record is too long to sort"))?;
        if self.arena.len() + 4 + record.len() > self.limit {
            self.spill()?;
        }
        self.starts.push(self.arena.len() as u32);
        self.arena.extend_from_slice(&n.to_le_bytes());
        self.arena.extend_from_slice(record);
        self.len += 1;
        Ok(())
    }

    /// Sorts the buffer (stable: equal records keep the order they came in).
    fn sort_buffer(&mut self) {
        let arena = &self.arena;
        let cmp = &self.cmp;
        self.starts
            .sort_by(|&a, &b| cmp(record_at(arena, a), record_at(arena, b)));
    }

    /// Writes the buffer as one sorted run and empties it.
    fn spill(&mut self) -> io::Result<()> {
        if self.starts.is_empty() {
            return Ok(());
        }
        self.sort_buffer();
        let mut w = BufWriter::with_capacity(RUN_BUFFER, run_file()?);
        for &s in &self.starts {
            let s = s as usize;
            let n = u32::from_le_bytes(self.arena[s..s + 4].try_into().expect("4 bytes")) as usize;
            w.write_all(&self.arena[s..s + 4 + n])?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.runs.push(file);
        self.arena.clear();
        self.starts.clear();
        Ok(())
    }

    /// The records in order. Records that compare equal come out in the order they were
    /// pushed.
    pub fn into_sorted(mut self) -> io::Result<Sorted<C>> {
        if self.runs.is_empty() {
            self.sort_buffer();
            return Ok(Sorted::Memory {
                arena: self.arena,
                starts: self.starts.into_iter(),
            });
        }
        self.spill()?;
        // Release the buffer before the merge's readers take their memory.
        self.arena = Vec::new();
        self.starts = Vec::new();
        let mut runs = self.runs;
        while runs.len() > FAN_IN {
            // Merging neighbours keeps equal records in the order they were pushed.
            let mut longer = Vec::with_capacity(runs.len().div_ceil(FAN_IN));
            let mut rest = runs.into_iter().peekable();
            while rest.peek().is_some() {
                let group: Vec<File> = rest.by_ref().take(FAN_IN).collect();
                let mut merge = Merge::new(group, &self.cmp)?;
                let mut w = BufWriter::with_capacity(RUN_BUFFER, run_file()?);
                while let Some(r) = merge.next(&self.cmp)? {
                    w.write_all(&(r.len() as u32).to_le_bytes())?;
                    w.write_all(r)?;
                }
                let mut file = w.into_inner().map_err(|e| e.into_error())?;
                file.rewind()?;
                longer.push(file);
            }
            runs = longer;
        }
        let merge = Merge::new(runs, &self.cmp)?;
        Ok(Sorted::Runs {
            merge,
            cmp: self.cmp,
        })
    }
}

/// A new unnamed file for a run.
fn run_file() -> io::Result<File> {
    tempfile::tempfile().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "cannot create a temp file in {} to sort the rows in (set TMPDIR to another \
                 directory): {e}",
                std::env::temp_dir().display()
            ),
        )
    })
}

fn record_at(arena: &[u8], start: u32) -> &[u8] {
    let s = start as usize;
    let n = u32::from_le_bytes(arena[s..s + 4].try_into().expect("4 bytes")) as usize;
    &arena[s + 4..s + 4 + n]
}

/// The sorted records, read one at a time.
pub enum Sorted<C> {
    Memory {
        arena: Vec<u8>,
        starts: std::vec::IntoIter<u32>,
    },
    Runs {
        merge: Merge,
        cmp: C,
    },
}

impl<C: Fn(&[u8], &[u8]) -> Ordering> Sorted<C> {
    /// The next record, or `None` after the last.
    pub fn next_record(&mut self) -> io::Result<Option<&[u8]>> {
        match self {
            Sorted::Memory { arena, starts } => Ok(starts.next().map(|s| record_at(arena, s))),
            Sorted::Runs { merge, cmp } => merge.next(cmp),
        }
    }
}

/// One sorted run being read: its reader and its current record.
struct Run {
    reader: BufReader<File>,
    head: Vec<u8>,
}

impl Run {
    /// Reads the next record into `head`; false at the end of the run.
    fn advance(&mut self) -> io::Result<bool> {
        let mut len = [0u8; 4];
        match self.reader.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
            Err(e) => return Err(e),
        }
        self.head.resize(u32::from_le_bytes(len) as usize, 0);
        self.reader.read_exact(&mut self.head)?;
        Ok(true)
    }
}

/// A k-way merge of sorted runs.
pub struct Merge {
    runs: Vec<Run>,
    /// The runs that still have records, ordered by their heads (ties by run number, so
    /// equal records come out in the order they were pushed); the first is the smallest.
    order: Vec<usize>,
    /// The run whose head was returned last: advanced on the next call.
    taken: Option<usize>,
}

impl Merge {
    fn new(files: Vec<File>, cmp: &impl Fn(&[u8], &[u8]) -> Ordering) -> io::Result<Merge> {
        let mut runs = Vec::with_capacity(files.len());
        let mut order = Vec::with_capacity(files.len());
        for file in files {
            let mut run = Run {
                reader: BufReader::with_capacity(RUN_BUFFER, file),
                head: Vec::new(),
            };
            if run.advance()? {
                order.push(runs.len());
            }
            runs.push(run);
        }
        order.sort_by(|&a, &b| cmp(&runs[a].head, &runs[b].head).then(a.cmp(&b)));
        Ok(Merge {
            runs,
            order,
            taken: None,
        })
    }

    fn next(&mut self, cmp: &impl Fn(&[u8], &[u8]) -> Ordering) -> io::Result<Option<&[u8]>> {
        if let Some(i) = self.taken.take() {
            // `i` was first in `order`: take it out, read its next record, put it back in place.
            self.order.remove(0);
            if self.runs[i].advance()? {
                let runs = &self.runs;
                let at = self.order.partition_point(|&j| {
                    cmp(&runs[j].head, &runs[i].head).then(j.cmp(&i)).is_lt()
                });
                self.order.insert(at, i);
            }
        }
        let Some(&first) = self.order.first() else {
            return Ok(None);
        };
        self.taken = Some(first);
        Ok(Some(&self.runs[first].head))
    }
}

/// Writing and reading the fields of a record.
pub mod fields {
    /// Marks a missing text.
    const NONE: u32 = u32::MAX;

    pub fn put_u64_be(out: &mut Vec<u8>, v: u64) {
        out.extend_from_slice(&v.to_be_bytes());
    }

    /// A text, or none, as its length and bytes.
    pub fn put_text(out: &mut Vec<u8>, v: Option<&str>) {
        put_bytes(out, v.map(str::as_bytes));
    }

    /// Bytes read by [`Reader::bytes`] (a text's, for [`Reader::text`]).
    pub fn put_bytes(out: &mut Vec<u8>, v: Option<&[u8]>) {
        match v {
            Some(b) => {
                out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                out.extend_from_slice(b);
            }
            None => out.extend_from_slice(&NONE.to_le_bytes()),
        }
    }

    /// Reads fields back in the order they were put.
    pub struct Reader<'a>(pub &'a [u8]);

    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> &'a [u8] {
            let (head, rest) = self.0.split_at(n);
            self.0 = rest;
            head
        }

        pub fn u64_be(&mut self) -> u64 {
            u64::from_be_bytes(self.take(8).try_into().expect("8 bytes"))
        }

        pub fn u8(&mut self) -> u8 {
            self.take(1)[0]
        }

        /// The raw bytes of a text (for comparisons).
        pub fn bytes(&mut self) -> Option<&'a [u8]> {
            let n = u32::from_le_bytes(self.take(4).try_into().expect("4 bytes"));
            (n != NONE).then(|| self.take(n as usize))
        }

        pub fn text(&mut self) -> Option<&'a str> {
            // Written from `&str` by `put_text`.
            self.bytes()
                .map(|b| std::str::from_utf8(b).expect("records hold UTF-8 texts"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_first_byte(a: &[u8], b: &[u8]) -> Ordering {
        a.first().cmp(&b.first())
    }

    fn sorted(limit: usize, records: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut s = Sorter::new(limit, by_first_byte);
        for r in records {
            s.push(r).unwrap();
        }
        assert_eq!(s.len(), records.len() as u64);
        let mut out = Vec::new();
        let mut it = s.into_sorted().unwrap();
        while let Some(r) = it.next_record().unwrap() {
            out.push(r.to_vec());
        }
        out
    }

    proptest! {
        /// Whatever the buffer size (one run, many runs, more runs than merged at once),
        /// the records come out as a stable sort would give them.
        #[test]
        fn merged_runs_equal_a_stable_sort(
            records in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..400),
            limit in 1024usize..4096,
        ) {
            let mut expected = records.clone();
            expected.sort_by(|a, b| by_first_byte(a, b));
            prop_assert_eq!(sorted(limit, &records), expected);
        }
    }

    #[test]
    fn more_runs_than_one_merge_takes_are_merged_in_steps() {
        // 1024-byte buffer, 100-byte records: ~10 a run, 2,000 records → ~200 runs > FAN_IN.
        let records: Vec<Vec<u8>> = (0..2000u32)
            .map(|i| {
                let mut r = vec![(i * 7919 % 251) as u8];
                r.extend_from_slice(&i.to_be_bytes());
                r.resize(100, 0);
                r
            })
            .collect();
        let mut expected = records.clone();
        expected.sort_by(|a, b| by_first_byte(a, b));
        assert_eq!(sorted(1024, &records), expected);
    }

    #[test]
    fn a_record_longer_than_the_buffer_is_an_error_not_a_panic() {
        let mut s = Sorter::new(1024, by_first_byte);
        assert!(s.push(&[1; 2000]).is_err());
    }

    #[test]
    fn fields_read_back_as_written() {
        let mut out = Vec::new();
        fields::put_u64_be(&mut out, 42);
        fields::put_text(&mut out, Some("äö@example.fi"));
        fields::put_text(&mut out, None);
        fields::put_text(&mut out, Some(""));
        let mut r = fields::Reader(&out);
        assert_eq!(r.u64_be(), 42);
        assert_eq!(r.text(), Some("äö@example.fi"));
        assert_eq!(r.text(), None);
        assert_eq!(r.text(), Some(""));
        assert!(r.0.is_empty());
    }
}
