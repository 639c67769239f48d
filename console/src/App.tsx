import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Dropdown, Layout, Menu, Select, Space, Spin, Typography, Modal, Input, message } from 'antd';
import { AppstoreOutlined, CloudServerOutlined, DatabaseOutlined, KeyOutlined, SafetyOutlined, ScheduleOutlined, UserOutlined } from '@ant-design/icons';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from './i18n';
import { SessionProvider, useSession } from './session';
import { signIn } from './api/client';
import { LoginPage } from './pages/Login';

const ModelList = lazy(() => import('./pages/models/ModelList'));
const ModelCreate = lazy(() => import('./pages/models/ModelCreate'));
const ModelDetail = lazy(() => import('./pages/models/ModelDetail'));
const ServiceList = lazy(() => import('./pages/services/ServiceList'));
const ServiceDeploy = lazy(() => import('./pages/services/ServiceDeploy'));
const ServiceDetail = lazy(() => import('./pages/services/ServiceDetail'));
const BatchList = lazy(() => import('./pages/batch/BatchList'));
const BatchDeploy = lazy(() => import('./pages/batch/BatchDeploy'));
const BatchDetail = lazy(() => import('./pages/batch/BatchDetail'));
const ObjectStore = lazy(() => import('./pages/obs/ObjectStore'));
const Apps = lazy(() => import('./pages/apps/Apps'));
const AccessKeys = lazy(() => import('./pages/keys/AccessKeys'));

export function Root() {
  const { i18n } = useTranslation();
  const language = i18n.language as Language;
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Shell />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <Select size="small" value={i18n.language} onChange={v => setLanguage(v as Language)} aria-label={t('app.language')} data-testid="language"
      options={[{ value: 'en', label: 'English' }, { value: 'zh', label: '中文' }]} style={{ width: 100 }} />
  );
}

function Shell() {
  const { session } = useSession();
  const location = useLocation();
  if (!session) {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#001529' }}>
          <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>Infera</Typography.Title>
          <div style={{ flex: 1 }} />
          <LanguageSwitch />
        </Layout.Header>
        <Layout.Content><LoginPage redirect={location.pathname + location.search} /></Layout.Content>
      </Layout>
    );
  }
  return <SignedIn />;
}

function SignedIn() {
  const { t } = useTranslation();
  const { session, signOut, signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [switchTo, setSwitchTo] = useState<{ id: string; name: string } | null>(null);
  const [password, setPassword] = useState('');
  const section = '/' + (location.pathname.split('/')[1] || 'models');
  const items = [
    { key: '/models', icon: <AppstoreOutlined />, label: t('nav.models') },
    { key: '/services', icon: <CloudServerOutlined />, label: t('nav.realtime') },
    { key: '/batch', icon: <ScheduleOutlined />, label: t('nav.batch') },
    { key: '/obs', icon: <DatabaseOutlined />, label: t('nav.obs') },
    { key: '/apps', icon: <SafetyOutlined />, label: t('nav.apps') },
    { key: '/keys', icon: <KeyOutlined />, label: t('nav.keys') },
  ];
  const switchProject = async () => {
    try {
      const result = await signIn(session!.domain, session!.user, password, { id: switchTo!.id });
      signedIn({ ...session!, token: result.token, expiresAt: result.expiresAt, project: result.project! });
      setSwitchTo(null);
      setPassword('');
      navigate('/models');
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, background: '#001529' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>{t('app.title')}</Typography.Title>
        <Typography.Text style={{ color: '#8c8c8c' }}>{t('app.subtitle')}</Typography.Text>
        <div style={{ flex: 1 }} />
        <Space>
          <Typography.Text style={{ color: '#fff' }}>{t('app.project')}:</Typography.Text>
          <Select size="small" value={session!.project.id} style={{ minWidth: 140 }} data-testid="project-select"
            options={session!.projects.map(p => ({ value: p.id, label: p.name }))}
            onChange={id => setSwitchTo(session!.projects.find(p => p.id === id) ?? null)} />
        </Space>
        <LanguageSwitch />
        <Dropdown menu={{ items: [{ key: 'out', label: t('app.signOut'), onClick: () => { signOut(); navigate('/'); } }] }}>
          <Space style={{ color: '#fff', cursor: 'pointer' }} data-testid="user-menu"><UserOutlined />{session!.user}@{session!.domain}</Space>
        </Dropdown>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={210} theme="light">
          <Menu mode="inline" selectedKeys={[section]} items={items} onClick={e => navigate(e.key)} style={{ height: '100%' }} />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, background: '#f5f5f5' }}>
          <Suspense fallback={<Spin />}>
            <Routes>
              <Route path="/" element={<Navigate to="/models" replace />} />
              <Route path="/models" element={<ModelList />} />
              <Route path="/models/create" element={<ModelCreate />} />
              <Route path="/models/:id" element={<ModelDetail />} />
              <Route path="/services" element={<ServiceList />} />
              <Route path="/services/deploy" element={<ServiceDeploy />} />
              <Route path="/services/:id" element={<ServiceDetail />} />
              <Route path="/batch" element={<BatchList />} />
              <Route path="/batch/deploy" element={<BatchDeploy />} />
              <Route path="/batch/:id" element={<BatchDetail />} />
              <Route path="/obs" element={<ObjectStore />} />
              <Route path="/apps" element={<Apps />} />
              <Route path="/keys" element={<AccessKeys />} />
              <Route path="*" element={<Navigate to="/models" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
      <Modal open={!!switchTo} title={t('app.switchProject')} onCancel={() => setSwitchTo(null)} onOk={() => void switchProject()}>
        <p>{t('login.reauth', { name: switchTo?.name })}</p>
        <Input.Password value={password} onChange={e => setPassword(e.target.value)} onPressEnter={() => void switchProject()} />
      </Modal>
    </Layout>
  );
}
