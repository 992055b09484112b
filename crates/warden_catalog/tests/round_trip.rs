//! The embedded catalog holds exactly what the vendored source package holds:
//! the same counts of services, actions, resource types and condition keys,
//! and for every one of them the same names, access levels, resource-type
//! rows, ARN formats, condition-key lists and types.

#[cfg(test)]
mod support;

use support::{expected_level, lower_list};
use warden_catalog::Catalog;

#[test]
fn counts_match_the_source_package() {
    let source = support::Source::load();
    let catalog = Catalog::get();
    let prefixes = source.prefixes();
    let count =
        |kind: &str| -> usize { prefixes.iter().map(|p| source.entries(kind, p).len()).sum() };
    let (actions, resource_types, keys) = (
        count("actions"),
        count("resourceTypes"),
        count("conditionKeys"),
    );
    eprintln!(
        "source: {} services, {actions} actions, {resource_types} resource types, \
         {keys} condition keys; catalog adds {} global condition keys",
        prefixes.len(),
        catalog.global_condition_keys().len()
    );
    assert_eq!(catalog.service_count(), prefixes.len());
    assert_eq!(catalog.action_count(), actions);
    assert_eq!(catalog.resource_type_count(), resource_types);
    assert_eq!(catalog.condition_key_count(), keys);
    // The figures in testdata's README, for this version of the data.
    if warden_catalog::SOURCE_VERSION == "0.21.202609261" {
        assert_eq!((prefixes.len(), actions), (456, 22_091));
    }
}

#[test]
fn every_entry_round_trips() {
    let source = support::Source::load();
    let catalog = Catalog::get();
    for prefix in source.prefixes() {
        let service = catalog.service(prefix).unwrap();
        assert_eq!(service.prefix(), prefix);
        let display = &source.files["data/serviceNames.json"][prefix];
        assert_eq!(service.name(), display.as_str().unwrap());

        // The generator skips (with a warning) keys that an action names but
        // neither the service nor the global list defines; such slips happen
        // in the upstream data.
        let defined = |value: &serde_json::Value| -> Vec<String> {
            lower_list(value)
                .into_iter()
                .filter(|k| {
                    service
                        .condition_key(k)
                        .is_some_and(|d| d.name().eq_ignore_ascii_case(k))
                        || catalog.global_condition_key(k).is_some()
                })
                .collect()
        };
        for entry in source.entries("conditionKeys", prefix) {
            let name = entry["key"].as_str().unwrap();
            let key = service.condition_key(name).unwrap();
            assert_eq!(key.name(), name);
            assert_eq!(
                key.key_type().as_str(),
                entry["type"].as_str().unwrap(),
                "{name}"
            );
            assert_eq!(
                key.description(),
                entry["description"].as_str().unwrap_or("")
            );
            assert_eq!(key.service(), Some(service));
        }

        for entry in source.entries("resourceTypes", prefix) {
            let name = entry["key"].as_str().unwrap();
            let resource_type = service.resource_type(name).unwrap();
            assert_eq!(resource_type.name(), name);
            let formats: Vec<&str> = resource_type.arn_formats().collect();
            assert_eq!(
                formats.join(", "),
                entry["arn"].as_str().unwrap(),
                "{prefix} {name}"
            );
            let keys: Vec<String> = resource_type
                .condition_keys()
                .map(|k| k.name().to_ascii_lowercase())
                .collect();
            assert_eq!(keys, defined(&entry["conditionKeys"]), "{prefix} {name}");
        }

        for entry in source.entries("actions", prefix) {
            let name = entry["name"].as_str().unwrap();
            let full = format!("{prefix}:{name}");
            let action = catalog.action(&full).unwrap();
            assert_eq!(action.to_string(), full);
            assert_eq!(action.description(), entry["description"].as_str().unwrap());
            assert_eq!(
                action.access_level(),
                expected_level(entry["accessLevel"].as_str().unwrap()),
                "{full}"
            );
            let keys: Vec<String> = action
                .condition_keys()
                .map(|k| k.name().to_ascii_lowercase())
                .collect();
            assert_eq!(keys, defined(&entry["conditionKeys"]), "{full}");
            let rows: Vec<(String, bool, Vec<String>)> = action
                .resources()
                .map(|r| {
                    let keys = r.condition_keys().map(|k| k.name().to_ascii_lowercase());
                    (
                        r.resource_type().name().to_ascii_lowercase(),
                        r.is_required(),
                        keys.collect(),
                    )
                })
                .collect();
            let expected: Vec<(String, bool, Vec<String>)> = entry["resourceTypes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    (
                        row["name"].as_str().unwrap().to_ascii_lowercase(),
                        row["required"].as_bool().unwrap(),
                        defined(&row["conditionKeys"]),
                    )
                })
                .collect();
            assert_eq!(rows, expected, "{full}");
            assert_eq!(catalog.action_by_id(action.id()), Some(action));
        }
    }
}

#[test]
fn global_keys_come_from_the_hand_maintained_list() {
    let catalog = Catalog::get();
    let list = include_str!("../data/global-condition-keys.tsv");
    let names: Vec<&str> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(catalog.global_condition_keys().len(), names.len());
    for name in names {
        let key = catalog.global_condition_key(name).unwrap();
        assert_eq!(key.name(), name);
        assert!(key.is_global() && key.service().is_none());
    }
}

#[test]
fn provenance_constants() {
    assert_eq!(warden_catalog::DATA_DATE.len(), 10);
    assert_eq!(Catalog::get().data_date(), warden_catalog::DATA_DATE);
    assert!(!warden_catalog::SOURCE_VERSION.is_empty());
    let generated = include_str!("../src/generated/catalog.rs");
    assert!(generated.starts_with("// @generated by `cargo xtask gen-catalog`"));
    assert!(generated.contains(warden_catalog::DATA_DATE));
}
