//! E105 `invalid-arn-account`: the account field of a resource ARN is not
//! an account id.

use warden_diagnostics::Severity;

use crate::arn_item::Field;
use crate::context::is_wild;
use crate::{Category, LintContext, Rule, RuleMeta, Sink, StatementView};

/// See [`META`].
pub struct InvalidArnAccount;

static META: RuleMeta = RuleMeta {
    code: "E105",
    name: "invalid-arn-account",
    category: Category::Error,
    default_severity: Severity::Error,
    since: "0.1.0",
    summary: "The account field of a resource ARN is not a 12-digit account id.",
    what_it_does: "Checks the account field (the fifth field) of every ARN in `Resource` and \
        `NotResource`: when it is written without wildcards or variables and is not empty, it \
        must be 12 digits, or `aws` (AWS-owned resources such as AWS managed policies), or a \
        literal account that the service's ARN formats use.",
    why_bad: "An account id with a digit too many or too few, dashes (`1111-2222-3333`) or an \
        account alias names no resource, so the statement matches nothing.",
    example: r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1111-2222-3333:queue"}"#,
    use_instead: r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:queue"}"#,
    access_analyzer: &["INVALID_ARN_ACCOUNT"],
};

impl Rule for InvalidArnAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        for a in st.arn_items() {
            if is_wild(&a.arn.account) {
                continue;
            }
            let Some(account) = a.arn.account.as_literal() else {
                continue;
            };
            let digits = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
            if account.is_empty() || digits || account == "aws" {
                continue;
            }
            let literal_in_format = a
                .arn
                .service
                .as_literal()
                .and_then(|s| cx.catalog.arn_formats(s))
                .is_some_and(|fs| fs.iter().any(|f| f.account() == account));
            if literal_in_format {
                continue;
            }
            sink.report(
                a.field_span(Field::Account),
                format!("`{account}` in `{}` is not an AWS account id", a.item.raw),
                "not 12 digits",
                "write the 12-digit account id without dashes, or `*`",
            );
        }
    }
}
