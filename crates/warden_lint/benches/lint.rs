//! Linting all 1,594 latest AWS managed policies (parsed once, outside the
//! measurement), and the time each rule takes over the whole corpus.
//!
//! Run: `cargo bench -p warden_lint --bench lint`.

use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_lint::{PolicyType, RuleSelection, lint_policy, registry};
use warden_text::SourceFile;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let corpus = warden_testdata::managed_policies().unwrap_or_default();
    let parsed: Vec<(SourceFile, warden_policy::Policy)> = corpus
        .iter()
        .filter_map(|p| {
            let text = p.latest_document()?;
            let (policy, _) = warden_policy::parse_policy(text).into_result().ok()?;
            Some((SourceFile::new(p.name.clone(), text), policy))
        })
        .collect();
    // Per-rule cost, slowest first, to show where the time goes.
    let mut times: Vec<(f64, &str)> = registry::all()
        .iter()
        .map(|r| {
            let selection = RuleSelection {
                select: vec![r.meta().code.to_string()],
                ..RuleSelection::default()
            };
            let start = Instant::now();
            for (source, policy) in &parsed {
                std::hint::black_box(lint_policy(
                    source,
                    policy,
                    PolicyType::Identity,
                    &selection,
                ));
            }
            (start.elapsed().as_secs_f64() * 1e3, r.meta().code)
        })
        .collect();
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, code) in times.iter().take(12) {
        eprintln!("{code}: {ms:.1} ms over {} policies", parsed.len());
    }
    let all = RuleSelection::default();
    let mut group = c.benchmark_group("managed_policies_latest");
    group.throughput(Throughput::Elements(parsed.len() as u64));
    group.sample_size(10);
    group.bench_function("all_rules", |b| {
        b.iter(|| {
            for (source, policy) in &parsed {
                std::hint::black_box(lint_policy(source, policy, PolicyType::Identity, &all));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
