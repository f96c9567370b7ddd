//! sitrep: a terminal reader for health and care sector updates.
//!
//! The library holds everything the binary uses, so tests can drive it without a
//! terminal.
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod crash;
pub mod keymap;
pub mod layout;
pub mod loader;
pub mod logging;
pub mod page;
pub mod paths;
pub mod runtime;
pub mod search;
pub mod store;
pub mod story;
pub mod text;
pub mod ui;
