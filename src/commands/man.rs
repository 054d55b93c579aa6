//! `onboard man`: the manual page, generated from the clap types.

use crate::output::{print, OutputError};
use crate::Error;

/// Prints the manual page in roff.
pub(super) fn man() -> Result<(), Error> {
    let page = crate::manual::page().map_err(|source| OutputError::Io {
        path: "the manual page".into(),
        source,
    })?;
    Ok(print(&page)?)
}
