//! The syntax of AWS Region codes.

/// Whether `s` has the shape of an AWS Region code: a geographic code, an
/// optional partition or country word, a direction and a number, as in
/// `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`, `eusc-de-east-1`.
pub fn is_region(s: &str) -> bool {
    const DIRECTIONS: &[&str] = &[
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    let parts: Vec<&str> = s.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [geo, middle @ .., direction, number] => {
            (2..=4).contains(&geo.len())
                && lower(geo)
                && middle.len() <= 2
                && middle.iter().all(lower)
                && DIRECTIONS.contains(direction)
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_region;

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "eu-isoe-west-1",
            "eusc-de-east-1",
            "ap-southeast-7",
            "il-central-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "us-east1",
            "useast-1",
            "US-EAST-1",
            "us-est-1",
            "us-east-",
            "global",
            "",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
