//! kubectl's views (get, describe, logs, events) of the engine's state, byte for byte.
