//! AWS resource names and CloudFormation logical ids.

use std::fmt;

use heck::ToUpperCamelCase;

use super::{NameError, ascii_words, check_len, plain_offending, shorten};

/// The kinds of AWS names cqrsgen generates or takes from a spec, each with its AWS rule
/// (from the API reference of the call that creates the resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AwsNameKind {
    /// EventBridge rule (PutRule `Name`): 1-64 characters of `[.\-_A-Za-z0-9]`.
    EventRule,
    /// SQS standard queue (CreateQueue `QueueName`): 1-80 characters of ASCII letters,
    /// digits, `-` and `_`. The `.fifo` suffix is reserved for FIFO queues.
    SqsQueue,
    /// DynamoDB table (CreateTable `TableName`): 3-255 characters of `[a-zA-Z0-9_.-]`.
    DynamoDbTable,
    /// Custom EventBridge event bus (CreateEventBus `Name`): 1-256 characters of
    /// `[.\-_A-Za-z0-9]`. The API pattern also allows `/`, but only in partner event bus
    /// names; `default` is the account's default bus and cannot be created.
    EventBus,
    /// EventBridge `DetailType` of an event (PutEvents entry): free-form, 1-128 characters.
    DetailType,
    /// Lambda function (CreateFunction `FunctionName`, plain name form): 1-64 characters of
    /// `[a-zA-Z0-9-_]`.
    LambdaFunction,
    /// CloudFormation stack (CreateStack `StackName`): 1-128 characters,
    /// `[a-zA-Z][-a-zA-Z0-9]*`.
    Stack,
    /// IAM role (CreateRole `RoleName`): 1-64 characters of `[\w+=,.@-]`.
    IamRole,
    /// CloudFormation stack output export (`Export.Name`): 1-255 characters of ASCII
    /// letters, digits, `:` and `-`.
    StackExport,
    /// DynamoDB global secondary index (`IndexName`): 3-255 characters of `[a-zA-Z0-9_.-]`.
    DynamoDbIndex,
}

impl AwsNameKind {
    /// Every kind.
    pub const ALL: &'static [AwsNameKind] = &[
        AwsNameKind::EventRule,
        AwsNameKind::SqsQueue,
        AwsNameKind::DynamoDbTable,
        AwsNameKind::EventBus,
        AwsNameKind::DetailType,
        AwsNameKind::LambdaFunction,
        AwsNameKind::Stack,
        AwsNameKind::IamRole,
        AwsNameKind::StackExport,
        AwsNameKind::DynamoDbIndex,
    ];

    /// Shortest allowed name, in characters.
    pub fn min_len(self) -> usize {
        match self {
            AwsNameKind::DynamoDbTable | AwsNameKind::DynamoDbIndex => 3,
            _ => 1,
        }
    }

    /// Longest allowed name, in characters.
    pub fn max_len(self) -> usize {
        match self {
            AwsNameKind::EventRule | AwsNameKind::LambdaFunction | AwsNameKind::IamRole => 64,
            AwsNameKind::SqsQueue => 80,
            AwsNameKind::DetailType | AwsNameKind::Stack => 128,
            AwsNameKind::DynamoDbTable | AwsNameKind::DynamoDbIndex | AwsNameKind::StackExport => {
                255
            }
            AwsNameKind::EventBus => 256,
        }
    }

    /// Whether `c` may appear in a name of this kind (`first`: as its first character).
    fn allows(self, first: bool, c: char) -> bool {
        let common = c.is_ascii_alphanumeric() || c == '-';
        match self {
            AwsNameKind::EventRule
            | AwsNameKind::DynamoDbTable
            | AwsNameKind::DynamoDbIndex
            | AwsNameKind::EventBus => common || matches!(c, '.' | '_'),
            AwsNameKind::StackExport => common || c == ':',
            AwsNameKind::SqsQueue | AwsNameKind::LambdaFunction => common || c == '_',
            AwsNameKind::DetailType => true,
            AwsNameKind::Stack if first => c.is_ascii_alphabetic(),
            AwsNameKind::Stack => common,
            AwsNameKind::IamRole => common || matches!(c, '_' | '+' | '=' | ',' | '.' | '@'),
        }
    }

    /// The allowed characters, in words.
    fn allowed(self) -> &'static str {
        match self {
            AwsNameKind::EventRule
            | AwsNameKind::DynamoDbTable
            | AwsNameKind::DynamoDbIndex
            | AwsNameKind::EventBus => "ASCII letters, digits, `.`, `-` and `_`",
            AwsNameKind::StackExport => "ASCII letters, digits, `:` and `-`",
            AwsNameKind::SqsQueue | AwsNameKind::LambdaFunction => {
                "ASCII letters, digits, `-` and `_`"
            }
            AwsNameKind::DetailType => "any characters",
            AwsNameKind::Stack => "ASCII letters, digits and `-`",
            AwsNameKind::IamRole => "ASCII letters, digits and `_+=,.@-`",
        }
    }

    /// A whole-name rule beyond the character set, checked before it.
    fn reserved(self, name: &str) -> Option<NameError> {
        match self {
            AwsNameKind::SqsQueue if name.ends_with(".fifo") => Some(NameError::ReservedSuffix {
                suffix: ".fifo",
                reason: "it marks FIFO queues",
            }),
            AwsNameKind::EventBus if name == "default" => Some(NameError::Reserved {
                reason: "`default` is the account's default event bus",
            }),
            _ => None,
        }
    }
}

