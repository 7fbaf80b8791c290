//! Thin wasm-bindgen bindings over podplay-core and podplay-kubectl; translation only.
