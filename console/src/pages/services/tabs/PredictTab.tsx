import { useEffect, useState } from 'react';
import { Alert, Button, Col, Descriptions, Image, Radio, Row, Space, Tag, Upload, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { PredictionResult, ServiceDetail } from '../../../api/types';
import { predict } from '../../../api/client';
import { JsonEditor } from '../../../components/JsonEditor';
import { exampleOf, imageExtensions, maxUploadBytes } from '../../../lib/schema';
import { useServiceModel } from './useServiceModel';

/**
 * Prediction (seed 003 §3.1.3, R-S14): a JSON editor prefilled from the request schema, or for file inputs an upload
 * (≤ 8 MB; png, jpg, jpeg, bmp, gif, webp, tiff) with a preview. Shows status, time and the response.
 */
export function PredictTab({ service }: { service: ServiceDetail }) {
  const { t } = useTranslation();
  const { api, path, files } = useServiceModel(service);
  const [mode, setMode] = useState<'json' | 'file'>('json');
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<PredictionResult | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!api) return;
    setMode(files.length ? 'file' : 'json');
    setBody(JSON.stringify(exampleOf(api.request?.data) ?? {}, null, 2));
  }, [api, files.length]);
  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview); }, [preview]);
  const running = service.status === 'running' || service.status === 'concerning';
  const choose = (f: File) => {
    const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
    if (!imageExtensions.includes(ext)) { setProblem(t('predict.badType')); return false; }
    if (f.size > maxUploadBytes) { setProblem(t('predict.tooLarge')); return false; }
    setProblem(null);
    setFile(f);
    setPreview(URL.createObjectURL(f));
    return false; // keep the file here; nothing is uploaded before Predict
  };
  const send = async () => {
    setProblem(null);
    if (mode === 'json') {
      try { JSON.parse(body); } catch (e) { setProblem(t('predict.invalidJson', { error: (e as Error).message })); return; }
    }
    setBusy(true);
    try {
      setResult(await predict(`${service.access_address}${path}`, mode === 'file' && file ? { file: { field: files[0] ?? 'images', file } } : { json: body }));
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  let pretty = result?.body ?? '';
  try { if (result && result.contentType.includes('json')) pretty = JSON.stringify(JSON.parse(result.body), null, 2); } catch { /* as is */ }
  return (
    <Row gutter={24}>
      <Col span={12}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {!running && <Alert type="warning" message={t('predict.notRunning')} />}
          <Descriptions size="small" column={1} items={[{ key: 'p', label: t('predict.path'), children: <code>{`POST ${service.access_address}${path}`}</code> }]} />
          <Radio.Group value={mode} onChange={e => setMode(e.target.value)} optionType="button" options={[
            { value: 'json', label: t('predict.json') }, { value: 'file', label: t('predict.file') }]} />
          {mode === 'json' ? <JsonEditor value={body} onChange={setBody} height="320px" /> : (
            <Space direction="vertical">
              <Typography.Text>{t('predict.field')}: <code>{files[0] ?? 'images'}</code></Typography.Text>
              <Upload beforeUpload={choose} showUploadList={false} accept={imageExtensions.map(e => '.' + e).join(',')}>
                <Button icon={<UploadOutlined />} data-testid="predict-upload">{t('predict.upload')}</Button>
              </Upload>
              {file && <Tag>{file.name} ({Math.round(file.size / 1024)} KB)</Tag>}
              {preview && <Image src={preview} alt={t('predict.preview')} width={160} data-testid="predict-preview" style={{ imageRendering: 'pixelated' }} />}
            </Space>
          )}
          {problem && <Alert type="error" showIcon message={problem} data-testid="predict-problem" />}
          <Button type="primary" onClick={() => void send()} loading={busy} disabled={!running || (mode === 'file' && !file)} data-testid="predict-send">{t('predict.send')}</Button>
        </Space>
      </Col>
      <Col span={12}>
        <h4>{t('predict.response')}</h4>
        {result && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Tag color={result.status < 300 ? 'green' : 'red'} data-testid="predict-status">{t('predict.status')}: {result.status}</Tag>
              <Tag>{t('predict.time')}: {result.ms} ms</Tag>
              {Object.entries(result.headers).map(([k, v]) => <Tag key={k}>{k}: {v}</Tag>)}
            </Space>
            <pre data-testid="predict-response" style={{ background: '#fafafa', padding: 12, border: '1px solid #eee', maxHeight: 420, overflow: 'auto' }}>{pretty}</pre>
          </Space>
        )}
      </Col>
    </Row>
  );
}
