mod access;
mod catalogue;
mod checklist;
mod wizard;
mod wizard_pty;
