mod access;
mod batch;
mod catalogue;
mod checklist;
mod exactly_once;
mod fake_api;
mod wizard;
mod wizard_pty;
