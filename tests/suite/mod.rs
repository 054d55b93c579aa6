mod catalogue;
mod checklist;
mod wizard;
