// A nodemailer transporter for downstream use, bound to one guarded address: every message it
// sends dials that checked IP through the probe's socket helper (never a fresh DNS answer), TLS
// is verified against the name with the operator's extra CA, STARTTLS is required when the mode
// says so, AUTH is always sent (forceAuth), every timeout is set, and the transporter may not
// read local files or URLs for attachments. After the session ends it refuses to dial.
import nodemailer, { type SMTPTransportOptions, type Transporter } from 'nodemailer';
import type { SMTPSentMessageInfo } from 'nodemailer/lib/smtp-transport';
import { classifySmtpError, TOKEN_REJECTED } from '../connectivity/classify-smtp-error.js';
import { openSocket } from '../connectivity/open-socket.js';
import { ProbeRun } from '../connectivity/probe-run.js';
import { tlsConnectOptions } from '../connectivity/tls-settings.js';
import { classifyContextOf, timeoutFailure } from '../connectivity/transport-errors.js';
import type { ProbeStage, ProbeTarget } from '../connectivity/types.js';
import { DeadlineExpired, prepareConnection, type MailSettings } from './mail-connection.js';
import { mailServerError } from './mail-errors.js';

export type SmtpTransporter = Transporter<SMTPSentMessageInfo, SMTPTransportOptions>;

export interface SmtpSession {
  transporter: SmtpTransporter;
  /** Turns an error the mail library raised while the session was in use into MAIL_SERVER_ERROR. */
  classify(error: unknown): Error;
  /** Closes the transporter and every socket; later sends fail without dialling. */
  end(): void;
}

type SocketCallback = Parameters<NonNullable<SMTPTransportOptions['getSocket']>>[1];

export async function openSmtpSession(target: ProbeTarget, settings: MailSettings): Promise<SmtpSession> {
  const connection = await prepareConnection(target, settings);
  const { ctx } = connection;
  const implicitTls = target.securityMode === 'ssl_tls';
  const timeout = settings.timeoutMs;
  let ended = false;
  // The stage of the most recent connection, for error messages.
  let lastRun = ctx.run;

  const getSocket = (_options: SMTPTransportOptions, callback: SocketCallback) => {
    if (ended) return callback(Object.assign(new Error('The SMTP session has ended.'), { code: 'ECONNECTION' }));
    const run = new ProbeRun(target);
    lastRun = run;
    let answered = false;
    const answer = (error: Error | null) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error) {
        socket.destroy();
        callback(error);
      } else {
        callback(null, { connection: socket, secured: implicitTls });
      }
    };
    const onError = (error: Error) => answer(error);
    const onClose = () => answer(Object.assign(new Error('socket closed before it was connected'), { code: 'ECONNECTION' }));
    // nodemailer's own connection timer does not cover a socket it is handed.
    const timer = setTimeout(() => answer(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })), timeout);
    const socket = openSocket({ ...ctx, run }, implicitTls, () => answer(null));
    socket.once('error', onError);
    socket.once('close', onClose);
  };

  const transporter: SmtpTransporter = nodemailer.createTransport({
    host: ctx.dial.address,
    port: target.port,
    ...(ctx.dial.servername ? { servername: ctx.dial.servername } : {}),
    secure: implicitTls,
    requireTLS: target.securityMode === 'starttls',
    ignoreTLS: target.securityMode === 'none',
    tls: tlsConnectOptions(ctx.dial, ctx.secureContext),
    auth: target.authKind === 'oauth2' ? { type: 'OAuth2', user: target.username, accessToken: target.secret } : { user: target.username, pass: target.secret },
    // Log in even if the server does not advertise AUTH: never send unauthenticated.
    forceAuth: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    getSocket,
  });
  // There is nothing to renew a rejected access token with: fail instead of retrying.
  transporter.set('oauth2_provision_cb', (_user: string, _renew: boolean, callback: (error: Error) => void) =>
    callback(Object.assign(new Error('token rejected'), { code: TOKEN_REJECTED })),
  );

  return {
    transporter,
    classify(error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (error instanceof DeadlineExpired) return mailServerError(timeoutFailure(classifyContextOf(target, lastRun.stage)), lastRun.stage);
      if (code === 'EENVELOPE' || code === 'EMESSAGE') {
        const reply = (error as { responseCode?: unknown }).responseCode;
        return mailServerError(
          {
            code: 'MESSAGE_REJECTED',
            message: `The server refused the ${code === 'EENVELOPE' ? 'sender or recipient' : 'message'}${typeof reply === 'number' ? ` (reply code ${reply})` : ''}.`,
          },
          'ready',
        );
      }
      const stage: ProbeStage = code === 'EAUTH' ? 'auth' : lastRun.stage;
      return mailServerError(classifySmtpError(error, classifyContextOf(target, stage)), stage);
    },
    end() {
      ended = true;
      transporter.close();
      connection.destroy();
    },
  };
}
