//! Helpers shared by the integration tests.

pub(crate) mod browser;
/// The fake GitLab crate, where the suite has always found it.
pub(crate) mod fake_gitlab {
    pub(crate) use ::fake_gitlab::*;
}

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

/// A private home for runs of the binary: a working folder, config and
/// state folders, and the environment they imply. Several [`Test`]s can share
/// one home, as a person re-running a command would.
pub(crate) struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// A fresh home with an empty working folder.
    pub(crate) fn new() -> Arc<Self> {
        let dir = tempfile::tempdir().expect("temp home");
        fs::create_dir_all(dir.path().join("work")).expect("work dir");
        Arc::new(Self { dir })
    }

    /// The folder commands run in.
    pub(crate) fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// The home folder itself.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Where the filing journal lives.
    pub(crate) fn journal(&self) -> PathBuf {
        self.dir.path().join("state/onboard/journal.json")
    }

    /// The binary, to run in the working folder with only this home's
    /// environment: for runs a [`Test`] cannot drive (a closed pipe, a
    /// pseudo-terminal).
    pub(crate) fn command(&self) -> Command {
        let home = self.path();
        let mut command = Command::new(env!("CARGO_BIN_EXE_onboard"));
        command
            .current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("NO_COLOR", "1")
            .env("ONBOARD_TIME_SCALE", "0.01")
            // Today, for the start-date checks: the suite's starts are in
            // December 2026.
            .env("ONBOARD_TODAY", "2026-12-02");
        command
    }

    /// Writes a file in the working folder and returns its path.
    pub(crate) fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.work().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("parent");
        }
        fs::write(&path, text).expect("write fixture");
        path
    }
}

/// What a stream must hold.
#[derive(Debug, Clone)]
enum Expect {
    /// Exactly this text.
    Exactly(String),
    /// Each of these pieces, somewhere.
    Contains(Vec<String>),
    /// Anything.
    Any,
}

impl Expect {
    fn contain(&mut self, text: &str) {
        match self {
            Expect::Contains(pieces) => pieces.push(text.to_string()),
            _ => *self = Expect::Contains(vec![text.to_string()]),
        }
    }

    #[track_caller]
    fn check(&self, stream: &str, actual: &str, context: &str) {
        match self {
            Expect::Exactly(expected) => {
                // A loaded machine may be slow enough for the "has not
                // answered" notice (its threshold is scaled down in tests);
                // it is checked where it is meant, not everywhere.
                let actual: String = actual
                    .split_inclusive('\n')
                    .filter(|line| {
                        expected.contains("has not answered for")
                            || !line.contains("has not answered for")
                    })
                    .collect();
                assert_eq!(&actual, expected, "{stream} differs\n{context}");
            }
            Expect::Contains(pieces) => {
                for piece in pieces {
                    assert!(
                        actual.contains(piece.as_str()),
                        "{stream} lacks {piece:?}\n{context}"
                    );
                }
            }
            Expect::Any => {}
        }
    }
}

/// One run of the binary, built up like a command line, with what it must
/// do. By default it must exit 0 and print nothing at all; say what else to
/// expect with [`Test::status`], [`Test::stdout`], [`Test::stderr`] and the
/// `_has` forms, then [`Test::run`].
#[must_use = "a Test does nothing until .run()"]
pub(crate) struct Test {
    home: Arc<Home>,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    status: Vec<i32>,
    stdout: Expect,
    stderr: Expect,
    absent: Vec<String>,
    peak_memory: Option<u64>,
}

impl Test {
    /// A run in a fresh home.
    pub(crate) fn new() -> Self {
        Self::in_home(&Home::new())
    }

    /// A run in an existing home.
    pub(crate) fn in_home(home: &Arc<Home>) -> Self {
        Self {
            home: Arc::clone(home),
            args: Vec::new(),
            envs: Vec::new(),
            status: vec![0],
            stdout: Expect::Exactly(String::new()),
            stderr: Expect::Exactly(String::new()),
            absent: Vec::new(),
            peak_memory: None,
        }
    }

