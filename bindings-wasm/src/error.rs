//! The one place where errors become JavaScript errors: an `Error` whose `code` property
//! is the core's stable error code (the same codes Python uses).

use wasm_bindgen::JsValue;

fn js_error(code: &str, message: &str) -> JsValue {
    let js = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(code));
    js.into()
}

/// Converts a core error into a JS `Error` with a `code` property. Messages never
/// contain secrets.
pub(crate) fn to_js(error: secret_ballot::Error) -> JsValue {
    js_error(secret_ballot::wire::error_code(&error), &error.to_string())
}

/// An argument of the wrong JS type, or a call the object's state does not allow:
/// `code = "invalid_input"`, the code core gives to invalid caller input.
pub(crate) fn invalid_input(message: &str) -> JsValue {
    js_error("invalid_input", message)
}
