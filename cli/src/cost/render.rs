//! The estimate for people (a table per service and AWS service, then the line items and
//! assumptions), as Markdown (for `cqrsgen docs` and pull requests) and as a stable JSON
//! document (see `docs/cost.md`).

use std::fmt::Write;

use serde::Serialize;
use serde_json::{Value, json};

use super::estimate::{Aws, Estimate, LineItem, Row, RowKind};

/// The output formats of `cqrsgen cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CostFormat {
    /// A table and the line items, for people.
    Human,
    /// A stable JSON document, for scripts.
    Json,
    /// Markdown tables, for docs and pull requests.
    Markdown,
}

/// The version of the JSON document's shape.
pub const JSON_VERSION: u64 = 1;

/// The estimate as text for people.
pub fn human(estimate: &Estimate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Monthly cost estimate of system `{}`", estimate.system);
    let _ = writeln!(out, "{}", prices_line(estimate));
    out.push('\n');
    let mut header = vec!["service".to_owned()];
    header.extend(Aws::ALL.iter().map(|a| a.name().to_owned()));
    header.push("total".to_owned());
    let mut table = vec![header];
    for (row, amounts) in summary(estimate) {
        let name = match row {
            SummaryRow::Row(row) => row.name.clone(),
            SummaryRow::FreeTier => "free tier".to_owned(),
            SummaryRow::Total => "total".to_owned(),
        };
        table.push(std::iter::once(name).chain(amounts).collect());
    }
    out.push_str(&align(&table, 1));
    let _ = writeln!(
        out,
        "\nof which fixed (alarms, idle polling): {}; growing with the volumes: {}",
        money(estimate.fixed()),
        money(estimate.variable())
    );
    for row in &estimate.rows {
        let _ = writeln!(out, "\n{}", row_title(row));
        out.push_str(&align(&item_lines(&row.items), 2));
    }
    if !estimate.free_tier_credits.is_empty() {
        out.push_str("\nfree tier (per account and region)\n");
        out.push_str(&align(&item_lines(&estimate.free_tier_credits), 2));
    }
    out.push_str("\nassumptions\n");
    for assumption in &estimate.assumptions {
        let _ = writeln!(out, "  - {assumption}");
    }
    out.push_str("\nThe cost model and how to change its inputs: docs/cost.md\n");
    out
}

/// The columns of the summary table: the row, the cost in each AWS service, the total.
pub const SUMMARY_HEAD: [&str; 7] = [
    "Service",
    "EventBridge",
    "SQS",
    "Lambda",
    "DynamoDB",
    "CloudWatch",
    "Total",
];

/// The columns of the line items table.
pub const LINE_ITEMS_HEAD: [&str; 6] = [
    "Service",
    "AWS",
    "What",
    "Quantity a month",
    "Unit price",
    "Cost",
];

/// Who a summary row is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SummaryRow<'a> {
    /// A row of the estimate (a service, the hub, external producers).
    Row(&'a Row),
    /// The free tier deductions.
    FreeTier,
    /// The sum of every row.
    Total,
}

/// The summary table's rows: who each is for, and its cells after the first (the cost in
/// each AWS service, then the total; amounts without the currency sign).
pub fn summary(estimate: &Estimate) -> Vec<(SummaryRow<'_>, Vec<String>)> {
    let mut rows: Vec<_> = estimate
        .rows
        .iter()
        .map(|row| {
            (
                SummaryRow::Row(row),
                amounts(|aws| row.cost_of(aws), row.total()),
            )
        })
        .collect();
    if estimate.free_tier {
        let credits = &estimate.free_tier_credits;
        let sum = |aws: Option<Aws>| {
            credits
                .iter()
                .filter(|i| aws.is_none_or(|a| i.aws == a))
                .map(|i| i.cost)
                .sum::<f64>()
        };
        rows.push((
            SummaryRow::FreeTier,
            amounts(|aws| sum(Some(aws)), sum(None)),
        ));
    }
    rows.push((
        SummaryRow::Total,
        amounts(|aws| estimate.cost_of(aws), estimate.total()),
    ));
    rows
}

