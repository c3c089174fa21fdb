// The bundled Vietnamese trust anchors: every file pinned by SHA-256, each intermediate chaining to its bundled root, provisional roots marked.
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TRUST_DIR, buildChain, readBundledTrust, trustStoreFrom } from '../../../../src/core/trust/index.js';
import { certificatesFromPem } from '../../../../src/core/trust/bytes.js';

/** SHA-256 of each certificate (DER), as resources/trust/TRUST.md lists it. */
const CERT_SHA256: Record<string, string> = {
  'roots/Co_quan_chung_thuc_so_chuyen_dung_Chinh_phu_RootCA.pem': 'f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90',
  'roots/MIC_National_Root_CA.pem': 'ca918d635bb130bec97639e6aabf7edbc4eb1310f8058b9419f467ae0230ad8c',
  'roots/RootCA_chuyen_dung_Chinh_phu_G2.pem': 'f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8',
  'roots/Vietnam_National_Root_CA.pem': 'bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7',
  'roots/Vietnam_National_Root_CA_G3.pem': '7b3269e7d79aebbfae5095f45bbb7074771e690cb7df02b441062b12f7690ece',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_EMA.pem': '0d765aedfe7b12c7d11c7b5737507f24db22f8afe24be140eb5801cb0853a8f9',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_MOBILEPKI.pem': 'c75535d65c0ff7480a3d6f393d56da5f7c92ddcc071f4e9166c3f8d660ef836c',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_RS.pem': '12afeba2545f6fc0f31ec130f31bf2d16184a2b5b7cebcb43cfd1ba35dd4ea46',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_TSA.pem': 'd343b3c5132f7d1676c3560025aefef036fceec073c33f18e075b3a21c8f8552',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_USBTOKEN.pem': '41803135f13a6359866e7e6f76dafd598d496836944a52dd1fad66b3bf2ee63b',
  'intermediates/BkavCA.pem': 'ddab3aa11600215c08ca4ccbc18be5204c171a48081a6cd73a95aa868e1258af',
  'intermediates/CA2.pem': '22a088dedd18b017409157ccdce931236492df259459e7fac424574dd06380e2',
  'intermediates/CA_phuc_vu_cac_co_quan_Dang_G2.pem': 'e4b402e3cb4cacc0a20d21fa49bce76beb4eb47ba7ffb7a8f71c554dbe561a81',
  'intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem': 'd8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b',
  'intermediates/Co_quan_chung_thuc_so_Bo_Cong_an.pem': 'ecbf8428266c549eb1bfdc2715270d5b9dff3bbbe2d3f0c33e0fd91f70b2d943',
  'intermediates/Co_quan_chung_thuc_so_Bo_Ngoai_giao.pem': '3c4281296f92d292cc952295fe41ad7d0b37438ff1d143b56c4642cc1b14bd93',
  'intermediates/Co_quan_chung_thuc_so_Bo_Tai_chinh.pem': 'a262cfa489dbbe666f8b89fab832547809874d5a06fa9f7a38fc227ebdf40514',
  'intermediates/Co_quan_chung_thuc_so_Chinh_phu.pem': '75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe',
  'intermediates/Co_quan_chung_thuc_so_Dang_Cong_san.pem': '6e218b3ebc2f31b0d03205c64fd7e8920fb47187d37afcdb4cb2bb4178bf4635',
  'intermediates/FPT_Certification_Authority.pem': '406ba8be66ead6d01672f1e137cc35a778e2f289edd3f9e7580964190b83c761',
  'intermediates/NEWTEL_CA.pem': '27ab09408347ee182186d2a21e82feda0a4e0f84441525ba1de74a7e87401eba',
  'intermediates/SAFE_CA.pem': '4e66e0073c9c217dbfa80697b0096fa61d71c1f32b29a12c2e2c37c0cac35881',
  'intermediates/SmartSign.pem': '591e6796472780fcf98d2e6797c8249457726dee54a264307d9b51193cdbd5fd',
  'intermediates/VNPT_CA_SHA2.pem': '7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306',
  'intermediates/VNPT_Certification_Authority.pem': '068927b4c1a38ae4db1e8f59a71a8c643d9dfbb53a674862387bd5aa7386247b',
  'intermediates/Viettel_CA.pem': '684caf190176d13158808ef193b2d20575399a87fd9e8c5bedc09065a184841a',
};
/** SHA-256 of each file's bytes: any changed byte fails. */
const FILE_SHA256: Record<string, string> = {
  'roots/Co_quan_chung_thuc_so_chuyen_dung_Chinh_phu_RootCA.pem': 'fba775e22098d4585cb1d3096a32304d93c587731f31e34f6adc91617ce7f60e',
  'roots/MIC_National_Root_CA.pem': '4e3cb808ef82ab276b6f90df49a81757da9e20671103d7b7e834fec0bf5e6c43',
  'roots/RootCA_chuyen_dung_Chinh_phu_G2.pem': '6e1ee7028e9572b91806f88e398fbf58daa171197b53a42577fcb8058784c296',
  'roots/Vietnam_National_Root_CA.pem': '39776900e402d1ca105b324528ebd2b972fc00597eae618e9d182a71b5266341',
  'roots/Vietnam_National_Root_CA_G3.pem': 'd13c7a4974a827c7cc44bea564ae1d566379842e75fe9298d6080d1bd77e7a40',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_EMA.pem': '8e17d7f1a882e33fe42d3fd6378dc23ff17b0aa935a6f65a7e1efd43703c4ed6',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_MOBILEPKI.pem': 'e3f2a59a7467993d96729e7c6a19fb79a67489fb2c1eea0a84b46931122fbf7b',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_RS.pem': '3fcd9e41a8fd42471e31c3d1ead1c57f73cf6b362676203322901afddfe8a70a',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_TSA.pem': 'e3bcfd42417bf6709dff8f8051b9fe70cdcef4c64bab33b8388fe64571f36ffc',
  'provisional/VIETNAM_NATIONAL_ROOT_CA_USBTOKEN.pem': 'edd6d55788db260dee84c60ae7da0d4aedfcefe594c5c673d4ec0e2290745842',
  'intermediates/BkavCA.pem': '6a0b2e32c51e98fc2993a1ebfaaf147c2c19a6cc1f4d9d310e6a510c88e60cd5',
  'intermediates/CA2.pem': '66417cf80b96dfe31700984ee9270a14917b68bac0f60db6ebdd9f6c2e4f1a44',
  'intermediates/CA_phuc_vu_cac_co_quan_Dang_G2.pem': 'a72ff7d0869856feed157798707dd11470e088376f6895c658ccf58e575a2fe2',
  'intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem': 'cbd742f00ebfd8ea8d940ff365d56c06bf9a7fa1a51fe1108e510d73b3800859',
  'intermediates/Co_quan_chung_thuc_so_Bo_Cong_an.pem': 'ae53ea93c9dcd4f5a9c4b9e941004317248d01cee7215a61429849451c338781',
  'intermediates/Co_quan_chung_thuc_so_Bo_Ngoai_giao.pem': '2641b3aae3c303d5858c28eec44d1e314ef78990af6dea135d6d225338959bc5',
  'intermediates/Co_quan_chung_thuc_so_Bo_Tai_chinh.pem': 'ec39a53416300269b4609086371fda5aa5d532d02aed95c73a81a9213aabac3e',
  'intermediates/Co_quan_chung_thuc_so_Chinh_phu.pem': '8bf277cd766ff6cb7b8f51c98f2105d08a3aee0d8f82fbfa74bb439854434e57',
  'intermediates/Co_quan_chung_thuc_so_Dang_Cong_san.pem': '7b7dad345790b36156b3be7b477de086bc8b06d7a753f09c126f1daf676b0af0',
  'intermediates/FPT_Certification_Authority.pem': '37367cdf716805c0a2608afb88b9c7fdcaa629bb896fd5063a12da84d7c25451',
  'intermediates/NEWTEL_CA.pem': '55da23527e234287e92ca8600d94050ee42e2957e47b1e64058768c539a0783f',
  'intermediates/SAFE_CA.pem': 'ed9fee497b0e4d9399df832b90bbe6406e9883d2b3162b0166f2b7d7094139c7',
  'intermediates/SmartSign.pem': '0799851d846d285aff674dbb74c2e207edbd79fa95ea975eb41058358f8bc891',
  'intermediates/VNPT_CA_SHA2.pem': '872e1f92d1c5a62420b0882f03b6f8b15b60824202d1eed15522eca2f46b82af',
  'intermediates/VNPT_Certification_Authority.pem': '09796d97af3fdba6481a7d92c77e58043683f839ecb6b02461abbbb43fe3373f',
  'intermediates/Viettel_CA.pem': '36ced107cf03c9a812d596c5f933ef31c94a3fff346c3aebbb4bdf412c3c6147',
};

