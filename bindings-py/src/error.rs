//! The one place where core errors become Python exceptions. The exception classes are
//! defined in Python (`secret_ballot/_errors.py`) and chosen by the stable error code.

use pyo3::prelude::*;
use pyo3::types::PyAnyMethods;

/// Converts a core error into the Python exception of its code. Messages never contain
/// secrets: they are the core error's display text.
pub(crate) fn to_py(error: secret_ballot::Error) -> PyErr {
    Python::attach(|py| {
        let code = secret_ballot::wire::error_code(&error);
        let class = py
            .import("secret_ballot._errors")
            .and_then(|module| module.getattr("exception_for_code"))
            .and_then(|lookup| lookup.call1((code,)));
        match class {
            Ok(class) => match class.call1((error.to_string(), code)) {
                Ok(instance) => PyErr::from_value(instance),
                Err(e) => e,
            },
            Err(e) => e,
        }
    })
}
