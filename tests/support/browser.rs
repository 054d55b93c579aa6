//! A real browser for pages `onboard` writes: Debian's Chromium, headless,
//! with every network connection refused, so a page that needs the network
//! shows it.

use std::path::Path;
use std::process::Command;

/// The DOM of `page` after Chromium rendered it.
pub fn dump_dom(page: &Path) -> String {
    let profile = tempfile::tempdir().expect("a browser profile");
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Nothing may be fetched: the page must be self-contained.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Debian's chromium is installed (.ci/run installs it)");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
