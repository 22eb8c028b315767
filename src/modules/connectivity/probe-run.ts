// The state of one probe while it runs: the stage reached and what the server showed. The first
// outcome (result, failure or deadline) freezes it; events that arrive later change nothing.
import { performance } from 'node:perf_hooks';
import { redactCredentials } from './redact.js';
import type { ConnectivityError, ConnectivityResult, ProbeStage, ProbeTarget, ServerSummary, TlsSummary } from './types.js';

export class ProbeRun {
  readonly testedAt = new Date().toISOString();
  private readonly startedAt = performance.now();
  private currentStage: ProbeStage = 'dns';
  private greeting: string | null = null;
  private capabilities: string[] = [];
  private tls: TlsSummary | null = null;
  private result: ConnectivityResult | null = null;

  constructor(private readonly target: ProbeTarget) {}

  get stage(): ProbeStage {
    return this.currentStage;
  }

  get finished(): boolean {
    return this.result !== null;
  }

  enter(stage: ProbeStage): void {
    if (!this.result) this.currentStage = stage;
  }

  recordGreeting(greeting: string): void {
    if (!this.result) this.greeting = greeting;
  }

  recordCapabilities(capabilities: string[]): void {
    if (!this.result && capabilities.length > 0) this.capabilities = capabilities;
  }

  recordTls(tls: TlsSummary): void {
    if (!this.result) this.tls = tls;
  }

  /** Builds the result; the first call decides it, later calls return the same result. */
  finish(error: ConnectivityError | null): ConnectivityResult {
    if (this.result) return this.result;
    if (!error) this.currentStage = 'ready';
    this.result = {
      ok: error === null,
      providerKind: this.target.providerKind,
      stage: this.currentStage,
      error,
      latencyMs: Math.round(performance.now() - this.startedAt),
      testedAt: this.testedAt,
      server: this.serverSummary(),
    };
    return this.result;
  }

  private serverSummary(): ServerSummary | null {
    if (this.greeting === null && this.capabilities.length === 0 && this.tls === null) return null;
    const credentials = [this.target.username, this.target.secret];
    const clean = (text: string) => redactCredentials(text, credentials);
    const certificate = this.tls?.certificate;
    return {
      greeting: this.greeting === null ? null : clean(this.greeting),
      capabilities: this.capabilities.map(clean),
      tls: this.tls && {
        ...this.tls,
        certificate: certificate ? { ...certificate, subject: clean(certificate.subject), issuer: clean(certificate.issuer) } : null,
      },
    };
  }
}
