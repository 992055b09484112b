//! Wildcard patterns tokenized once, with AWS's ARN segment rule decided once.
