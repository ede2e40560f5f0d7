// The aws-lambda-stream side of scripts/bench-throughput: the same inputs (written by the
// Rust side) through aws-lambda-stream's `materialize` flavor (listener: one conditional
// UpdateItem per event, as its templates write views) and `cdc` flavor with
// `publishToEventBridge` (trigger), assembled per invocation as its templates' handlers do.
// The SDK clients are real; their HTTP handler is replaced by a stub that answers with
// success after the same latencies as the Rust side's stub.
//
//   node bench.js INPUTS_DIR BATCHES
//
// Prints one tab-separated line per scenario: `aws-lambda-stream`, the path, the batch
// size, the median milliseconds per batch and the events per second.
'use strict';

// Like a Lambda function's environment, before the SDK reads it.
Object.assign(process.env, {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'secret',
});

const fs = require('fs');
const path = require('path');
const { Readable } = require('stream');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { HttpResponse } = require('@smithy/protocol-http');
const {
  initialize, initializeFrom, fromSqsEvent, fromDynamodb, materialize, cdc,
  updateExpression, timestampCondition, defaultOptions, toPromise,
} = require('aws-lambda-stream');

const [inputs, batches] = [process.argv[2], Number(process.argv[3] || 50)];
const latency = {
  dynamodb: Number(process.env.DYNAMODB_LATENCY_MS || 5),
  putEvents: Number(process.env.PUTEVENTS_LATENCY_MS || 20),
};
const requests = { dynamodb: 0, putEvents: 0 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Every client the library builds uses a NodeHttpHandler: answer instead of sending.
NodeHttpHandler.prototype.handle = async function handle(request) {
  const target = request.headers['x-amz-target'] || request.headers['X-Amz-Target'] || '';
  let body = '{}';
  let wait = latency.dynamodb;
  if (target.endsWith('.PutEvents')) {
    const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString();
    const entries = JSON.parse(text).Entries.length;
    body = JSON.stringify({
      FailedEntryCount: 0,
      Entries: Array.from({ length: entries }, () => ({ EventId: 'stub' })),
    });
    wait = latency.putEvents;
    requests.putEvents += 1;
  } else {
    requests.dynamodb += 1;
  }
  await sleep(wait);
  return {
    response: new HttpResponse({
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Readable.from([Buffer.from(body)]),
    }),
  };
};

// shipping's pending-shipment view, as a materialize rule.
const LISTENER = [{
  id: 'pending-shipment',
  flavor: materialize,
  eventType: 'order-placed',
  tableName: 'shop-shipping-pending-shipment',
  toUpdateRequest: (uow) => {
    const { order } = uow.event;
    return {
      Key: { orderId: order.id },
      ...updateExpression({
        orderId: order.id,
        customerId: order.customerId,
        status: order.status,
        lines: order.lines,
        weightGrams: order.weightGrams,
        shipTo: order.shippingAddress,
        destinationCity: order.shippingAddress.city,
        channel: order.channel,
        placedAt: order.placedAt,
        receivedAtMs: uow.event.timestamp,
        timestamp: uow.event.timestamp,
        latched: true,
        deleted: null,
      }),
      ...timestampCondition(),
    };
  },
}];

// orders-bff's order-placed, as a cdc rule.
const FIELDS = ['id', 'customerId', 'status', 'currency', 'total', 'weightGrams', 'lines',
  'shippingAddress', 'placedAt', 'channel'];
const TRIGGER = [{
  id: 'order-placed',
  flavor: cdc,
  eventType: 'order-created',
  toEvent: (uow) => ({
    type: 'order-placed',
    order: Object.fromEntries(FIELDS.map((field) => [field, uow.event.raw.new[field]])),
  }),
}];

const OPTIONS = { ...defaultOptions, busName: 'shop-hub-bench', source: 'orders-bff' };

const listen = (event) => initialize(initializeFrom(LISTENER), OPTIONS)
  .assemble(fromSqsEvent(event), false)
  .through(toPromise);

const publish = (event) => initialize(initializeFrom(TRIGGER), OPTIONS)
  .assemble(fromDynamodb(event), false)
  .through(toPromise);

// The median wall time of `batches` runs of `run` after warm-up runs, in milliseconds; fails
// when the stub did not get `expected` requests of `kind` per run.
async function measure(run, kind, expected) {
  for (let i = 0; i < Math.ceil(batches / 10); i += 1) await run();
  const times = [];
  for (let i = 0; i < batches; i += 1) {
    const before = requests[kind];
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (requests[kind] - before !== expected) {
      throw new Error(`${kind}: ${requests[kind] - before} requests, expected ${expected}`);
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function report(pathName, size, events, median) {
  const perSecond = Math.round(events / (median / 1000));
  console.log(`aws-lambda-stream\t${pathName}\t${size}\t${median.toFixed(2)}\t${perSecond}`);
}

async function main() {
  for (const size of [10, 100]) {
    const read = (name) => JSON.parse(fs.readFileSync(path.join(inputs, `${name}-${size}.json`)));
    const messages = read('listener');
    const records = read('trigger');
    const events = messages.Records.length;
    report('listener', size, events,
      await measure(() => listen(messages), 'dynamodb', events));
    report('trigger', size, events,
      await measure(() => publish(records), 'putEvents', Math.ceil(events / 10)));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
