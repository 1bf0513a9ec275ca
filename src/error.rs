//! errbook's one error type, and how each kind maps to an exit status.

use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or an input value is wrong.
    #[error("{message}")]
    Usage { message: String },
    /// Writing the output failed (other than a closed pipe).
    #[error("cannot write output: {0}")]
    Write(std::io::Error),
    /// A user catalog is broken and `--strict` was given.
    #[error(
        "{0} (--strict: broken user catalogs are errors; 'errbook validate' lists every problem)"
    )]
    Catalog(String),
    /// Reading input failed.
    #[error("cannot read {what}: {source}")]
    Read {
        what: String,
        source: std::io::Error,
    },
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }
}

/// What a command found: exit status 0 when it found something, 1 when it found nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Found,
    NotFound,
    /// `validate` found problems (exit status 2, like any input error).
    Invalid,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Found => ExitCode::SUCCESS,
            Outcome::NotFound => ExitCode::from(1),
            Outcome::Invalid => ExitCode::from(2),
        }
    }
}
