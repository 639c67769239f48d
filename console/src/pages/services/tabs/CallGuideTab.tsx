import { useState } from 'react';
import { Alert, Button, Descriptions, Select, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../api/types';
import { useApi } from '../../../session';
import { useAction, useLoad } from '../../../lib/useLoad';
import { exampleOf } from '../../../lib/schema';
import { ParamsTable } from '../../models/ModelDetail';
import { useServiceModel } from './useServiceModel';

function Snippet({ code, testId }: { code: string; testId?: string }) {
  return <Typography.Paragraph copyable={{ text: code }} data-testid={testId}><pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{code}</pre></Typography.Paragraph>;
}

/**
 * Call guide (seed 003 §3.1.2 "调用指南", §3.1.4.2, R-S14): the access address filled into copyable curl and Python
 * snippets for the three authentication methods, the input and output parameters, and the authorized apps.
 */
export function CallGuideTab({ service, onChange }: { service: ServiceDetail; onChange: () => void }) {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const [bindApp, setBindApp] = useState<string>();
  const apps = useLoad(() => client.listApps(), []);
  const { model, api, path, files } = useServiceModel(service);
  const url = new URL(`${service.access_address ?? ''}${path}`, window.location.href).toString();
  const appUrl = new URL(`${service.app_access_address ?? service.access_address ?? ''}${path}`, window.location.href).toString();
  const body = JSON.stringify(exampleOf(api?.request?.data) ?? {});
  const file = files[0];
  const origin = window.location.origin;
  const tokenCurl = `TOKEN=$(curl -s -i -X POST ${origin}/v3/auth/tokens -H 'Content-Type: application/json' \\
  -d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"<user>","password":"<password>","domain":{"name":"<account>"}}}},"scope":{"project":{"name":"<project>"}}}}' \\
  | awk 'tolower($1)=="x-subject-token:" {print $2}' | tr -d '\\r')
` + (file
    ? `curl -X POST '${url}' -H "X-Auth-Token: $TOKEN" -F '${file}=@/path/to/image.png'`
    : `curl -X POST '${url}' -H "X-Auth-Token: $TOKEN" -H 'Content-Type: application/json' -d '${body}'`);
  const tokenPython = `import requests

url = "${url}"
token = "<X-Subject-Token from POST /v3/auth/tokens>"
` + (file
    ? `resp = requests.post(url, headers={"X-Auth-Token": token}, files={"${file}": open("/path/to/image.png", "rb")})`
    : `resp = requests.post(url, headers={"X-Auth-Token": token}, json=${body})`) + `
print(resp.status_code, resp.text)`;
  const akskPython = `# pip install apig-sdk (Huawei's APIG signer); AK/SK from "Access keys"
import json, os, requests
from apig_sdk import signer

url = "${url}"
sig = signer.Signer()
sig.Key = os.environ["HUAWEICLOUD_SDK_AK"]
sig.Secret = os.environ["HUAWEICLOUD_SDK_SK"]
` + (file
    ? `request = signer.HttpRequest("POST", url, {"x-sdk-content-sha256": "UNSIGNED-PAYLOAD"})
sig.Sign(request)
resp = requests.post(url, headers=request.headers, files={"${file}": open("/path/to/image.png", "rb")})`
    : `request = signer.HttpRequest("POST", url, {"Content-Type": "application/json"}, json.dumps(${body}))
sig.Sign(request)
resp = requests.post(url, headers=request.headers, data=request.body)`) + `
print(resp.status_code, resp.text)`;
  const akskCurl = `# Sign with infera (the CLI signs every call with a stored access key):
printf '%s\\n' "$SK" | infera login --endpoint ${origin} --ak "$AK" --sk-stdin
infera service predict ${service.service_id} ${file ? `--file ${file}=/path/to/image.png` : `--json '${body}'`}`;
  const appCodeCurl = file
    ? `curl -X POST '${appUrl}' -H "X-Apig-AppCode: $APP_CODE" -F '${file}=@/path/to/image.png'`
    : `curl -X POST '${appUrl}' -H "X-Apig-AppCode: $APP_CODE" -H 'Content-Type: application/json' -d '${body}'`;
  const appPython = `import os, requests

url = "${appUrl}"
headers = {"X-Apig-AppCode": os.environ["HUAWEICLOUD_APP_CODE"]}   # or {"apikey": "<AppKey>"}
` + (file ? `resp = requests.post(url, headers=headers, files={"${file}": open("/path/to/image.png", "rb")})` : `resp = requests.post(url, headers=headers, json=${body})`) + `
print(resp.status_code, resp.text)
# AppKey/AppSecret signature: apig_sdk's Signer with Key=<AppKey>, Secret=<AppSecret>, as for AK/SK.`;
  const bound = service.app_auth_apps ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={1} items={[
        { key: 'a', label: t('guide.address'), children: <Typography.Text copyable data-testid="guide-address">{url}</Typography.Text> },
        ...(service.app_auth ? [{ key: 'b', label: t('services.appAccessAddress'), children: <Typography.Text copyable>{appUrl}</Typography.Text> }] : []),
        { key: 'm', label: t('models.engine'), children: `${model?.model_name ?? ''} ${model?.model_version ?? ''} (${model?.model_type ?? ''})` },
      ]} />
      <h4>{t('guide.methods')}</h4>
      <Tabs items={[
        { key: 'token', label: t('guide.token'), children: <><Alert type="info" message={t('guide.tokenHint')} /><h5>curl</h5><Snippet code={tokenCurl} testId="snippet-token-curl" /><h5>Python</h5><Snippet code={tokenPython} testId="snippet-token-python" /></> },
        { key: 'aksk', label: t('guide.aksk'), children: <><Alert type="info" message={t('guide.akskHint')} /><h5>Python</h5><Snippet code={akskPython} testId="snippet-aksk-python" /><h5>CLI</h5><Snippet code={akskCurl} /></> },
        { key: 'app', label: t('guide.app'), children: <><Alert type="info" message={service.app_auth ? t('guide.appHint') : t('guide.appAuthOff')} /><h5>curl</h5><Snippet code={appCodeCurl} testId="snippet-app-curl" /><h5>Python</h5><Snippet code={appPython} /></> },
      ]} />
      <h4>{t('guide.inputs')}</h4><ParamsTable params={model?.input_params} />
      <h4>{t('guide.outputs')}</h4><ParamsTable params={model?.output_params} />
      <h4>{t('guide.bindings')}</h4>
      <Table size="small" rowKey="app_id" pagination={false} dataSource={bound} columns={[
        { title: t('apps.appName'), dataIndex: 'app_name' }, { title: t('apps.appKey'), dataIndex: 'app_key' },
        { title: t('common.actions'), render: (_, a) => <a onClick={() => void run(() => client.unbindApp(service.service_id, a.app_id), t('common.ok')).then(onChange)}>{t('guide.unbind')}</a> },
      ]} />
      <Space>
        <Select style={{ width: 240 }} value={bindApp} onChange={setBindApp} placeholder={t('guide.bind')}
          options={(apps.data ?? []).filter(a => !bound.some(b => b.app_id === a.app_id)).map(a => ({ value: a.app_id, label: a.app_name }))} />
        <Button disabled={!bindApp} onClick={() => void run(() => client.bindApps(service.service_id, [bindApp!]), t('common.ok')).then(onChange)}>{t('guide.bind')}</Button>
      </Space>
    </Space>
  );
}
