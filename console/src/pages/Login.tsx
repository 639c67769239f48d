import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { listMyProjects, signIn } from '../api/client';
import type { Project } from '../api/types';
import { useSession } from '../session';

interface Fields { user: string; domain: string; password: string; project?: string }

/**
 * Sign-in with user name, account (domain) and password through the token API (POST /v3/auth/tokens). An
 * account-scoped token lists the user's projects; the console then signs in to the chosen project (project-scoped
 * token, as ModelArts calls need). The password stays in this form only.
 */
export function LoginPage({ redirect }: { redirect: string }) {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [form] = Form.useForm<Fields>();

  const submit = async (fields: Fields) => {
    setBusy(true);
    setError(null);
    try {
      let list = projects;
      if (!list) {
        const account = await signIn(fields.domain, fields.user, fields.password);
        list = await listMyProjects(account.token);
        if (list.length === 0) throw new Error(t('login.noProject'));
        if (list.length > 1) {
          setProjects(list);
          form.setFieldValue('project', list.find(p => p.name === 'default')?.id ?? list[0].id);
          setBusy(false);
          return;
        }
      }
      const projectId = fields.project ?? list[0].id;
      const scoped = await signIn(fields.domain, fields.user, fields.password, { id: projectId });
      signedIn({ token: scoped.token, expiresAt: scoped.expiresAt, user: scoped.user.name, domain: scoped.domain.name, project: scoped.project!, projects: list });
      navigate(redirect === '/' ? '/models' : redirect, { replace: true });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 80 }}>
      <Card title={t('login.title')} style={{ width: 400 }}>
        {error && <Alert type="error" showIcon message={t('login.failed')} description={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form form={form} layout="vertical" initialValues={{ domain: 'default', user: 'admin' }} onFinish={v => void submit(v)}>
          <Form.Item name="user" label={t('login.user')} rules={[{ required: true }]}><Input id="login-user" autoComplete="username" /></Form.Item>
          <Form.Item name="domain" label={t('login.domain')} rules={[{ required: true }]}><Input id="login-domain" /></Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}><Input.Password id="login-password" autoComplete="current-password" /></Form.Item>
          {projects && (
            <Form.Item name="project" label={t('login.chooseProject')} extra={t('login.chooseProjectHint')}>
              <Select options={projects.map(p => ({ value: p.id, label: p.name }))} data-testid="login-project" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
        </Form>
      </Card>
    </div>
  );
}
