//! busybox ash: parser, word expansion and a suspendable interpreter.
pub mod arith;
pub mod ast;
pub mod host;
pub mod parse;
pub mod pattern;
pub mod vm;
