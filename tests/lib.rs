//! The integration suite: every test runs the real `onboard` binary, the way a
//! user or a CI job would, from an empty folder with an isolated environment.

mod suite;
mod support;
