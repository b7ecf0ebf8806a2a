import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../test-support/identity-kit.js';
import { startSmtpSink, type SmtpSink } from '../test-support/smtp-sink.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

describe('links in mail without CARELINE_PUBLIC_URL', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({ CARELINE_SMTP_URL: smtp.url, CARELINE_PORT: '0' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('name the port the server really listens on (CARELINE_PORT=0 lets the OS choose)', async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = new URL(url).port;
    const user = await addUser(t.app, 'patient');
    const r = await fetch(`${url}/auth/password/forgot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email }) });
    expect(r.status).toBe(202);
    const mail = await smtp.waitFor(user.email.toLowerCase());
    const link = /(https?:\/\/[^\s/]+)\/reset-password#token=/.exec(mail.raw)?.[1];
    expect(link).toBeDefined();
    expect(new URL(link ?? 'http://x').port).toBe(port);
    expect(port).not.toBe('0');
  });
});
