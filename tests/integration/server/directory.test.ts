// The agency directory on SQLite and PostgreSQL: organ ids, parents, certificate bindings, removal rules, bootstrap file, migrations.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgency, applyBootstrap, getAgency, listAgencies, openServerDatabase, removeAgency, type ServerDatabase } from '../../../src/server/index.js';
import { isVanthuError, type ErrorCode } from '../../../src/shared/errors.js';
import { usePki } from '../../kit/pki.js';
import { CAO_BANG, DIALECTS, NOI_VU, VPCP, freshDatabaseUrl } from './kit.js';

const pki = usePki();
const certPem = (label: string): string => pki.tokens.flatMap((t) => t.objects).find((o) => o.label === label)!.certPem;
const der = (label: string): Uint8Array => new Uint8Array(new X509Certificate(readFileSync(certPem(label))).raw);

async function refusal(work: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    if (isVanthuError(error)) return error.code;
    throw error;
  }
}

describe.each(DIALECTS)('agency directory on %s', (dialect) => {
  let database: ServerDatabase;
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ url, drop } = await freshDatabaseUrl(dialect));
    database = await openServerDatabase(url);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('migrates once and opens again without redoing it', async () => {
    const again = await openServerDatabase(url);
    await again.close();
  });

  it('adds agencies with parents and certificates, and refuses bad ids, unknown parents, duplicates and certificates bound elsewhere', async () => {
    const added = await addAgency(database.db, { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng', certificates: [der('agency-rsa')], personCertificates: [der('leader-rsa')] });
    expect(added.certificates.map((c) => [c.role, c.subject])).toEqual([['agency', 'UBND tỉnh Cao Bằng'], ['person', 'Nguyễn Thị Hồng Nhung']]);
    expect(await refusal(addAgency(database.db, { organId: '../000.00.00.H14', name: 'x' }))).toBe('SERVER_ORGAN_ID_INVALID');
    expect(await refusal(addAgency(database.db, { organId: NOI_VU, name: 'Sở Nội vụ', parent: '000.00.77.H14' }))).toBe('SERVER_NOT_FOUND');
    expect(await refusal(addAgency(database.db, { organId: CAO_BANG, name: 'again' }))).toBe('SERVER_AGENCY_EXISTS');
    // All or nothing: the agency is not left behind without its certificate.
    expect(await refusal(addAgency(database.db, { organId: VPCP, name: 'Văn phòng Chính phủ', certificates: [der('agency-rsa')] }))).toBe('SERVER_CERT_ALREADY_BOUND');
    expect(await getAgency(database.db, VPCP)).toBeUndefined();
    await addAgency(database.db, { organId: NOI_VU, name: 'Sở Nội vụ', parent: CAO_BANG });
    expect((await listAgencies(database.db)).map((a) => [a.organId, a.parent])).toEqual([[CAO_BANG, null], [NOI_VU, CAO_BANG]]);
  });

  it('removes only an agency with nothing below it', async () => {
    expect(await refusal(removeAgency(database.db, CAO_BANG))).toBe('SERVER_AGENCY_IN_USE');
    expect(await refusal(removeAgency(database.db, '000.00.55.H14'))).toBe('SERVER_NOT_FOUND');
    await removeAgency(database.db, NOI_VU);
    expect(await getAgency(database.db, NOI_VU)).toBeUndefined();
  });

  it('applies a bootstrap file, adding only what is missing each time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-bootstrap-'));
    const file = path.join(dir, 'agencies.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencies: [
          { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng (renamed, ignored)', personCertificates: [certPem('leader-ec')] },
          { organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', parent: CAO_BANG, certificates: [certPem('spare-rsa')] },
          { organId: VPCP, name: 'Văn phòng Chính phủ' },
        ],
      }),
    );
    expect(await applyBootstrap(database.db, file)).toEqual({ added: [NOI_VU, VPCP], bound: 2 });
    expect(await applyBootstrap(database.db, file)).toEqual({ added: [], bound: 0 });
    const caoBang = await getAgency(database.db, CAO_BANG);
    expect(caoBang?.name).toBe('UBND tỉnh Cao Bằng');
    expect(caoBang?.certificates).toHaveLength(3);
    writeFileSync(file, JSON.stringify({ agencies: [{ organId: 'H14/../x', name: 'x' }] }));
    expect(await refusal(applyBootstrap(database.db, file))).toBe('BAD_INPUT');
  });
});
