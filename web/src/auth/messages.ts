import { defineMessages } from '../i18n/messages.ts';

/** Sign-in (登录): English and 简体中文, the same keys in both (typecheck). */
export const authMessages = defineMessages({
  en: {
    'signin.title': 'Sign in',
    'signin.subtitle': 'Service department workspace',
    'signin.username': 'Username',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.busy': 'Signing in…',
    'signin.missing': 'Enter your username and password.',
    'signin.failed': 'Wrong username or password.',
    'signin.challenge':
      'This account must set a new password before it can sign in here; ask your administrator.',
    'signin.network': 'The sign-in service cannot be reached; check the connection and try again.',
    'signin.service': 'Sign-in is not working right now; try again in a minute.',
    'signin.expired': 'Your session has ended; sign in again to continue.',
    'signin.devHint': 'Local demo: the demo password is demo1234 for every demo user.',
  },
  'zh-CN': {
    'signin.title': '登录',
    'signin.subtitle': '售后服务工作台',
    'signin.username': '用户名',
    'signin.password': '密码',
    'signin.submit': '登录',
    'signin.busy': '正在登录…',
    'signin.missing': '请输入用户名和密码。',
    'signin.failed': '用户名或密码错误。',
    'signin.challenge': '该账号需先设置新密码才能登录，请联系管理员。',
    'signin.network': '无法连接登录服务，请检查网络后重试。',
    'signin.service': '登录服务暂时不可用，请稍后再试。',
    'signin.expired': '登录已过期，请重新登录。',
    'signin.devHint': '本地演示：所有演示账号的密码均为 demo1234。',
  },
});
