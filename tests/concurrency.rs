//! Several rekisteri processes on one register: a writer waits behind another writer as long
//! as that one needs, so no command fails just because another is busy.

mod common;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Reg;

fn bin(r: &Reg) -> Command {
    with_env(r, env!("CARGO_BIN_EXE_rekisteri"))
}

/// `program` with the register's environment (the tests' clock and operator).
fn with_env(r: &Reg, program: &str) -> Command {
    let mut c = Command::new(program);
    c.env_clear()
        .env("REKISTERI_DB", &r.db)
        .env("REKISTERI_NOW", common::NOW)
        .env("REKISTERI_OPERATOR", "tester")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1");
    c
}

#[test]
fn a_writer_waits_behind_a_write_longer_than_ten_seconds_and_says_so_on_a_terminal() {
    let r = Reg::new();
    // Another writer (a long import) holds the write lock for longer than the old timeout.
    let holder = r.sql();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let plain = bin(&r)
        .args(["contact", "add", "--email", "a@b.fi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The same under a terminal (script(1) gives it one), where the wait is told.
    let cmd = format!(
        "{} contact add --email c@d.fi",
        env!("CARGO_BIN_EXE_rekisteri")
    );
    let tty = with_env(&r, "script")
        .args(["-qec", &cmd, "/dev/null"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux");
    std::thread::sleep(Duration::from_secs(11));
    holder.execute_batch("COMMIT").unwrap();

    let out = plain.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(started.elapsed() >= Duration::from_secs(11));
    // Not a terminal: no waiting notice among the data and status.
    assert!(!err.contains("waiting"), "{err}");
    let out = tty.wait_with_output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert_eq!(
        shown
            .matches("waiting for another rekisteri to finish writing…")
            .count(),
        1,
        "{shown}"
    );
    assert_eq!(r.count("contacts"), 2);
}

#[test]
fn writers_importers_and_exporters_together_all_succeed() {
    let r = Reg::new();
    let run_for = Duration::from_secs(10);
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let add_ms = Arc::new(Mutex::new(Vec::<u128>::new()));
    let r = Arc::new(r);
    let fail = |f: &Mutex<Vec<String>>, what: String, out: &std::process::Output| {
        if !out.status.success() {
            f.lock()
                .unwrap()
                .push(format!("{what}: {}", String::from_utf8_lossy(&out.stderr)));
        }
    };

    let mut workers = Vec::new();
    for w in 0..4 {
        let (r, stop, failures, add_ms) =
            (r.clone(), stop.clone(), failures.clone(), add_ms.clone());
        workers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let out = bin(&r)
                    .args([
                        "-q",
                        "contact",
                        "add",
                        "--email",
                        &format!("w{w}-{i}@example.fi"),
                    ])
                    .output()
                    .unwrap();
                add_ms.lock().unwrap().push(t.elapsed().as_millis());
                fail(&failures, format!("add w{w}-{i}"), &out);
                i += 1;
            }
        }));
    }
    {
        let (r, stop, failures) = (r.clone(), stop.clone(), failures.clone());
        workers.push(std::thread::spawn(move || {
            let mut round = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut csv = String::from("first_name,last_name,email,category,source\n");
                for n in 0..3000 {
                    csv.push_str(&format!(
                        "Aino,Mäkelä,imp{round}-{n}@example.fi,customer,import\n"
                    ));
                }
                let f = r.file(&format!("import-{round}.csv"), csv);
                let out = bin(&r)
                    .args(["-q", "contact", "import"])
                    .arg(&f)
                    .output()
                    .unwrap();
                fail(&failures, format!("import {round}"), &out);
                round += 1;
            }
        }));
    }
    for e in 0..2 {
        let (r, stop, failures) = (r.clone(), stop.clone(), failures.clone());
        workers.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let out = bin(&r)
                    .args(["-q", "export", "contacts"])
                    .stdout(Stdio::null())
                    .output()
                    .unwrap();
                fail(&failures, format!("export {e}"), &out);
            }
        }));
    }
    std::thread::sleep(run_for);
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed: {failures:#?}",
        failures.len()
    );
    let mut ms = add_ms.lock().unwrap().clone();
    ms.sort_unstable();
    assert!(!ms.is_empty());
    let p = |q: f64| ms[((ms.len() - 1) as f64 * q) as usize];
    eprintln!(
        "contact add in the mix: {} runs, median {} ms, p95 {} ms, max {} ms",
        ms.len(),
        p(0.5),
        p(0.95),
        p(1.0)
    );
    assert!(r.ok(&["audit", "verify"]).starts_with("OK"));
}