    /// Adds arguments.
    pub(crate) fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Sets an environment variable.
    pub(crate) fn env(mut self, key: &str, value: &str) -> Self {
        self.envs.push((key.into(), value.into()));
        self
    }

    /// The exit code the run must give.
    pub(crate) fn status(mut self, code: i32) -> Self {
        self.status = vec![code];
        self
    }

    /// The run must give one of these exit codes (for runs against a fake
    /// that fails at random); the caller checks the rest by the code.
    pub(crate) fn status_in(mut self, codes: &[i32]) -> Self {
        self.status = codes.to_vec();
        self
    }

    /// Stdout must be exactly `text`.
    pub(crate) fn stdout(mut self, text: &str) -> Self {
        self.stdout = Expect::Exactly(text.to_string());
        self
    }

    /// Stdout must contain `text` (may be given several times).
    pub(crate) fn stdout_has(mut self, text: &str) -> Self {
        self.stdout.contain(text);
        self
    }

    /// Stdout may be anything.
    pub(crate) fn any_stdout(mut self) -> Self {
        self.stdout = Expect::Any;
        self
    }

    /// Stderr must be exactly `text`.
    pub(crate) fn stderr(mut self, text: &str) -> Self {
        self.stderr = Expect::Exactly(text.to_string());
        self
    }

    /// Stderr must contain `text` (may be given several times).
    pub(crate) fn stderr_has(mut self, text: &str) -> Self {
        self.stderr.contain(text);
        self
    }

    /// Stderr may be anything.
    pub(crate) fn any_stderr(mut self) -> Self {
        self.stderr = Expect::Any;
        self
    }

    /// Neither stream may contain `text` (a secret, say).
    pub(crate) fn nowhere(mut self, text: &str) -> Self {
        self.absent.push(text.to_string());
        self
    }

    /// The run gets at most `mib` MiB of private memory (Linux only): one
    /// that needs more fails its allocation and aborts, so its exit code
    /// and output show whether it kept within the limit, whatever it was
    /// sent. Unlike a peak measured afterwards, this does not depend on the
    /// memory of the test process it was started from.
    pub(crate) fn peak_memory_under(mut self, mib: u64) -> Self {
        self.peak_memory = Some(mib);
        self
    }

    /// Runs the binary and checks every expectation; returns what it printed.
    #[track_caller]
    pub(crate) fn run(self) -> Output {
        let mut command = self.home.command();
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        let output = match self.peak_memory {
            Some(mib) => run_with_memory_limit(command, mib),
            None => command.output().expect("run onboard"),
        };
        let out = Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        let context = format!(
            "onboard {}\nexit code {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            out.code,
            out.stdout,
            out.stderr
        );
        assert!(
            self.status.contains(&out.code),
            "exit code {} is not {:?}\n{context}",
            out.code,
            self.status
        );
        self.stdout.check("stdout", &out.stdout, &context);
        self.stderr.check("stderr", &out.stderr, &context);
        for text in &self.absent {
            assert!(
                !out.stdout.contains(text.as_str()) && !out.stderr.contains(text.as_str()),
                "{text:?} was printed\n{context}"
            );
        }
        out
    }
}

/// Runs `command` to its end with its heap, stacks and other private
/// memory limited to `mib` MiB (`RLIMIT_DATA`): a run that needed more
/// fails its allocation and aborts, which its exit code shows. A limit, not
/// a measurement: the kernel's peak-memory figure for a child counts the
/// test process's own memory at the moment it was forked, which grows with
/// the other tests running beside it.
#[cfg(target_os = "linux")]
fn run_with_memory_limit(mut command: Command, mib: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let bytes = mib * 1024 * 1024;
    // SAFETY: `setrlimit` is async-signal-safe, and the closure touches
    // nothing but its own copy of `bytes`.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_DATA, &raw const limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.output().expect("run onboard")
}

/// Elsewhere memory is not limited: the run alone.
#[cfg(not(target_os = "linux"))]
fn run_with_memory_limit(mut command: Command, _: u64) -> std::process::Output {
    command.output().expect("run onboard")
}

