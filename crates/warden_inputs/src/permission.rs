//! A Lambda permission (`AWS::Lambda::Permission`, `aws_lambda_permission`)
//! as the grant it is.
//!
//! A permission has no policy document: Lambda turns its fields into one
//! statement of the function's resource policy, as `GetPolicy` shows
//! (Lambda's "Viewing resource-based IAM policies in Lambda"):
//!
//! ```json
//! {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
//!  "Action": "lambda:InvokeFunction", "Resource": "<function ARN>",
//!  "Condition": {"ArnLike": {"AWS:SourceArn": "..."},
//!                "StringEquals": {"AWS:SourceAccount": "..."}}}
//! ```
//!
//! This module builds that statement from the fields, every node spanning
//! the field it comes from, so findings about the grant point at the field.

use std::borrow::Cow;

use warden_policy::json::{JsonKind, JsonMember, JsonValue};
use warden_text::Span;

use crate::Cx;

/// The fields of a permission, each with its key's span.
pub(crate) struct Fields<'v, 'a> {
    pub(crate) action: Option<&'v JsonMember<'a>>,
    pub(crate) principal: Option<&'v JsonMember<'a>>,
    pub(crate) function: Option<&'v JsonMember<'a>>,
    pub(crate) source_arn: Option<&'v JsonMember<'a>>,
    pub(crate) source_account: Option<&'v JsonMember<'a>>,
    pub(crate) org_id: Option<&'v JsonMember<'a>>,
    pub(crate) url_auth_type: Option<&'v JsonMember<'a>>,
    /// The whole resource (or its properties), for nodes no field gives.
    pub(crate) whole: Span,
}

/// The document built from a permission.
pub(crate) struct Synthesised<'a> {
    /// `{"Version": ..., "Statement": [{...}]}`.
    pub(crate) value: JsonValue<'a>,
    /// Spans whose text is not what the policy holds (a function name
    /// where Lambda puts the function's ARN): errors about the text there
    /// say nothing about the grant.
    pub(crate) opaque: Vec<Span>,
}

fn string<'a>(text: impl Into<Cow<'a, str>>, span: Span) -> JsonValue<'a> {
    JsonValue {
        span,
        kind: JsonKind::String(text.into()),
    }
}

fn member<'a>(key: &'static str, key_span: Span, value: JsonValue<'a>) -> JsonMember<'a> {
    JsonMember {
        key: Cow::Borrowed(key),
        key_span,
        value,
    }
}

fn object(span: Span, members: Vec<JsonMember<'_>>) -> JsonValue<'_> {
    JsonValue {
        span,
        kind: JsonKind::Object(members),
    }
}

/// Whether a permission's principal string names a service
/// (`s3.amazonaws.com`), rather than an account, an ARN or `*`.
fn is_service(p: &str) -> bool {
    !p.contains(':') && p.contains('.') && !p.bytes().all(|b| b.is_ascii_digit())
}

/// The document a permission adds to its function's policy, or why it
/// cannot be built (no principal or action, a principal known only at
/// deployment).
pub(crate) fn document<'a>(cx: &Cx<'a>, f: &Fields<'_, 'a>) -> Result<Synthesised<'a>, String> {
    let whole = f.whole;
    let (Some(principal), Some(action)) = (f.principal, f.action) else {
        return Err(format!(
            "the permission at {} has no `Principal` or no `Action`",
            cx.at(whole)
        ));
    };
    let Some(p) = principal.value.as_str() else {
        return Err(format!(
            "the permission's principal at {} is not a plain string (an intrinsic function?); \
             whether it names a service or an account is known only at deployment",
            cx.at(principal.value.span)
        ));
    };
    let pv = principal.value.clone();
    let principal_value = if p == "*" {
        pv
    } else if is_service(p) {
        object(pv.span, vec![member("Service", principal.key_span, pv)])
    } else {
        object(pv.span, vec![member("AWS", principal.key_span, pv)])
    };
    let mut opaque = Vec::new();
    let mut statement = vec![
        member("Effect", whole, string("Allow", whole)),
        member("Principal", principal.key_span, principal_value),
        member("Action", action.key_span, action.value.clone()),
    ];
    if let Some(function) = f.function {
        let value = match function.value.as_str() {
            // A name or partial ARN: Lambda grants on the function's ARN.
            Some(name) if !name.starts_with("arn:") => {
                opaque.push(function.value.span);
                string(
                    format!("arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"),
                    function.value.span,
                )
            }
            _ => function.value.clone(),
        };
        statement.push(member("Resource", function.key_span, value));
    }
    let mut arn_like = Vec::new();
    let mut equals = Vec::new();
    if let Some(m) = f.source_arn {
        arn_like.push(member("AWS:SourceArn", m.key_span, m.value.clone()));
    }
    if let Some(m) = f.source_account {
        equals.push(member("AWS:SourceAccount", m.key_span, m.value.clone()));
    }
    if let Some(m) = f.org_id {
        equals.push(member("aws:PrincipalOrgID", m.key_span, m.value.clone()));
    }
    if let Some(m) = f.url_auth_type {
        equals.push(member(
            "lambda:FunctionUrlAuthType",
            m.key_span,
            m.value.clone(),
        ));
    }
    let mut condition = Vec::new();
    if !arn_like.is_empty() {
        condition.push(member("ArnLike", whole, object(whole, arn_like)));
    }
    if !equals.is_empty() {
        condition.push(member("StringEquals", whole, object(whole, equals)));
    }
    if !condition.is_empty() {
        statement.push(member("Condition", whole, object(whole, condition)));
    }
    let value = object(
        whole,
        vec![
            member("Version", whole, string("2012-10-17", whole)),
            member(
                "Statement",
                whole,
                JsonValue {
                    span: whole,
                    kind: JsonKind::Array(vec![object(whole, statement)]),
                },
            ),
        ],
    );
    Ok(Synthesised { value, opaque })
}

#[cfg(test)]
mod tests {
    use super::is_service;

    #[test]
    fn principals_by_kind() {
        assert!(is_service("s3.amazonaws.com"));
        assert!(is_service("events.amazonaws.com.cn"));
        assert!(!is_service("123456789012"));
        assert!(!is_service("arn:aws:iam::123456789012:root"));
        assert!(!is_service("*"));
    }
}
