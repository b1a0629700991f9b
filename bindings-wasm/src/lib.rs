//! WASM bindings.
