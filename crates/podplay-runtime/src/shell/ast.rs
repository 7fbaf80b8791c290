//! The parsed form of an ash script. Children are `Rc` so the VM's frames can hold on to the
//! node they are executing without borrowing the parser.

use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum WordPart {
    /// Unquoted text (subject to globbing; never field-split).
    Lit(String),
    /// Single-quoted or backslash-escaped text.
    Quoted(String),
    /// A double-quoted section.
    Double(Vec<WordPart>),
    Param(ParamExp),
    CmdSub(String),
    Arith(String),
}

pub type Word = Vec<WordPart>;

#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name-x}` / `${name:-x}` (bool = colon form)
    Default(bool),
    Assign(bool),
    Alt(bool),
    Error(bool),
    /// `${name#pat}` / `${name##pat}`
    TrimPrefix(bool),
    /// `${name%pat}` / `${name%%pat}`
    TrimSuffix(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamExp {
    pub name: String,
    pub op: ParamOp,
    pub arg: Word,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirKind {
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `>&N` / `<&N` (target word is the fd, or `-` to close)
    Dup,
    /// `<<` with the (already read) body; bool = expand variables in the body
    HereDoc(String, bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
    pub target: Word,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cmd {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
        line: u32,
    },
    Pipeline {
        cmds: Vec<Rc<Cmd>>,
        bang: bool,
    },
    And(Rc<Cmd>, Rc<Cmd>),
    Or(Rc<Cmd>, Rc<Cmd>),
    /// Commands separated by `;`/newline; the flag marks a trailing `&` (background).
    Seq(Vec<(Rc<Cmd>, bool)>),
    If {
        cond: Rc<Cmd>,
        then: Rc<Cmd>,
        otherwise: Option<Rc<Cmd>>,
    },
    Loop {
        cond: Rc<Cmd>,
        body: Rc<Cmd>,
        until: bool,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Rc<Cmd>,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Option<Rc<Cmd>>)>,
    },
    Group(Rc<Cmd>),
    Subshell(Rc<Cmd>),
    FuncDef {
        name: String,
        body: Rc<Cmd>,
    },
    Redirected {
        cmd: Rc<Cmd>,
        redirs: Vec<Redir>,
    },
}
