import { useEffect, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space, App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ObsPathInput } from '../../components/ObsPicker';
import { useApi } from '../../session';
import { useLoad } from '../../lib/useLoad';

interface Fields {
  model_name: string; model_version?: string; description?: string; source: 'obs' | 'template'; source_location?: string;
  dynamic_load?: boolean; install_type: string[]; template_id?: string; template_input?: string; infer_format?: string;
}

/**
 * Create an AI application (seed 003 §2.2.2 template, §2.2.3 object store) or, with ?from=<model_id>, a new version
 * of it prefilled from that version (seed 003 §2.5, R-M5): only what differs is sent, the server copies the rest.
 */
export default function ModelCreate() {
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const from = params.get('from');
  const [form] = Form.useForm<Fields>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [engine, setEngine] = useState<string | undefined>();
  const source = Form.useWatch('source', form);
  const templateId = Form.useWatch('template_id', form);
  const previous = useLoad(() => (from ? client.getModel(from) : Promise.resolve(null)), [from]);
  const templates = useLoad(() => client.templates({ engine, limit: 100 }), [engine]);
  const formats = useLoad(() => client.inferFormats(), []);
  const template = templates.data?.find(x => x.template_id === templateId);

  useEffect(() => {
    const p = previous.data;
    if (!p) return;
    form.setFieldsValue({
      model_name: p.model_name, description: p.description, source: p.template ? 'template' : 'obs',
      source_location: p.source_location, install_type: p.install_type ?? ['real-time'], dynamic_load: p.dynamic_load,
      template_id: p.template?.template_id, infer_format: p.infer_format || undefined,
    });
  }, [previous.data, form]);

  const submit = async (f: Fields) => {
    setBusy(true);
    setError(null);
    try {
      if (from && previous.data) {
        const body: Record<string, unknown> = {};
        if (f.model_version) body.model_version = f.model_version;
        if (f.description !== previous.data.description) body.description = f.description ?? '';
        if (f.source_location && f.source_location !== previous.data.source_location) body.source_location = f.source_location;
        body.install_type = f.install_type;
        const created = await client.newVersion(from, body);
        message.success(t('models.createdOk'));
        navigate(`/models/${created.model_id}`);
        return;
      }
      const body: Record<string, unknown> = {
        model_name: f.model_name, model_version: f.model_version || undefined, description: f.description || undefined, install_type: f.install_type,
      };
      if (f.source === 'template') {
        body.model_type = 'Template';
        body.template = {
          template_id: f.template_id, infer_format: f.infer_format || undefined,
          template_inputs: [{ input_id: template?.template_inputs[0]?.input_id ?? 'model', input: f.template_input }],
        };
      } else {
        body.source_location = f.source_location;
        body.dynamic_load = !!f.dynamic_load;
      }
      const created = await client.createModel(body);
      message.success(t('models.createdOk'));
      navigate(`/models/${created.model_id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={from && previous.data ? t('models.newVersionOf', { name: previous.data.model_name }) : t('models.create')}>
      {from && previous.data && <Alert type="info" showIcon message={t('models.prefilled', { version: previous.data.model_version })} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="model-create-error" />}
      <Form form={form} layout="vertical" style={{ maxWidth: 720 }} initialValues={{ source: 'obs', install_type: ['real-time', 'batch'] }} onFinish={v => void submit(v)}>
        <Form.Item name="model_name" label={t('common.name')} rules={[{ required: true, pattern: /^[\p{L}\p{N}_-]{1,64}$/u }]}>
          <Input id="model-name" disabled={!!from} />
        </Form.Item>
        <Form.Item name="model_version" label={t('common.version')} rules={[{ pattern: /^\d+\.\d+\.\d+$/ }]} extra={from ? undefined : '0.0.1'}>
          <Input id="model-version" placeholder={from ? '' : '0.0.1'} />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')} rules={[{ max: 100 }]}><Input.TextArea rows={2} id="model-description" /></Form.Item>
        <Form.Item name="source" label={t('models.source')}>
          <Radio.Group disabled={!!from} optionType="button" options={[{ value: 'obs', label: t('models.fromObs') }, { value: 'template', label: t('models.fromTemplate') }]} />
        </Form.Item>
        {source !== 'template' ? (
          <>
            <Form.Item name="source_location" label={t('models.path')} rules={[{ required: true }]}>
              <ObsPathInput id="model-source" mode="folder" />
            </Form.Item>
            <Form.Item name="dynamic_load" valuePropName="checked"><Checkbox disabled={!!from}>{t('models.dynamicLoad')}</Checkbox></Form.Item>
          </>
        ) : (
          <>
            <Form.Item label={t('models.engineFilter')}>
              <Select allowClear value={engine} onChange={setEngine} style={{ width: 220 }}
                options={[...new Set((templates.data ?? []).map(x => x.engine))].map(e => ({ value: e, label: e }))} />
            </Form.Item>
            <Form.Item name="template_id" label={t('models.template')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" disabled={!!from} options={(templates.data ?? []).map(x => ({
                value: x.template_id, label: `${x.template_name} (${x.engine}, ${x.environment})${x.runnable_here ? '' : ' — ' + t('models.notRunnable')}`,
              }))} />
            </Form.Item>
            {template && <Alert type="info" message={template.description} style={{ marginBottom: 16 }} />}
            <Form.Item name="template_input" label={t('models.path')} rules={[{ required: true }]}><ObsPathInput id="template-input" mode="folder" /></Form.Item>
            <Form.Item name="infer_format" label={t('models.inferFormat')}>
              <Select allowClear disabled={template ? !template.infer_format_overridable : false} placeholder={template?.infer_format}
                options={(formats.data ?? []).map(x => ({ value: x.infer_format, label: x.infer_format }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="install_type" label={t('models.installType')} rules={[{ required: true }]}>
          <Checkbox.Group options={[{ value: 'real-time', label: t('models.realtime') }, { value: 'batch', label: t('models.batch') }]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="model-submit">{t('common.create')}</Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
