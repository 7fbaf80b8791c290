//! busybox ash: parser, word expansion and a suspendable interpreter.
pub mod ast;
pub mod parse;
