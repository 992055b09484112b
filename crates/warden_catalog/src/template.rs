//! Matching concrete text against the templates of the service reference:
//! ARN formats such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`
//! and pattern condition keys such as `aws:RequestTag/${TagKey}` or
//! `s3:ExistingObjectTag/<key>`.
//!
//! A template is literal text, placeholders (`${Name}`, and `<name>` in
//! condition keys) and, in ARN formats, `*`. A placeholder stands for a
//! non-empty run of characters. In ARN formats, a placeholder that is followed
//! by literal text cannot contain that text's first character: `${BucketName}/`
//! stops at the first `/`, `${Region}:` at the next `:`. The last placeholder
//! (`${ObjectName}`, `${RoleNameWithPath}`) takes the rest, slashes included,
//! except the characters with which a longer format of the catalog continues
//! the same text (`arn:${Partition}:s3:::${BucketName}` is continued by
//! `/${ObjectName}`, so a bucket name holds no `/`). Matching runs over a set of reachable positions, one
//! template segment at a time, so it takes polynomial time whatever the input.

/// One piece of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Segment<'t> {
    Literal(&'t str),
    Placeholder,
    /// `*` in an ARN format: any run of characters, including none.
    Star,
}

/// How a template is read and compared.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Dialect {
    /// ARN formats: `${...}` and `*`; case-sensitive; placeholders stop at the
    /// next literal's first character, and the final one at `trailing_stops`
    /// (zero bytes unused).
    Arn {
        /// Characters the final placeholder cannot contain.
        trailing_stops: [u8; 4],
    },
    /// Condition keys: `${...}` and `<...>`; case-insensitive; placeholders
    /// take any non-empty run.
    ConditionKey,
}

/// Whether `template` has a placeholder (or, for ARNs, a `*`).
pub(crate) fn is_pattern(template: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Arn { .. } => template.contains("${") || template.contains('*'),
        Dialect::ConditionKey => template.contains("${") || template.contains('<'),
    }
}

/// The pieces of `template`, read as `dialect` writes them.
pub(crate) fn segments(template: &str, dialect: Dialect) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let next_special = rest.char_indices().find_map(|(i, c)| {
            let tail = rest.get(i..).unwrap_or_default();
            match (c, dialect) {
                ('$', _) if tail.starts_with("${") => tail.find('}').map(|end| (i, end + 1, false)),
                ('<', Dialect::ConditionKey) => tail.find('>').map(|end| (i, end + 1, false)),
                ('*', Dialect::Arn { .. }) => Some((i, 1, true)),
                _ => None,
            }
        });
        match next_special {
            Some((start, len, star)) => {
                if let Some(literal) = rest.get(..start).filter(|l| !l.is_empty()) {
                    out.push(Segment::Literal(literal));
                }
                out.push(if star {
                    Segment::Star
                } else {
                    Segment::Placeholder
                });
                rest = rest.get(start + len..).unwrap_or_default();
            }
            None => {
                out.push(Segment::Literal(rest));
                rest = "";
            }
        }
    }
    out
}

/// If `text` matches `template`, how specific the match is: the number of
/// literal bytes in the template (more literal text, more specific).
pub(crate) fn match_template(template: &str, text: &str, dialect: Dialect) -> Option<usize> {
    let fold_case = matches!(dialect, Dialect::ConditionKey);
    // Most candidates differ in their leading literal: reject them before
    // allocating anything.
    let specials: &[char] = match dialect {
        Dialect::Arn { .. } => &['$', '*'],
        Dialect::ConditionKey => &['$', '<'],
    };
    let head = template
        .as_bytes()
        .get(..template.find(specials).unwrap_or(template.len()));
    let text_head = text.as_bytes().get(..head.map_or(0, <[u8]>::len));
    let head_fits = match (head, text_head) {
        (Some(h), Some(t)) if fold_case => h.eq_ignore_ascii_case(t),
        (Some(h), Some(t)) => h == t,
        _ => false,
    };
    if !head_fits {
        return None;
    }
    let segments = segments(template, dialect);
    let text = text.as_bytes();
    // reachable[p]: the segments so far can consume exactly text[..p].
    let mut reachable = vec![false; text.len() + 1];
    if let Some(first) = reachable.first_mut() {
        *first = true;
    }
    let mut next = vec![false; text.len() + 1];
    for (i, segment) in segments.iter().enumerate() {
        next.fill(false);
        match *segment {
            Segment::Literal(literal) => {
                let literal = literal.as_bytes();
                for (p, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
                    let fits = text.get(p..p + literal.len()).is_some_and(|window| {
                        if fold_case {
                            window.eq_ignore_ascii_case(literal)
                        } else {
                            window == literal
                        }
                    });
                    if let (true, Some(slot)) = (fits, next.get_mut(p + literal.len())) {
                        *slot = true;
                    }
                }
            }
            Segment::Placeholder => {
                let stops = match dialect {
                    Dialect::Arn { trailing_stops } => {
                        match stop_after(segments.get(i + 1..).unwrap_or_default()) {
                            Stop::Byte(byte) => [byte, 0, 0, 0],
                            Stop::Star => [0; 4],
                            Stop::End => trailing_stops,
                        }
                    }
                    Dialect::ConditionKey => [0; 4],
                };
                for (p, _) in reachable.iter().enumerate().filter(|(_, r)| **r) {
                    let tail = text.get(p..).unwrap_or_default();
                    for (taken, &byte) in tail.iter().enumerate() {
                        if byte != 0 && stops.contains(&byte) {
                            break;
                        }
                        if let Some(slot) = next.get_mut(p + taken + 1) {
                            *slot = true;
                        }
                    }
                }
            }
            Segment::Star => {
                let mut on = false;
                for (slot, &r) in next.iter_mut().zip(&reachable) {
                    on |= r;
                    *slot = on;
                }
            }
        }
        std::mem::swap(&mut reachable, &mut next);
        if !reachable.contains(&true) {
            return None;
        }
    }
    if reachable.last() == Some(&true) {
        Some(
            segments
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => l.len(),
                    Segment::Placeholder | Segment::Star => 0,
                })
                .sum(),
        )
    } else {
        None
    }
}

