import { useState } from 'react';
import { Breadcrumb, Button, Input, List, Modal, Space } from 'antd';
import { FileOutlined, FolderOutlined, DatabaseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session';
import { useLoad } from '../lib/useLoad';
import { parseObs } from '../lib/format';

/**
 * An obs:// path input with a "Choose…" button that browses buckets and folders of the project's object store.
 * `mode` folder: picks a folder (obs://bucket/folder/); file: picks a file (e.g. a .manifest); any: either.
 */
export function ObsPathInput({ value, onChange, mode = 'folder', placeholder, id }: {
  value?: string; onChange?: (v: string) => void; mode?: 'folder' | 'file' | 'any'; placeholder?: string; id?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input id={id} value={value} onChange={e => onChange?.(e.target.value)} placeholder={placeholder ?? 'obs://bucket/folder/'} />
      <Button onClick={() => setOpen(true)} data-testid={id ? `${id}-pick` : undefined}>{t('models.pick')}</Button>
      {open && <ObsPicker initial={value} mode={mode} onCancel={() => setOpen(false)} onPick={path => { onChange?.(path); setOpen(false); }} />}
    </Space.Compact>
  );
}

function ObsPicker({ initial, mode, onPick, onCancel }: { initial?: string; mode: 'folder' | 'file' | 'any'; onPick: (p: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useApi();
  const start = initial ? parseObs(initial) : null;
  const [bucket, setBucket] = useState<string | null>(start?.bucket ?? null);
  const [prefix, setPrefix] = useState(start?.key && start.key.endsWith('/') ? start.key : '');
  const buckets = useLoad(() => client.listBuckets(), []);
  const listing = useLoad(() => (bucket ? client.listObjects(bucket, prefix) : Promise.resolve(null)), [bucket, prefix]);
  const parts = prefix.split('/').filter(Boolean);
  const rows: { kind: 'bucket' | 'folder' | 'file'; name: string; path: string }[] = bucket
    ? [
        ...(listing.data?.common_prefixes ?? []).map(p => ({ kind: 'folder' as const, name: p.slice(prefix.length), path: p })),
        ...(listing.data?.objects ?? []).filter(o => o.key !== prefix).map(o => ({ kind: 'file' as const, name: o.key.slice(prefix.length), path: o.key })),
      ]
    : (buckets.data ?? []).map(b => ({ kind: 'bucket' as const, name: b.name, path: b.name }));
  return (
    <Modal open title={t('obs.pickTitle')} onCancel={onCancel} width={640} footer={[
      <Button key="cancel" onClick={onCancel}>{t('common.cancel')}</Button>,
      mode !== 'file' && <Button key="pick" type="primary" disabled={!bucket} onClick={() => onPick(`obs://${bucket}/${prefix}`)} data-testid="obs-pick-folder">{t('obs.pickFolder')}</Button>,
    ]}>
      <Breadcrumb items={[
        { title: <a onClick={() => { setBucket(null); setPrefix(''); }}>{t('obs.buckets')}</a> },
        ...(bucket ? [{ title: <a onClick={() => setPrefix('')}>{bucket}</a> }] : []),
        ...parts.map((p, i) => ({ title: <a onClick={() => setPrefix(parts.slice(0, i + 1).join('/') + '/')}>{p}</a> })),
      ]} />
      <List size="small" style={{ maxHeight: 360, overflow: 'auto', marginTop: 12 }} loading={buckets.loading || listing.loading} dataSource={rows}
        locale={{ emptyText: t('obs.empty') }}
        renderItem={row => (
          <List.Item data-testid={`obs-entry-${row.name.replace(/\/$/, '')}`} style={{ cursor: 'pointer' }}
            onClick={() => {
              if (row.kind === 'bucket') { setBucket(row.name); setPrefix(''); }
              else if (row.kind === 'folder') setPrefix(row.path);
              else if (mode !== 'folder') onPick(`obs://${bucket}/${row.path}`);
            }}
            actions={row.kind === 'file' && mode !== 'folder' ? [<a key="use">{t('obs.pickFile')}</a>] : []}>
            <Space>{row.kind === 'bucket' ? <DatabaseOutlined /> : row.kind === 'folder' ? <FolderOutlined /> : <FileOutlined />}<a>{row.name}</a></Space>
          </List.Item>
        )} />
    </Modal>
  );
}
