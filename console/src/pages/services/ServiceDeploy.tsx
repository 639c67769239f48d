import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Divider, Form, Input, InputNumber, Row, Select, Space, Switch, Tooltip, App } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { ModelListItem, ServiceConfigItem } from '../../api/types';
import { useApi } from '../../session';
import { useLoad } from '../../lib/useLoad';
import { KeyValueList } from '../../components/KeyValueList';
import { compareVersions } from '../models/ModelList';

interface KeyValue { key: string; value: string }
interface ConfigFields { model_name?: string; model_id?: string; weight: number; specification: string; instance_count: number; envs: KeyValue[]; deploy_timeout_minutes: number }
interface RuleFields { condition: string; model_id?: string; header_name?: string; header_value?: string }
interface Fields {
  service_name: string; description?: string; auto_stop: boolean; auto_stop_hours: number | 'custom'; auto_stop_custom?: number;
  config: ConfigFields[]; tags: KeyValue[]; app_auth: boolean; apps: string[]; websocket: boolean; rate_limit?: number | null;
  routing_rules: RuleFields[]; max_unavailable?: number;
}

const toEnvs = (list: KeyValue[]) => Object.fromEntries((list ?? []).filter(e => e.key).map(e => [e.key, e.value ?? '']));
const fromEnvs = (envs?: Record<string, string>) => Object.entries(envs ?? {}).map(([key, value]) => ({ key, value }));

/**
 * Deploy a real-time service with every R-S1 parameter (seed 000, seed 003 §3.1.1), or with ?modify=<id> modify one
 * (seed 003 §3.3: rolling update bounded by max unavailable instances). ?model=<id> preselects a version.
 */
