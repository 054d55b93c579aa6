//! `onboard` turns a catalogue of job roles into personal, dated onboarding
//! checklists and files the Access Request issues new hires need in GitLab.
//!
//! Data flows one way: files → [`catalog`] → [`plan`] → [`render`] → output.

pub mod access;
pub mod calendar;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod gitlab;
pub mod hire;
pub mod output;
pub mod plan;
pub mod render;
pub mod roster;
pub mod source;
pub mod wizard;
pub mod workspace;

pub use error::Error;
