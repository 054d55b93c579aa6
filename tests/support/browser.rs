//! A real browser for pages `onboard` writes: Debian's Chromium, headless,
//! with every network connection refused, so a page that needs the network
//! shows it.

use std::path::Path;
use std::process::Command;

/// The DOM of `page` after Chromium rendered it.
pub(crate) fn dump_dom(page: &Path) -> String {
    dom_at(page, 1280)
}

/// How wide `page` is when laid out in a window `width` pixels wide: a
/// copy of it with a script that writes its scroll width into the DOM.
/// Wider than the window means the reader must scroll sideways.
pub(crate) fn scroll_width(page: &Path, width: u32) -> u32 {
    let html = std::fs::read_to_string(page).expect("the page");
    let probe = "<script>document.body.insertAdjacentHTML('beforeend', '<p id=\"probe\">' + document.documentElement.scrollWidth + '</p>')</script>";
    let measured = page.with_extension("measured.html");
    std::fs::write(
        &measured,
        html.replace("</body>", &format!("{probe}</body>")),
    )
    .expect("the measuring copy");
    let dom = dom_at(&measured, width);
    let at = dom.rfind("id=\"probe\">").expect("the probe ran") + "id=\"probe\">".len();
    dom[at..]
        .split('<')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .expect("a width")
}

fn dom_at(page: &Path, width: u32) -> String {
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
        .arg(format!("--window-size={width},900"))
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