/// What a [`Test`] printed, once its expectations held.
#[derive(Debug)]
pub(crate) struct Output {
    /// The exit code.
    pub code: i32,
    /// Everything on stdout.
    pub stdout: String,
    /// Everything on stderr.
    pub stderr: String,
}

/// Every role of the embedded catalogue, layers too.
pub(crate) const ALL_ROLES: &[&str] = &[
    "all-team-members",
    "sales",
    "enterprise-sales",
    "strategic-account-leader",
    "sales-development-representative",
    "technical-account-manager",
    "commercial-account-executive",
];

/// The SAL hire most tests use.
pub(crate) const SAL: &[&str] = &[
    "--role",
    "strategic-account-leader",
    "--name",
    "Ada Lovelace",
    "--start",
    "2026-12-07",
    "--email",
    "ada@example.com",
    "--manager",
    "mgr.jones",
];

/// The address of a GitLab that cannot be reached: a free port on
/// 127.0.0.2. Every server of the suite listens on 127.0.0.1, so no other
/// test can take the port between it being chosen and a command connecting
/// to it (a port freed on 127.0.0.1 was taken that way, now and then).
pub(crate) fn unreachable_gitlab() -> String {
    let chosen = std::net::TcpListener::bind("127.0.0.2:0").expect("a free loopback port");
    format!("http://{}", chosen.local_addr().unwrap())
}

/// The SAL hire's planned request, as `access plan --json` prints it.
pub(crate) fn sal_plan() -> serde_json::Value {
    let out = Test::new()
        .args(["access", "plan", "--json"])
        .args(SAL)
        .any_stdout()
        .run()
        .stdout;
    serde_json::from_str(&out).expect("JSON")
}

/// `access file --yes` for the SAL hire against the GitLab at `url`, with
/// `token`, which must never be printed.
pub(crate) fn file_sal(home: &Arc<Home>, url: &str, token: &str) -> Test {
    Test::in_home(home)
        .args(["access", "file", "--yes", "--gitlab-url", url])
        .args(SAL)
        .env("GITLAB_TOKEN", token)
        .nowhere(token)
}

/// `batch --file-access --yes` over `roster.csv` in `home`, against the
/// GitLab at `url`, with `token`, which must never be printed.
pub(crate) fn file_roster(home: &Arc<Home>, url: &str, token: &str) -> Test {
    Test::in_home(home)
        .args([
            "batch",
            "roster.csv",
            "--out",
            "out",
            "--file-access",
            "--yes",
        ])
        .args(["--gitlab-url", url])
        .env("GITLAB_TOKEN", token)
        .nowhere(token)
}

/// Copies the embedded catalogue's source folder (its `holidays/` too) into
/// `dest`, to break on purpose.
pub(crate) fn copy_roles(dest: &Path) {
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("roles"), dest);
}

fn copy_dir(source: &Path, dest: &Path) {
    fs::create_dir_all(dest).expect("roles dir");
    for entry in fs::read_dir(source).expect("roles") {
        let entry = entry.expect("entry");
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), dest.join(entry.file_name())).expect("copy");
        }
    }
}

/// The flags that name a hire: role, full name and start date.
pub(crate) fn hire(role: &str, name: &str, start: &str) -> [String; 6] {
    ["--role", role, "--name", name, "--start", start].map(String::from)
}

/// The quick actions the fake ran that `onboard` did not mean to send:
/// every one but the `/relate` a new onboarding issue links itself to the
/// hire's access requests with (issue URLs on this server only). User text
/// that reaches GitLab as a command shows up here.
pub(crate) fn foreign_quick_actions(
    gitlab: &fake_gitlab::FakeGitlab,
) -> Vec<(String, u64, String)> {
    let issue_url = |word: &str| {
        word.strip_prefix(gitlab.url().as_str())
            .is_some_and(|rest| rest.contains("/-/issues/"))
    };
    gitlab
        .quick_actions()
        .into_iter()
        .filter(|(_, _, line)| {
            !line
                .strip_prefix("/relate ")
                .is_some_and(|args| args.split(' ').all(issue_url))
        })
        .collect()
}
