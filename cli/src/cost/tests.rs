//! Unit tests of the cost model's parts; the hand-computed estimates are in
//! `cli/tests/cost.rs`.

use super::*;

#[test]
fn the_built_in_price_table_reads() {
    let table = built_in_prices();
    assert_eq!(table.region, "us-east-1");
    assert_eq!(table.currency, "USD");
    assert!(table.prices.sqs_requests_per_million > 0.0);
}