/// What ends a placeholder: the next literal (after any further
/// placeholders), a `*`, or the end of the format.
enum Stop {
    Byte(u8),
    Star,
    End,
}

fn stop_after(following: &[Segment<'_>]) -> Stop {
    following
        .iter()
        .find_map(|s| match s {
            Segment::Literal(l) => l.as_bytes().first().map(|&b| Stop::Byte(b)),
            Segment::Star => Some(Stop::Star),
            Segment::Placeholder => None,
        })
        .unwrap_or(Stop::End)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: Dialect = Dialect::Arn {
        trailing_stops: [0; 4],
    };

    fn arn(template: &str, text: &str) -> bool {
        match_template(template, text, ARN).is_some()
    }

    #[test]
    fn parses_segments() {
        assert_eq!(
            segments("a${X}b*<c>", ARN),
            vec![
                Segment::Literal("a"),
                Segment::Placeholder,
                Segment::Literal("b"),
                Segment::Star,
                Segment::Literal("<c>"),
            ]
        );
        assert_eq!(
            segments("s3:ExistingObjectTag/<key>", Dialect::ConditionKey),
            vec![
                Segment::Literal("s3:ExistingObjectTag/"),
                Segment::Placeholder
            ]
        );
        assert_eq!(
            segments("${unclosed", ARN),
            vec![Segment::Literal("${unclosed")]
        );
    }

    #[test]
    fn placeholders_stop_at_the_next_separator() {
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        assert!(arn(bucket, "arn:aws:s3:::b"));
        assert!(arn(object, "arn:aws:s3:::b/k/with/slashes"));
        assert!(!arn(object, "arn:aws:s3:::b"));
        assert!(!arn(object, "arn:aws:s3:::b/"));
        assert!(!arn(bucket, "arn:aws:s3:us-east-1::b"));
        assert!(!arn(bucket, "arn::s3:::b"), "placeholders are not empty");
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        assert!(arn(
            stream,
            "arn:aws:logs:us-east-1:1:log-group:/aws/x:log-stream:s"
        ));
        let no_slash = Dialect::Arn {
            trailing_stops: [b'/', 0, 0, 0],
        };
        assert!(match_template(bucket, "arn:aws:s3:::b/k", no_slash).is_none());
        assert!(match_template(bucket, "arn:aws:s3:::b", no_slash).is_some());
    }

    #[test]
    fn stars_and_specificity() {
        assert!(arn(
            "arn:${Partition}:braket:*:*:device/${D}",
            "arn:aws:braket:::device/x"
        ));
        let general = match_template(
            "arn:${P}:t:${R}:${A}:table/${T}",
            "arn:aws:t:r:a:table/x/index/i",
            ARN,
        );
        let specific = match_template(
            "arn:${P}:t:${R}:${A}:table/${T}/index/${I}",
            "arn:aws:t:r:a:table/x/index/i",
            ARN,
        );
        assert!(specific > general && general.is_some());
    }

    #[test]
    fn condition_key_patterns_fold_case() {
        let key = |t: &str, k: &str| match_template(t, k, Dialect::ConditionKey).is_some();
        assert!(key("aws:RequestTag/${TagKey}", "aws:requesttag/team"));
        assert!(key("aws:RequestTag/${TagKey}", "aws:RequestTag/a/b"));
        assert!(!key("aws:RequestTag/${TagKey}", "aws:RequestTag/"));
        assert!(key(
            "agent.${Domain}.buildkite.dev:cluster_id",
            "agent.x.buildkite.dev:cluster_id"
        ));
        assert!(key("aws:SourceIp", "AWS:SOURCEIP"));
    }
}
