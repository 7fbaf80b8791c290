//! A port of Go's elastic-tabstop writer, in the two variants kubectl uses.
//!
//! * `kubectl describe` renders through Go `text/tabwriter` (`src/text/tabwriter/tabwriter.go`)
//!   created in kubectl `pkg/describe/describe.go` `tabbedString` as
//!   `Init(buf, 0, 8, 2, ' ', 0)`: see [`TabWriter::kubectl_describe`].
//! * `kubectl get` renders through `github.com/liggitt/tabwriter`, a fork of the same file that
//!   adds the `RememberWidths` flag, created in cli-runtime `pkg/printers/tabwriter.go`
//!   `GetNewTabWriter` with minwidth 6, tabwidth 4, padding 3, padchar ' ', flags
//!   `RememberWidths`: see [`TabWriter::kubectl_get`].
//!
//! The fork is byte-for-byte the upstream algorithm plus one block in `format`, so both are one
//! type here and the flag selects the extra behaviour. The writer works on bytes (Go does too):
//! cell widths count runes as `utf8.RuneCount` does, where every invalid byte counts as one.
//! Output accumulates in memory and is handed back by [`TabWriter::flush`]; Go writes to an
//! `io.Writer` as it goes, which is the same bytes in the same order.

use std::ops::BitOr;

/// Formatting flags, the same bits as Go's `tabwriter` constants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    /// No flags: what `kubectl describe` uses.
    pub const NONE: Flags = Flags(0);
    /// `FilterHTML`: HTML tags have width 0, entities width 1.
    pub const FILTER_HTML: Flags = Flags(1 << 0);
    /// `StripEscape`: drop the [`ESCAPE`] bytes that bracket escaped text.
    pub const STRIP_ESCAPE: Flags = Flags(1 << 1);
    /// `AlignRight`: right-align cell content (ignored when padding with tabs).
    pub const ALIGN_RIGHT: Flags = Flags(1 << 2);
    /// `DiscardEmptyColumns`: columns made only of empty `\v`-terminated cells get width 0.
    pub const DISCARD_EMPTY_COLUMNS: Flags = Flags(1 << 3);
    /// `TabIndent`: pad leading empty cells with tabs whatever the padchar.
    pub const TAB_INDENT: Flags = Flags(1 << 4);
    /// `Debug`: print `|` between columns and `---` at form feeds.
    pub const DEBUG: Flags = Flags(1 << 5);
    /// `RememberWidths` (liggitt/tabwriter only): keep each column's maximum width across
    /// flushes, so `kubectl get -w` rows stay aligned with the header printed earlier.
    pub const REMEMBER_WIDTHS: Flags = Flags(1 << 6);

    /// True if every bit of `other` is set in `self`.
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

/// Go's `tabwriter.Escape`: text between two of these bytes is passed through uninterpreted.
/// 0xff never occurs in valid UTF-8, so it can only be written with [`TabWriter::write`].
pub const ESCAPE: u8 = 0xff;

/// Vertical tab: terminates a "soft" cell (discardable with [`Flags::DISCARD_EMPTY_COLUMNS`]).
const VTAB: u8 = 0x0b;
/// Form feed: a line break that also flushes, ending every column.
const FORM_FEED: u8 = 0x0c;

/// A segment of text terminated by a tab or line break; the text itself lives in `buf`.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    /// Cell size in bytes.
    size: usize,
    /// Cell width in runes (HTML tags and escape bytes excluded).
    width: usize,
    /// Terminated by a `\t` (hard) rather than `\v` (soft) tab.
    htab: bool,
}

/// An elastic-tabstop filter: tab-terminated cells in consecutive lines form a column padded to
/// the widest cell plus `padding` (at least `minwidth`).
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: u8,
    flags: Flags,

    /// Collected text excluding tabs and line breaks.
    buf: Vec<u8>,
    /// Position in `buf` up to which the current cell's width has been computed.
    pos: usize,
    /// The current, incomplete cell.
    cell: Cell,
    /// Terminator of the escape in progress (`ESCAPE`, `>` or `;`), or 0 outside escapes.
    end_char: u8,
    /// Buffered lines, each a list of cells.
    lines: Vec<Vec<Cell>>,
    /// Widths of the columns to the left of the one being formatted.
    widths: Vec<usize>,
    /// Per-column maximum widths kept across flushes (`RememberWidths`).
    max_widths: Vec<usize>,
    /// Formatted output not yet handed out by `flush`.
    out: Vec<u8>,
}

