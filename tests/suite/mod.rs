mod access;
mod batch;
mod catalogue;
mod checklist;
mod exit_codes;
mod wizard;
mod wizard_pty;