impl fmt::Display for AwsNameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AwsNameKind::EventRule => "EventBridge rule name",
            AwsNameKind::SqsQueue => "SQS queue name",
            AwsNameKind::DynamoDbTable => "DynamoDB table name",
            AwsNameKind::EventBus => "EventBridge event bus name",
            AwsNameKind::DetailType => "EventBridge detail type",
            AwsNameKind::LambdaFunction => "Lambda function name",
            AwsNameKind::Stack => "CloudFormation stack name",
            AwsNameKind::IamRole => "IAM role name",
            AwsNameKind::StackExport => "CloudFormation export name",
            AwsNameKind::DynamoDbIndex => "DynamoDB index name",
        })
    }
}

/// Checks a name taken verbatim from a spec (e.g. the bus name) against the AWS rule of its
/// kind; the validator reports failures as `E013`.
pub fn check_aws_name(kind: AwsNameKind, name: &str) -> Result<(), NameError> {
    if let Some(error) = kind.reserved(name) {
        return Err(error);
    }
    let mut len = 0;
    for (index, ch) in name.chars().enumerate() {
        if !kind.allows(index == 0, ch) {
            return Err(if index == 0 && kind.allows(false, ch) {
                NameError::BadStart { ch }
            } else {
                plain_offending(index, ch, kind.allowed())
            });
        }
        len += 1;
    }
    check_len(len, kind.min_len(), kind.max_len())
}

/// Joins validated spec names with `-` into a name of `kind` (e.g. `{system}-{service}-{view}`
/// for a table). When the result is longer than the kind's limit, it is cut and given `-` and
/// 8 hex digits of a hash (FNV-1a) of the full name, so it stays unique and is the same on
/// every run and machine. Validated kebab names only have characters every kind allows.
///
/// Errors when the result still breaks the kind's rule: a part with characters the kind does
/// not allow, or a name shorter than the kind's minimum.
///
/// ```
/// use cqrsgen::naming::{join_aws_name, AwsNameKind};
/// let table = join_aws_name(AwsNameKind::DynamoDbTable, &["shop", "orders", "by-customer"]);
/// assert_eq!(table.as_deref(), Ok("shop-orders-by-customer"));
/// ```
pub fn join_aws_name(kind: AwsNameKind, parts: &[&str]) -> Result<String, NameError> {
    let name = shorten(parts.join("-"), kind.max_len(), "-");
    check_aws_name(kind, &name)?;
    Ok(name)
}

/// Longest deployment stage name: the templates' `Stage` parameter allows 1 to this many
/// lowercase letters and digits, and every stage-scoped name ends with `-<stage>`.
pub const STAGE_MAX_LEN: usize = 10;

/// [`join_aws_name`] for a name that gets `-<stage>` appended when deployed: shortened (the
/// same way) to leave room for the longest stage, and checked with it.
///
/// ```
/// use cqrsgen::naming::{join_staged_aws_name, AwsNameKind, STAGE_MAX_LEN};
/// let queue = join_staged_aws_name(AwsNameKind::SqsQueue, &["shop", "orders", "listener"]);
/// assert_eq!(queue.as_deref(), Ok("shop-orders-listener"));
/// let long = join_staged_aws_name(AwsNameKind::LambdaFunction, &[&"a".repeat(60)]).unwrap();
/// assert_eq!(long.len() + 1 + STAGE_MAX_LEN, 64);
/// ```
pub fn join_staged_aws_name(kind: AwsNameKind, parts: &[&str]) -> Result<String, NameError> {
    let name = shorten(
        parts.join("-"),
        kind.max_len().saturating_sub(STAGE_MAX_LEN + 1),
        "-",
    );
    check_staged_aws_name(kind, &name)?;
    Ok(name)
}