impl TabWriter {
    /// Go `NewWriter(output, minwidth, tabwidth, padding, padchar, flags)`. As in Go, padding with
    /// `'\t'` forces left alignment.
    pub fn new(minwidth: usize, tabwidth: usize, padding: usize, padchar: u8, flags: Flags) -> Self {
        let flags = if padchar == b'\t' { Flags(flags.0 & !Flags::ALIGN_RIGHT.0) } else { flags };
        TabWriter {
            minwidth,
            tabwidth,
            padding,
            padchar,
            flags,
            buf: Vec::new(),
            pos: 0,
            cell: Cell::default(),
            end_char: 0,
            lines: vec![Vec::new()],
            widths: Vec::new(),
            max_widths: Vec::new(),
            out: Vec::new(),
        }
    }

    /// The writer behind `kubectl describe` (kubectl `pkg/describe/describe.go` `tabbedString`):
    /// Go `text/tabwriter` with minwidth 0, tabwidth 8, padding 2, padchar ' ', no flags.
    pub fn kubectl_describe() -> Self {
        TabWriter::new(0, 8, 2, b' ', Flags::NONE)
    }

    /// The writer behind `kubectl get` (cli-runtime `pkg/printers/tabwriter.go`
    /// `GetNewTabWriter`): liggitt/tabwriter with minwidth 6, tabwidth 4, padding 3,
    /// padchar ' ', flags `RememberWidths`.
    pub fn kubectl_get() -> Self {
        TabWriter::new(6, 4, 3, b' ', Flags::REMEMBER_WIDTHS)
    }

    /// Writes UTF-8 text (Go `io.WriteString`).
    pub fn write_str(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    /// Go `Writer.Write`: splits the bytes into cells. A line with a single cell (no tab), or a
    /// form feed, flushes everything buffered so far because it cannot affect later alignment.
    pub fn write(&mut self, data: &[u8]) {
        let mut n = 0;
        for (i, &ch) in data.iter().enumerate() {
            if self.end_char == 0 {
                match ch {
                    b'\t' | VTAB | b'\n' | FORM_FEED => {
                        self.append(&data[n..i]);
                        self.update_width();
                        n = i + 1;
                        let ncells = self.terminate_cell(ch == b'\t');
                        if ch == b'\n' || ch == FORM_FEED {
                            self.lines.push(Vec::new());
                            if ch == FORM_FEED || ncells == 1 {
                                self.flush_buffered();
                                if ch == FORM_FEED && self.flags.contains(Flags::DEBUG) {
                                    self.out.extend_from_slice(b"---\n");
                                }
                            }
                        }
                    }
                    ESCAPE => {
                        self.append(&data[n..i]);
                        self.update_width();
                        n = i;
                        if self.flags.contains(Flags::STRIP_ESCAPE) {
                            n += 1;
                        }
                        self.end_char = ESCAPE;
                    }
                    b'<' | b'&' if self.flags.contains(Flags::FILTER_HTML) => {
                        self.append(&data[n..i]);
                        self.update_width();
                        n = i;
                        self.end_char = if ch == b'<' { b'>' } else { b';' };
                    }
                    _ => {}
                }
            } else if ch == self.end_char {
                let end = if ch == ESCAPE && self.flags.contains(Flags::STRIP_ESCAPE) { i } else { i + 1 };
                self.append(&data[n..end]);
                n = i + 1;
                self.end_escape();
            }
        }
        self.append(&data[n..]);
    }

    /// Go `Writer.Flush`: formats everything buffered and returns all output produced since the
    /// previous `flush` (including lines already released by implicit flushes inside `write`).
    /// An unterminated escape is treated as complete.
    pub fn flush(&mut self) -> String {
        let bytes = self.flush_bytes();
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Like [`TabWriter::flush`] but returns raw bytes, for input that contained [`ESCAPE`]
    /// bytes without [`Flags::STRIP_ESCAPE`].
    pub fn flush_bytes(&mut self) -> Vec<u8> {
        self.flush_buffered();
        std::mem::take(&mut self.out)
    }

    /// liggitt `RememberedWidths`: the remembered per-column maximum widths.
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.max_widths.clone()
    }

    /// liggitt `SetRememberedWidths`: replaces the remembered widths (e.g. to carry them over to
    /// a new writer, or to forget them with an empty slice).
    pub fn set_remembered_widths(&mut self, widths: &[usize]) -> &mut Self {
        self.max_widths = widths.to_vec();
        self
    }

    /// Go `flushNoDefers`: terminate the pending cell, format, reset.
    fn flush_buffered(&mut self) {
        if self.cell.size > 0 {
            if self.end_char != 0 {
                self.end_escape();
            }
            self.terminate_cell(false);
        }
        self.format(0, 0, self.lines.len());
        self.reset();
    }

    /// Go `reset`: forget buffered text but keep configuration and remembered widths.
    fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.cell = Cell::default();
        self.end_char = 0;
        self.lines.clear();
        self.lines.push(Vec::new());
        self.widths.clear();
    }

