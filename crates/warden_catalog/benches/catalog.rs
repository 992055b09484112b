//! Start-up and query costs of the embedded catalog: opening the blob (what
//! the first `Catalog::get` pays), the first look-up in a fresh catalog,
//! reading every record once, one action look-up, wildcard expansions,
//! matching an ARN to a resource type, and "did you mean" searches.
//!
//! Run: `cargo bench -p warden_catalog -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use warden_catalog::Catalog;

fn bench(c: &mut Criterion) {
    c.bench_function("load (open the embedded blob)", |b| {
        b.iter(|| black_box(Catalog::load().map(|c| c.action_count())))
    });
    c.bench_function("load + first lookup s3:GetObject", |b| {
        b.iter(|| {
            let catalog = Catalog::load();
            black_box(catalog.map(|c| c.action("s3:GetObject").map(|a| a.id())))
        })
    });
    c.bench_function("validate (read every record once)", |b| {
        let catalog = Catalog::load();
        b.iter(|| black_box(catalog.as_ref().map(|c| c.validate().is_ok())))
    });

    let catalog = Catalog::get();
    c.bench_function("lookup s3:GetObject", |b| {
        b.iter(|| black_box(catalog.action(black_box("s3:GetObject"))))
    });
    c.bench_function("lookup ec2:describeinstances (case-insensitive)", |b| {
        b.iter(|| black_box(catalog.action(black_box("ec2:describeinstances"))))
    });

    let mut group = c.benchmark_group("expand");
    for pattern in ["*:*", "s3:Get*", "*:List*", "s3:*Object*", "*:*Tag*"] {
        group.bench_function(pattern, |b| {
            b.iter(|| black_box(catalog.expand(black_box(pattern)).len()))
        });
    }
    group.bench_function("NotAction [s3:*, iam:*]", |b| {
        b.iter(|| black_box(catalog.expand_not(black_box(["s3:*", "iam:*"])).len()))
    });
    group.finish();

    let get_object = catalog.action("s3:GetObject");
    c.bench_function("resource_type_for_arn s3:GetObject object", |b| {
        b.iter(|| {
            black_box(
                get_object.and_then(|a| a.resource_type_for_arn(black_box("arn:aws:s3:::b/k"))),
            )
        })
    });
    c.bench_function("condition_key aws:RequestTag/team", |b| {
        b.iter(|| black_box(catalog.condition_key(black_box("aws:RequestTag/team"))))
    });
    c.bench_function("suggest s3:GetObjekt", |b| {
        b.iter(|| black_box(catalog.suggest(black_box("s3:GetObjekt"))))
    });
    c.bench_function("suggest s4:GetObject (all services)", |b| {
        b.iter(|| black_box(catalog.suggest(black_box("s4:GetObject"))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
