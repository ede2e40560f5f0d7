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

# --- payment-captured, from outside the shop ----------------------------------------------
# The payment provider's bridge publishes `payment-captured` onto the hub; notifications
# keeps a receipt row for captured payments. EMIT HERE (coordinator: wire `cqrsgen emit`):
#   cargo run --quiet -p cqrsgen -- emit payment-captured examples/shop --example 1 \
#       --bus shop-hub --endpoint-url "$MOTO_URL"
# -------------------------------------------------------------------------------------------

echo
echo "delivering what waits in the listener queues:"
cargo run --quiet -p shop-e2e --example demo -- pump
