//! Every `console` example in README.md runs as a test, in order, against one fresh register,
//! so the documentation cannot drift from what the tool does.

#[test]
fn readme_examples() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("register.db");
    trycmd::TestCases::new()
        .register_bin(
            "rekisteri",
            std::path::Path::new(env!("CARGO_BIN_EXE_rekisteri")),
        )
        .env("REKISTERI_DB", db.to_str().expect("utf-8 temp path"))
        .env("REKISTERI_NOW", "2026-11-23T10:00:00Z")
        .env("REKISTERI_OPERATOR", "anna")
        .env("TZ", "UTC")
        .env("NO_COLOR", "1")
        .case("README.md");
}
