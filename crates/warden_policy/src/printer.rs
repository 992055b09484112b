//! The canonical form of a policy, printed by `warden fmt`.
//!
//! Canonical means: four-space indentation (as the IAM console and AWS
//! documentation write policies), one element per line, elements in the
//! order AWS documents them (`Version`, `Id`, `Statement`; then `Sid`,
//! `Effect`, `Principal`, `Action`, `Resource`, `Condition`), strings
//! escaped minimally, and a final newline. Nothing else changes: values keep
//! their text, their order and whether they were a string or a list, so the
//! canonical form means exactly what the original meant.

use std::fmt::Write as _;

use crate::ast::*;

/// Prints `policy` in canonical form.
pub fn print_policy(policy: &Policy) -> String {
    let mut p = Printer {
        out: String::with_capacity(1024),
        indent: 0,
    };
    p.policy(policy);
    p.out.push('\n');
    p.out
}

struct Printer {
    out: String,
    indent: usize,
}

/// Writes the members of one JSON object, handling commas and newlines.
struct ObjectWriter {
    first: bool,
}

impl Printer {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn open(&mut self, c: char) -> ObjectWriter {
        self.out.push(c);
        self.indent += 1;
        ObjectWriter { first: true }
    }

    fn close(&mut self, w: ObjectWriter, c: char) {
        self.indent -= 1;
        if !w.first {
            self.newline();
        }
        self.out.push(c);
    }

    /// Starts the next member or item: comma if needed, newline, indent.
    fn next(&mut self, w: &mut ObjectWriter) {
        if !w.first {
            self.out.push(',');
        }
        w.first = false;
        self.newline();
    }

    fn key(&mut self, w: &mut ObjectWriter, key: &str) {
        self.next(w);
        self.string(key);
        self.out.push_str(": ");
    }

    fn string(&mut self, s: &str) {
        write_json_string(&mut self.out, s);
    }

    fn strings<'a>(&mut self, form: Form, items: impl IntoIterator<Item = &'a str>) {
        match form {
            Form::Single => {
                let mut it = items.into_iter();
                if let Some(s) = it.next() {
                    self.string(s);
                } else {
                    self.out.push_str("[]");
                }
            }
            Form::List => {
                let mut w = self.open('[');
                for s in items {
                    self.next(&mut w);
                    self.string(s);
                }
                self.close(w, ']');
            }
        }
    }

    fn policy(&mut self, policy: &Policy) {
        let mut w = self.open('{');
        if let Some(v) = &policy.version {
            self.key(&mut w, "Version");
            self.string(v.value.as_str());
        }
        if let Some(id) = &policy.id {
            self.key(&mut w, "Id");
            self.string(&id.value);
        }
        if let Some(block) = &policy.statement {
            self.key(&mut w, "Statement");
            match block.form {
                Form::Single => {
                    for st in &block.statements {
                        self.statement(st);
                    }
                }
                Form::List => {
                    let mut lw = self.open('[');
                    for st in &block.statements {
                        self.next(&mut lw);
                        self.statement(st);
                    }
                    self.close(lw, ']');
                }
            }
        }
        self.close(w, '}');
    }

    fn statement(&mut self, st: &Statement) {
        let mut w = self.open('{');
        if let Some(sid) = &st.sid {
            self.key(&mut w, "Sid");
            self.string(&sid.value);
        }
        if let Some(e) = &st.effect {
            self.key(&mut w, "Effect");
            self.string(e.value.as_str());
        }
        if let Some(p) = &st.principal {
            self.key(
                &mut w,
                if p.negated {
                    "NotPrincipal"
                } else {
                    "Principal"
                },
            );
            match &p.value {
                PrincipalValue::Any => self.string("*"),
                PrincipalValue::Map(entries) => {
                    let mut pw = self.open('{');
                    for e in entries {
                        self.key(&mut pw, e.kind.value.key());
                        self.strings(e.form, e.values.iter().map(|v| v.value.as_str()));
                    }
                    self.close(pw, '}');
                }
            }
        }
        if let Some(a) = &st.action {
            self.key(&mut w, if a.negated { "NotAction" } else { "Action" });
            self.strings(a.form, a.items.iter().map(|i| i.raw.as_str()));
        }
        if let Some(r) = &st.resource {
            self.key(&mut w, if r.negated { "NotResource" } else { "Resource" });
            self.strings(r.form, r.items.iter().map(|i| i.raw.as_str()));
        }
        if let Some(c) = &st.condition {
            self.key(&mut w, "Condition");
            let mut cw = self.open('{');
            for op in &c.operators {
                self.key(&mut cw, &op.operator.raw);
                let mut ow = self.open('{');
                for entry in &op.entries {
                    self.key(&mut ow, &entry.key.value);
                    match entry.form {
                        Form::Single => match entry.values.first() {
                            Some(v) => self.condition_value(v),
                            None => self.out.push_str("[]"),
                        },
                        Form::List => {
                            let mut lw = self.open('[');
                            for v in &entry.values {
                                self.next(&mut lw);
                                self.condition_value(v);
                            }
                            self.close(lw, ']');
                        }
                    }
                }
                self.close(ow, '}');
            }
            self.close(cw, '}');
        }
        self.close(w, '}');
    }

    fn condition_value(&mut self, v: &ConditionValue) {
        match v.value_type {
            ValueType::String => self.string(&v.raw),
            // Numbers keep their source text; booleans are `true`/`false`.
            ValueType::Number | ValueType::Bool => self.out.push_str(&v.raw),
        }
    }
}

/// Writes `s` as a JSON string: `"` and `\` escaped, control characters as
/// `\n`, `\t`, ... or `\u00XX`, everything else as UTF-8.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or(""));
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or(""));
    out.push('"');
}
