//! Parser cases as files: `testdata/parser/invalid/*.json` snapshot the
//! rendered diagnostics; `testdata/parser/valid/*.json` must have no errors
//! and snapshot their diagnostics, normalized model and canonical form.

use warden_diagnostics::HumanRenderer;
use warden_policy::model::PolicyModel;
use warden_policy::{parse_policy, print_policy};
use warden_text::SourceFile;

fn render(name: &str, text: &str) -> (warden_policy::ParseOutput, String) {
    let source = SourceFile::new(name, text);
    let out = parse_policy(text);
    let rendered: String = out
        .diagnostics
        .iter()
        .map(|d| HumanRenderer::plain().render(d, &source))
        .collect();
    (out, rendered)
}

fn file_name(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    format!(
        "{}/{name}",
        path.parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default()
    )
}

#[test]
fn invalid_policies() {
    insta::glob!("../../../testdata/parser", "invalid/*.json", |path| {
        let bytes = std::fs::read(path).expect("readable case");
        let text = String::from_utf8(bytes).expect("cases are UTF-8");
        let (out, rendered) = render(&file_name(path), &text);
        assert!(out.has_errors(), "{} should have errors", path.display());
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn valid_policies() {
    insta::glob!("../../../testdata/parser", "valid/*.json", |path| {
        let text = std::fs::read_to_string(path).expect("readable case");
        let (out, rendered) = render(&file_name(path), &text);
        assert!(!out.has_errors(), "{}: {rendered}", path.display());
        let policy = out.policy.expect("a policy");
        let model =
            serde_json::to_string_pretty(&PolicyModel::from(&policy)).expect("serializable");
        let printed = print_policy(&policy);
        insta::assert_snapshot!(format!(
            "--- diagnostics\n{rendered}--- model\n{model}\n--- canonical\n{printed}"
        ));
    });
}
