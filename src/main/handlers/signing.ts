// Handlers of one document's page: viewer files, existing signatures, signing on the token, issuing and sending.
import { createHash } from 'node:crypto';
import { canTransition } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import { MAX_VIEW_FILE_BYTES } from '../../shared/ipc/signing.js';
import type { SIGNING_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { IpcEventPayload } from '../../shared/ipc-contract.js';
import { enqueueSend, sentWithDuplicateNumber } from '../../core/exchange/index.js';
import { getDocument, listFiles } from '../../core/store/index.js';
import type { TrustStore } from '../../core/trust/index.js';
import { validatePdf } from '../../core/validation/index.js';
import type { AppRuntime } from '../runtime.js';
import type { FeatureHandlers, ServiceContext } from './context.js';
import { certificateImage, certificateImageView, saveCertificateImage } from './signing/certificate-images.js';
import { revocationOf, storeRevocationCache } from './signing/certificate-revocation.js';
import { suggestPlacement } from './signing/placement.js';
import { panelReport } from './signing/report.js';
import { fileOf, numberFor, settingsImage, signDirectly, signThroughOutbox, tsaFor, type SignOutcome } from './signing/sign-flow.js';
import { choiceOf, unlockToken } from './signing/token-unlock.js';

const EMPTY_TRUST: TrustStore = { roots: [] };

export function signingHandlers(context: ServiceContext): FeatureHandlers<(typeof SIGNING_CHANNEL_NAMES)[number]> {
  const { options } = context;
  const runtimeOf = (): AppRuntime => {
    if (options.runtime === undefined) throw new VanthuError('SIGNING_NO_STORE');
    return options.runtime;
  };
  const progress = (payload: IpcEventPayload<'signing.progress'>) => options.emit?.('signing.progress', payload);
  const validate = async (bytes: Uint8Array) =>
    panelReport(await validatePdf(bytes, { trust: options.trust ?? EMPTY_TRUST, online: true, revocationTimeoutMs: 5_000, aiaCacheDir: options.runtime?.aiaCacheDir }));
  // The panel's summary of the stored revision: read from the store once the signature is done and its buffers are let go.
  const summaryOf = async (outcome: SignOutcome) => {
    const { verdict, summary } = await validate(runtimeOf().store.blobs.read(outcome.sha256));
    return { verdict, summary };
  };

  return {
    'document.details': async ({ documentId }) => {
      const { store } = runtimeOf();
      const document = getDocument(store.db, documentId);
      return {
        ...document,
        recipients: document.recipients.map((r) => ({ organId: r.organId, organName: r.organName, status: r.status })),
        files: listFiles(store.db, documentId).map((f) => ({
          id: f.id,
          role: f.role,
          name: f.name,
          revisions: f.revisions.map((r) => ({ revision: r.revision, size: r.size, signatureKind: r.signatureKind, signatureLevel: r.signatureLevel, signer: r.signer, createdAt: r.createdAt })),
        })),
        duplicateNumberWarning: sentWithDuplicateNumber(store.db, documentId),
      };
    },

    'document.file': async ({ documentId, fileId, revision }) => {
      const { store } = runtimeOf();
      const file = fileOf(store, documentId, fileId);
      const chosen = revision === undefined ? file.revisions.at(-1) : file.revisions.find((r) => r.revision === revision);
      if (chosen === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: `revision of file ${fileId}`, id: revision ?? 'latest' });
      if (chosen.size > MAX_VIEW_FILE_BYTES) throw new VanthuError('SIGNING_FILE_TOO_LARGE', { size: chosen.size, max: MAX_VIEW_FILE_BYTES });
      const bytes = store.blobs.read(chosen.sha256);
      return { name: file.name, revision: chosen.revision, size: bytes.length, contentBase64: Buffer.from(bytes).toString('base64') };
    },

    'document.signatures': async ({ documentId, fileId }) => {
      const { store } = runtimeOf();
      const latest = fileOf(store, documentId, fileId).revisions.at(-1)!;
      return validate(store.blobs.read(latest.sha256));
    },

    'document.send': async ({ documentId, again }) => {
      const runtime = runtimeOf();
      const document = getDocument(runtime.store.db, documentId);
      if (document.recipients.length === 0) throw new VanthuError('SIGNING_NO_RECIPIENTS', { id: documentId });
      // Through the engine when a server is set: it decides whether the send waits for a pending signature upgrade.
      const engine = runtime.exchange.engine;
      const options = again ? { again } : {};
      const { messageId } = engine ? await engine.send(documentId, options) : enqueueSend(runtime.store, documentId, options);
      runtime.worker.poke();
      return { messageId, state: getDocument(runtime.store.db, documentId).state };
    },

    'signing.suggestPlacement': async ({ documentId, fileId, appearance, signerName }) => {
      const { store } = runtimeOf();
      const document = getDocument(store.db, documentId);
      const latest = fileOf(store, documentId, fileId).revisions.at(-1)!;
      const what = appearance === 'seal' ? 'seal' : 'signature';
      // The chosen image decides the box's proportions; without one, the usual shape is suggested.
      const image = appearance === 'leader' || appearance === 'seal' ? await settingsImage(options.settings, what).catch(() => undefined) : undefined;
      const name = signerName ?? document.signerFullName;
      return suggestPlacement(store.blobs.read(latest.sha256), appearance, { ...(name ? { signerName: name } : {}), ...(image ? { image } : {}) });
    },

    'signing.sign': async (request) => {
      const runtime = runtimeOf();
      const { store } = runtime;
      const document = getDocument(store.db, request.documentId);
      if (request.appearance === 'seal') {
        // The seal is the clerk's issuing step: number and date first, then the agency signature.
        return issue(runtime, { ...request });
      }
      // Everything that can be refused without the token is refused before the PIN is used.
      if (request.appearance === 'leader' && document.state !== 'signed_by_leader' && !canTransition(document.direction, document.state, 'signed_by_leader')) {
        throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: document.id, from: document.state, to: 'signed_by_leader' });
      }
      const file = fileOf(store, request.documentId, request.fileId);
      const tsaUrl = tsaFor(options.settings, request.level);
      if (request.appearance === 'attachment' && !document.codeNumber) {
        throw new VanthuError('BAD_INPUT', { detail: 'dấu của tệp đính kèm ghi số của văn bản chính: hãy cấp số trước / the attachment stamp carries the main document number: issue it first' });
      }
      const choice = choiceOf(request.token, request.certificateId);
      // The certificate's own image (else the machine's), read and checked here: a missing file is said before the PIN.
      const image = request.appearance === 'leader' ? await leaderImage(runtime, choice, request.textOnly === true) : undefined;
      progress({ documentId: request.documentId, step: 'certificate' });
      let placement: { page?: number; rect?: [number, number, number, number] } = request.rect ? { page: request.page ?? 1, rect: request.rect } : {};
      if (request.appearance === 'leader' && !request.rect) {
        // Placed here, before the PIN: a page without the signer's printed name is refused before the
        // token is touched, and the job gets an explicit box.
        const { subject } = await runtime.keys.certificate(choice);
        placement = await leaderPlacement(store.blobs.read(file.revisions.at(-1)!.sha256), [subject, document.signerFullName], image);
      }
      const unlocked = await unlockToken(runtime, choice, request.pin);
      let outcome: SignOutcome;
      try {
        progress({ documentId: request.documentId, step: 'signing' });
        if (request.appearance === 'copy') {
          outcome = await signDirectly({
            store,
            runtime,
            documentId: request.documentId,
            file,
            choice,
            level: request.level,
            ...(tsaUrl ? { tsaUrl } : {}),
            ...(options.trust ? { trust: options.trust } : {}),
            kind: 'copy',
            appearance: { appearance: 'copy', copyType: request.copyType ?? 'SAO Y', copyingAgency: document.organName ?? unlocked.subject, ...placement },
            transitionTo: null,
          });
        } else {
          outcome = await signThroughOutbox(runtime, {
            documentId: request.documentId,
            fileId: file.id,
            choice,
            appearance: request.appearance,
            level: request.level,
            ...(tsaUrl ? { tsaUrl } : {}),
            ...(image ? { image } : {}),
            ...(request.appearance === 'leader' && !image ? { textOnly: true } : {}),
            ...placement,
            ...(request.appearance === 'attachment' ? { documentNotation: `${document.codeNumber}/${document.codeNotation ?? ''}`.replace(/\/$/, '') } : {}),
          });
        }
      } finally {
        await unlocked.release();
      }
      progress({ documentId: request.documentId, step: 'stored' });
      const after = getDocument(store.db, request.documentId);
      return {
        revision: outcome.revision,
        level: outcome.level,
        pendingLevel: outcome.pendingLevel,
        state: after.state,
        ...(after.codeNumber ? { codeNumber: after.codeNumber } : {}),
        ...(after.issuedDate ? { issuedDate: after.issuedDate } : {}),
        report: await summaryOf(outcome),
      };
    },

    'signing.issue': (request) => issue(runtimeOf(), request),

    'certificates.revocation': async ({ certificates }) =>
      revocationOf(
        certificates.map((b64) => new Uint8Array(Buffer.from(b64, 'base64'))),
        {
          trust: options.trust,
          ...(options.runtime ? { cache: storeRevocationCache(options.runtime.store.db), aiaCacheDir: options.runtime.aiaCacheDir } : {}),
        },
      ),

    'signing.image': async ({ certificateSha256 }) => certificateImageView(options.settings, certificateSha256),

    'signing.setImage': async ({ certificateSha256, pngBase64 }) => {
      const dataDir = options.runtime?.store.dataDir;
      if (!options.settings || !dataDir) throw new VanthuError('BAD_INPUT', { detail: 'chưa mở kho dữ liệu / no data folder open' });
      return saveCertificateImage(options.settings, dataDir, certificateSha256, pngBase64);
    },
  };

  /** The leader's image for this certificate; undefined only for the text-only stamp the user chose. */
  async function leaderImage(runtime: AppRuntime, choice: ReturnType<typeof choiceOf>, textOnly: boolean): Promise<Uint8Array | undefined> {
    if (textOnly) return undefined;
    const { der } = await runtime.keys.certificate(choice);
    const image = certificateImage(options.settings, createHash('sha256').update(der).digest('hex'));
    if (!image) throw new VanthuError('SIGNING_IMAGE_MISSING', { what: 'signature' });
    return image.bytes;
  }

  /** The leader's box above the printed name: the certificate's name first, then the one in the metadata. */
  async function leaderPlacement(pdf: Uint8Array, names: (string | undefined)[], image: Uint8Array | undefined) {
    let failure: unknown;
    for (const signerName of names.filter((n): n is string => Boolean(n))) {
      try {
        const { page, rect } = await suggestPlacement(pdf, 'leader', { signerName, ...(image ? { image } : {}) });
        return { page, rect };
      } catch (error) {
        failure = error;
      }
    }
    throw failure ?? new VanthuError('APPEARANCE_SIGNER_NAME_NOT_FOUND', { name: '—', page: '—' });
  }

  /** Decree 30's clerk step: only on a document the leader signed; the register's number and date, written in by the agency's seal signature. */
  async function issue(
    runtime: AppRuntime,
    request: { documentId: number; token: { modulePath: string; serial: string; label: string }; certificateId: string; pin: string; level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA'; page?: number; rect?: [number, number, number, number] },
  ) {
    const { store } = runtime;
    const document = getDocument(store.db, request.documentId);
    const file = fileOf(store, request.documentId, undefined);
    const leaderSigned = file.revisions.some((r) => r.signatureKind === 'leader');
    if (document.direction !== 'outgoing' || document.state !== 'signed_by_leader' || !leaderSigned) {
      throw new VanthuError('SIGNING_NOT_SIGNED_BY_LEADER', { id: document.id, state: document.state });
    }
    const image = await settingsImage(options.settings, 'seal');
    const tsaUrl = tsaFor(options.settings, request.level);
    const choice = choiceOf(request.token, request.certificateId);
    progress({ documentId: request.documentId, step: 'certificate' });
    const unlocked = await unlockToken(runtime, choice, request.pin);
    let outcome: SignOutcome;
    let number: ReturnType<typeof numberFor>;
    try {
      progress({ documentId: request.documentId, step: 'signing' });
      // The number is taken only once the token accepted the PIN; an issue that fails after it keeps
      // the number, and the next try reuses it (the register stays gap-free).
      number = numberFor(store, request.documentId);
      outcome = await signDirectly({
        store,
        runtime,
        documentId: request.documentId,
        file,
        choice,
        level: request.level,
        ...(tsaUrl ? { tsaUrl } : {}),
        ...(options.trust ? { trust: options.trust } : {}),
        kind: 'seal',
        appearance: {
          appearance: 'seal',
          image,
          ...(request.rect ? { rect: request.rect, page: request.page ?? 1 } : {}),
          issuing: { number: number.notation, date: number.issuedDate },
        },
        transitionTo: 'issued',
        reason: `Phát hành số ${number.notation}`,
      });
    } finally {
      await unlocked.release();
    }
    progress({ documentId: request.documentId, step: 'stored' });
    return {
      revision: outcome.revision,
      level: outcome.level,
      pendingLevel: outcome.pendingLevel,
      state: getDocument(store.db, request.documentId).state,
      codeNumber: number.codeNumber,
      issuedDate: number.issuedDate,
      report: await summaryOf(outcome),
    };
  }
}
