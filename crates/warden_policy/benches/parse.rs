//! Parser throughput on real policies: every stored version of every AWS
//! managed policy (6,194 documents), each in canonical form as a user's
//! policy file would be, parsed into the spanned AST.
//!
//! Run: `cargo bench -p warden_policy --bench parse`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_policy::json::parse_json;
use warden_policy::{parse_policy, print_policy};

// The `warden` binary uses mimalloc; measure the parser as it runs there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus_texts() -> Vec<String> {
    let corpus = warden_testdata::managed_policies().unwrap_or_default();
    corpus
        .iter()
        .flat_map(|p| &p.versions)
        .filter_map(|(_, text)| parse_policy(text).policy.map(|p| print_policy(&p)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("managed_policies_all_versions");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("json_tree", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(parse_json(t).ok());
            }
        })
    });
    group.bench_function("policy_ast", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(parse_policy(t));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