/// [`check_aws_name`] for a name that gets `-<stage>` appended when deployed: checked with
/// the longest stage (the validator reports failures of the spec's bus name as `E013`).
pub fn check_staged_aws_name(kind: AwsNameKind, name: &str) -> Result<(), NameError> {
    check_aws_name(kind, name)?;
    match check_aws_name(kind, &format!("{name}-{}", "a".repeat(STAGE_MAX_LEN))) {
        Err(NameError::TooLong { len, max }) => Err(NameError::TooLong {
            len: len - STAGE_MAX_LEN - 1,
            max: max - STAGE_MAX_LEN - 1,
        }),
        other => other,
    }
}

/// Longest CloudFormation logical id.
const LOGICAL_ID_MAX: usize = 255;

/// A CloudFormation logical id (alphanumeric, at most 255 characters) from parts, each in
/// UpperCamelCase: `["orders", "by-customer", "table"]` -> `OrdersByCustomerTable`. Longer
/// ids are shortened with a stable hash.
///
/// Sanitizing loses information: the id keeps only ASCII letters and digits, and does not
/// mark where parts end (`["a-b", "c"]` and `["a", "b-c"]` both give `ABC`). Callers pass
/// validated kebab names whose [`type_ident`](super::type_ident)s the validator has checked
/// for collisions, in a fixed layout per resource kind; emitters should still refuse a
/// template with a duplicate logical id.
pub fn logical_id(parts: &[&str]) -> String {
    let joined = parts
        .iter()
        .map(|part| ascii_words(part).to_upper_camel_case())
        .collect::<String>();
    shorten(joined, LOGICAL_ID_MAX, "")
}

