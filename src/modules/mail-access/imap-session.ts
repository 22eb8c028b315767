// A logged-in imapflow client for downstream use, opened the way the connectivity probe opens
// one: the probe's socket helpers dial the guarded address (so the stages are known for error
// messages), STARTTLS is required when the mode says so, and every library timeout is set.
import type net from 'node:net';
import { ImapFlow, type ImapTransport } from 'imapflow';
import { classifyImapError } from '../connectivity/classify-imap-error.js';
import { imapClientOptions } from '../connectivity/imap-client-options.js';
import { openSocket, startTls } from '../connectivity/open-socket.js';
import { classifyContextOf, timeoutFailure } from '../connectivity/transport-errors.js';
import type { ProbeTarget } from '../connectivity/types.js';
import { DeadlineExpired, prepareConnection, withinDeadline, type MailConnection, type MailSettings } from './mail-connection.js';
import { mailServerError } from './mail-errors.js';

/** How long a finished session waits for the LOGOUT answer before dropping the connection. */
const LOGOUT_GRACE_MS = 1000;

export interface ImapSession {
  client: ImapFlow;
  /** Turns an error the mail library raised while the session was in use into MAIL_SERVER_ERROR. */
  classify(error: unknown): Error;
  /** LOGOUT (bounded), then close every socket. Never throws. */
  end(): Promise<void>;
  /** Drops the connection at once. */
  destroy(): void;
}

function transportFor(connection: MailConnection): ImapTransport {
  return {
    connect: (options, onConnect) => openSocket(connection.ctx, options.secure, onConnect),
    upgrade: (socket, _options, onSecure) => startTls(connection.ctx, socket as net.Socket, onSecure),
  };
}

export async function openImapSession(target: ProbeTarget, settings: MailSettings): Promise<ImapSession> {
  const connection = await prepareConnection(target, settings);
  const { ctx } = connection;
  const timeout = settings.timeoutMs;
  const client = new ImapFlow(imapClientOptions(ctx.dial, target, timeout, transportFor(connection)));
  client.on('error', () => undefined);
  // imapflow calls upgradeToSTARTTLS() after the first CAPABILITY, before any credential is
  // sent: from then on a failure is about the login.
  const upgrade = client.upgradeToSTARTTLS.bind(client);
  client.upgradeToSTARTTLS = async () => {
    const upgraded = await upgrade();
    ctx.run.enter('auth');
    return upgraded;
  };

  const destroy = () => {
    client.close();
    connection.destroy();
  };
  try {
    await withinDeadline(client.connect(), timeout, destroy);
  } catch (error) {
    destroy();
    const stage = ctx.run.stage;
    throw mailServerError(error instanceof DeadlineExpired ? timeoutFailure(classifyContextOf(target, stage)) : classifyImapError(error, classifyContextOf(target, stage)), stage);
  }
  ctx.run.enter('ready');

  return {
    client,
    classify: (error) => {
      const context = classifyContextOf(target, 'ready');
      return mailServerError(error instanceof DeadlineExpired ? timeoutFailure(context) : classifyImapError(error, context), 'ready');
    },
    destroy,
    async end() {
      try {
        if (client.usable) await withinDeadline(client.logout(), LOGOUT_GRACE_MS);
      } catch {
        // The session's work is done; a LOGOUT that fails or hangs changes nothing.
      } finally {
        destroy();
      }
    },
  };
}
