//! errbook: explains DRM and video-streaming vendor error codes, offline.
//!
//! The request flows one way: `cli` → `app` → `commands` → `input` / `query` / `search` / `catalog` →
//! `render` → stdout. See README.md, "Architecture".

pub mod app;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod context;
pub mod error;
pub mod input;
pub mod lang;
pub mod man;
pub mod normalize;
pub mod pasted;
pub mod query;
pub mod render;
pub mod search;
pub mod suggest;
