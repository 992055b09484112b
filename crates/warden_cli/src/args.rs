//! Argument types every command shares: the output format and the policy
//! type, each parsed by one value parser so `--format` and `--policy-type`
//! take the same words everywhere.

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use warden::PolicyType;

/// How a command prints its answer on standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    /// Text for people (`text` is accepted as an alias, which `simulate`
    /// and `actions` used to call it).
    Human,
    /// JSON for programs.
    Json,
    /// SARIF 2.1.0, for code-scanning services (`lint` only).
    Sarif,
    /// GitHub Actions workflow commands (`lint` only).
    Github,
}

impl OutputFormat {
    /// The formats of commands that print text or JSON.
    pub(crate) const HUMAN_JSON: &'static [OutputFormat] =
        &[OutputFormat::Human, OutputFormat::Json];

    /// Every format.
    pub(crate) const ALL: &'static [OutputFormat] = &[
        OutputFormat::Human,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
    ];

    fn possible_value(self) -> PossibleValue {
        match self {
            OutputFormat::Human => PossibleValue::new("human")
                .alias("text")
                .help("Text for people"),
            OutputFormat::Json => PossibleValue::new("json").help("JSON for programs"),
            OutputFormat::Sarif => PossibleValue::new("sarif").help("SARIF 2.1.0"),
            OutputFormat::Github => PossibleValue::new("github").help("GitHub Actions annotations"),
        }
    }

    /// The value parser of a command's `--format`, accepting the formats
    /// the command can print.
    pub(crate) fn parser(
        supported: &'static [OutputFormat],
    ) -> impl TypedValueParser<Value = OutputFormat> {
        PossibleValuesParser::new(supported.iter().map(|f| f.possible_value())).map(move |name| {
            // The possible values were checked: the name is one of them or
            // the alias of `human`.
            supported
                .iter()
                .copied()
                .find(|f| f.possible_value().matches(&name, false))
                .unwrap_or(OutputFormat::Human)
        })
    }
}

/// The value parser of `--policy-type`: `identity`, `resource`, `trust`,
/// `scp` or `rcp`.
pub(crate) fn policy_type_parser() -> impl TypedValueParser<Value = PolicyType> {
    let values = PolicyType::ALL.map(|t| PossibleValue::new(t.as_str()).help(help(t)));
    PossibleValuesParser::new(values).map(|name| PolicyType::from_name(&name).unwrap_or_default())
}

fn help(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => {
            "Identity-based policy (also a permissions boundary or session policy)"
        }
        PolicyType::Resource => "Resource-based policy",
        PolicyType::Trust => "A role's trust policy",
        PolicyType::Scp => "Service control policy",
        PolicyType::Rcp => "Resource control policy",
        PolicyType::Endpoint => "VPC endpoint policy",
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Probe {
        #[arg(long, value_parser = OutputFormat::parser(OutputFormat::HUMAN_JSON), default_value = "human")]
        format: OutputFormat,
        #[arg(long, value_parser = policy_type_parser(), default_value = "identity")]
        policy_type: PolicyType,
    }

    fn parse(args: &[&str]) -> Result<Probe, clap::Error> {
        Probe::try_parse_from(std::iter::once("probe").chain(args.iter().copied()))
    }

    #[test]
    fn text_is_an_alias_of_human() {
        let p = parse(&["--format", "text"]).map(|p| p.format);
        assert!(matches!(p, Ok(OutputFormat::Human)), "{p:?}");
        let p = parse(&["--format", "json"]).map(|p| p.format);
        assert!(matches!(p, Ok(OutputFormat::Json)), "{p:?}");
        assert!(parse(&["--format", "sarif"]).is_err());
    }

    #[test]
    fn every_policy_type_parses() {
        for t in PolicyType::ALL {
            let p = parse(&["--policy-type", t.as_str()]).map(|p| p.policy_type);
            assert!(matches!(p, Ok(parsed) if parsed == t), "{p:?}");
        }
        assert!(parse(&["--policy-type", "boundary"]).is_err());
    }

    #[test]
    fn the_alias_is_hidden_from_help() {
        let help = parse(&["--help"]).map(|_| ()).unwrap_err().to_string();
        assert!(help.contains("human"), "{help}");
        assert!(!help.contains("text"), "{help}");
    }
}
