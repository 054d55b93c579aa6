mod access;
mod batch;
mod catalogue;
mod checklist;
mod fake_api;
mod wizard;
mod wizard_pty;
