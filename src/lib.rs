//! zipin (自评): the domain of the annual budget-performance self-evaluation forms.
//!
//! A workbook goes in, an evaluation comes out: [`engine::evaluate`] is the one function the GUI,
//! the CLI and the PDF exporter all look through. Nothing in this library imports the GUI.
//!
//! - [`address`]: cell addresses (form, project, row, column) and their text form;
//! - [`finding`]: rule IDs, severities and findings (below the model, the profiles and the engine);
//! - [`model`]: the workbook (附件1, 附件2, 附件3 …), only what the user enters;
//! - [`parse`]: user text → numbers, money, 年度指标值, dates;
//! - [`profile`]: rule profiles (categories, weights, bands) from `templates/profiles/*.ron`;
//! - [`engine`]: computed values and findings (rule ID, severity, cell, Chinese message);
//! - [`draft`]: RON drafts with a schema version, atomic save;
//! - [`safe_write`]: the one path every file the app writes goes through (regular files only,
//!   exclusive temporary file, fsync, rename, mode kept or 0600);
//! - [`draft_guard`]: the lock beside an open draft and the on-disk fingerprint a save checks;
//! - [`display`]: rounding and formatting at the edge;
//! - [`narrative`]: a first draft of the 附件4 narrative report from the engine's numbers;
//! - [`pdf`]: the forms printed as PDF (draft or final);
//! - [`print`]: the system's printers and print jobs of the export's pages (CUPS over IPP on
//!   Linux, GDI on Windows);
//! - [`sample`]: the filed sample and generated workbooks for tests and benchmarks;
//! - [`document`]: the open document — edit by address, evaluate, undo/redo, saved state,
//!   autosave and recovery files, recent list; the window and the CLI (`get`, `set`) both use it;
//! - `ui` (feature `gui`): the desktop window, the only module that uses the GUI toolkit.

pub mod address;
pub mod display;
pub mod document;
pub mod draft;
pub mod draft_guard;
pub mod engine;
pub mod finding;
pub mod model;
pub mod narrative;
pub mod parse;
pub mod pdf;
pub mod print;
pub mod profile;
pub mod safe_write;
pub mod sample;
#[cfg(feature = "gui")]
pub mod ui;
