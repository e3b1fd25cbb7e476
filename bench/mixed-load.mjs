// A mixed load with bad input interleaved: workers loop over good requests (each answer compared
// with the first answer to the same request) and bad ones (each must be a 4xx problem, never a 2xx
// or a 5xx). Prints the counts by class and exits 1 on any 5xx, wrong answer or accepted bad input.
// Usage: node bench/mixed-load.mjs BASE_URL SECONDS CONNECTIONS
const [base, seconds = '30', connections = '16'] = process.argv.slice(2);
const json = { 'Content-Type': 'application/json' };
const iris = '{"records": [{"float_input": [5.1, 3.5, 1.4, 0.2]}]}';
const titanic = '{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}';
const good = [
  ['iris-records', 'POST', 'api/models/iris/predict', iris, json],
  ['iris-oip', 'POST', 'v2/models/iris/infer', '{"inputs": [{"name": "float_input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}', json],
  ['titanic-records', 'POST', 'api/models/titanic/predict', titanic, json],
  ['titanic-csv', 'POST', 'api/models/titanic/predict?extraColumns=ignore', 'id,pclass,sex,age,fare,embarked\n1,1,female,29,211.3,S\n', { 'Content-Type': 'text/csv' }],
  ['model', 'GET', 'api/models/iris', null, {}],
  // Valid, and matched in linear time: a fast, stable answer.
  ['like-wildcards', 'GET', `api/runs?filter=${encodeURIComponent(`params.trainer LIKE '${'%a'.repeat(40)}b'`)}`, null, {}],
];
const bad = [
  ['truncated-json', 'POST', 'api/models/iris/predict', '{"records": [{"float_input": [5.1', json],
  ['duplicate-key', 'POST', 'api/models/titanic/predict', '{"records": [{"pclass": 1, "pclass": 3, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}', json],
  ['duplicate-top-key', 'POST', 'api/models/iris/predict', '{"records": [], "records": [{"float_input": [5.1, 3.5, 1.4, 0.2]}]}', json],
  ['unknown-column', 'POST', 'api/models/titanic/predict', '{"records": [{"pclass": 1, "sex": "female", "age": 29, "fare": 211.3, "embarkd": "S"}]}', json],
  ['wrong-type', 'POST', 'api/models/titanic/predict', '{"records": [{"pclass": "first", "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}', json],
  ['int64-overflow', 'POST', 'api/models/titanic/predict', '{"records": [{"pclass": 1e30, "sex": "female", "age": 29, "fare": 211.3, "embarked": "S"}]}', json],
  ['fp32-overflow', 'POST', 'api/models/iris/predict', '{"records": [{"float_input": [1e300, 3.5, 1.4, 0.2]}]}', json],
  ['unknown-alias', 'POST', 'api/models/iris/versions/staging/predict', iris, json],
  ['oip-shape-overflow', 'POST', 'v2/models/iris/infer', '{"inputs": [{"name": "float_input", "shape": [4294967296, 4294967296], "datatype": "FP32", "data": [1]}]}', json],
  ['csv-ragged', 'POST', 'api/models/titanic/predict', 'pclass,sex,age,fare,embarked\n1,female,29\n', { 'Content-Type': 'text/csv' }],
  ['invalid-utf8', 'POST', 'api/models/iris/predict', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), json],
  ['unknown-query', 'GET', 'api/pipelines?model=iris', null, {}],
  ['bad-token', 'GET', 'api/models?continuationToken=garbage', null, {}],
  ['deployment-unknown-alias', 'PUT', 'api/models/iris/deployment', '{"routes": [{"version": "staging", "weight": 1}]}', json],
  ['monitoring-bad-window', 'PUT', 'api/models/iris/monitoring', '{"window": "a day"}', json],
  ['training-unknown-column', 'POST', 'api/pipelines/training', '{"model": "iris", "dataset": "flowers", "label": "nothing"}', json],
  ['drift-bad-threshold', 'POST', 'api/models/titanic/drift/run', '{"threshold": 0}', json],
];
const requests = [...good.map(r => [...r, true]), ...bad.map(r => [...r, false])];
const expected = new Map();
const counts = { requests: 0, ok: 0, rejected: 0, serverErrors: 0, wrong: 0, accepted: 0, failures: 0 };
const problems = new Map();
const note = (key, text) => { if (!problems.has(key)) problems.set(key, text); };

async function send([name, method, path, body, headers, isGood]) {
  let response, text;
  try {
    response = await fetch(`${base}/${path}`, { method, headers, body: body ?? undefined });
    text = await response.text();
  } catch (error) {
    counts.failures++; note(`${name}-fetch`, `${name}: ${error.message}`); return;
  }
  counts.requests++;
  if (response.status >= 500) { counts.serverErrors++; note(`${name}-5xx`, `${name}: ${response.status} ${text.slice(0, 200)}`); return; }
  if (isGood) {
    const same = response.status === 200 && (!expected.has(name) || expected.get(name) === text);
    if (same) { counts.ok++; if (!expected.has(name)) expected.set(name, text); }
    else { counts.wrong++; note(`${name}-wrong`, `${name}: ${response.status} ${text.slice(0, 200)}`); }
  } else if (response.status >= 400) {
    counts.rejected++;
  } else {
    counts.accepted++; note(`${name}-accepted`, `${name}: ${response.status} ${text.slice(0, 200)}`);
  }
}

// The first answer to each good request is the reference the others must equal.
for (const r of requests.filter(r => r[5])) await send(r);
const deadline = Date.now() + Number(seconds) * 1000;
const worker = async offset => { for (let i = offset; Date.now() < deadline; i++) await send(requests[i % requests.length]); };
const started = Date.now();
await Promise.all(Array.from({ length: Number(connections) }, (_, c) => worker(c * 7)));
const elapsed = (Date.now() - started) / 1000;
console.log(`mixed load: ${counts.requests} requests in ${elapsed.toFixed(1)} s (${(counts.requests / elapsed).toFixed(0)} req/s), ${good.length} good and ${bad.length} bad kinds interleaved`);
console.log(`  good answered correctly ${counts.ok}, wrong ${counts.wrong}; bad refused with 4xx ${counts.rejected}, accepted ${counts.accepted}; 5xx ${counts.serverErrors}; transport failures ${counts.failures}`);
for (const text of problems.values()) console.log(`  ${text}`);
process.exit(counts.serverErrors + counts.wrong + counts.accepted + counts.failures === 0 ? 0 : 1);
