//! The one request sampler: requests built from what a policy names.

/// A request derived from a policy document, for tests and benchmarks of
/// evaluation: an action and a resource the policy names (wildcards filled
/// in), plus a principal and a few common context keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRequest {
    /// The calling principal.
    pub principal: String,
    /// A concrete action.
    pub action: String,
    /// A concrete resource ARN, or `*`.
    pub resource: String,
    /// Context keys and values.
    pub context: Vec<(String, String)>,
}

/// Up to `limit` requests built from the actions and resources that the
/// policy document `text` names: each action pattern with its wildcards
/// replaced by letters, against each resource pattern likewise, so that
/// most requests reach the statements' conditions.
pub fn sample_requests(text: &str, limit: usize) -> Vec<SampleRequest> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let statements = match doc.get("Statement") {
        Some(serde_json::Value::Array(s)) => s.clone(),
        Some(s) => vec![s.clone()],
        None => Vec::new(),
    };
    let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
        match v {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let fill = |s: &str| {
        s.replace('*', "x")
            .replace('?', "q")
            .replace("${aws:username}", "alice")
    };
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        let mut actions = strings(st.get("Action"));
        if actions.is_empty() {
            actions.push("s3:GetObject".to_string());
        }
        let mut resources = strings(st.get("Resource"));
        if resources.is_empty() {
            resources.push("*".to_string());
        }
        for a in &actions {
            let action = if a == "*" {
                "s3:GetObject".to_string()
            } else {
                fill(a)
            };
            // One request per action, against the statement's first resource.
            if let Some(r) = resources.first() {
                if out.len() >= limit {
                    return out;
                }
                let resource = if r == "*" { "*".to_string() } else { fill(r) };
                out.push(SampleRequest {
                    principal: if i % 2 == 0 {
                        "arn:aws:iam::111122223333:user/alice".to_string()
                    } else {
                        "arn:aws:sts::111122223333:assumed-role/app/session".to_string()
                    },
                    action,
                    resource,
                    context: vec![
                        ("aws:SourceIp".to_string(), "203.0.113.7".to_string()),
                        ("aws:RequestedRegion".to_string(), "us-east-1".to_string()),
                        ("aws:SecureTransport".to_string(), "true".to_string()),
                    ],
                });
            }
        }
    }
    out
}

impl SampleRequest {
    /// Whether the resource is one a request can carry: `*` or an ARN of
    /// six parts (a sample whose wildcards were filled into fewer parts
    /// names no resource, and lies outside the prover's request space).
    pub fn has_request_resource(&self) -> bool {
        self.resource == "*"
            || self.resource.starts_with("arn:") && self.resource.matches(':').count() >= 5
    }

    /// The sample as an evaluator request, each context value single.
    #[cfg(feature = "eval")]
    pub fn to_request(&self) -> warden_eval::Request {
        let mut context = warden_eval::RequestContext::new();
        for (k, v) in &self.context {
            context.insert(k, warden_eval::ContextValue::Single(v.clone()));
        }
        warden_eval::Request::new(&self.principal, &self.action, &self.resource, context)
    }
}
