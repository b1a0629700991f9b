//! The one place where core errors become JavaScript errors: an `Error` whose `code`
//! property is the core's stable error code (the same codes Python uses).

use wasm_bindgen::JsValue;

/// Converts a core error into a JS `Error` with a `code` property. Messages never
/// contain secrets.
pub(crate) fn to_js(error: secret_ballot::Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(secret_ballot::wire::error_code(&error)),
    );
    js.into()
}
