//! Writes a policy table of every latest AWS managed policy and N requests
//! against them, for the end-to-end benchmark of `warden simulate --batch`:
//!
//! ```sh
//! cargo run --release -p warden_testdata --bin write-simulate-batch -- /tmp/batch 500000
//! time target/release/warden simulate --batch /tmp/batch/requests.jsonl \
//!     --policy-table /tmp/batch/table.json > /dev/null
//! ```

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), count) = (args.next(), args.next()) else {
        eprintln!("usage: write-simulate-batch DIR [COUNT]");
        return ExitCode::from(2);
    };
    let count: usize = count.and_then(|c| c.parse().ok()).unwrap_or(100_000);
    match write(&dir, count) {
        Ok(n) => {
            println!("wrote a table of {n} policies and {count} requests to {dir}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn write(dir: &str, count: usize) -> Result<usize, String> {
    let policies = warden_testdata::managed_policies()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let mut table = serde_json::Map::new();
    let mut samples = Vec::new();
    for p in &policies {
        let Some(doc) = p.latest_document() else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(doc).map_err(|e| e.to_string())?;
        table.insert(p.name.clone(), value);
        for s in warden_testdata::sample_requests(doc, 8) {
            samples.push((p.name.clone(), s));
        }
    }
    let table_path = format!("{dir}/table.json");
    std::fs::write(&table_path, serde_json::Value::Object(table).to_string())
        .map_err(|e| format!("{table_path}: {e}"))?;
    let req_path = format!("{dir}/requests.jsonl");
    let file = std::fs::File::create(&req_path).map_err(|e| format!("{req_path}: {e}"))?;
    let mut out = std::io::BufWriter::new(file);
    for i in 0..count {
        let Some((name, s)) = samples.get(i % samples.len().max(1)) else {
            break;
        };
        let context: serde_json::Map<String, serde_json::Value> = s
            .context
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    warden_testdata::SampleValue::Single(s) => serde_json::json!(s),
                    warden_testdata::SampleValue::Multi(m) => serde_json::json!(m),
                };
                (k.clone(), value)
            })
            .collect();
        let line = serde_json::json!({
            "id": format!("r{i}"),
            "principal": s.principal,
            "action": s.action,
            "resource": s.resource,
            "context": context,
            "identity_policies": [name],
        });
        writeln!(out, "{line}").map_err(|e| format!("{req_path}: {e}"))?;
    }
    out.flush().map_err(|e| format!("{req_path}: {e}"))?;
    Ok(policies.len())
}