/// The line items table's rows: the row's name, then the item's cells.
pub fn line_items(estimate: &Estimate) -> Vec<[String; 6]> {
    estimate
        .rows
        .iter()
        .flat_map(|row| row.items.iter().map(move |item| (row.name.as_str(), item)))
        .chain(
            estimate
                .free_tier_credits
                .iter()
                .map(|item| ("free tier", item)),
        )
        .map(|(name, item)| {
            [
                name.to_owned(),
                item.aws.name().to_owned(),
                item.description.clone(),
                format!("{} {}", quantity(item.quantity), item.unit),
                unit_price(item),
                money(item.cost),
            ]
        })
        .collect()
}

/// How the total splits into what is fixed and what grows with the volumes.
pub fn split_line(estimate: &Estimate) -> String {
    format!(
        "Of which fixed (alarms, idle polling): {}; growing with the volumes: {}.",
        money(estimate.fixed()),
        money(estimate.variable())
    )
}

/// The estimate as Markdown: a section starting with a level-1 heading.
pub fn markdown(estimate: &Estimate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Monthly cost estimate\n");
    let _ = writeln!(
        out,
        "System `{}`. {}\n",
        estimate.system,
        prices_line(estimate)
    );
    out.push_str(&markdown_row(&SUMMARY_HEAD.map(str::to_owned)));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(SUMMARY_HEAD.len() - 1));
    for (row, amounts) in summary(estimate) {
        let (name, bold) = match row {
            SummaryRow::Row(row) if row.kind == RowKind::Service => {
                (format!("`{}`", row.name), false)
            }
            SummaryRow::Row(row) => (row.name.clone(), false),
            SummaryRow::FreeTier => ("free tier".to_owned(), false),
            SummaryRow::Total => ("**Total**".to_owned(), true),
        };
        let amounts = amounts
            .into_iter()
            .map(|a| if bold { format!("**{a}**") } else { a });
        out.push_str(&markdown_row(
            &std::iter::once(name).chain(amounts).collect::<Vec<_>>(),
        ));
    }
    let _ = writeln!(out, "\n{}\n", split_line(estimate));
    out.push_str("## Line items\n\n");
    out.push_str(&markdown_row(&LINE_ITEMS_HEAD.map(str::to_owned)));
    out.push_str("|---|---|---|---:|---:|---:|\n");
    for mut cells in line_items(estimate) {
        cells[2] = cells[2].replace('|', "\\|");
        out.push_str(&markdown_row(&cells));
    }
    out.push_str("\n## Assumptions\n\n");
    for assumption in &estimate.assumptions {
        let _ = writeln!(out, "- {assumption}");
    }
    out
}

/// The estimate as a JSON document, with the findings of its inputs (the JSON document of
/// `cqrsgen validate --format json`) under `findings`.
pub fn json(estimate: &Estimate, findings: Value) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Item<'a> {
        aws: Aws,
        item: &'a str,
        description: &'a str,
        quantity: f64,
        unit: &'a str,
        unit_price: f64,
        cost: f64,
        fixed: bool,
    }
    let item = |i: &'_ LineItem| {
        serde_json::to_value(Item {
            aws: i.aws,
            item: i.item,
            description: &i.description,
            quantity: i.quantity,
            unit: i.unit,
            unit_price: i.unit_price,
            cost: i.cost,
            fixed: i.fixed,
        })
        .unwrap_or(Value::Null)
    };
    let by_aws = |cost: &dyn Fn(Aws) -> f64| {
        let mut map = serde_json::Map::new();
        for aws in Aws::ALL {
            map.insert(key(aws).into(), json!(cost(aws)));
        }
        Value::Object(map)
    };
    let rows: Vec<Value> = estimate
        .rows
        .iter()
        .map(|row| {
            json!({
                "name": row.name,
                "kind": row.kind,
                "total": row.total(),
                "byAws": by_aws(&|aws| row.cost_of(aws)),
                "items": row.items.iter().map(item).collect::<Vec<_>>(),
            })
        })
        .collect();
    let document = json!({
        "version": JSON_VERSION,
        "system": estimate.system,
        "prices": estimate.prices,
        "freeTier": estimate.free_tier,
        "total": estimate.total(),
        "fixed": estimate.fixed(),
        "variable": estimate.variable(),
        "byAws": by_aws(&|aws| estimate.cost_of(aws)),
        "rows": rows,
        "freeTierCredits": estimate.free_tier_credits.iter().map(item).collect::<Vec<_>>(),
        "assumptions": estimate.assumptions,
        "findings": findings,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON key of an AWS service.
fn key(aws: Aws) -> &'static str {
    match aws {
        Aws::EventBridge => "eventbridge",
        Aws::Sqs => "sqs",
        Aws::Lambda => "lambda",
        Aws::DynamoDb => "dynamodb",
        Aws::CloudWatch => "cloudwatch",
    }
}

/// Which prices the estimate used, and whether free tiers are deducted.
pub fn prices_line(estimate: &Estimate) -> String {
    let p = &estimate.prices;
    let table = if p.table == "built-in" {
        "the built-in table".to_owned()
    } else {
        format!("`{}`", p.table)
    };
    let free = if estimate.free_tier {
        "free tiers deducted"
    } else {
        "free tiers not deducted (--free-tier deducts them)"
    };
    format!(
        "Prices: {} as of {}, in {}, from {table}; {free}.",
        p.region, p.date, p.currency
    )
}

fn row_title(row: &Row) -> String {
    match row.kind {
        RowKind::Service => row.name.clone(),
        RowKind::Hub => "hub (the bus and its archive)".into(),
        RowKind::External => "external (producers outside the system)".into(),
    }
}

/// The human lines of line items, indented.
fn item_lines(items: &[LineItem]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|item| {
            vec![
                format!("  {}", item.aws.name()),
                item.description.clone(),
                format!("{} {}", quantity(item.quantity), item.unit),
                format!("x {}", unit_price(item)),
                money(item.cost),
            ]
        })
        .collect()
}

