mod access;
mod batch;
mod catalogue;
mod checklist;
mod exit_codes;
mod fake_api;
mod wizard;
mod wizard_pty;
