#!/usr/bin/env bash
# Watch the shop's events flow locally: starts moto (the AWS emulator) on a free loopback
# port, deploys the generated stacks, writes a few customers and orders as the BFFs would,
# runs the generated triggers and listeners in-process, and prints the published events and
# the resulting views. Needs Rust and Python 3 (moto is installed into .venv/).
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/python-tools
source scripts/moto-server
moto_start
echo "moto runs at $MOTO_URL"

cargo run --quiet -p shop-e2e --example demo -- run

# The payment provider's bridge publishes `payment-captured` onto the hub (it is external:
# no shop service owns it); notifications keeps a receipt row for captured payments.
# `cqrsgen emit` puts the spec's example on the bus, as you would to smoke-test a stack.
echo
echo "cqrsgen emit payment-captured (the spec's example 1), from outside the shop:"
AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    cargo run --quiet -p cqrsgen -- emit payment-captured examples/shop --example 1 \
    --endpoint-url "$MOTO_URL" --region eu-central-1

echo
echo "delivering what waits in the listener queues:"
cargo run --quiet -p shop-e2e --example demo -- pump
