// Signs one request with the AK/SK signer of @huaweicloud/huaweicloud-sdk-core (what Huawei's Node.js SDK uses)
// and sends it, optionally changing one part after signing. Input: a JSON document on stdin
//   {"ak","sk","method","endpoint" (URL without query),"queryParams"?,"headers"?,"data"?,"tamper"?: body|path|query|header|date}
// Output: {"status": <HTTP status>, "body": <response text>, "authorization": <header sent>} on stdout.
'use strict';
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials');
const http = require('http');

async function main() {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const credentials = new BasicCredentials().withAk(input.ak).withSk(input.sk);
  const request = {
    method: input.method,
    endpoint: input.endpoint,
    queryParams: input.queryParams || {},
    headers: Object.assign({}, input.headers || {}),
    data: input.data,
  };
  const signed = AKSKSigner.sign(request, credentials);
  let body = input.data === undefined ? '' : JSON.stringify(input.data);
  let url = new URL(input.endpoint);
  for (const [key, value] of Object.entries(request.queryParams)) {
    url.searchParams.append(key, value);
  }
  const headers = Object.assign({}, signed);
  switch (input.tamper) {
    case 'body': body = body.replace(/.$/, ' }'); break;
    case 'path': url.pathname = url.pathname + '/extra'; break;
    case 'query': url.searchParams.append('injected', '1'); break;
    case 'header': headers['X-Custom'] = 'changed'; break;
    case 'date': headers['X-Sdk-Date'] = '20200101T000000Z'; break;
    default: break;
  }
  headers['Content-Length'] = Buffer.byteLength(body);
  const result = await new Promise((resolve, reject) => {
    const req = http.request(url, { method: input.method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  result.authorization = headers.Authorization;
  process.stdout.write(JSON.stringify(result));
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