/// The amounts of a summary row: the cost in each AWS service, then the total.
fn amounts(cost: impl Fn(Aws) -> f64, total: f64) -> Vec<String> {
    let mut cells: Vec<String> = Aws::ALL.iter().map(|&aws| plain_money(cost(aws))).collect();
    cells.push(plain_money(total));
    cells
}

fn markdown_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

/// Columns padded to their widest cell: the first `left` left-aligned, the rest
/// right-aligned.
fn align(rows: &[Vec<String>], left: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c > 0 {
                line.push_str("  ");
            }
            if c < left {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `$1,234.57`.
pub fn money(value: f64) -> String {
    let text = plain_money(value);
    match text.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${text}"),
    }
}

/// `1,234.57`.
fn plain_money(value: f64) -> String {
    let cents = (value * 100.0).round();
    let negative = cents < 0.0;
    let cents = cents.abs() as u64;
    let text = format!("{}.{:02}", thousands(cents / 100), cents % 100);
    if negative && cents > 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// A quantity: whole numbers with separators from 1,000 on, two decimals below, four below 1.
fn quantity(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let value = value.abs();
    let text = if value >= 1000.0 {
        thousands(value.round() as u64)
    } else if value >= 1.0 {
        super::estimate::fmt_number(value)
    } else if value == 0.0 {
        "0".into()
    } else {
        let text = format!("{value:.4}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        if text == "0" {
            format!("{value:.1e}")
        } else {
            text.to_owned()
        }
    };
    format!("{sign}{text}")
}

/// The unit price: per million units when it is below a tenth of a cent.
fn unit_price(item: &LineItem) -> String {
    let price = item.unit_price;
    if price == 0.0 {
        "free".into()
    } else if price < 0.001 {
        let per_million = format!("{:.4}", price * 1_000_000.0);
        let per_million = per_million.trim_end_matches('0').trim_end_matches('.');
        format!("${per_million} per million {}", item.unit)
    } else {
        let text = format!("{price:.4}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("${text} per {}", singular(item.unit))
    }
}

fn singular(unit: &str) -> &str {
    match unit {
        "GB-months" => "GB-month",
        "alarms" => "alarm",
        other => other,
    }
}

fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_quantities_read_well() {
        assert_eq!(money(1234.567), "$1,234.57");
        assert_eq!(money(0.004), "$0.00");
        assert_eq!(money(-1.5), "-$1.50");
        assert_eq!(quantity(2_628_000.0), "2,628,000");
        assert_eq!(quantity(12.5), "12.5");
        assert_eq!(quantity(0.01234), "0.0123");
        assert_eq!(quantity(0.0), "0");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1000), "1,000");
    }
}