export default function ServiceDeploy() {
  const { t, i18n } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const modifyId = params.get('modify');
  const preselect = params.get('model');
  const [form] = Form.useForm<Fields>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const models = useLoad(() => client.listModels({ model_status: 'published' }), []);
  const specs = useLoad(() => client.specifications(), []);
  const apps = useLoad(() => client.listApps(), []);
  const existing = useLoad(() => (modifyId ? client.getService(modifyId) : Promise.resolve(null)), [modifyId]);
  const deployable = useMemo(() => (models.data?.models ?? []).filter(m => (m.install_type ?? ['real-time']).includes('real-time')), [models.data]);
  const byName = useMemo(() => {
    const map = new Map<string, ModelListItem[]>();
    for (const m of deployable) map.set(m.model_name, [...(map.get(m.model_name) ?? []), m].sort((a, b) => compareVersions(b.model_version, a.model_version)));
    return map;
  }, [deployable]);
  const config = Form.useWatch('config', form) ?? [];
  const websocket = Form.useWatch('websocket', form);
  const appAuth = Form.useWatch('app_auth', form);
  const autoStop = Form.useWatch('auto_stop', form);
  const autoStopHours = Form.useWatch('auto_stop_hours', form);
  const defaultSpec = (specs.data ?? []).find(s => s.is_open && s.specification === 'modelarts.vm.cpu.2u')?.specification ?? (specs.data ?? []).find(s => s.is_open)?.specification;
  const weightSum = config.reduce((sum, c) => sum + (Number(c?.weight) || 0), 0);
  const chosenVersions = config.filter(c => c?.model_id).map(c => ({ value: c.model_id!, label: `${c.model_name} ${deployable.find(m => m.model_id === c.model_id)?.model_version ?? ''}` }));

  useEffect(() => {
    if (modifyId || !preselect || !models.data) return;
    const m = deployable.find(x => x.model_id === preselect);
    if (m) form.setFieldValue(['config', 0], { ...form.getFieldValue(['config', 0]), model_name: m.model_name, model_id: m.model_id });
  }, [preselect, models.data, deployable, form, modifyId]);

  // The flavor list arrives after the form: give every version without a flavor the default one.
  useEffect(() => {
    if (!defaultSpec) return;
    const items = (form.getFieldValue('config') ?? []) as ConfigFields[];
    items.forEach((item, index) => { if (!item?.specification) form.setFieldValue(['config', index, 'specification'], defaultSpec); });
  }, [defaultSpec, form]);

  useEffect(() => {
    const s = existing.data;
    if (!s) return;
    const schedule = s.schedule?.find(x => x.type === 'stop');
    const hours = schedule ? (schedule.time_unit === 'HOURS' ? schedule.duration : schedule.time_unit === 'DAYS' ? schedule.duration * 24 : Math.max(1, Math.round(schedule.duration / 60))) : 1;
    form.setFieldsValue({
      service_name: s.service_name, description: s.description, auto_stop: !!schedule,
      auto_stop_hours: [1, 2, 4, 6].includes(hours) ? hours : 'custom', auto_stop_custom: hours,
      config: s.config.map(c => ({
        model_name: c.model_name, model_id: c.model_id, weight: c.weight ?? 100, specification: c.specification, instance_count: c.instance_count,
        envs: fromEnvs(c.envs), deploy_timeout_minutes: Math.round((c.deploy_timeout_in_seconds ?? 1200) / 60),
      })),
      tags: s.tags ?? [], app_auth: !!s.app_auth, apps: (s.app_auth_apps ?? []).map(a => a.app_id), websocket: !!s.additional_properties?.websocket_upgrade,
      rate_limit: s.rate_limit ?? null, max_unavailable: s.config[0]?.additional_properties?.max_unavailable ?? 0,
      routing_rules: (s.routing_rules ?? []).map(r => ({ ...r, model_id: r.model_id ?? s.config.find(c => c.model_version === r.model_version)?.model_id })),
    });
  }, [existing.data, form]);

  const submit = async (f: Fields) => {
    setError(null);
    if (weightSum !== 100) { setError(t('services.weightsSum', { sum: weightSum })); return; }
    setBusy(true);
    try {
      const items: ServiceConfigItem[] = f.config.map(c => ({
        model_id: c.model_id!, weight: c.weight, specification: c.specification, instance_count: c.instance_count, envs: toEnvs(c.envs),
        deploy_timeout_in_seconds: c.deploy_timeout_minutes * 60,
        ...(modifyId ? { additional_properties: { max_unavailable: f.max_unavailable ?? 0 } } : {}),
      }));
      const hours = f.auto_stop_hours === 'custom' ? f.auto_stop_custom ?? 1 : f.auto_stop_hours;
      const schedule = f.auto_stop ? [{ type: 'stop', time_unit: 'HOURS', duration: hours }] : [];
      const rules = (f.routing_rules ?? []).map(r => ({ condition: r.condition, model_id: r.model_id, header_name: r.header_name || undefined, header_value: r.header_value || undefined }));
      const tags = (f.tags ?? []).filter(x => x.key);
      if (modifyId) {
        await client.updateService(modifyId, {
          description: f.description ?? '', config: items, schedule, routing_rules: rules, tags, app_auth: f.app_auth,
          ...(f.websocket ? {} : { rate_limit: f.rate_limit ?? 0 }),
        });
        if (f.app_auth && f.apps?.length) await client.bindApps(modifyId, f.apps);
        message.success(t('services.modified'));
        navigate(`/services/${modifyId}`);
        return;
      }
      const created = await client.createService({
        service_name: f.service_name, description: f.description || undefined, infer_type: 'real-time', config: items,
        ...(schedule.length ? { schedule } : {}), tags: tags.length ? tags : undefined, app_auth: f.app_auth,
        apps: f.app_auth && f.apps?.length ? f.apps.map(app_id => ({ app_id })) : undefined,
        additional_properties: f.websocket ? { websocket_upgrade: true } : undefined,
        rate_limit: !f.websocket && f.rate_limit ? f.rate_limit : undefined, routing_rules: rules.length ? rules : undefined,
      });
      message.success(t('services.deployed'));
      navigate(`/services/${created.service_id}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const specOptions = (specs.data ?? []).map(s => ({
    value: s.specification, disabled: !s.is_open,
    label: s.is_open ? `${i18n.language === 'zh' ? s.display_cn : s.display_en} (${s.specification})`
      : <Tooltip title={s.unavailable_reason}><span>{`${i18n.language === 'zh' ? s.display_cn : s.display_en} — ${t('services.flavorUnavailable', { reason: s.unavailable_reason ?? '' })}`}</span></Tooltip>,
  }));
  if (modifyId && !existing.data) return <Card loading />;

  return (
    <Card title={modifyId ? `${t('services.modify')}: ${existing.data?.service_name}` : t('services.deploy')}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="deploy-error" />}
      <Form form={form} layout="vertical" style={{ maxWidth: 1000 }} onFinish={v => void submit(v)} initialValues={{
        auto_stop: true, auto_stop_hours: 1, auto_stop_custom: 8, tags: [], app_auth: false, apps: [], websocket: false, routing_rules: [], max_unavailable: 0,
        config: [{ weight: 100, instance_count: 1, envs: [], deploy_timeout_minutes: 20 }],
      }}>
        <Divider titlePlacement="start">{t('services.basic')}</Divider>
        <Form.Item name="service_name" label={t('services.name')} rules={[{ required: true, pattern: /^[\p{L}\p{N}_-]{1,64}$/u }]}><Input id="service-name" disabled={!!modifyId} /></Form.Item>
        <Form.Item name="description" label={t('common.description')}><Input.TextArea rows={2} /></Form.Item>
        <Space align="start">
          <Form.Item name="auto_stop" label={t('services.autoStop')} valuePropName="checked"><Switch data-testid="auto-stop" /></Form.Item>
          {autoStop && <Form.Item name="auto_stop_hours" label={t('services.autoStopAfter')}>
            <Select style={{ width: 160 }} options={[...[1, 2, 4, 6].map(h => ({ value: h, label: `${h} ${t('services.hours')}` })), { value: 'custom', label: t('services.custom') }]} />
          </Form.Item>}
          {autoStop && autoStopHours === 'custom' && <Form.Item name="auto_stop_custom" label="1–24" rules={[{ type: 'number', min: 1, max: 24 }]}><InputNumber min={1} max={24} addonAfter={t('services.hours')} /></Form.Item>}
        </Space>

        <Divider titlePlacement="start">{t('services.model')}</Divider>
        <Form.List name="config">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const item = config[index];
                const versions = item?.model_name ? byName.get(item.model_name) ?? [] : [];
                return (
                  <Card key={field.key} size="small" style={{ marginBottom: 12 }} extra={fields.length > 1 && <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} />}>
                    <Row gutter={12}>
                      <Col span={8}><Form.Item name={[field.name, 'model_name']} label={t('services.modelVersion')} rules={[{ required: true }]}>
                        <Select showSearch data-testid={`config-${index}-model`} options={[...byName.keys()].map(n => ({ value: n, label: n }))}
                          onChange={name => form.setFieldValue(['config', field.name, 'model_id'], byName.get(name)?.[0]?.model_id)} />
                      </Form.Item></Col>
                      <Col span={5}><Form.Item name={[field.name, 'model_id']} label={t('common.version')} rules={[{ required: true }]}>
                        <Select data-testid={`config-${index}-version`} options={versions.map(v => ({ value: v.model_id, label: v.model_version }))} />
                      </Form.Item></Col>
                      <Col span={4}><Form.Item name={[field.name, 'weight']} label={t('services.weight')} rules={[{ required: true }]}><InputNumber min={0} max={100} style={{ width: '100%' }} /></Form.Item></Col>
                      <Col span={7}><Form.Item name={[field.name, 'specification']} label={t('services.spec')} rules={[{ required: true }]}>
                        <Select options={specOptions} data-testid={`config-${index}-spec`} />
                      </Form.Item></Col>
                      <Col span={6}><Form.Item name={[field.name, 'instance_count']} label={t('services.instances')} rules={[{ required: true }]}><InputNumber min={1} max={128} style={{ width: '100%' }} /></Form.Item></Col>
                      <Col span={6}><Form.Item name={[field.name, 'deploy_timeout_minutes']} label={t('services.deployTimeout')} rules={[{ required: true, type: 'number', min: 3, max: 120 }]}><InputNumber min={3} max={120} style={{ width: '100%' }} /></Form.Item></Col>
                      <Col span={12}>
                        <Form.Item label={t('services.envs')}>
                          <KeyValueList name={[field.name, 'envs']} keyRules={[{ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/ }]} />
                        </Form.Item>
                      </Col>
                    </Row>
                  </Card>
                );
              })}
              <Button icon={<PlusOutlined />} onClick={() => add({ weight: 0, instance_count: 1, envs: [], deploy_timeout_minutes: 20, specification: defaultSpec })}>{t('services.addVersion')}</Button>
              {weightSum !== 100 && <Alert type="warning" style={{ marginTop: 8 }} message={t('services.weightsSum', { sum: weightSum })} />}
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('services.advanced')}</Divider>
        <Row gutter={12}>
          <Col span={8}><Form.Item name="websocket" label={t('services.websocket')} valuePropName="checked" extra={t('services.websocketHint')}><Switch disabled={!!modifyId} /></Form.Item></Col>
          <Col span={8}><Form.Item name="rate_limit" label={t('services.rateLimit')}><InputNumber min={0} max={100000} disabled={websocket} style={{ width: '100%' }} /></Form.Item></Col>
          {modifyId && <Col span={8}><Form.Item name="max_unavailable" label={t('services.maxUnavailable')} extra={t('services.maxUnavailableHint')}><InputNumber min={0} style={{ width: '100%' }} data-testid="max-unavailable" /></Form.Item></Col>}
        </Row>
        <Row gutter={12}>
          <Col span={8}><Form.Item name="app_auth" label={t('services.appAuth')} valuePropName="checked"><Switch /></Form.Item></Col>
          {appAuth && <Col span={16}><Form.Item name="apps" label={t('services.apps')}><Select mode="multiple" options={(apps.data ?? []).map(a => ({ value: a.app_id, label: a.app_name }))} /></Form.Item></Col>}
        </Row>
        <Form.Item label={t('services.tags')}>
          <KeyValueList name="tags" keyRules={[{ required: true, max: 36 }]} valueRules={[{ max: 43 }]} />
        </Form.Item>
        <Form.Item label={t('services.rules')}>
          <Form.List name="routing_rules">
            {(rules, ops) => (
              <>
                {rules.map((rule, index) => (
                  <Card key={rule.key} size="small" style={{ marginBottom: 8 }} title={`#${index + 1}`} extra={
                    <Space>
                      <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => ops.move(index, index - 1)} aria-label={t('services.moveUp')} />
                      <Button size="small" icon={<ArrowDownOutlined />} disabled={index === rules.length - 1} onClick={() => ops.move(index, index + 1)} aria-label={t('services.moveDown')} />
                      <Button size="small" icon={<DeleteOutlined />} onClick={() => ops.remove(rule.name)} />
                    </Space>}>
                    <Row gutter={8}>
                      <Col span={10}><Form.Item name={[rule.name, 'condition']} label={t('services.ruleCondition')} rules={[{ required: true }]}><Input placeholder="#HEADER_version == '0.0.1'" style={{ fontFamily: 'monospace' }} /></Form.Item></Col>
                      <Col span={6}><Form.Item name={[rule.name, 'model_id']} label={t('services.ruleVersion')} rules={[{ required: true }]}><Select options={chosenVersions} /></Form.Item></Col>
                      <Col span={4}><Form.Item name={[rule.name, 'header_name']} label={t('services.ruleHeader')} rules={[{ max: 128 }]}><Input /></Form.Item></Col>
                      <Col span={4}><Form.Item name={[rule.name, 'header_value']} label={t('services.ruleHeaderValue')} rules={[{ max: 256 }]}><Input /></Form.Item></Col>
                    </Row>
                  </Card>
                ))}
                <Button size="small" icon={<PlusOutlined />} disabled={rules.length >= 10} onClick={() => ops.add({ condition: '' })}>{t('services.addRule')}</Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="deploy-submit">{modifyId ? t('common.submit') : t('services.deploy')}</Button>
          <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
