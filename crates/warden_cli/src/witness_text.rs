//! Witness requests as text, for `warden diff` and `warden check`.

use std::fmt::Write as _;

use warden::request::ContextValue;
use warden::verdict::WitnessRequest;

/// One line: `principal P  action A  resource R  context k=v, k=[a, b]`.
pub(crate) fn request_line(r: &WitnessRequest) -> String {
    let mut s = format!(
        "principal {}  action {}  resource {}",
        r.principal, r.action, r.resource
    );
    if let Some(account) = &r.resource_account {
        let _ = write!(s, "  resource account {account}");
    }
    if !r.context.is_empty() {
        let context: Vec<String> = r
            .context
            .iter()
            .map(|(k, v)| format!("{k}={}", value(v)))
            .collect();
        let _ = write!(s, "  context {}", context.join(", "));
    }
    s
}

/// The whole request, one field a line, each line starting with `indent`,
/// then the request as a `warden simulate --batch` line.
pub(crate) fn request_block(r: &WitnessRequest, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}principal: {}", r.principal);
    let _ = writeln!(s, "{indent}action:    {}", r.action);
    let _ = writeln!(s, "{indent}resource:  {}", r.resource);
    if let Some(account) = &r.resource_account {
        let _ = writeln!(s, "{indent}resource account: {account}");
    }
    if r.context.is_empty() {
        let _ = writeln!(s, "{indent}context:   (none)");
    } else {
        let _ = writeln!(s, "{indent}context:");
        for (k, v) in &r.context {
            let _ = writeln!(s, "{indent}  {k} = {}", value(v));
        }
    }
    let json = serde_json::to_string(r).unwrap_or_default();
    let _ = writeln!(s, "{indent}as a request line: {json}");
    s
}

fn value(v: &ContextValue) -> String {
    match v {
        ContextValue::Single(s) => s.clone(),
        ContextValue::Multi(values) => format!("[{}]", values.join(", ")),
    }
}
