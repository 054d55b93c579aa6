mod catalogue;
mod checklist;