    fn append(&mut self, text: &[u8]) {
        self.buf.extend_from_slice(text);
        self.cell.size += text.len();
    }

    fn update_width(&mut self) {
        self.cell.width += go_rune_count(&self.buf[self.pos..]);
        self.pos = self.buf.len();
    }

    /// Go `endEscape`: escaped text counts its runes minus the two escape bytes (unless they were
    /// stripped), an HTML tag counts 0 and an entity 1.
    fn end_escape(&mut self) {
        match self.end_char {
            ESCAPE => {
                self.update_width();
                if !self.flags.contains(Flags::STRIP_ESCAPE) {
                    self.cell.width -= 2;
                }
            }
            b';' => self.cell.width += 1,
            _ => {}
        }
        self.pos = self.buf.len();
        self.end_char = 0;
    }

    /// Adds the current cell to the current line; returns the line's cell count.
    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = std::mem::take(&mut self.cell);
        let line = self.lines.last_mut().expect("tabwriter always has a current line");
        line.push(cell);
        line.len()
    }

    fn write_n(&mut self, byte: u8, n: usize) {
        self.out.extend(std::iter::repeat_n(byte, n));
    }

    /// Go `writePadding`.
    fn write_padding(&mut self, textw: usize, cellw: usize, use_tabs: bool) {
        if self.padchar == b'\t' || use_tabs {
            if self.tabwidth == 0 {
                return; // tabs have no width: no padding possible
            }
            let cellw = cellw.div_ceil(self.tabwidth) * self.tabwidth;
            let n = cellw.checked_sub(textw).expect("tabwriter: internal error (negative padding)");
            self.write_n(b'\t', n.div_ceil(self.tabwidth));
            return;
        }
        self.write_n(self.padchar, cellw - textw);
    }

    /// Go `writeLines`: prints lines `line0..line1` with the current column widths.
    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let mut use_tabs = self.flags.contains(Flags::TAB_INDENT);
            for j in 0..self.lines[i].len() {
                let c = self.lines[i][j];
                if j > 0 && self.flags.contains(Flags::DEBUG) {
                    self.out.push(b'|');
                }
                let width = self.widths.get(j).copied();
                if c.size == 0 {
                    if let Some(w) = width {
                        self.write_padding(c.width, w, use_tabs);
                    }
                } else {
                    use_tabs = false;
                    if !self.flags.contains(Flags::ALIGN_RIGHT) {
                        self.out.extend_from_slice(&self.buf[pos..pos + c.size]);
                        pos += c.size;
                        if let Some(w) = width {
                            self.write_padding(c.width, w, false);
                        }
                    } else {
                        if let Some(w) = width {
                            self.write_padding(c.width, w, false);
                        }
                        self.out.extend_from_slice(&self.buf[pos..pos + c.size]);
                        pos += c.size;
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // Last buffered line has no newline yet: write the pending cell's text.
                self.out.extend_from_slice(&self.buf[pos..pos + self.cell.size]);
                pos += self.cell.size;
            } else {
                self.out.push(b'\n');
            }
        }
        pos
    }

    /// Go `format`: finds each block of consecutive lines that have a cell in the current
    /// column, sizes the column, and recurses into the next column for that block. The last cell
    /// of a line is never part of a column (cells are tab-terminated, not tab-separated).
    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            pos = self.write_lines(pos, line0, this);
            line0 = this;

            let mut width = self.minwidth;
            let mut discardable = true;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                let c = line[column];
                width = width.max(c.width + self.padding);
                if c.width > 0 || c.htab {
                    discardable = false;
                }
                this += 1;
            }
            if discardable && self.flags.contains(Flags::DISCARD_EMPTY_COLUMNS) {
                width = 0;
            }
            if self.flags.contains(Flags::REMEMBER_WIDTHS) {
                width = self.remember_width(width);
            }

            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
            // Go's for-loop increments `this` here; the line that ended the block has no cell
            // in this column, so examining it again (and skipping it) is equivalent.
        }
        self.write_lines(pos, line0, line1)
    }

    /// The liggitt/tabwriter `RememberWidths` block of `format`: a column is never narrower than
    /// the widest it has been, and a wider column raises the remembered width.
    fn remember_width(&mut self, width: usize) -> usize {
        let column = self.widths.len();
        if self.max_widths.len() < column {
            let missing = self.widths[self.max_widths.len()..].to_vec();
            self.max_widths.extend(missing);
        }
        if self.max_widths.len() == column {
            self.max_widths.push(width);
            width
        } else if self.max_widths[column] > width {
            self.max_widths[column]
        } else {
            self.max_widths[column] = width;
            width
        }
    }
}

