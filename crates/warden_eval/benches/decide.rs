//! Decisions per second on requests against AWS managed policies, parsing
//! excluded: every latest AWS managed policy is compiled once, and each
//! request (built from the actions and resources its policy names) is
//! decided against that policy as the principal's identity policy.
//!
//! Run: `cargo bench -p warden_eval --bench decide`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_eval::{CompiledPolicy, PolicySet, decide};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let corpus = warden_testdata::managed_policies().unwrap_or_default();
    let mut policies = Vec::new();
    let mut requests = Vec::new();
    for p in &corpus {
        let Some(text) = p.latest_document() else {
            continue;
        };
        let Ok((policy, _)) = warden_policy::parse_policy(text).into_result() else {
            continue;
        };
        policies.push(CompiledPolicy::compile(&policy));
        let index = policies.len() - 1;
        requests.extend(
            warden_testdata::sample_requests(text, 16)
                .iter()
                .map(|s| (index, s.to_request())),
        );
    }
    let sets: Vec<PolicySet<'_>> = policies
        .iter()
        .map(|p| PolicySet {
            identity: vec![p],
            ..PolicySet::default()
        })
        .collect();
    let allowed = requests
        .iter()
        .filter(|(i, r)| {
            sets.get(*i)
                .is_some_and(|s| decide(s, r) == warden_eval::Decision::Allow)
        })
        .count();
    eprintln!(
        "{} requests against {} policies, {allowed} allowed",
        requests.len(),
        policies.len()
    );
    let mut group = c.benchmark_group("managed_policies");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            for (i, r) in &requests {
                if let Some(set) = sets.get(*i) {
                    std::hint::black_box(decide(set, r));
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
