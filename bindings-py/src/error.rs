//! The one place where core errors become Python exceptions. The exception classes are
//! defined in Python (`secret_ballot/_errors.py`) and chosen by the stable error code.

use pyo3::prelude::*;
use pyo3::types::PyAnyMethods;

fn raise(code: &str, message: String) -> PyErr {
    Python::attach(|py| {
        let class = py
            .import("secret_ballot._errors")
            .and_then(|module| module.getattr("exception_for_code"))
            .and_then(|lookup| lookup.call1((code,)));
        match class {
            Ok(class) => match class.call1((message, code)) {
                Ok(instance) => PyErr::from_value(instance),
                Err(e) => e,
            },
            Err(e) => e,
        }
    })
}

/// Converts a core error into the Python exception of its code. Messages never contain
/// secrets: they are the core error's display text.
pub(crate) fn to_py(error: secret_ballot::Error) -> PyErr {
    raise(secret_ballot::wire::error_code(&error), error.to_string())
}

/// `InvalidInput` (code `invalid_input`): a misuse of a binding object, such as a
/// single-use step called twice.
pub(crate) fn invalid_input(message: &str) -> PyErr {
    raise("invalid_input", message.to_string())
}
