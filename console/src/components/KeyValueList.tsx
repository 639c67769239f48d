import { Button, Form, Input, Space, type FormRule } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** An editable list of {key, value} rows inside a Form (environment variables, tags). */
export function KeyValueList({ name, keyRules = [], valueRules = [] }: { name: string | (string | number)[]; keyRules?: FormRule[]; valueRules?: FormRule[] }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(rows, ops) => (
        <>
          {rows.map(row => (
            <Space key={row.key} align="baseline">
              <Form.Item name={[row.name, 'key']} rules={keyRules}><Input placeholder={t('common.key')} /></Form.Item>
              <Form.Item name={[row.name, 'value']} rules={valueRules}><Input placeholder={t('common.value')} /></Form.Item>
              <Button size="small" icon={<DeleteOutlined />} onClick={() => ops.remove(row.name)} aria-label={t('common.remove')} />
            </Space>
          ))}
          <Button size="small" icon={<PlusOutlined />} onClick={() => ops.add({ key: '', value: '' })}>{t('common.add')}</Button>
        </>
      )}
    </Form.List>
  );
}