/// [`logical_id`], or [`NameError::NoIdentifier`] when the parts have no ASCII letter or
/// digit at all.
pub fn logical_id_checked(parts: &[&str]) -> Result<String, NameError> {
    let id = logical_id(parts);
    if id.is_empty() {
        return Err(NameError::NoIdentifier);
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_aws_rules() {
        let limits: Vec<_> = AwsNameKind::ALL
            .iter()
            .map(|k| (*k, k.min_len(), k.max_len()))
            .collect();
        assert_eq!(
            limits,
            [
                (AwsNameKind::EventRule, 1, 64),
                (AwsNameKind::SqsQueue, 1, 80),
                (AwsNameKind::DynamoDbTable, 3, 255),
                (AwsNameKind::EventBus, 1, 256),
                (AwsNameKind::DetailType, 1, 128),
                (AwsNameKind::LambdaFunction, 1, 64),
                (AwsNameKind::Stack, 1, 128),
                (AwsNameKind::IamRole, 1, 64),
                (AwsNameKind::StackExport, 1, 255),
                (AwsNameKind::DynamoDbIndex, 3, 255),
            ]
        );
        for &kind in AwsNameKind::ALL {
            let max = kind.max_len();
            assert_eq!(check_aws_name(kind, &"a".repeat(max)), Ok(()), "{kind}");
            assert_eq!(
                check_aws_name(kind, &"a".repeat(max + 1)),
                Err(NameError::TooLong { len: max + 1, max }),
                "{kind}"
            );
            assert_eq!(check_aws_name(kind, ""), Err(NameError::Empty), "{kind}");
            // Validated kebab names are valid for every kind.
            assert_eq!(check_aws_name(kind, "shop-orders-v2"), Ok(()), "{kind}");
        }
        assert_eq!(
            check_aws_name(AwsNameKind::DynamoDbTable, "ab"),
            Err(NameError::TooShort { len: 2, min: 3 })
        );
    }

    #[test]
    fn character_sets() {
        use AwsNameKind::*;
        let cases = [
            (EventRule, "shop.orders_rule-1", true),
            (EventRule, "a/b", false),
            (SqsQueue, "shop_orders-queue", true),
            (SqsQueue, "a.b", false),
            (DynamoDbTable, "Shop.orders_2-x", true),
            (DynamoDbTable, "a b", false),
            (EventBus, "shop.hub_1-x", true),
            (EventBus, "aws.partner/x", false),
            (DetailType, "anything goes: ü / \"", true),
            (LambdaFunction, "shop-orders_listener", true),
            (LambdaFunction, "a.b", false),
            (Stack, "Shop-orders-2", true),
            (Stack, "shop_orders", false),
            (IamRole, "shop+orders=a,b.c@d_e-f", true),
            (IamRole, "a/b", false),
            (StackExport, "shop:hub-bus-arn", true),
            (StackExport, "shop_hub", false),
            (DynamoDbIndex, "by-customer_2.x", true),
            (DynamoDbIndex, "by customer", false),
        ];
        for (kind, name, ok) in cases {
            assert_eq!(check_aws_name(kind, name).is_ok(), ok, "{kind} {name:?}");
        }
        assert_eq!(
            check_aws_name(Stack, "2shop"),
            Err(NameError::BadStart { ch: '2' })
        );
        assert_eq!(
            check_aws_name(Stack, "_shop"),
            Err(NameError::InvalidChar {
                ch: '_',
                index: 0,
                allowed: "ASCII letters, digits and `-`"
            })
        );
        assert_eq!(
            check_aws_name(EventBus, "hüb"),
            Err(NameError::NonAscii { ch: 'ü', index: 1 })
        );
        assert_eq!(
            check_aws_name(EventBus, "a\nb"),
            Err(NameError::Control { ch: '\n', index: 1 })
        );
    }

    #[test]
    fn reserved_names() {
        assert!(matches!(
            check_aws_name(AwsNameKind::SqsQueue, "orders.fifo"),
            Err(NameError::ReservedSuffix {
                suffix: ".fifo",
                ..
            })
        ));
        assert!(matches!(
            check_aws_name(AwsNameKind::EventBus, "default"),
            Err(NameError::Reserved { .. })
        ));
        assert_eq!(check_aws_name(AwsNameKind::EventBus, "default-hub"), Ok(()));
    }

    #[test]
    fn joined_names_fit_and_stay_distinct_and_stable() {
        let service = "s".repeat(64);
        for &kind in AwsNameKind::ALL {
            let a = join_aws_name(kind, &["shop", &service, "orders-by-customer"]);
            let b = join_aws_name(kind, &["shop", &service, "orders-by-product"]);
            let (Ok(a), Ok(b)) = (a, b) else {
                panic!("{kind}: joined names are invalid");
            };
            assert!(a.len() <= kind.max_len(), "{kind}: {a}");
            assert_ne!(a, b, "{kind}");
            assert_eq!(check_aws_name(kind, &a), Ok(()), "{kind}: {a}");
        }
        // Short names are kept as they are.
        assert_eq!(
            join_aws_name(AwsNameKind::EventRule, &["shop", "billing", "order-placed"]).as_deref(),
            Ok("shop-billing-order-placed")
        );
        // Long names: cut at the limit, no dangling separator, hash of the whole name.
        let rule = join_aws_name(AwsNameKind::EventRule, &["shop", &service, "order-placed"]);
        let expected = format!("shop-{}-{}", "s".repeat(50), "ffca8680");
        assert_eq!(rule.as_deref(), Ok(expected.as_str()));
        assert_eq!(expected.len(), 64);
    }

    #[test]
    fn joined_names_report_what_aws_refuses() {
        assert_eq!(
            join_aws_name(AwsNameKind::DynamoDbTable, &["ab"]),
            Err(NameError::TooShort { len: 2, min: 3 })
        );
        assert!(join_aws_name(AwsNameKind::Stack, &["shop", "a.b"]).is_err());
    }

    #[test]
    fn logical_ids() {
        assert_eq!(
            logical_id(&["orders", "by-customer", "table"]),
            "OrdersByCustomerTable"
        );
        assert_eq!(logical_id(&["a-b"]), "AB");
        assert_eq!(logical_id(&["ab"]), "Ab");
        let long = "x".repeat(300);
        let id = logical_id(&[&long]);
        assert_eq!(id.len(), 255);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
        assert_eq!(id, logical_id(&[&long]));
        assert_ne!(id, logical_id(&[&long, "y"]));
        assert_eq!(
            logical_id_checked(&["-", "日本"]),
            Err(NameError::NoIdentifier)
        );
        assert_eq!(logical_id_checked(&["bus"]).as_deref(), Ok("Bus"));
    }
}
