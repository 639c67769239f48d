// 中文界面（种子文档的语言）。键与 en.ts 相同，由类型检查保证。
import type { Messages } from './en';

const zh: Messages = {
  app: { title: 'Infera', subtitle: '模型推理控制台', language: '语言', signOut: '退出登录', project: '项目', switchProject: '切换项目' },
  nav: { models: 'AI应用', realtime: '在线服务', batch: '批量服务', obs: '对象存储', apps: 'APP认证', keys: '访问密钥' },
  common: {
    name: '名称', status: '状态', description: '描述', created: '创建时间', actions: '操作', refresh: '刷新', search: '搜索',
    delete: '删除', cancel: '取消', ok: '确定', save: '保存', edit: '编辑', create: '创建', copy: '复制', copied: '已复制',
    confirmDelete: '确定删除 {{name}}？删除后不可恢复。', version: '版本', id: 'ID', type: '类型', time: '时间', details: '详情',
    none: '无', yes: '是', no: '否', add: '添加', remove: '移除', loading: '加载中…', back: '返回', submit: '提交', size: '大小',
    download: '下载', open: '打开', close: '关闭', key: '键', value: '值', all: '全部', from: '开始', to: '结束', select: '选择',
  },
  login: {
    title: '登录 Infera', user: '用户名', domain: '账号（租户）', password: '密码', submit: '登录',
    chooseProject: '项目', chooseProjectHint: '您在多个项目中工作，请选择一个。', noProject: '该用户尚未加入任何项目，请联系账号管理员。',
    failed: '登录失败', reauth: '输入密码以切换到项目 {{name}}。',
  },
  status: {
    publishing: '发布中', published: '正常', failed: '异常', building: '构建中', building_failed: '构建失败',
    deploying: '部署中', running: '运行中', concerning: '告警', stopping: '停止中', stopped: '停止', deleting: '删除中',
    finished: '运行完成', starting: '启动中', notReady: '未就绪', ready: '已就绪', normal: '正常', abnormal: '异常', firing: '告警中', ok: '正常',
  },
  models: {
    title: 'AI应用', create: '创建应用', latest: '最新版本', deployTypes: '部署类型', versionCount: '版本数量',
    requestMode: '请求模式', sync: '同步请求', newVersion: '创建新版本', deploy: '部署', searchPlaceholder: '按名称搜索',
    deleteRefused: '删除被拒绝', source: '元模型来源', fromObs: '对象存储', fromTemplate: '模板', path: '元模型路径（obs://桶/目录/）',
    pick: '选择…', template: '模型模板', inferFormat: '输入输出模式', dynamicLoad: '动态加载', engine: 'AI引擎', runtime: '运行环境',
    installType: '部署类型', realtime: '在线服务', batch: '批量服务', params: '参数配置', inputParams: '输入参数',
    outputParams: '输出参数', dependencies: '运行时依赖', probes: '健康检查', metrics: '模型精度', services: '关联服务',
    events: '事件', editDependencies: '编辑运行时依赖', dependenciesHint: '与 config.json 中 "dependencies" 相同的 JSON；保存后重新构建环境。',
    startup: '启动探针', readiness: '就绪探针', liveness: '存活探针', noProbe: '未配置（就绪检查默认 GET /health）。',
    newVersionOf: '{{name}} 的新版本', prefilled: '已按版本 {{version}} 的配置预填，请修改不同之处。', size: 'AI应用大小', errorMsg: '错误信息',
    paramName: '参数', paramType: '类型', paramDesc: '描述', range: '取值范围', url: '路径', method: '方法', deleteVersion: '删除版本',
    deleteAll: '删除应用', createdOk: '已开始导入，AI应用发布中。', apis: 'apis定义', engineFilter: '引擎',
    notRunnable: '本节点无法运行', config: 'config.json',
  },
  services: {
    title: '在线服务', deploy: '部署', calls: '调用次数', failures: '失败次数', start: '启动', stop: '停止', restart: '重启', modify: '修改',
    deleteMany: '批量删除', basic: '基本信息', name: '服务名称', autoStop: '自动停止', autoStopAfter: '停止时间', hours: '小时后',
    custom: '自定义', model: '选择AI应用及配置', addVersion: '添加AI应用版本进行灰度发布', modelVersion: 'AI应用及版本',
    weight: '分流（%）', spec: '计算节点规格', instances: '计算节点个数', envs: '环境变量', deployTimeout: '部署超时时间（分钟）',
    weightsSum: '各版本分流之和必须为 100（当前 {{sum}}）。', advanced: '高级选项', tags: '标签', appAuth: '支持APP认证',
    apps: 'APP授权配置', websocket: '升级为WebSocket', websocketHint: '部署时选择，之后不可修改；不能同时设置流量限制。',
    rateLimit: '服务流量限制（次/秒）', rules: '个性化配置（灰度规则）', ruleCondition: '配置条件（SpEL）',
    ruleVersion: '访问版本', ruleHeader: '配置项名称', ruleHeaderValue: '配置项值', addRule: '添加规则', moveUp: '上移', moveDown: '下移',
    maxUnavailable: '最大无效实例数', maxUnavailableHint: '滚动升级期间最多允许缺少的实例数。',
    unavailable: '不可用', accessAddress: 'API接口地址', appAccessAddress: 'APP认证接口地址', tabs: {
      details: '详情', guide: '调用指南', predict: '预测', instances: '实例', events: '事件', logs: '日志', monitoring: '监控信息',
      alarms: '告警', history: '配置更新记录',
    },
    dueTime: '停止时间', deployed: '已开始部署。', modified: '已提交修改。', started: '已请求启动。', stopped: '已请求停止。',
    restarted: '已请求重启。', deleted: '已请求删除。', serviceId: '服务ID', source: '来源', limits: '资源限制',
    notEnforced: '未生效：{{reason}}', enforced: '已生效（cgroups v2）', effectiveRateLimit: '实际流量限制', errorMsg: '错误信息',
    why: {
      startDeploying: '部署中的服务无法启动。', startRunning: '服务已在运行，请使用重启。', stopNot: '只有部署中、运行中、告警或异常的服务可以停止。',
      restartNot: '只有运行中或告警的服务可以重启。', modifyDeploying: '部署中的服务不支持修改。', busy: '服务状态为 {{status}}。',
    },
    confirmRestart: '滚动重启 {{name}} 的所有实例？', confirmStop: '停止 {{name}}？', flavorUnavailable: '不可用：{{reason}}',
  },
  guide: {
    address: 'API接口地址', methods: '认证方式', token: 'Token认证', aksk: 'AK/SK认证', app: 'APP认证',
    inputs: '输入参数', outputs: '输出参数', bindings: '授权的应用', bind: '添加授权', unbind: '解除授权',
    appAuthOff: '该服务未开启APP认证：请在“修改”中开启。', tokenHint: '通过 POST /v3/auth/tokens 获取Token，并放在 X-Auth-Token 请求头中。',
    akskHint: '使用“访问密钥”中的AK/SK，以华为APIG签名SDK（apig_sdk）签名请求。', appHint: '使用已授权的应用：AppKey/AppSecret签名、X-Apig-AppCode 或 apikey 请求头。',
  },
  predict: {
    title: '测试服务', send: '预测', json: 'JSON请求体', file: '文件', upload: '上传文件', tooLarge: '文件大于 8 MB。',
    badType: '不支持的文件类型：仅支持 png、jpg、jpeg、bmp、gif、webp、tiff。', invalidJson: '请求不是合法的JSON：{{error}}', response: '返回结果',
    status: '状态码', time: '耗时', notRunning: '服务未在运行。', field: '参数', path: '路径', preview: '预览',
  },
  instances: { id: '实例', restarts: '重启次数', started: '启动时间', address: '地址', cloudShell: 'CloudShell', deleteHint: '删除的实例会由相同规格的新实例替换。', pid: 'PID', model: '版本' },
  shell: { title: 'CloudShell：{{id}}', connecting: '连接中…', connected: '已连接', closed: '已断开：{{reason}}', reconnect: '重新连接', onlyRunning: '只有运行中服务的运行中实例可以登录。' },
  events: { filterType: '事件类型', range: '时间范围', text: '搜索内容', info: '事件信息', occurred: '发生时间' },
  logs: {
    last5: '最近5分钟', last30: '最近30分钟', last60: '最近1小时', range: '自定义时间段', query: '搜索（error、rro*、"a b"、a && b、a || b）',
    instance: '实例', tail: '实时刷新', stream: '输出流', content: '内容', total: '共 {{n}} 行匹配',
  },
  monitoring: {
    calls: '每分钟调用次数', codes: '每分钟响应码', latency: '平均延迟（毫秒）', cpu: 'CPU（单核百分比）', memory: '内存（MB）',
    scope: '范围', service: '整个服务', range: '时间范围', total: '总次数', success: '成功', failed: '失败', noData: '该时间段内暂无调用。',
  },
  alarms: { create: '创建告警规则', metric: '监控指标', comparison: '比较', threshold: '阈值', periods: '连续分钟数', target: '监控对象', state: '状态', lastValue: '最新值' },
  history: { result: '结果', operator: '操作人', updated: '更新时间', finished: '完成时间', config: '配置', current: '当前配置' },
  batch: {
    title: '批量服务', deploy: '部署', input: '输入数据目录位置（目录或 .manifest）', output: '输出数据目录位置', reqUri: '请求路径', mapping: '映射关系',
    mappingType: '映射类型', mappingRule: 'CSV映射关系（字段索引，从0开始）', regenerate: '根据模型自动生成', progress: '进度', taskId: '任务ID',
    started: '任务开始时间', finished: '任务结束时间', inputs: '输入数', processed: '已处理', failedCount: '失败',
    results: '预测结果', resultsHint: '输出目录中的结果文件（*_result.txt）和 manifest 文件。', modelHint: '仅显示支持批量服务的正常版本。',
  },
  obs: {
    title: '对象存储', buckets: '桶', createBucket: '创建桶', bucketName: '桶名称', upload: '上传文件', uploadFolder: '上传文件夹',
    newFolder: '目录', lastModified: '最后修改时间', root: '根目录', pickTitle: '从对象存储中选择', pickFolder: '选择此目录',
    pickFile: '选择此文件', uploading: '正在上传 {{name}}', uploaded: '已上传 {{n}} 个文件。', empty: '此目录为空。', prefix: '目录',
  },
  apps: {
    title: 'APP认证', create: '创建应用', appName: '应用名称', remark: '描述', appKey: 'AppKey', appSecret: 'AppSecret', appCodes: 'AppCode',
    addCode: '添加AppCode', reset: '重置密钥', bound: '绑定的服务', showOnce: '请立即复制密钥：只有创建者能看到完整内容。',
    unbind: '解绑', bind: '绑定服务', service: '服务',
  },
  keys: {
    title: '访问密钥', create: '新增访问密钥', ak: '访问密钥ID（AK）', sk: '私有访问密钥（SK）', skOnce: 'SK只显示这一次，请立即复制保存。',
    disable: '停用', enable: '启用', limit: '每个用户最多2个访问密钥。',
  },
};

export default zh;
