import { useRef, useState } from 'react';
import { Breadcrumb, Button, Card, Col, Input, List, Modal, Progress, Row, Space, Table, App } from 'antd';
import { DatabaseOutlined, FileOutlined, FolderOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadObject } from '../../api/client';
import { useApi } from '../../session';
import { formatBytes, formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';

/** Object store (R-P1): buckets and folders, upload of files and folders with progress, download, delete. */
export default function ObjectStore() {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const { modal, message } = App.useApp();
  const [bucket, setBucket] = useState<string | null>(null);
  const [prefix, setPrefix] = useState('');
  const [newBucket, setNewBucket] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ name: string; percent: number; done: number; total: number } | null>(null);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const buckets = useLoad(() => client.listBuckets(), []);
  const listing = useLoad(() => (bucket ? client.listObjects(bucket, prefix) : Promise.resolve(null)), [bucket, prefix]);
  const parts = prefix.split('/').filter(Boolean);

  const upload = async (list: FileList | null) => {
    if (!list || !bucket) return;
    const all = [...list];
    const total = all.reduce((s, f) => s + f.size, 0) || 1;
    let sent = 0;
    try {
      for (const [i, f] of all.entries()) {
        const relative = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
        setProgress({ name: relative, percent: Math.round((100 * sent) / total), done: i, total: all.length });
        await client.putObject(bucket, prefix + relative, f, loaded => setProgress({ name: relative, percent: Math.round((100 * (sent + loaded)) / total), done: i, total: all.length }));
        sent += f.size;
      }
      message.success(t('obs.uploaded', { n: all.length }));
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setProgress(null);
      if (files.current) files.current.value = '';
      if (folder.current) folder.current.value = '';
      await listing.reload();
    }
  };

  const rows = [
    ...(listing.data?.common_prefixes ?? []).map(p => ({ key: p, folder: true, size: 0, last_modified: 0 })),
    ...(listing.data?.objects ?? []).filter(o => o.key !== prefix).map(o => ({ ...o, folder: false })),
  ];
  return (
    <Row gutter={16}>
      <Col span={6}>
        <Card title={t('obs.buckets')} extra={<Button size="small" onClick={() => setNewBucket('')} data-testid="bucket-create">{t('obs.createBucket')}</Button>}>
          <List size="small" loading={buckets.loading} dataSource={buckets.data ?? []} renderItem={b => (
            <List.Item style={{ cursor: 'pointer', background: b.name === bucket ? '#e6f4ff' : undefined }} onClick={() => { setBucket(b.name); setPrefix(''); }} data-testid={`bucket-${b.name}`}
              actions={[<a key="d" onClick={e => { e.stopPropagation(); modal.confirm({ title: t('common.confirmDelete', { name: b.name }), onOk: () => run(() => client.deleteBucket(b.name)).then(() => buckets.reload()) }); }}>{t('common.delete')}</a>]}>
              <Space><DatabaseOutlined />{b.name}</Space>
            </List.Item>
          )} />
        </Card>
      </Col>
      <Col span={18}>
        <Card title={bucket ? (
          <Breadcrumb items={[{ title: <a onClick={() => setPrefix('')}>{bucket}</a> }, ...parts.map((p, i) => ({ title: <a onClick={() => setPrefix(parts.slice(0, i + 1).join('/') + '/')}>{p}</a> }))]} />
        ) : t('obs.title')} extra={bucket && (
          <Space>
            <input ref={files} type="file" multiple hidden onChange={e => void upload(e.target.files)} data-testid="upload-files" />
            <input ref={folder} type="file" hidden {...{ webkitdirectory: '', directory: '' }} onChange={e => void upload(e.target.files)} data-testid="upload-folder" />
            <Button icon={<UploadOutlined />} onClick={() => files.current?.click()}>{t('obs.upload')}</Button>
            <Button icon={<FolderOutlined />} onClick={() => folder.current?.click()}>{t('obs.uploadFolder')}</Button>
          </Space>
        )}>
          {progress && <div data-testid="upload-progress"><Progress percent={progress.percent} />{t('obs.uploading', { name: progress.name })} ({progress.done + 1}/{progress.total})</div>}
          <Table size="small" rowKey="key" loading={listing.loading} dataSource={bucket ? rows : []} pagination={{ pageSize: 50 }} data-testid="objects-table" columns={[
            {
              title: t('common.name'), dataIndex: 'key', render: (k: string, r) => r.folder
                ? <a onClick={() => setPrefix(k)}><Space><FolderOutlined />{k.slice(prefix.length)}</Space></a>
                : <Space><FileOutlined />{k.slice(prefix.length)}</Space>,
            },
            { title: t('common.size'), dataIndex: 'size', render: (v: number, r) => (r.folder ? '-' : formatBytes(v)) },
            { title: t('obs.lastModified'), dataIndex: 'last_modified', render: (v: number, r) => (r.folder ? '-' : formatTime(v)) },
            {
              title: t('common.actions'), render: (_, r) => !r.folder && (
                <Space>
                  <a onClick={() => void run(() => downloadObject(client.objectUrl(bucket!, r.key), r.key.split('/').pop()!))} data-testid={`download-${r.key.split('/').pop()}`}>{t('common.download')}</a>
                  <a onClick={() => modal.confirm({ title: t('common.confirmDelete', { name: r.key }), onOk: () => run(() => client.deleteObject(bucket!, r.key)).then(() => listing.reload()) })}>{t('common.delete')}</a>
                </Space>
              ),
            },
          ]} />
        </Card>
      </Col>
      <Modal open={newBucket !== null} title={t('obs.createBucket')} onCancel={() => setNewBucket(null)}
        onOk={() => void run(() => client.createBucket(newBucket!), t('common.ok')).then(ok => { if (ok) { setBucket(newBucket); setPrefix(''); setNewBucket(null); void buckets.reload(); } })}>
        <Input value={newBucket ?? ''} onChange={e => setNewBucket(e.target.value)} placeholder={t('obs.bucketName')} data-testid="bucket-name" />
      </Modal>
    </Row>
  );
}
