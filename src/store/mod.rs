//! What sitrep keeps between runs, in the user's own folders: bookmarks (with
//! notes) in the config folder, read state and the seen set in the data folder.
//! Each is one file, saved atomically under a lock, private to the user; a
//! damaged file is set aside, never overwritten, and a change that could not be
//! written stays pending until it is.

pub mod bookmarks;
pub mod file;
pub mod read;