const der = (relative: string): Uint8Array => {
  const [first] = certificatesFromPem(readFileSync(path.join(BUNDLED_TRUST_DIR, relative), 'latin1'));
  return first!;
};
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const listed = (): string[] =>
  ['roots', 'provisional', 'intermediates'].flatMap((dir) => readdirSync(path.join(BUNDLED_TRUST_DIR, dir)).map((name) => `${dir}/${name}`)).sort();

describe('bundled trust anchors', () => {
  it('holds exactly the pinned files, byte for byte', () => {
    expect(listed()).toEqual(Object.keys(FILE_SHA256).sort());
    for (const [file, hash] of Object.entries(FILE_SHA256)) expect(sha256(readFileSync(path.join(BUNDLED_TRUST_DIR, file))), file).toBe(hash);
  });

  it('holds the certificates TRUST.md lists, by fingerprint, and TRUST.md beside them says so', () => {
    const provenance = readFileSync(path.join(BUNDLED_TRUST_DIR, 'TRUST.md'), 'utf8');
    expect(Object.keys(CERT_SHA256).sort()).toEqual(listed());
    for (const [file, hash] of Object.entries(CERT_SHA256)) {
      expect(sha256(der(file)), file).toBe(hash);
      expect(provenance).toContain(hash);
    }
  });

  it('has self-signed roots and every intermediate verifying under its bundled root', () => {
    const roots = Object.keys(CERT_SHA256).filter((f) => !f.startsWith('intermediates/')).map((f) => new X509Certificate(der(f)));
    for (const root of roots) expect(root.verify(root.publicKey), root.subject).toBe(true);
    for (const file of Object.keys(CERT_SHA256).filter((f) => f.startsWith('intermediates/'))) {
      const cert = new X509Certificate(der(file));
      const issuer = roots.find((r) => r.subject === cert.issuer);
      expect(issuer, file).toBeDefined();
      expect(cert.verify(issuer!.publicKey), file).toBe(true);
    }
  });

  it('builds real chains: the G2 state CA under RootCA G2, the SHA-1 G1 and MIC intermediates under theirs', async () => {
    const store = await trustStoreFrom({ includeBundled: true });
    const cases: [string, string, Date][] = [
      ['intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem', 'RootCA chuyên dùng Chính phủ G2', new Date('2025-01-01')],
      ['intermediates/CA_phuc_vu_cac_co_quan_Dang_G2.pem', 'RootCA chuyên dùng Chính phủ G2', new Date('2025-01-01')],
      ['intermediates/Co_quan_chung_thuc_so_Chinh_phu.pem', 'Co quan chung thuc so chuyen dung Chinh phu (RootCA)', new Date('2015-01-01')],
      ['intermediates/VNPT_Certification_Authority.pem', 'MIC National Root CA', new Date('2015-01-01')],
      ['intermediates/VNPT_CA_SHA2.pem', 'Vietnam National Root CA', new Date('2025-01-01')],
    ];
    for (const [file, rootName, at] of cases) {
      const chain = buildChain(der(file), [], store, at);
      expect(chain.trusted, `${file}: ${chain.problems.map((p) => p.messageEn).join('; ')}`).toBe(true);
      expect(new X509Certificate(chain.path.at(-1)!).subject).toContain(`CN=${rootName}`);
      expect(chain.provisional).toBe(false);
    }
    expect(buildChain(der('intermediates/VNPT_Certification_Authority.pem'), [], store, new Date('2015-01-01')).legacySha1).toBe(true);
    expect(buildChain(der('intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem'), [], store, new Date('2025-01-01')).legacySha1).toBe(false);
    // Without the bundle nothing chains.
    expect(buildChain(der('intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem'), [], { roots: [] }, new Date('2025-01-01')).trusted).toBe(false);
  });

  it('marks the NEAC service roots provisional, unless the user trusts one explicitly', async () => {
    const usbToken = der('provisional/VIETNAM_NATIONAL_ROOT_CA_USBTOKEN.pem');
    const store = await trustStoreFrom({ includeBundled: true });
    expect(store.provisional?.has(sha256(usbToken))).toBe(true);
    const chain = buildChain(usbToken, [], store, new Date('2026-06-01'));
    expect(chain.trusted).toBe(true);
    expect(chain.provisional).toBe(true);
    const explicit = await trustStoreFrom({ includeBundled: true, roots: [usbToken] });
    expect(buildChain(usbToken, [], explicit, new Date('2026-06-01')).provisional).toBe(false);
  });

  it('leaves out bundled certificates the user disabled, by fingerprint or file name', async () => {
    const g2 = der('roots/RootCA_chuyen_dung_Chinh_phu_G2.pem');
    const all = await readBundledTrust();
    expect(all.roots).toHaveLength(5);
    expect(all.provisional).toHaveLength(5);
    expect(all.intermediates).toHaveLength(16);
    const colonFingerprint = sha256(g2).toUpperCase().match(/../g)!.join(':');
    const store = await trustStoreFrom({ includeBundled: true, disabledBundled: [colonFingerprint, 'VIETNAM_NATIONAL_ROOT_CA_EMA.pem'] });
    expect(store.roots).toHaveLength(8);
    expect(buildChain(der('intermediates/CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem'), [], store, new Date('2025-01-01')).trusted).toBe(false);
  });
});
