import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Space, App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ObsPathInput } from '../../components/ObsPicker';
import { JsonEditor } from '../../components/JsonEditor';
import { KeyValueList } from '../../components/KeyValueList';
import { useApi } from '../../session';
import { useLoad } from '../../lib/useLoad';
import { csvMapping, fileFields, parseApis } from '../../lib/schema';

interface Fields {
  service_name: string; description?: string; model_id: string; src_path: string; dest_path: string; req_uri: string;
  mapping_type: 'file' | 'csv'; instance_count: number; specification: string; envs: { key: string; value: string }[];
}

/**
 * Deploy a batch service (seed 002, seed 003 §3.2.1, R-B1): input folder or .manifest and output folder chosen from
 * the object store, request path from the model's apis, and for JSON models a CSV mapping generated from the request
 * schema (editable), instances, flavor, envs.
 */
export default function BatchDeploy() {
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Fields>();
  const [mapping, setMapping] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const models = useLoad(() => client.listModels({ model_status: 'published' }), []);
  const specs = useLoad(() => client.specifications(), []);
  const batchable = useMemo(() => (models.data?.models ?? []).filter(m => (m.install_type ?? []).includes('batch')), [models.data]);
  const modelId = Form.useWatch('model_id', form);
  const reqUri = Form.useWatch('req_uri', form);
  const mappingType = Form.useWatch('mapping_type', form);
  const model = useLoad(() => (modelId ? client.getModel(modelId) : Promise.resolve(null)), [modelId]);
  const apis = parseApis(model.data?.apis);
  const api = apis.find(a => a.url === reqUri) ?? apis[0];

  useEffect(() => { const m = params.get('model'); if (m) form.setFieldValue('model_id', m); }, [params, form]);
  useEffect(() => {
    if (!api) return;
    form.setFieldsValue({ req_uri: api.url, mapping_type: fileFields(api.request?.data).length ? 'file' : 'csv' });
    setMapping(JSON.stringify(csvMapping(api.request?.data) ?? {}, null, 2));
  }, [api?.url, model.data?.model_id]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (f: Fields) => {
    setError(null);
    let rule;
    if (f.mapping_type === 'csv') {
      try { rule = JSON.parse(mapping); } catch (e) { setError((e as Error).message); return; }
    }
    setBusy(true);
    try {
      const created = await client.createService({
        service_name: f.service_name, description: f.description || undefined, infer_type: 'batch',
        config: [{
          model_id: f.model_id, specification: f.specification, instance_count: f.instance_count, src_path: f.src_path, dest_path: f.dest_path,
          req_uri: f.req_uri, mapping_type: f.mapping_type, mapping_rule: rule,
          envs: Object.fromEntries((f.envs ?? []).filter(e => e.key).map(e => [e.key, e.value ?? ''])),
          ...(f.src_path.endsWith('.manifest') ? { src_type: 'ManifestFile' } : {}),
        }],
      });
      message.success(t('services.deployed'));
      navigate(`/batch/${created.service_id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('batch.deploy')}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="batch-error" />}
      <Form form={form} layout="vertical" style={{ maxWidth: 800 }} onFinish={v => void submit(v)}
        initialValues={{ service_name: `service-${Math.random().toString(16).slice(2, 6)}`, instance_count: 1, envs: [], specification: 'modelarts.vm.cpu.2u' }}>
        <Form.Item name="service_name" label={t('services.name')} rules={[{ required: true }]}><Input id="batch-name" /></Form.Item>
        <Form.Item name="description" label={t('common.description')}><Input /></Form.Item>
        <Form.Item name="model_id" label={t('services.modelVersion')} rules={[{ required: true }]} extra={t('batch.modelHint')}>
          <Select showSearch optionFilterProp="label" data-testid="batch-model" options={batchable.map(m => ({ value: m.model_id, label: `${m.model_name} ${m.model_version}` }))} />
        </Form.Item>
        <Form.Item name="src_path" label={t('batch.input')} rules={[{ required: true }]}><ObsPathInput id="batch-src" mode="any" /></Form.Item>
        <Form.Item name="req_uri" label={t('batch.reqUri')} rules={[{ required: true }]}><Select options={apis.map(a => ({ value: a.url, label: `${a.method?.toUpperCase()} ${a.url}` }))} /></Form.Item>
        <Form.Item name="mapping_type" label={t('batch.mappingType')}><Radio.Group options={[{ value: 'file', label: 'file' }, { value: 'csv', label: 'csv' }]} /></Form.Item>
        {mappingType === 'csv' && (
          <Form.Item label={t('batch.mappingRule')}>
            <JsonEditor value={mapping} onChange={setMapping} height="220px" />
            <Button size="small" style={{ marginTop: 8 }} onClick={() => setMapping(JSON.stringify(csvMapping(api?.request?.data) ?? {}, null, 2))}>{t('batch.regenerate')}</Button>
          </Form.Item>
        )}
        <Form.Item name="dest_path" label={t('batch.output')} rules={[{ required: true }]}><ObsPathInput id="batch-dest" mode="folder" /></Form.Item>
        <Space>
          <Form.Item name="specification" label={t('services.spec')}><Select style={{ width: 320 }} options={(specs.data ?? []).map(s => ({ value: s.specification, label: s.is_open ? s.display_en : `${s.display_en} — ${s.unavailable_reason}`, disabled: !s.is_open }))} /></Form.Item>
          <Form.Item name="instance_count" label={t('services.instances')}><InputNumber min={1} max={128} /></Form.Item>
        </Space>
        <Form.Item label={t('services.envs')}>
          <KeyValueList name="envs" keyRules={[{ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/ }]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="batch-submit">{t('batch.deploy')}</Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
