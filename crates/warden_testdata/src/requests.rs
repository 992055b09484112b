//! The one request sampler: requests built from what a policy names.

/// The IAM user that sampled requests come from (one in two requests
/// sampled from a policy, and every request of the prover's properties).
pub const SAMPLE_USER: &str = "arn:aws:iam::111122223333:user/alice";

/// A context value of a sampled request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SampleValue {
    /// A single-valued key.
    Single(String),
    /// A multivalued key (possibly empty).
    Multi(Vec<String>),
}

/// A request for tests and benchmarks of evaluation: derived from a policy
/// document by [`sample_requests`] (an action and a resource the policy
/// names, wildcards filled in, plus a principal and a few common context
/// keys), or drawn by a test's own generator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRequest {
    /// The calling principal.
    pub principal: String,
    /// A concrete action.
    pub action: String,
    /// A concrete resource ARN, or `*`.
    pub resource: String,
    /// Context keys and values.
    pub context: Vec<(String, SampleValue)>,
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
                        SAMPLE_USER.to_string()
                    } else {
                        "arn:aws:sts::111122223333:assumed-role/app/session".to_string()
                    },
                    action,
                    resource,
                    context: [
                        ("aws:SourceIp", "203.0.113.7"),
                        ("aws:RequestedRegion", "us-east-1"),
                        ("aws:SecureTransport", "true"),
                    ]
                    .map(|(k, v)| (k.to_string(), SampleValue::Single(v.to_string())))
                    .to_vec(),
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

    /// The sample as an evaluator request.
    #[cfg(feature = "eval")]
    pub fn to_request(&self) -> warden_eval::Request {
        use warden_eval::ContextValue;
        let mut context = warden_eval::RequestContext::new();
        for (k, v) in &self.context {
            let value = match v {
                SampleValue::Single(s) => ContextValue::Single(s.clone()),
                SampleValue::Multi(m) => ContextValue::Multi(m.clone()),
            };
            context.insert(k, value);
        }
        warden_eval::Request::new(&self.principal, &self.action, &self.resource, context)
    }
}
