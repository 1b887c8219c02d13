//! How deep YAML nests lists and maps in brackets (`[[a]]`, `{a: {b: c}}`),
//! found before the text reaches the YAML parser.
//!
//! libyaml's scanner takes time that grows with the square of that depth: a
//! front matter of 150,000 `[`s (300 KB) took a minute before serde_yaml's own
//! limit refused it. Real front matter nests two or three deep.

/// The deepest that brackets may nest in YAML.
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// Where (1-based line and column, in characters) the first bracket that
/// nests deeper than [`MAX_FLOW_DEPTH`] opens, if one does. Quoted values,
/// comments and block text (`|`, `>`) are skipped as YAML skips them. Time
/// linear in the text.
pub(crate) fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    let mut scan = Scan::default();
    for (n, line) in yaml.lines().enumerate() {
        if let Some(column) = scan.line(line) {
            return Some((n + 1, column));
        }
    }
    None
}

#[derive(Default)]
struct Scan {
    /// Open brackets.
    depth: usize,
    /// The quote mark of a quoted value still open (it may span lines).
    quote: Option<char>,
    /// Inside block text: lines indented more than this belong to it.
    block: Option<usize>,
}

impl Scan {
    /// Reads one line; the column of a bracket that nests too deeply.
    fn line(&mut self, line: &str) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = self.block {
            if line.trim().is_empty() || indent > parent {
                return None;
            }
            self.block = None;
        }
        // A value may start here: at the start of the line, after `- `, `: `, `? `.
        let mut value_start = true;
        let mut previous = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((column, c)) = chars.next() {
            if let Some(quote) = self.quote {
                match c {
                    '\\' if quote == '"' => {
                        chars.next();
                    }
                    '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, c)| c == '\'') => {
                        chars.next();
                    }
                    c if c == quote => self.quote = None,
                    _ => {}
                }
                previous = c;
                continue;
            }
            let token_start = value_start || (self.depth > 0 && " \t[{,:".contains(previous));
            match c {
                '#' if previous.is_whitespace() => break,
                '"' | '\'' if token_start => self.quote = Some(c),
                '[' | '{' if self.depth > 0 || value_start => {
                    self.depth += 1;
                    if self.depth > MAX_FLOW_DEPTH {
                        return Some(column + 1);
                    }
                }
                ']' | '}' if self.depth > 0 => self.depth -= 1,
                '|' | '>' if value_start && self.depth == 0 => {
                    self.block = Some(indent);
                    return None;
                }
                ' ' | '\t' => {}
                '-' | ':' | '?' if chars.peek().is_none_or(|&(_, c)| c == ' ') => {
                    value_start = true;
                    previous = c;
                    continue;
                }
                _ => {}
            }
            if !c.is_whitespace() {
                value_start = false;
            }
            previous = c;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_nested_too_deeply_are_found_where_they_go_too_deep() {
        let yaml = format!("title: A page\nextra: {}\n", "[".repeat(100));
        // `extra: ` is 7 characters; the 65th `[` is the one too many.
        assert_eq!(too_deep(&yaml), Some((2, 7 + MAX_FLOW_DEPTH + 1)));
        let maps = format!("extra:\n  {}\n", "{a: ".repeat(100));
        assert_eq!(too_deep(&maps).map(|(line, _)| line), Some(2));
        let lines = format!("extra: {}", "[\n".repeat(100));
        assert_eq!(too_deep(&lines), Some((MAX_FLOW_DEPTH + 1, 1)));
    }

    #[test]
    fn ordinary_front_matter_is_not_too_deep() {
        let ordinary = "title: \"Brackets [[[ in quotes\"\n\
                        summary: 'It''s [[[ fine'\n\
                        topics: [resilience, {a: [b, c]}]\n\
                        note: a :-[ face # and [[[ a comment\n\
                        body: |\n  [[[[ block text\n  [[[[\n\
                        tags: [a]\n";
        let many = "note: a :-[ face\n".repeat(200);
        let balanced = "topics: [[a], [b]]\n".repeat(200);
        for yaml in [ordinary.to_string(), many, balanced] {
            assert_eq!(too_deep(&yaml), None, "{yaml}");
        }
    }
}
