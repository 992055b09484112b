//! E105 `invalid-arn-account`: the account field of a resource ARN is not
//! an account id.

use warden_diagnostics::Severity;

use crate::arn_item::{ArnItem, Field, InvalidField};
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

/// The finding on an account field that is not an account id.
const ACCOUNT: InvalidField = InvalidField {
    field: Field::Account,
    what: "an AWS account id",
    label: "not 12 digits",
    help: "write the 12-digit account id without dashes, or `*`",
};

impl Rule for InvalidArnAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_statement(&self, cx: &LintContext<'_>, st: &StatementView<'_>, sink: &mut Sink) {
        let valid = |a: &ArnItem<'_>, account: &str| {
            let digits = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
            account.is_empty()
                || digits
                || account == "aws"
                // Some services write a literal in the account field.
                || a.literal(Field::Service)
                    .and_then(|s| cx.catalog.arn_formats(s))
                    .is_some_and(|fs| fs.iter().any(|f| f.account() == account))
        };
        ACCOUNT.report(st, sink, valid);
    }
}
