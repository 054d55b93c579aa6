mod access;
mod batch;
mod catalogue;
mod checklist;
mod wizard;
mod wizard_pty;