/// Go `utf8.RuneCount`: valid UTF-8 sequences count as one rune each and every byte of an
/// invalid sequence counts as one.
fn go_rune_count(bytes: &[u8]) -> usize {
    // ASCII (nearly every cell) is a byte a rune.
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.utf8_chunks().map(|chunk| chunk.valid().chars().count() + chunk.invalid().len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        minwidth: usize,
        tabwidth: usize,
        padding: usize,
        padchar: u8,
        flags: Flags,
        src: &'static [u8],
        expected: &'static [u8],
    }

    const fn case(
        name: &'static str,
        (minwidth, tabwidth, padding, padchar): (usize, usize, usize, u8),
        flags: Flags,
        src: &'static [u8],
        expected: &'static [u8],
    ) -> Case {
        Case { name, minwidth, tabwidth, padding, padchar, flags, src, expected }
    }

    /// Go `check`: the same writer is fed the source all at once, byte by byte and in
    /// Fibonacci-sized slices; every way must give the expected output.
    fn check(c: &Case) {
        let mut w = TabWriter::new(c.minwidth, c.tabwidth, c.padding, c.padchar, c.flags);
        let src = c.src;

        w.write(src);
        assert_eq!(w.flush_bytes(), c.expected, "{} (written all at once)", c.name);

        for i in 0..src.len() {
            w.write(&src[i..i + 1]);
        }
        assert_eq!(w.flush_bytes(), c.expected, "{} (written byte-by-byte)", c.name);

        let (mut i, mut d) = (0, 0);
        while i < src.len() {
            w.write(&src[i..i + d]);
            i += d;
            d += 1;
            if i + d > src.len() {
                d = src.len() - i;
            }
        }
        assert_eq!(w.flush_bytes(), c.expected, "{} (written in fibonacci slices)", c.name);
    }

    /// Every case of Go `src/text/tabwriter/tabwriter_test.go` `tests` (identical in
    /// liggitt/tabwriter's copy).
    #[test]
    fn go_tabwriter_table() {
        use Flags as F;
        let dot8 = (8, 0, 1, b'.');
        let cases = [
            case("1a", dot8, F::NONE, b"", b""),
            case("1a debug", dot8, F::DEBUG, b"", b""),
            case("1b esc stripped", dot8, F::STRIP_ESCAPE, b"\xff\xff", b""),
            case("1b esc", dot8, F::NONE, b"\xff\xff", b"\xff\xff"),
            case("1c esc stripped", dot8, F::STRIP_ESCAPE, b"\xff\t\xff", b"\t"),
            case("1c esc", dot8, F::NONE, b"\xff\t\xff", b"\xff\t\xff"),
            case("1d esc stripped", dot8, F::STRIP_ESCAPE, b"\xff\"foo\t\n\tbar\"\xff", b"\"foo\t\n\tbar\""),
            case("1d esc", dot8, F::NONE, b"\xff\"foo\t\n\tbar\"\xff", b"\xff\"foo\t\n\tbar\"\xff"),
            case("1e esc stripped", dot8, F::STRIP_ESCAPE, b"abc\xff\tdef", b"abc\tdef"),
            case("1e esc", dot8, F::NONE, b"abc\xff\tdef", b"abc\xff\tdef"),
            case("2", dot8, F::NONE, b"\n\n\n", b"\n\n\n"),
            case("3", dot8, F::NONE, b"a\nb\nc", b"a\nb\nc"),
            case("4a", dot8, F::NONE, b"\t", b""),
            case("4b", dot8, F::ALIGN_RIGHT, b"\t", b""),
            case("5", dot8, F::NONE, b"*\t*", b"*.......*"),
            case("5b", dot8, F::NONE, b"*\t*\n", b"*.......*\n"),
            case("5c", dot8, F::NONE, b"*\t*\t", b"*.......*"),
            case("5c debug", dot8, F::DEBUG, b"*\t*\t", b"*.......|*"),
            case("5d", dot8, F::ALIGN_RIGHT, b"*\t*\t", b".......**"),
            case("6", dot8, F::NONE, b"\t\n", b"........\n"),
            case("7a", dot8, F::NONE, b"a) foo", b"a) foo"),
            case("7b", (8, 0, 1, b' '), F::NONE, b"b) foo\tbar", b"b) foo  bar"),
            case("7c", dot8, F::NONE, b"c) foo\tbar\t", b"c) foo..bar"),
            case("7d", dot8, F::NONE, b"d) foo\tbar\n", b"d) foo..bar\n"),
            case("7e", dot8, F::NONE, b"e) foo\tbar\t\n", b"e) foo..bar.....\n"),
            case("7f", dot8, F::FILTER_HTML, b"f) f&lt;o\t<b>bar</b>\t\n", b"f) f&lt;o..<b>bar</b>.....\n"),
            case(
                "7g",
                dot8,
                F::FILTER_HTML,
                b"g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
                b"g) f&lt;o..<b>bar</b>..... non-terminated entity &amp",
            ),
            case(
                "7g debug",
                dot8,
                F::FILTER_HTML | F::DEBUG,
                b"g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
                b"g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp",
            ),
            case("8", (8, 0, 1, b'*'), F::NONE, b"Hello, world!\n", b"Hello, world!\n"),
            case(
                "9a",
                (1, 0, 0, b'.'),
                F::NONE,
                b"1\t2\t3\t4\n11\t222\t3333\t44444\n",
                b"1.2..3...4\n11222333344444\n",
            ),
            case(
                "9b",
                (1, 0, 0, b'.'),
                F::FILTER_HTML,
                b"1\t2<!---\x0c--->\t3\t4\n11\t222\t3333\t44444\n",
                b"1.2<!---\x0c--->..3...4\n11222333344444\n",
            ),
            case(
                "9c",
                (1, 0, 0, b'.'),
                F::NONE,
                b"1\t2\t3\t4\x0c11\t222\t3333\t44444\n",
                b"1234\n11222333344444\n",
            ),
            case(
                "9c debug",
                (1, 0, 0, b'.'),
                F::DEBUG,
                b"1\t2\t3\t4\x0c11\t222\t3333\t44444\n",
                b"1|2|3|4\n---\n11|222|3333|44444\n",
            ),
            case("10a", (5, 0, 0, b'.'), F::NONE, b"1\t2\t3\t4\n", b"1....2....3....4\n"),
            case("10b", (5, 0, 0, b'.'), F::NONE, b"1\t2\t3\t4\t\n", b"1....2....3....4....\n"),
            case(
                "11",
                dot8,
                F::NONE,
                "本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n".as_bytes(),
                "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n".as_bytes(),
            ),
            case(
                "12a",
                (8, 0, 1, b' '),
                F::ALIGN_RIGHT,
                "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n".as_bytes(),
                "       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n".as_bytes(),
            ),
            case(
                "12b",
                (2, 0, 0, b' '),
                F::NONE,
                b"a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                b"a  b  c\naa bbbcccc\naaabbbb\n",
            ),
            case(
                "12c",
                (8, 0, 1, b'_'),
                F::NONE,
                b"a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                b"a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
            ),
            case(
                "13a",
                (4, 0, 1, b'-'),
                F::NONE,
                "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n".as_bytes(),
                "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n".as_bytes(),
            ),
            case(
                "13b",
                (4, 0, 3, b'.'),
                F::NONE,
                b"4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
                b"4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
            ),
            case(
                "13c",
                (8, 8, 1, b'\t'),
                F::FILTER_HTML,
                "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n".as_bytes(),
                "4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n".as_bytes(),
            ),
            case(
                "14",
                (1, 0, 2, b' '),
                F::ALIGN_RIGHT,
                b".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
                b"    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
            ),
            case(
                "14 debug",
                (1, 0, 2, b' '),
                F::ALIGN_RIGHT | F::DEBUG,
                b".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
                b"    .0|          .3|    2.4|    -5.1|\n  23.0|  12345678.9|    2.4|  -989.4|\n   5.1|        12.0|    2.4|    -7.0|\n    .0|         0.0|  332.0|  8908.0|\n    .0|         -.3|  456.4|    22.1|\n    .0|         1.2|   44.4|   -13.3|",
            ),
            case("15a", (4, 0, 0, b'.'), F::NONE, b"a\t\tb", b"a.......b"),
            case("15b", (4, 0, 0, b'.'), F::DISCARD_EMPTY_COLUMNS, b"a\t\tb", b"a.......b"),
            case("15c", (4, 0, 0, b'.'), F::DISCARD_EMPTY_COLUMNS, b"a\x0b\x0bb", b"a...b"),
            case("15d", (4, 0, 0, b'.'), F::ALIGN_RIGHT | F::DISCARD_EMPTY_COLUMNS, b"a\x0b\x0bb", b"...ab"),
            case(
                "16a",
                (100, 100, 0, b'\t'),
                F::NONE,
                b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            case(
                "16b",
                (100, 100, 0, b'\t'),
                F::DISCARD_EMPTY_COLUMNS,
                b"a\x0bb\x0b\x0bd\na\x0bb\x0b\x0bd\x0be\na\na\x0bb\x0bc\x0bd\na\x0bb\x0bc\x0bd\x0be\n",
                b"a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            case(
                "16b debug",
                (100, 100, 0, b'\t'),
                F::DISCARD_EMPTY_COLUMNS | F::DEBUG,
                b"a\x0bb\x0b\x0bd\na\x0bb\x0b\x0bd\x0be\na\na\x0bb\x0bc\x0bd\na\x0bb\x0bc\x0bd\x0be\n",
                b"a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
            ),
            case(
                "16c",
                (100, 100, 0, b'\t'),
                F::DISCARD_EMPTY_COLUMNS,
                b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            case(
                "16c debug",
                (100, 100, 0, b'\t'),
                F::DISCARD_EMPTY_COLUMNS | F::DEBUG,
                b"a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                b"a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
            ),
        ];
        for c in &cases {
            check(c);
        }
    }

    /// liggitt/tabwriter `TestMultiWrite`: with `RememberWidths`, columns never shrink across
    /// flushes, widths can be carried to a new writer, and can be reset or replaced.
    #[test]
    fn liggitt_remember_widths_multi_write() {
        let mut w = TabWriter::new(6, 4, 3, b' ', Flags::REMEMBER_WIDTHS);
        w.write_str("First\tMiddle\tLast\n");
        w.write_str("a\tbb\tccc\n");
        w.write_str("ddd\teeeeeeeeeeeeee\tf\n");
        assert_eq!(w.flush(), "First   Middle           Last\na       bb               ccc\nddd     eeeeeeeeeeeeee   f\n");

        w.write_str("g\th\ti\n");
        assert_eq!(w.flush(), "g       h                i\n");

        w.write_str("j\t\t\n");
        let mut out = w.flush();
        w.write_str("\tk\t\n");
        out += &w.flush();
        w.write_str("\t\tl\n");
        out += &w.flush();
        assert_eq!(out, "j                        \n        k                \n                         l\n");

        w.write_str("mmmmmmmmmmmmmmm\tnnn\tooo\n");
        assert_eq!(w.flush(), "mmmmmmmmmmmmmmm   nnn              ooo\n");

        // Transfer the remembered widths to a new writer.
        let mut w2 = TabWriter::new(6, 4, 3, b' ', Flags::REMEMBER_WIDTHS);
        w2.set_remembered_widths(&w.remembered_widths());
        let mut w = w2;
        w.write_str("p\tq\tr\n");
        assert_eq!(w.flush(), "p                 q                r\n");
        assert_eq!(w.remembered_widths(), vec![18, 17]);

        // Forget them.
        w.set_remembered_widths(&[]);
        w.write_str("sssss\tt\tu\n");
        assert_eq!(w.flush(), "sssss   t     u\n");
        assert_eq!(w.remembered_widths(), vec![8, 6]);

        // Replace them.
        w.set_remembered_widths(&[10, 5, 5]);
        w.write_str("v\tw\tx\n");
        assert_eq!(w.flush(), "v         w     x\n");
    }

    /// Go's text/tabwriter (no RememberWidths) sizes each flush on its own.
    #[test]
    fn without_remember_widths_each_flush_is_independent() {
        let mut w = TabWriter::new(6, 4, 3, b' ', Flags::NONE);
        w.write_str("NAME\tREADY\n");
        w.write_str("a-long-pod-name\t1/1\n");
        assert_eq!(w.flush(), "NAME              READY\na-long-pod-name   1/1\n");
        w.write_str("x\t0/1\n");
        assert_eq!(w.flush(), "x     0/1\n");
    }

    /// A `kubectl get pods` table as the real printer lays it out (header and rows in one flush).
    #[test]
    fn kubectl_get_layout() {
        let mut w = TabWriter::kubectl_get();
        w.write_str("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n");
        w.write_str("web\t1/1\tRunning\t0\t5m\n");
        w.write_str("crashy\t0/1\tCrashLoopBackOff\t4 (30s ago)\t2m40s\n");
        assert_eq!(
            w.flush(),
            "NAME     READY   STATUS             RESTARTS      AGE\n\
             web      1/1     Running            0             5m\n\
             crashy   0/1     CrashLoopBackOff   4 (30s ago)   2m40s\n"
        );
        // A later row (kubectl get -w) keeps the remembered columns.
        w.write_str("web\t0/1\tTerminating\t0\t6m\n");
        assert_eq!(w.flush(), "web      0/1     Terminating        0             6m\n");
    }

    /// describe's layout: a line without a tab ends the column block, so `Conditions:` rows align
    /// among themselves only; the trailing-space row format is kept verbatim.
    #[test]
    fn kubectl_describe_layout() {
        let mut w = TabWriter::kubectl_describe();
        w.write_str("Name:\tweb\n");
        w.write_str("Namespace:\tdefault\n");
        w.write_str("Conditions:\n");
        w.write_str("  Type\tStatus\n");
        w.write_str("  Initialized \tTrue \n");
        w.write_str("  Ready \tFalse \n");
        assert_eq!(
            w.flush(),
            "Name:       web\n\
             Namespace:  default\n\
             Conditions:\n  \
             Type          Status\n  \
             Initialized   True \n  \
             Ready         False \n"
        );
    }

    #[test]
    fn rune_count_matches_go() {
        assert_eq!(go_rune_count("本b".as_bytes()), 2);
        assert_eq!(go_rune_count(b"\xff\xff"), 2);
        // A truncated 3-byte sequence: Go counts each byte.
        assert_eq!(go_rune_count(b"\xe6\x97a"), 3);
    }
}
